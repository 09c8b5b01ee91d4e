"""The portfolio dashboard at scale: every KPI over 100,000 tenants with three years of quarterly
statistics (1,200,000 filings), against one hand-written SQL query per KPI.

    python bench/analytics.py [--companies 100000] [--quarters 12] [--repeat 3]

Builds, in a throw-away database (a temporary SQLite file, or the PostgreSQL database named by
BENCH_DATABASE_URL), parks of 5,000 units (``unit_search.build_portfolio``), one company per
unit with a running lease of it, ``--quarters`` quarterly statistics periods each filed by
every company, and a verified qualification for one company in ten. Then times, each against
its floor, and prints the ratio and the number of queries:

- ``analytics.kpis.compute`` over every park (what the dashboard's cards and the API show), and
  the portfolio dashboard page itself (cards and charts), with the queries each issues;
- the same six figures through the registry, and (occupancy, tenants, people and IP from each company's latest filing, this
  year's money, qualified companies) in hand-written SQL, one query per KPI; the two must agree.
"""

from __future__ import annotations

import argparse
import datetime
import random
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from unit_search import build_portfolio, setup_django

TODAY = datetime.date(2026, 11, 27)  # fixed, so that runs compare


def build(companies: int, quarters: int) -> None:
    from analytics import synthetic
    from core.choices import Role
    from core.models import Operator
    from core.users import user_create
    from enterprises.choices import QualificationKind
    from enterprises.models import Enterprise, Qualification, StatFiling
    from leasing.models import Lease, LeaseUnit
    from spaces.models import Park, Unit

    rng = random.Random(11)
    build_portfolio(companies)
    staff = user_create(
        actor=None,
        username="bench",
        password="x-Bench-123",
        role=Role.OPERATOR,
        operator=Operator.objects.get(code="BENCH"),
    )
    operator = Operator.objects.get(code="BENCH")
    for park in Park.objects.all():  # the staff user sees every park
        park.staff.add(staff)
    units = list(Unit.objects.order_by("id").values_list("id", "park_id", "area_m2")[:companies])
    firms = Enterprise.objects.bulk_create(
        [
            Enterprise(name=f"北京测试{n}科技有限公司", credit_code=f"BENCH{n:013d}")
            for n in range(len(units))
        ],
        batch_size=5000,
    )
    start, end = datetime.date(2023, 1, 1), datetime.date(2028, 12, 31)
    leases = Lease.objects.bulk_create(
        [
            Lease(
                contract_no=f"B-{n}",
                enterprise=firm,
                park_id=park_id,
                state="active",
                start_on=start,
                end_on=end,
                rent_per_m2_day=Decimal("3.00"),
            )
            for n, (firm, (_unit, park_id, _area)) in enumerate(zip(firms, units, strict=True))
        ],
        batch_size=5000,
    )
    LeaseUnit.objects.bulk_create(
        [
            LeaseUnit(lease=lease, unit_id=unit, area_m2=area, start_on=start, end_on=end)
            for lease, (unit, _park, area) in zip(leases, units, strict=True)
        ],
        batch_size=5000,
    )
    Qualification.objects.bulk_create(
        [
            Qualification(
                enterprise=firm,
                kind=rng.choice(QualificationKind.values),
                level="national" if n % 20 == 0 else "",
                verified_at=datetime.datetime(2025, 1, 1, tzinfo=datetime.UTC),
            )
            for n, firm in enumerate(firms)
            if n % 10 == 0
        ],
        batch_size=5000,
    )
    for period in synthetic.quarters(operator, quarters):
        StatFiling.objects.bulk_create(
            [synthetic.filing(firm, period, n) for n, firm in enumerate(firms)], batch_size=10000
        )


