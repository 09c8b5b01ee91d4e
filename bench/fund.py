"""Fund metrics on a large fund: 2,000 investments and 50,000 cash flows.

    python bench/fund.py [--investments 2000] [--lp-flows 43000] [--repeat 5]

Builds, in a throw-away database (a temporary SQLite file, or the PostgreSQL database named by
BENCH_DATABASE_URL), one fund with 100 LPs and ``--lp-flows`` calls and distributions,
``--investments`` investments (a fifth of them follow-ons), three marks a holding and an exit
for one holding in ten: about 50,000 dated flows. Then times ``fund.selectors.fund_metrics``
(what the fund page, the API and ``fund_report`` run) against one hand-written SQL query for
the same NAV plus the same XIRR (fund.metrics.xirr) on the LP flows it reads, checks that both
give the same NAV, TVPI and XIRR, and prints the median times and their ratio.
"""

from __future__ import annotations

import argparse
import datetime
import math
import random
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from unit_search import setup_django

AS_OF = datetime.date(2026, 11, 28)  # fixed, so that runs compare
START = datetime.date(2019, 1, 1)
D = Decimal

NAV_SQL = """
WITH tranches AS (
    SELECT COALESCE(t.follow_on_of_id, t.id) AS root, t.invested_on, t.amount,
           t.amount + t.concession_value AS cost
    FROM fund_investment t WHERE t.fund_id = %(fund)s AND t.invested_on <= %(day)s
),
exited AS (
    SELECT e.investment_id AS root, e.proceeds FROM fund_exit e
    WHERE e.fund_id = %(fund)s AND e."on" <= %(day)s
),
marks AS (
    SELECT v.investment_id AS root, v."on" AS marked_on, v.fair_value,
           ROW_NUMBER() OVER (PARTITION BY v.investment_id ORDER BY v."on" DESC, v.id DESC) AS n
    FROM fund_valuation v WHERE v.fund_id = %(fund)s AND v."on" <= %(day)s
),
live AS (
    SELECT r.root,
           CASE WHEN m.root IS NULL THEN (SELECT SUM(t.cost) FROM tranches t WHERE t.root = r.root)
                ELSE m.fair_value + COALESCE((SELECT SUM(t.cost) FROM tranches t
                                              WHERE t.root = r.root AND t.invested_on > m.marked_on), 0)
           END AS value
    FROM (SELECT DISTINCT root FROM tranches) r
    LEFT JOIN marks m ON m.root = r.root AND m.n = 1
    WHERE r.root NOT IN (SELECT root FROM exited)
)
SELECT
    (SELECT COALESCE(SUM(amount), 0) FROM fund_ledgerentry WHERE fund_id = %(fund)s AND "on" <= %(day)s AND kind = 'call'),
    (SELECT COALESCE(SUM(amount), 0) FROM fund_ledgerentry WHERE fund_id = %(fund)s AND "on" <= %(day)s AND kind = 'distribution'),
    (SELECT COALESCE(SUM(amount), 0) FROM fund_fundexpense WHERE fund_id = %(fund)s AND "on" <= %(day)s),
    (SELECT COALESCE(SUM(amount), 0) FROM tranches),
    (SELECT COALESCE(SUM(proceeds), 0) FROM exited),
    (SELECT COALESCE(SUM(value), 0) FROM live)
"""


