"""A synthetic portfolio at a chosen scale, for benchmarks and load tests
(``manage.py gen_portfolio --scale S``); never mixed with an operator's real records.

At scale 1: 50 parks, 2,000 buildings of 10 floors, 200,000 units, 100,000 enterprises each
holding one five-year lease of one unit (100,000 leases), 20 quarterly bills a lease
(2,000,000 bills, most paid, some tenants behind), twelve quarters of statistics filed by every
tenant (1,200,000 filings), a qualification for one tenant in ten and an application for one
in twenty. Scale 0.01 is a hundredth of each, for quick runs.

It lives in analytics because analytics is the top layer: the one app that may know every
other app's tables. Rows go in through ``core.bulk.insert_instances`` (COPY on PostgreSQL,
one prepared statement on SQLite), in chunks, without the per-row services and audit: a
benchmark's data, consistent (every lease on a unit of its park, every bill inside its lease,
every settled amount a settlement) but written as fast as the database takes it.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import connection, transaction

from core.bulk import insert_instances

CODE = "SYN"  # the operator and jurisdiction every synthetic record hangs from
PASSWORD = "Synthetic-Portfolio-1"
TODAY = datetime.date(2026, 11, 28)  # fixed, so that runs compare
UNITS_A_BUILDING, FLOORS, BILLS_A_LEASE, QUARTERS = 100, 10, 20, 12
CHUNK = 20_000
RENT, FEE = Decimal("3.50"), Decimal("12.00")


@dataclass(frozen=True)
class Size:
    parks: int
    buildings: int
    enterprises: int

    @classmethod
    def at(cls, scale: float) -> Size:
        buildings = max(2, round(2000 * scale))
        return cls(
            parks=max(1, min(buildings, round(50 * scale))),
            buildings=buildings,
            enterprises=max(2, round(100_000 * scale)),
        )

    @property
    def units(self) -> int:
        return self.buildings * UNITS_A_BUILDING


def generate(scale: float, progress: Callable[[str], None] = lambda _m: None) -> dict[str, int]:
    """Build the portfolio (after removing an earlier synthetic one); the rows written, by kind."""
    size = Size.at(scale)
    if size.enterprises > size.units // 2:
        raise ValueError("a portfolio needs two units a tenant")
    remove()
    counts: dict[str, int] = {}
    with transaction.atomic():
        operator, district, users = _owners()
        parks = _spaces(size, operator, district, users["scale-operator"], counts)
        progress(f"{counts['units']:,} units in {len(parks)} parks")
        firms = _enterprises(size, counts)
        leases = _leases(firms, counts)
        progress(f"{counts['enterprises']:,} enterprises, {counts['leases']:,} leases")
    _bills(leases, counts)
    progress(f"{counts['bills']:,} bills, {counts['settlements']:,} settlements")
    with transaction.atomic():
        _statistics(operator, firms, counts)
        _admissions(firms, users["scale-operator"], counts)
    progress(f"{counts['filings']:,} filings, {counts['applications']:,} applications")
    if connection.vendor == "postgresql":
        # VACUUM sets the visibility map a live database's autovacuum keeps: without it, an
        # index-only scan of the open bills reads the table too (the aging, 637 → 334 ms). A
        # transaction (a test's) cannot vacuum: statistics alone there.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE")
    return counts


def remove() -> None:
    """Delete every synthetic record (children first: the models protect their parents)."""
    from admissions.models import Application
    from core.models import Jurisdiction, Operator, User
    from enterprises.models import Enterprise, Membership, Qualification, StatFiling, StatPeriod
    from leasing.models import Invoice, Lease, LeaseUnit, Settlement
    from spaces.models import Building, Floor, Park, Unit

    parks = Park.objects.filter(operator__code=CODE)
    firms = Enterprise.objects.filter(credit_code__startswith=CODE)
    # the many rows, deleted without loading them: nothing but synthetic rows points at them
    for big in (
        Settlement.objects.filter(invoice__park__in=parks),
        Invoice.objects.filter(park__in=parks),
        LeaseUnit.objects.filter(lease__park__in=parks),
        Lease.objects.filter(park__in=parks),
        Application.objects.filter(park__in=parks),
        StatFiling.objects.filter(enterprise__in=firms),
        Qualification.objects.filter(enterprise__in=firms),
        Unit.objects.filter(park__in=parks),
        Floor.objects.filter(building__park__in=parks),
        Building.objects.filter(park__in=parks),
    ):
        big._raw_delete(big.db)  # type: ignore[attr-defined]
    for few in (
        StatPeriod.objects.filter(operator__code=CODE),
        parks,
        Membership.objects.filter(user__username__startswith="scale-"),
        User.objects.filter(username__startswith="scale-"),
    ):
        few.delete()
    firms._raw_delete(firms.db)  # type: ignore[attr-defined]
    Operator.objects.filter(code=CODE).delete()
    Jurisdiction.objects.filter(code=CODE).delete()


def _chunks(rows: Iterator[Any]) -> Iterator[list[Any]]:
    chunk: list[Any] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) == CHUNK:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _insert(model: Any, rows: Iterator[Any], counts: dict[str, int], kind: str) -> list[Any]:
    """Insert in chunks; the rows with their keys (kept: their children need them)."""
    kept: list[Any] = []
    for chunk in _chunks(rows):
        insert_instances(model, chunk)
        kept.extend(chunk)
    counts[kind] = counts.get(kind, 0) + len(kept)
    return kept


def _owners() -> tuple[Any, Any, dict[str, Any]]:
    from core.choices import Role
    from core.models import Jurisdiction, Operator
    from core.users import user_create

    operator = Operator.objects.create(code=CODE, name="合成运营方")
    district = Jurisdiction.objects.create(code=CODE, name="合成区")
    scopes: list[tuple[str, Role, dict[str, Any]]] = [
        ("scale-operator", Role.OPERATOR, {"operator": operator}),
        ("scale-gov", Role.GOV, {"jurisdiction": district}),
        ("scale-fund", Role.FUND, {"operator": operator}),
    ]
    users = {
        name: user_create(actor=None, username=name, password=PASSWORD, role=role, **scope)
        for name, role, scope in scopes
    }
    return operator, district, users


def _spaces(size: Size, operator: Any, district: Any, staff: Any, counts: dict[str, int]) -> Any:
    from spaces.models import Building, Floor, Park, Unit

    parks = _insert(
        Park,
        (
            Park(
                code=f"{CODE}{p:02d}",
                name=f"合成园区{p:02d}",
                kind=("incubator", "innovation", "manufacturing")[p % 3],
                operator=operator,
                jurisdiction=district,
            )
            for p in range(size.parks)
        ),
        counts,
        "parks",
    )
    for park in parks:
        park.staff.add(staff)
    buildings = _insert(
        Building,
        (
            Building(park=parks[b % size.parks], code=f"B{b:04d}", name=f"{b}号楼", floors_above=10)
            for b in range(size.buildings)
        ),
        counts,
        "buildings",
    )
    floors = _insert(
        Floor,
        (Floor(building=b, number=n) for b in buildings for n in range(1, FLOORS + 1)),
        counts,
        "floors",
    )
    uses, per_floor = ("office", "lab", "workshop", "warehouse"), UNITS_A_BUILDING // FLOORS

    def units() -> Iterator[Any]:
        for f, floor in enumerate(floors):
            for u in range(per_floor):
                i = f * per_floor + u
                # the first half leasable and let (a tenant each), the rest mixed
                status = "leased" if i % 2 == 0 else ("vacant", "reserved", "not_leasable")[i % 3]
                yield Unit(
                    floor=floor,
                    building=floor.building,
                    park_id=floor.building.park_id,
                    code=f"{floor.number:02d}{u:02d}",
                    use=uses[i % 4],
                    area_m2=Decimal(50 + (i * 37) % 1500),
                    clear_height_m=Decimal(3 + (i * 7) % 10),
                    floor_load_kn_m2=Decimal(3 + i % 20),
                    power_kva=Decimal((i * 13) % 800),
                    list_rent=RENT,
                    status=status,
                )

    _insert(Unit, units(), counts, "units")
    return parks


def _enterprises(size: Size, counts: dict[str, int]) -> list[Any]:
    from core.choices import Role
    from core.users import user_create
    from enterprises.models import Enterprise

    firms = _insert(
        Enterprise,
        (
            Enterprise(name=f"合成{n:06d}科技有限公司", credit_code=f"{CODE}{n:015d}")
            for n in range(size.enterprises)
        ),
        counts,
        "enterprises",
    )
    user_create(
        actor=None,
        username="scale-tenant",
        password=PASSWORD,
        role=Role.TENANT,
        enterprise=firms[0],
    )
    return firms


def _leases(firms: list[Any], counts: dict[str, int]) -> list[Any]:
    """One five-year lease of one let unit a tenant, starting across five years."""
    from leasing.models import Lease, LeaseUnit
    from leasing.schedule import add_months
    from spaces.models import Park, Unit

    units = (
        Unit.objects.filter(park__in=Park.objects.filter(operator__code=CODE), status="leased")
        .order_by("id")
        .values_list("id", "park_id", "area_m2")
    )
    base = datetime.date(2021, 12, 1)
    pairs = list(zip(firms, units.iterator(), strict=False))

    def leases() -> Iterator[Any]:
        for i, (firm, (_unit, park_id, area)) in enumerate(pairs):
            start = base + datetime.timedelta(days=(i * 17) % 1800)
            end = add_months(start, 60) - datetime.timedelta(days=1)
            lease = Lease(
                contract_no=f"{CODE}-{i:06d}",
                enterprise=firm,
                park_id=park_id,
                state="active" if end >= TODAY else "expired",
                start_on=start,
                end_on=end,
                rent_per_m2_day=RENT,
                fee_per_m2_month=FEE,
            )
            lease.area = area  # type: ignore[attr-defined]  # for its bills, below
            yield lease

    made = _insert(Lease, leases(), counts, "leases")
    _insert(
        LeaseUnit,
        (
            LeaseUnit(
                lease=lease,
                unit_id=unit,
                area_m2=area,
                start_on=lease.start_on,
                end_on=lease.end_on,
            )
            for lease, (_firm, (unit, _park, area)) in zip(made, pairs, strict=True)
        ),
        counts,
        "lease_units",
    )
    return made


def _bills(leases: list[Any], counts: dict[str, int]) -> None:
    """20 quarterly bills a lease; bills due by TODAY are paid, except one lease in ten whose
    last year is unpaid and one in seven that paid half of its 13th bill."""
    from leasing.models import Invoice
    from leasing.schedule import add_months

    def bills() -> Iterator[Any]:
        for i, lease in enumerate(leases):
            amount = (RENT * lease.area * 91 + FEE * lease.area * 3).quantize(Decimal("0.01"))
            for k in range(BILLS_A_LEASE):
                due = add_months(lease.start_on, 3 * k)
                paid = due <= TODAY and (i % 10 != 0 or add_months(due, 12) <= TODAY)
                settled = amount if paid else Decimal(0)
                if i % 7 == 0 and k == 12 and due <= TODAY:
                    settled = (amount / 2).quantize(Decimal("0.01"))
                yield Invoice(
                    number=f"{lease.contract_no}-P{k + 1:02d}",
                    lease=lease,
                    enterprise_id=lease.enterprise_id,
                    park_id=lease.park_id,
                    kind="rent",
                    period_index=k + 1,
                    period_start=due,
                    period_end=add_months(lease.start_on, 3 * k + 3) - datetime.timedelta(days=1),
                    issued_on=due - datetime.timedelta(days=15),
                    due_on=due,
                    amount=amount,
                    settled=settled,
                )

    for chunk in _chunks(bills()):  # a transaction a chunk: 2,000,000 rows are not kept
        with transaction.atomic():
            insert_instances(Invoice, chunk)
        counts["bills"] = counts.get("bills", 0) + len(chunk)
    with transaction.atomic(), connection.cursor() as cursor:  # a settlement per paid bill
        cursor.execute(
            """INSERT INTO leasing_settlement (invoice_id, "on", amount, source)
               SELECT id, due_on, settled, 'payment' FROM leasing_invoice
               WHERE settled > 0 AND number LIKE %s""",
            [f"{CODE}-%"],
        )
        counts["settlements"] = cursor.rowcount


def _statistics(operator: Any, firms: list[Any], counts: dict[str, int]) -> None:
    """Twelve quarters filed by every tenant; a qualification for one tenant in ten."""
    from enterprises.choices import QualificationKind
    from enterprises.models import Qualification, StatFiling

    for period in quarters(operator, QUARTERS):
        _insert(
            StatFiling, (filing(firm, period, n) for n, firm in enumerate(firms)), counts, "filings"
        )
    kinds = QualificationKind.values
    _insert(
        Qualification,
        (
            Qualification(
                enterprise=firm,
                kind=kinds[n % len(kinds)],
                level="national" if n % 20 == 0 else "",
                verified_at=datetime.datetime(2025, 1, 1, tzinfo=datetime.UTC),
            )
            for n, firm in enumerate(firms)
            if n % 10 == 0
        ),
        counts,
        "qualifications",
    )


def quarters(operator: Any, count: int) -> list[Any]:
    """The operator's last ``count`` full quarters before TODAY, opened as statistics periods."""
    from enterprises.choices import StatPeriodKind
    from enterprises.models import StatPeriod

    last = TODAY.year * 4 + (TODAY.month - 1) // 3 - 1
    periods = []
    for index in range(last - count + 1, last + 1):
        year, q = divmod(index, 4)
        period = StatPeriod(operator=operator, kind=StatPeriodKind.QUARTER, year=year, number=q + 1)
        period.derive()
        period.due_on = period.ends_on
        period.save()
        periods.append(period)
    return periods