SQL = {
    "occupancy_rate": """
        SELECT SUM(u.area_m2) FILTER (WHERE u.id IN (
            SELECT lu.unit_id FROM leasing_leaseunit lu JOIN leasing_lease l ON l.id = lu.lease_id
            WHERE lu.start_on <= %(day)s AND lu.end_on >= %(day)s
              AND l.state IN ('active', 'terminated', 'expired', 'renewed')))
          / SUM(u.area_m2)
        FROM spaces_unit u WHERE u.status <> 'not_leasable'""",
    "tenants": """
        SELECT COUNT(DISTINCT l.enterprise_id)
        FROM leasing_leaseunit lu JOIN leasing_lease l ON l.id = lu.lease_id
        WHERE lu.start_on <= %(day)s AND lu.end_on >= %(day)s
          AND l.state IN ('active', 'terminated', 'expired', 'renewed')""",
    "talents": """
        SELECT SUM(doctorates + masters + bachelors) FROM (
          SELECT f.doctorates, f.masters, f.bachelors, ROW_NUMBER() OVER (
            PARTITION BY f.enterprise_id ORDER BY p.ends_on DESC) AS rn
          FROM enterprises_statfiling f JOIN enterprises_statperiod p ON p.id = f.period_id
          WHERE f.state = 'filed' AND p.ends_on <= %(day)s) latest WHERE rn = 1""",
    "ip_items": """
        SELECT SUM(invention_patents + utility_models + designs + software_copyrights) FROM (
          SELECT f.invention_patents, f.utility_models, f.designs, f.software_copyrights,
                 ROW_NUMBER() OVER (PARTITION BY f.enterprise_id ORDER BY p.ends_on DESC) AS rn
          FROM enterprises_statfiling f JOIN enterprises_statperiod p ON p.id = f.period_id
          WHERE f.state = 'filed' AND p.ends_on <= %(day)s) latest WHERE rn = 1""",
    "output_value_yuan": """
        SELECT SUM(f.output_value_wan) * 10000
        FROM enterprises_statfiling f JOIN enterprises_statperiod p ON p.id = f.period_id
        WHERE f.state = 'filed' AND p.year = %(year)s AND p.kind = 'quarter'""",
    "unicorns": """
        SELECT COUNT(DISTINCT enterprise_id) FROM enterprises_qualification
        WHERE kind = 'unicorn' AND verified_at IS NOT NULL""",
}


def kpis_orm(keys: Any = None) -> dict[str, Any]:
    from analytics.kpis import Scope, compute
    from spaces.models import Park

    return compute(Scope(Park.objects.all(), TODAY), keys)


def dashboard_page() -> int:
    """The portfolio dashboard as staff of every park open it (cards and charts)."""
    from django.test import Client

    from core.models import User

    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(User.objects.get(username="bench"))
    response = client.get("/analytics/dashboard/", {"as_of": TODAY.isoformat()})
    assert response.status_code == 200, response.status_code
    return len(response.content)


def kpis_sql() -> dict[str, Any]:
    from django.db import connection

    out = {}
    params = {"day": TODAY, "year": TODAY.year}
    with connection.cursor() as cursor:
        for key, sql in SQL.items():
            cursor.execute(sql, params)
            out[key] = cursor.fetchone()[0]
    return out


def median_time(fn: Any, repeat: int) -> tuple[float, Any, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    samples, result, queries = [], None, 0
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as captured:
            start = time.perf_counter()
            result = fn()
            samples.append(time.perf_counter() - start)
        queries = len(captured.captured_queries)
    return statistics.median(samples), result, queries


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--companies", type=int, default=100_000)
    parser.add_argument("--quarters", type=int, default=12)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    setup_django()
    from django.db import connection

    start = time.perf_counter()
    build(args.companies, args.quarters)
    print(
        f"built {args.companies:,} tenants, {args.companies * args.quarters:,} filings "
        f"on {connection.vendor} in {time.perf_counter() - start:.1f} s"
    )
    orm_time, orm, queries = median_time(kpis_orm, args.repeat)
    page_time, _size, page_queries = median_time(dashboard_page, args.repeat)
    same_time, _same, same_queries = median_time(lambda: kpis_orm(SQL), args.repeat)
    sql_time, sql, sql_queries = median_time(kpis_sql, args.repeat)
    for key, value in sql.items():
        expected = Decimal(str(value or 0))
        got = Decimal(str(orm[key] or 0))
        tolerance = Decimal("0.0001") if key == "occupancy_rate" else Decimal(0)
        assert abs(expected - got) <= tolerance, (key, expected, got)
    print(f"every KPI ({len(orm)}), ORM:   {orm_time * 1000:9.1f} ms in {queries} queries")
    print(f"the dashboard page:          {page_time * 1000:9.1f} ms in {page_queries} queries")
    print(f"{len(SQL)} KPIs, ORM:             {same_time * 1000:9.1f} ms in {same_queries} queries")
    print(f"{len(SQL)} KPIs, hand-written SQL: {sql_time * 1000:9.1f} ms in {sql_queries} queries")
    print(f"ratio, the same {len(SQL)} KPIs (ORM ÷ SQL): {same_time / sql_time:.1f}x")


if __name__ == "__main__":
    main()