def build_fund(investments: int, lp_flows: int) -> Any:
    """One fund and its records, written with bulk inserts (no services: a benchmark's data)."""
    from core.models import Operator
    from enterprises.models import Enterprise
    from fund.models import (
        Exit,
        Fund,
        FundExpense,
        Investment,
        LedgerEntry,
        LimitedPartner,
        Valuation,
    )

    rng = random.Random(7)
    operator = Operator.objects.create(code="BENCH", name="基准运营方")
    fund = Fund.objects.create(
        operator=operator,
        code="BENCH",
        name="基准基金",
        vintage=2019,
        first_close_on=START,
        committed=D(10) ** 12,
    )
    lps = LimitedPartner.objects.bulk_create(
        LimitedPartner(fund=fund, name=f"LP{n:03d}", kind="institution", commitment=D(10) ** 10)
        for n in range(100)
    )
    days = (AS_OF - START).days
    LedgerEntry.objects.bulk_create(
        (
            LedgerEntry(
                lp=lps[n % 100],
                fund=fund,
                kind="call" if n % 4 else "distribution",
                on=START + datetime.timedelta(days=rng.randrange(days)),
                amount=D(rng.randrange(100_000, 5_000_000)),
            )
            for n in range(lp_flows)
        ),
        batch_size=5000,
    )
    FundExpense.objects.bulk_create(
        FundExpense(
            fund=fund,
            kind="management_fee",
            on=START + datetime.timedelta(days=365 * y),
            amount=D(20_000_000),
        )
        for y in range(1, 8)
    )
    roots = investments * 4 // 5
    companies = Enterprise.objects.bulk_create(
        (Enterprise(name=f"基准企业{n:05d}", credit_code=f"BENCH{n:013d}") for n in range(roots)),
        batch_size=5000,
    )
    firsts = Investment.objects.bulk_create(
        (
            Investment(
                fund=fund,
                enterprise=c,
                round="a",
                invested_on=START + datetime.timedelta(days=rng.randrange(days // 2)),
                amount=D(rng.randrange(1, 50)) * D(1_000_000),
                pre_money=D(100_000_000),
                post_money=D(150_000_000),
                ownership_pct=D(10),
            )
            for c in companies
        ),
        batch_size=5000,
    )
    Investment.objects.bulk_create(
        (
            Investment(
                fund=fund,
                enterprise=f.enterprise,
                follow_on_of=f,
                round="b",
                invested_on=f.invested_on + datetime.timedelta(days=rng.randrange(1, days // 2)),
                amount=D(rng.randrange(1, 20)) * D(1_000_000),
                pre_money=D(300_000_000),
                post_money=D(350_000_000),
                ownership_pct=D(5),
            )
            for f in firsts[: investments - roots]
        ),
        batch_size=5000,
    )
    Valuation.objects.bulk_create(
        (
            Valuation(
                investment=f,
                fund=fund,
                on=f.invested_on + datetime.timedelta(days=200 * (k + 1)),
                method="latest_round",
                fair_value=f.amount * D(rng.randrange(50, 400)) / 100,
            )
            for f in firsts
            for k in range(3)
            if f.invested_on + datetime.timedelta(days=200 * (k + 1)) < AS_OF
        ),
        batch_size=5000,
    )
    Exit.objects.bulk_create(
        Exit(
            investment=f,
            fund=fund,
            kind="trade_sale",
            on=AS_OF - datetime.timedelta(days=30),
            proceeds=f.amount * 3,
        )
        for f in firsts[::10]
    )
    return fund


def by_sql(fund: Any) -> tuple[Decimal, Decimal | None, float | None]:
    """NAV, TVPI and XIRR from one SQL aggregation plus one read of the LP flows."""
    from django.db import connection

    from fund.metrics import xirr

    params = {"fund": fund.pk, "day": AS_OF}
    with connection.cursor() as cursor:
        cursor.execute(NAV_SQL, params)
        called, distributed, expenses, cash_and_cost, proceeds, value = (
            D(str(v)) for v in cursor.fetchone()
        )
        cursor.execute(
            'SELECT "on", kind, amount FROM fund_ledgerentry WHERE fund_id = %(fund)s AND "on" <= %(day)s',
            params,
        )
        flows = [
            (
                on if isinstance(on, datetime.date) else datetime.date.fromisoformat(on),
                D(str(a)) * (-1 if k == "call" else 1),
            )
            for on, k, a in cursor.fetchall()
        ]
    # no rent for equity in this fund: the tranches' cost is all cash
    nav = value + called - cash_and_cost - expenses + proceeds - distributed
    tvpi = (distributed + nav) / called if called else None
    return nav, tvpi, xirr([*flows, (AS_OF, nav)])


def timed(run: Any, repeat: int) -> tuple[float, Any]:
    samples, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = run()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--investments", type=int, default=2000)
    parser.add_argument("--lp-flows", type=int, default=43000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    setup_django()
    from django.db import connection

    from fund.models import Exit, Investment, LedgerEntry, Valuation
    from fund.selectors import fund_metrics

    start = time.perf_counter()
    fund = build_fund(args.investments, args.lp_flows)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    flows = sum(
        m.objects.filter(fund=fund).count() for m in (LedgerEntry, Investment, Valuation, Exit)
    )
    print(
        f"built on {connection.vendor}: {Investment.objects.count()} investments, {flows} dated records in {time.perf_counter() - start:.1f} s"
    )
    orm_time, figures = timed(lambda: fund_metrics(fund, AS_OF), args.repeat)
    sql_time, (nav, tvpi, rate) = timed(lambda: by_sql(fund), args.repeat)
    assert figures.nav == nav, (figures.nav, nav)
    assert figures.tvpi == tvpi, (figures.tvpi, tvpi)
    # the same flows summed in another order: equal to the last bits of a float
    assert (
        figures.xirr is not None
        and rate is not None
        and math.isclose(figures.xirr, rate, rel_tol=1e-9)
    )
    print(
        f"NAV {figures.nav:,.2f}  TVPI {figures.tvpi:.4f}  XIRR {figures.xirr:.6f}: the same both ways"
    )
    print(f"{'fund_metrics (page, API, fund_report)':<42}{orm_time * 1000:>9.0f} ms")
    print(f"{'one SQL aggregation + the same XIRR':<42}{sql_time * 1000:>9.0f} ms")
    print(f"{'ratio':<42}{orm_time / sql_time:>9.1f} x")


if __name__ == "__main__":
    main()