def filing(firm: Any, period: Any, n: int) -> Any:
    """The ``n``-th company's filing for ``period``: figures spread over the companies, its
    headcount moving a little from quarter to quarter."""
    from enterprises.choices import FilingState
    from enterprises.models import StatFiling

    index = period.year * 4 + period.number - 1
    return StatFiling(
        enterprise=firm,
        period=period,
        state=FilingState.FILED,
        headcount=(h := 20 + n % 200 + index % 7),
        doctorates=h // 20,
        masters=h // 5,
        bachelors=h // 2,
        returnees=h // 30,
        revenue_wan=Decimal(100 + n % 900),
        output_value_wan=Decimal(120 + n % 900),
        rd_spend_wan=Decimal(10 + n % 90),
        tax_paid_wan=Decimal(5 + n % 50),
        financing_wan=Decimal(0),
        invention_patents=n % 9,
        utility_models=n % 11,
        designs=n % 3,
        software_copyrights=n % 5,
    )


def _admissions(firms: list[Any], staff: Any, counts: dict[str, int]) -> None:
    """An application for one tenant in twenty (moving into a second park), in every state;
    at a small scale one in fewer, so that each column of the board is full (BOARD_CARDS) and
    the board compares like with like between scales (bench/scale.py)."""
    from admissions.choices import AppState, Channel
    from admissions.models import Application
    from admissions.selectors import BOARD_CARDS
    from spaces.models import Park

    parks = list(Park.objects.filter(operator__code=CODE).order_by("id"))
    states, channels = AppState.values, Channel.values
    every = max(1, min(20, len(firms) // (BOARD_CARDS * len(states) + 1)))
    _insert(
        Application,
        (
            Application(
                enterprise=firm,
                park=parks[n % len(parks)],
                channel=channels[n % len(channels)],
                state=states[n % len(states)],
                created_by=staff,
                area_min_m2=Decimal(200 + n % 800),
            )
            for n, firm in enumerate(firms[::every])  # n: the states in turn, whatever every is
        ),
        counts,
        "applications",
    )
