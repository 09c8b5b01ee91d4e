"""Leasing reads on a large portfolio: 100,000 leases and 2,000,000 bills.

    python bench/leasing.py [--leases 100000] [--repeat 5]

Builds the portfolio in a throw-away database (a temporary SQLite file, or the PostgreSQL
database named by BENCH_DATABASE_URL, which it empties): 120,000 units (100,000 leasable),
one five-year lease on each leasable unit, a bill per quarter (20 per lease), most of them
paid (one settlement each), some tenants behind. Then times, as the pages and the API run
them, and against one hand-written SQL query on the same database giving the same figure:

- occupancy of the portfolio on a date (leasing.selectors.occupancy),
- the rent roll of one park (leasing.selectors.rent_roll),
- the arrears aging of the portfolio today (kept ``settled`` column) and on a past date
  (summing the settlements up to that day) (leasing.selectors.arrears_aging).

Prints the median time of each and the ratio ORM / SQL, after checking the figures agree.
"""

from __future__ import annotations

import argparse
import datetime
import statistics
import sys
import time
from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from unit_search import build_portfolio, setup_django

BILLS_PER_LEASE = 20  # quarterly over five years
TODAY = datetime.date(2026, 11, 28)  # fixed, so that runs compare
LIVE = ("active", "terminated", "expired", "renewed")


def add_months(day: datetime.date, months: int) -> datetime.date:
    from leasing.schedule import add_months as add

    return add(day, months)


def _insert(table: str, columns: list[str], rows: Iterator[tuple[Any, ...]]) -> int:
    """Bulk insert: COPY on PostgreSQL, executemany in chunks on SQLite."""
    from django.db import connection

    count = 0
    quoted = ", ".join(f'"{c}"' for c in columns)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            raw = cursor.cursor
            with raw.copy(f'COPY "{table}" ({quoted}) FROM STDIN') as copy:
                for row in rows:
                    copy.write_row(row)
                    count += 1
        return count
    sql = f'INSERT INTO "{table}" ({quoted}) VALUES ({", ".join(["%s"] * len(columns))})'
    chunk: list[tuple[Any, ...]] = []
    with connection.cursor() as cursor:
        for row in rows:
            chunk.append(row)
            if len(chunk) == 20000:
                cursor.executemany(sql, chunk)
                count += len(chunk)
                chunk = []
        if chunk:
            cursor.executemany(sql, chunk)
            count += len(chunk)
    return count


def build_leases(leases: int) -> tuple[int, int]:
    """One five-year lease per leasable unit, 20 quarterly bills each, most paid."""
    from django.db import transaction
    from django.utils import timezone

    from enterprises.models import Enterprise
    from leasing.models import Lease
    from spaces.models import Unit

    units = list(
        Unit.objects.exclude(status="not_leasable")
        .order_by("id")
        .values_list("id", "park_id", "area_m2")[:leases]
    )
    now = timezone.now()
    with transaction.atomic():
        Enterprise.objects.bulk_create(
            [
                Enterprise(name=f"企业{n:05d}", credit_code=f"B{n:017d}")
                for n in range(len(units) // 10 + 1)
            ],
            batch_size=5000,
        )
        first_company = Enterprise.objects.order_by("id").values_list("id", flat=True)[0]
        base = datetime.date(2021, 1, 1)
        lease_rows = []
        for i, (_unit, park_id, _area) in enumerate(units):
            start = base + datetime.timedelta(days=(i * 17) % 1800)
            end = add_months(start, 60) - datetime.timedelta(days=1)
            state = "expired" if end < TODAY else "active"
            lease_rows.append(
                (
                    now,
                    now,
                    f"L{i:06d}",
                    first_company + i // 10,
                    park_id,
                    state,
                    start,
                    end,
                    Decimal("3.50"),
                    Decimal("12.00"),
                    "daily",
                    Decimal("0"),
                    2,
                    1,
                    3,
                    15,
                    "",
                    "",
                )
            )
        _insert(
            "leasing_lease",
            [
                "created_at",
                "updated_at",
                "contract_no",
                "enterprise_id",
                "park_id",
                "state",
                "start_on",
                "end_on",
                "rent_per_m2_day",
                "fee_per_m2_month",
                "convention",
                "escalation_pct",
                "escalation_from_year",
                "deposit_months",
                "payment_cycle_months",
                "bill_days_ahead",
                "termination_reason",
                "notes",
            ],
            iter(lease_rows),
        )
        lease_ids = dict(Lease.objects.values_list("contract_no", "id"))
        spans = (
            (lease_ids[f"L{i:06d}"], unit_id, area, row[6], row[7])
            for i, ((unit_id, _p, area), row) in enumerate(zip(units, lease_rows, strict=True))
        )
        _insert(
            "leasing_leaseunit", ["lease_id", "unit_id", "area_m2", "start_on", "end_on"], spans
        )

        def bills() -> Iterator[tuple[Any, ...]]:
            for i, ((_u, park_id, area), row) in enumerate(zip(units, lease_rows, strict=True)):
                lease_id, start, company = lease_ids[f"L{i:06d}"], row[6], row[3]
                amount = (Decimal("3.50") * area * 91 + Decimal("12") * area * 3).quantize(
                    Decimal("0.01")
                )
                for k in range(BILLS_PER_LEASE):
                    due = add_months(start, 3 * k)
                    paid = amount if _paid(i, k, due) else Decimal(0)
                    if i % 7 == 0 and k == 12 and due <= TODAY:
                        paid = (amount / 2).quantize(Decimal("0.01"))
                    yield (
                        now,
                        now,
                        f"L{i:06d}-P{k + 1:02d}",
                        lease_id,
                        company,
                        park_id,
                        "rent",
                        k + 1,
                        due,
                        add_months(start, 3 * k + 3) - datetime.timedelta(days=1),
                        due - datetime.timedelta(days=15),
                        due,
                        amount,
                        paid,
                        "",
                        "",  # no fapiao recorded yet
                        "",
                    )

        invoices = _insert(
            "leasing_invoice",
            [
                "created_at",
                "updated_at",
                "number",
                "lease_id",
                "enterprise_id",
                "park_id",
                "kind",
                "period_index",
                "period_start",
                "period_end",
                "issued_on",
                "due_on",
                "amount",
                "settled",
                "note",
                "fapiao_no",
                "fapiao_kind",
            ],
            bills(),
        )
    with transaction.atomic():
        from django.db import connection

        with connection.cursor() as cursor:  # one settlement per (partly) paid bill
            cursor.execute(
                """INSERT INTO leasing_settlement (invoice_id, "on", amount, source)
                   SELECT id, due_on, settled, 'payment' FROM leasing_invoice WHERE settled > 0"""
            )
            settlements = cursor.rowcount
    return invoices, settlements


def _paid(i: int, k: int, due: datetime.date) -> bool:
    """Bills due by TODAY are paid, except every tenth lease's last four due bills."""
    if due > TODAY:
        return False
    if i % 10 == 0:
        return add_months(due, 12) <= TODAY
    return True


def occupancy_sql(day: datetime.date) -> tuple[Decimal, Decimal]:
    rows = _fetch(
        """SELECT SUM(u.area_m2),
                  SUM(CASE WHEN EXISTS (
                        SELECT 1 FROM leasing_leaseunit lu
                        JOIN leasing_lease l ON l.id = lu.lease_id
                        WHERE lu.unit_id = u.id AND lu.start_on <= %s AND lu.end_on >= %s
                          AND l.state IN ('active', 'terminated', 'expired', 'renewed'))
                      THEN u.area_m2 ELSE 0 END)
           FROM spaces_unit u WHERE u.status <> 'not_leasable'""",
        [day, day],
    )
    return _dec(rows[0][0]), _dec(rows[0][1])


def rent_roll_sql(park_id: int, day: datetime.date) -> list[tuple[Any, ...]]:
    """The roll's stored figures per lease running on ``day``: contract, tenant, the units'
    codes, area, deposit held, billed, received, billed without a fapiao. One query: the
    leases, then each sum grouped by lease and joined (correlated subqueries a lease cost
    PostgreSQL a JIT compilation of half a second at 2,000 leases)."""
    from django.db import connection

    if connection.vendor == "postgresql":
        codes = "string_agg(code, '、' ORDER BY code)"
    else:  # SQLite concatenates in the order of its (ordered) input
        codes = "group_concat(code, '、')"
    return _fetch(
        f"""WITH roll AS (
             SELECT l.id, l.contract_no, e.name FROM leasing_lease l
             JOIN enterprises_enterprise e ON e.id = l.enterprise_id
             WHERE l.park_id = %s AND l.state IN ('active', 'terminated', 'expired', 'renewed')
               AND l.start_on <= %s AND l.end_on >= %s
               AND (l.terminated_on IS NULL OR l.terminated_on > %s)),
           held AS (
             SELECT lease_id, {codes} AS codes, SUM(area_m2) AS area FROM (
               SELECT lu.lease_id, u.code, lu.area_m2 FROM leasing_leaseunit lu
               JOIN spaces_unit u ON u.id = lu.unit_id
               WHERE lu.lease_id IN (SELECT id FROM roll)
                 AND lu.start_on <= %s AND lu.end_on >= %s
               ORDER BY lu.lease_id, u.code) x
             GROUP BY lease_id),
           bills AS (
             SELECT lease_id,
               SUM(amount) FILTER (WHERE kind <> 'deposit') AS billed,
               SUM(amount) FILTER (WHERE fapiao_no = '' AND kind NOT IN ('deposit', 'credit'))
                 AS not_invoiced
             FROM leasing_invoice
             WHERE lease_id IN (SELECT id FROM roll) AND issued_on <= %s GROUP BY lease_id),
           paid AS (
             SELECT i.lease_id,
               SUM(s.amount) FILTER (WHERE i.kind = 'deposit') AS deposit,
               SUM(s.amount) FILTER (WHERE i.kind <> 'deposit') AS received
             FROM leasing_settlement s JOIN leasing_invoice i ON i.id = s.invoice_id
             WHERE i.lease_id IN (SELECT id FROM roll) AND s."on" <= %s
               AND s.source IN ('payment', 'deposit')
             GROUP BY i.lease_id)
           SELECT roll.contract_no, roll.name, held.codes, held.area,
             COALESCE(paid.deposit, 0), COALESCE(bills.billed, 0), COALESCE(paid.received, 0),
             COALESCE(bills.not_invoiced, 0)
           FROM roll LEFT JOIN held ON held.lease_id = roll.id
           LEFT JOIN bills ON bills.lease_id = roll.id LEFT JOIN paid ON paid.lease_id = roll.id
           ORDER BY roll.contract_no""",
        [park_id, day, day, day, day, day, day, day],
    )


def same_roll(rows: list[Any], sql: list[tuple[Any, ...]]) -> bool:
    """The rent roll's rows and the floor's: every stored figure the same."""
    ours = [
        (
            r.contract_no,
            r.tenant,
            r.units,
            r.area_m2,
            r.deposit,
            r.billed,
            r.received,
            r.not_invoiced,
        )
        for r in rows
    ]
    theirs = [(c, n, u or "", _dec(a), *(_dec(v) for v in sums)) for c, n, u, a, *sums in sql]
    return ours == theirs


def aging_sql(day: datetime.date, from_settlements: bool) -> list[tuple[Any, ...]]:
    """Open bills issued by ``day`` per tenant, as the aging page lists them: the tenant's id
    and name, not yet due, 1–30, 31–60, 61–90, over 90 days past due (overdue from the day
    after the due date), overdue and total; most overdue first, then by total and name."""
    d30, d60, d90 = (day - datetime.timedelta(days=n) for n in (30, 60, 90))
    if from_settlements:
        open_amount = """i.amount - COALESCE((SELECT SUM(s.amount) FROM leasing_settlement s
                          WHERE s.invoice_id = i.id AND s."on" <= %s), 0)"""
        where, params = "", [day]
    else:
        open_amount, where, params = "i.amount - i.settled", "AND i.settled < i.amount", []
    return _fetch(
        f"""SELECT x.enterprise_id, e.name,
              SUM(CASE WHEN due_on >= %s THEN open ELSE 0 END),
              SUM(CASE WHEN due_on < %s AND due_on >= %s THEN open ELSE 0 END),
              SUM(CASE WHEN due_on < %s AND due_on >= %s THEN open ELSE 0 END),
              SUM(CASE WHEN due_on < %s AND due_on >= %s THEN open ELSE 0 END),
              SUM(CASE WHEN due_on < %s THEN open ELSE 0 END),
              SUM(CASE WHEN due_on < %s THEN open ELSE 0 END) AS overdue,
              SUM(open) AS total
            FROM (SELECT i.enterprise_id, i.due_on, {open_amount} AS open
                  FROM leasing_invoice i
                  WHERE i.kind <> 'credit' AND i.issued_on <= %s {where}) x
            JOIN enterprises_enterprise e ON e.id = x.enterprise_id
            WHERE open > 0
            GROUP BY x.enterprise_id, e.name ORDER BY overdue DESC, total DESC, e.name""",
        [day, day, d30, d30, d60, d60, d90, d90, day, *params, day],
    )


def _fetch(sql: str, params: list[Any]) -> list[tuple[Any, ...]]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _same_aging(orm: list[dict[str, Any]], sql: list[tuple[Any, ...]]) -> bool:
    """The same tenants in the same order, with the same name and every bucket the same."""
    keys = ("not_due", "d1_30", "d31_60", "d61_90", "d90_plus", "overdue", "total")
    mine = [(r["enterprise_id"], r["enterprise__name"], *(r[k] for k in keys)) for r in orm]
    theirs = [(e, name, *(_dec(v) for v in values)) for e, name, *values in sql]
    return mine == theirs


def _dec(value: Any) -> Decimal:
    return Decimal(str(value or 0)).quantize(Decimal("0.01"))


def median_time(fn: Callable[[], Any], repeat: int) -> tuple[float, Any]:
    samples, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--leases", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    setup_django()
    from unittest import mock

    from django.db import connection

    from leasing import selectors
    from leasing.models import Invoice, Lease
    from spaces.models import Park, Unit

    start = time.perf_counter()
    build_portfolio(args.leases * 6 // 5)
    invoices, settlements = build_leases(args.leases)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    print(
        f"built {Lease.objects.count():,} leases, {invoices:,} bills, {settlements:,} "
        f"settlements in {time.perf_counter() - start:.0f} s ({connection.vendor})"
    )
    park = Park.objects.order_by("code").first()
    assert park is not None
    past = TODAY - datetime.timedelta(days=200)
    cases: list[tuple[str, Callable[[], Any], Callable[[], Any], Callable[[Any, Any], bool]]] = [
        (
            "occupancy of the portfolio on a date",
            lambda: selectors.occupancy(Unit.objects.all(), TODAY),
            lambda: occupancy_sql(TODAY),
            lambda o, s: (o.leasable_area_m2, o.leased_area_m2) == s,
        ),
        (
            f"rent roll of one park ({park.code})",
            lambda: selectors.rent_roll(Lease.objects.filter(park=park), TODAY),
            lambda: rent_roll_sql(park.pk, TODAY),
            same_roll,
        ),
        (
            "arrears aging of the portfolio, today",
            lambda: selectors.arrears_aging(Invoice.objects.all(), TODAY),
            lambda: aging_sql(TODAY, from_settlements=False),
            _same_aging,
        ),
        (
            "arrears aging of the portfolio, 200 days ago",
            lambda: selectors.arrears_aging(Invoice.objects.all(), past),
            lambda: aging_sql(past, from_settlements=True),
            _same_aging,
        ),
    ]
    print(f"\n{'query':48} {'ORM':>10} {'SQL':>10}  ratio  rows")
    with mock.patch("django.utils.timezone.localdate", return_value=TODAY):
        for name, orm, sql, same in cases:
            t_orm, r_orm = median_time(orm, args.repeat)
            t_sql, r_sql = median_time(sql, args.repeat)
            assert same(r_orm, r_sql), f"{name}: the ORM and SQL figures differ"
            rows = len(r_sql) if isinstance(r_sql, list) else 1
            print(
                f"{name:48} {t_orm * 1000:8.1f}ms {t_sql * 1000:8.1f}ms "
                f"{t_orm / t_sql:5.2f}×  {rows}"
            )


if __name__ == "__main__":
    main()
