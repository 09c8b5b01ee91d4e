"""Reads of leasing: occupancy (出租率) at a date and by month, vacancies, expiries, the
rent roll (租金台账) and the arrears aging (欠费账龄). Each is a bounded number of queries,
whatever the size of the portfolio (bench/leasing.py times them against hand-written SQL)."""

from __future__ import annotations

import dataclasses
import datetime
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any

from django.db import connections
from django.db.models import (
    DateField,
    DecimalField,
    ExpressionWrapper,
    F,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from core.dates import add_months
from leasing.choices import AGING_BUCKETS, InvoiceKind, LeaseState, SettlementSource
from leasing.models import Invoice, Lease, LeaseUnit, RentFree, Settlement, overdue_q
from leasing.schedule import (
    CENT,
    YEAR_DAYS,
    Schedule,
    Terms,
    build_schedule,
    cents,
    shown_price,
)
from spaces.choices import UnitStatus
from spaces.models import Unit

__all__ = [
    "LIVE",
    "Occupancy",
    "PickableUnit",
    "RentRollRow",
    "arrears_aging",
    "collection",
    "days_vacant",
    "expiring_leases",
    "late_bill_count",
    "lease_schedule",
    "lease_timeline",
    "leased_spans_on",
    "months_between",
    "occupancy",
    "occupancy_series",
    "overdue_bills",
    "overdue_total",
    "rent_free_value",
    "rent_roll",
    "terms_of",
    "units_for_lease",
    "vacant_units",
]

ZERO = Value(Decimal("0.00"), output_field=DecimalField(max_digits=16, decimal_places=2))
LIVE = (LeaseState.ACTIVE, LeaseState.TERMINATED, LeaseState.EXPIRED, LeaseState.RENEWED)


@dataclass(frozen=True)
class Occupancy:
    leasable_area_m2: Decimal
    leased_area_m2: Decimal

    @property
    def rate(self) -> Decimal:
        if not self.leasable_area_m2:
            return Decimal("0")
        return (self.leased_area_m2 / self.leasable_area_m2).quantize(Decimal("0.0001"))


def leased_spans_on(day: datetime.date) -> QuerySet[LeaseUnit]:
    """Unit spans of signed leases that cover ``day`` (a draft is not an occupancy)."""
    return LeaseUnit.objects.filter(start_on__lte=day, end_on__gte=day, lease__state__in=LIVE)


def occupancy(units: QuerySet[Unit], day: datetime.date) -> Occupancy:
    """Over leasable units (not 'not leasable'); leased area counts the unit's own area, so
    the rate never exceeds 1 whatever area a contract states (two queries)."""
    leasable = units.exclude(status=UnitStatus.NOT_LEASABLE)
    total = leasable.aggregate(a=Coalesce(Sum("area_m2"), ZERO))["a"]
    leased = leasable.filter(Q(id__in=leased_spans_on(day).values("unit_id"))).aggregate(
        a=Coalesce(Sum("area_m2"), ZERO)
    )["a"]
    area = Decimal("0.01")  # the same figures on SQLite and PostgreSQL
    return Occupancy(Decimal(total).quantize(area), Decimal(leased).quantize(area))


def _whole(amount: Any) -> Decimal:
    """A summed amount as whole 分 (SQLite returns sums of decimals as floats)."""
    if isinstance(amount, Decimal):
        return amount.quantize(CENT)
    return Decimal(str(amount)).quantize(CENT)


def occupancy_series(
    units: QuerySet[Unit], months: int = 12, last: datetime.date | None = None
) -> list[tuple[datetime.date, Occupancy]]:
    """Occupancy on the last day of each of the ``months`` months up to ``last``."""
    last = last or timezone.localdate()
    first_of_next = add_months(last.replace(day=1), 1)
    days = [
        add_months(first_of_next, 1 - k) - datetime.timedelta(days=1) for k in range(months, 0, -1)
    ]
    days[-1] = min(days[-1], last)
    # two queries whatever the months: the leasable area once, and each month-end's leased
    # area as one filtered sum of a single pass over the units
    leasable = units.exclude(status=UnitStatus.NOT_LEASABLE)
    total = leasable.aggregate(a=Coalesce(Sum("area_m2"), ZERO))["a"]
    leased = leasable.aggregate(
        **{
            f"d{i}": Coalesce(
                Sum("area_m2", filter=Q(id__in=leased_spans_on(day).values("unit_id"))), ZERO
            )
            for i, day in enumerate(days)
        }
    )
    area = Decimal("0.01")  # the same figures on SQLite and PostgreSQL, as occupancy()
    return [
        (day, Occupancy(Decimal(total).quantize(area), Decimal(leased[f"d{i}"]).quantize(area)))
        for i, day in enumerate(days)
    ]


def vacant_units(units: QuerySet[Unit], day: datetime.date) -> QuerySet[Unit]:
    """Leasable units no signed lease covers on ``day``, with the last day one did
    (``last_leased``, None if never leased), longest vacant first."""
    past = Q(lease_units__end_on__lt=day, lease_units__lease__state__in=LIVE)
    return (
        units.exclude(status=UnitStatus.NOT_LEASABLE)
        .exclude(id__in=leased_spans_on(day).values("unit_id"))
        .annotate(last_leased=Max("lease_units__end_on", filter=past))
        .select_related("building", "park")
        .order_by(Coalesce("last_leased", "available_from").asc(nulls_first=True), "code")
    )


def days_vacant(unit: Unit, day: datetime.date) -> int:
    """Days since the last lease of a unit from ``vacant_units`` ended; for a unit never
    leased, since it became available (its available-from date, else when it was recorded)."""
    last_leased = getattr(unit, "last_leased", None)
    if last_leased:
        since = last_leased + datetime.timedelta(days=1)
    else:
        since = unit.available_from or unit.created_at.date()  # type: ignore[attr-defined]
    return max(0, (day - since).days)


def expiring_leases(
    leases: QuerySet[Lease], day: datetime.date, months: int = 12
) -> QuerySet[Lease]:
    """Signed leases running on ``day`` that end within ``months``, soonest first, with the
    renewal (successor) if one has been drafted."""
    return (
        leases.filter(
            state__in=(LeaseState.ACTIVE, LeaseState.RENEWED),
            terminated_on__isnull=True,
            end_on__gte=day,
            end_on__lte=add_months(day, months),
        )
        .select_related("enterprise", "park", "successor")
        .order_by("end_on", "contract_no")
    )


def _settled_by(day: datetime.date, sources: tuple[str, ...] | None = None) -> Subquery:
    settlements = Settlement.objects.filter(invoice=OuterRef("pk"), on__lte=day)
    if sources:
        settlements = settlements.filter(source__in=sources)
    return Subquery(
        settlements.values("invoice").annotate(s=Sum("amount")).values("s"),
        output_field=MONEY,
    )


MONEY: Any = DecimalField(max_digits=16, decimal_places=2)


def _open_on(invoices: QuerySet[Invoice], day: datetime.date) -> QuerySet[Invoice]:
    """Bills (not credit notes) issued by ``day`` with their amount still open on that day as
    ``open``. From today on, the kept ``settled`` is that figure (no payment is dated in the
    future), so only a past date needs the settlements summed."""
    bills = invoices.exclude(kind=InvoiceKind.CREDIT).filter(issued_on__lte=day)
    if day >= timezone.localdate():
        return bills.filter(settled__lt=F("amount")).annotate(open=F("amount") - F("settled"))
    return bills.annotate(open=F("amount") - Coalesce(_settled_by(day), ZERO)).filter(open__gt=0)


def _overdue_on(invoices: QuerySet[Invoice], day: datetime.date) -> QuerySet[Invoice]:
    return _open_on(invoices, day).filter(overdue_q(day))


def overdue_bills(invoices: QuerySet[Invoice], day: datetime.date) -> QuerySet[Invoice]:
    """Bills with an amount open past their due date on ``day`` (as ``open``)."""
    return _overdue_on(invoices, day)


def overdue_total(invoices: QuerySet[Invoice], day: datetime.date) -> Decimal:
    """All that is overdue on ``day`` (the aging's total, in one aggregate: the dashboard)."""
    return _whole(_overdue_on(invoices, day).aggregate(t=Coalesce(Sum("open"), ZERO))["t"])


def collection(
    invoices: QuerySet[Invoice], start: datetime.date, day: datetime.date
) -> tuple[Decimal, Decimal]:
    """Bills (not credit notes) due from ``start`` to ``day``: what they ask, and what was
    paid or offset on them by ``day`` (one query): the rent collection rate."""
    bills = invoices.exclude(kind=InvoiceKind.CREDIT).filter(due_on__gte=start, due_on__lte=day)
    row = bills.annotate(paid_by=Coalesce(_settled_by(day), ZERO)).aggregate(
        due=Coalesce(Sum("amount"), ZERO), paid=Coalesce(Sum("paid_by"), ZERO)
    )
    return _whole(row["due"]), _whole(row["paid"])


def arrears_aging(
    invoices: QuerySet[Invoice], day: datetime.date, by: str = "enterprise"
) -> list[dict]:
    """Open amounts on ``day`` per tenant (``by="enterprise"``) or per park, in the buckets
    not yet due, 1–30, 31–60, 61–90 and over 90 days past due, with the overdue part and the
    total; most overdue first (one query)."""
    group = {
        "enterprise": ("enterprise_id", "enterprise__name"),
        "park": ("park_id", "park__name"),
    }[by]
    open_bills = _open_on(invoices, day)
    buckets = {}
    for key, low, high in AGING_BUCKETS:
        window = Q()
        if low is not None:
            window &= Q(due_on__lte=day - datetime.timedelta(days=low))
        if high is not None:
            window &= Q(due_on__gte=day - datetime.timedelta(days=high))
        buckets[key] = Coalesce(Sum("open", filter=window), ZERO)
    buckets["overdue"] = Coalesce(Sum("open", filter=overdue_q(day)), ZERO)
    columns = (*group, *buckets, "total")
    query = (
        open_bills.values(*group)
        .annotate(**buckets, total=Sum("open"))
        .order_by("-overdue", "-total", group[1])
        .values_list(*columns)
    )
    # read off the cursor as tuples: at 28,000 tenants (bench/scale.py at scale 1) Django's
    # converter for each of the 200,000 sums cost more than the query itself
    sql, params = query.query.sql_with_params()
    with connections[query.db].cursor() as cursor:
        cursor.execute(sql, params)
        found = cursor.fetchall()
    if connections[query.db].vendor != "sqlite":  # sums of numeric(16, 2) and ZERO: 2 places
        return [dict(zip(columns, row, strict=True)) for row in found]
    sums = range(len(group), len(columns))
    return [  # SQLite sums decimals as floats: back to whole 分
        dict(zip(columns, (*row[: len(group)], *(_whole(row[i]) for i in sums)), strict=True))
        for row in found
    ]


@dataclass(frozen=True)
class RentRollRow:
    lease_id: int
    contract_no: str
    tenant: str
    start_on: datetime.date
    end_on: datetime.date
    units: str
    area_m2: Decimal
    price: Decimal  # 元/㎡/天 on the day, escalation included
    monthly_rent: Decimal
    monthly_fee: Decimal
    deposit: Decimal
    billed: Decimal
    received: Decimal
    months_left: int
    not_invoiced: Decimal = Decimal(0)  # billed (rent and fees) with no fapiao recorded yet

    @property
    def outstanding(self) -> Decimal:
        return self.billed - self.received

    @property
    def units_short(self) -> str:
        """ "A1-101 … A1-206 (12)" for a page; the workbook lists every unit."""
        codes = self.units.split("、")
        return self.units if len(codes) <= 3 else f"{codes[0]} … {codes[-1]} ({len(codes)})"


def rent_roll(leases: QuerySet[Lease], day: datetime.date) -> list[RentRollRow]:
    """The rent roll (租金台账) on ``day``: each signed lease running that day with its units,
    area, current price, monthly rent and fee, deposit held, billed, received and owed to
    date (four queries, whatever the number of leases; plain values, not model objects: a
    park's roll has thousands of rows)."""
    signed = leases.filter(state__in=LIVE, start_on__lte=day, end_on__gte=day).exclude(
        terminated_on__lte=day
    )
    running = signed.order_by("contract_no").values(
        "pk",
        "contract_no",
        "enterprise__name",
        "start_on",
        "end_on",
        "rent_per_m2_day",
        "fee_per_m2_month",
        "escalation_pct",
        "escalation_from_year",
    )
    # the sums grouped by lease, one query each, rather than four subqueries a lease: at
    # 2,000 leases a park (bench/scale.py at scale 1) 187 → 55 ms
    in_roll = signed.order_by().values("pk")
    deposit = Q(kind=InvoiceKind.DEPOSIT)
    billed = {
        row["lease_id"]: row
        for row in Invoice.objects.filter(lease__in=in_roll, issued_on__lte=day)
        .order_by()
        .values("lease_id")
        .annotate(
            billed=Sum("amount", filter=~deposit),
            not_invoiced=Sum(
                "amount", filter=Q(fapiao_no="") & ~deposit & ~Q(kind=InvoiceKind.CREDIT)
            ),
        )
    }
    paid = {
        row["invoice__lease_id"]: row
        for row in Settlement.objects.filter(
            invoice__lease__in=in_roll,
            on__lte=day,
            source__in=(SettlementSource.PAYMENT, SettlementSource.DEPOSIT),
        )
        .order_by()
        .values("invoice__lease_id")
        .annotate(
            received=Sum("amount", filter=~Q(invoice__kind=InvoiceKind.DEPOSIT)),
            deposit=Sum("amount", filter=Q(invoice__kind=InvoiceKind.DEPOSIT)),
        )
    }
    leases_by_id: dict[int, dict[str, Any]] = {lease["pk"]: dict(lease) for lease in running}
    for pk, lease in leases_by_id.items():  # a lease with no bill or payment yet: 0
        for sums in (billed.get(pk, {}), paid.get(pk, {})):
            lease.update({k: v or 0 for k, v in sums.items() if not k.endswith("lease_id")})
    spans: dict[int, list[tuple[str, Decimal]]] = {}
    for lease_id, code, span_area in (
        LeaseUnit.objects.filter(lease__in=in_roll, start_on__lte=day, end_on__gte=day)
        .order_by("unit__code")
        .values_list("lease_id", "unit__code", "area_m2")
    ):
        spans.setdefault(lease_id, []).append((code, span_area))
    rows = []
    for lease in leases_by_id.values():
        own = spans.get(lease["pk"], [])
        area = sum((a for _c, a in own), Decimal(0))
        terms = Terms(
            start=lease["start_on"],
            last_day=lease["end_on"],
            price=lease["rent_per_m2_day"],
            escalation_pct=lease["escalation_pct"],
            escalation_from_year=lease["escalation_from_year"],
        )
        price = terms.price_on(day)
        rows.append(
            RentRollRow(
                lease_id=lease["pk"],
                contract_no=lease["contract_no"],
                tenant=lease["enterprise__name"],
                start_on=lease["start_on"],
                end_on=lease["end_on"],
                units="、".join(c for c, _a in own),
                area_m2=area,
                price=shown_price(price),
                monthly_rent=cents(price * Fraction(area) * YEAR_DAYS / 12),
                monthly_fee=cents(lease["fee_per_m2_month"] * area),
                deposit=_whole(lease.get("deposit", 0)),
                billed=_whole(lease.get("billed", 0)),
                received=_whole(lease.get("received", 0)),
                not_invoiced=_whole(lease.get("not_invoiced", 0)),
                months_left=months_between(day, lease["end_on"]),
            )
        )
    return rows


def months_between(day: datetime.date, end: datetime.date) -> int:
    """Whole months from ``day`` to ``end`` (0 in the last month)."""
    months = (end.year - day.year) * 12 + end.month - day.month
    while months > 0 and add_months(day, months) > end:
        months -= 1
    return max(months, 0)


LATE_AFTER = datetime.timedelta(days=30)


def late_bill_count(enterprise_id: int, operator_id: int, day: datetime.date) -> int:
    """Times a company was more than 30 days behind in this operator's parks: bills settled
    more than 30 days after their due date, or still open more than 30 days after it. The
    admissions risk assessment's "arrears history" factor."""
    late_by = ExpressionWrapper(F("due_on") + LATE_AFTER, output_field=DateField())
    return (
        Invoice.objects.filter(
            enterprise_id=enterprise_id, park__operator_id=operator_id, due_on__lt=day - LATE_AFTER
        )
        .exclude(kind=InvoiceKind.CREDIT)
        .annotate(last_paid=Max("settlements__on"), late_by=late_by)
        .filter(Q(settled__lt=F("amount")) | Q(last_paid__gt=F("late_by")))
        .count()
    )


def terms_of(lease: Lease) -> Terms:
    """The schedule's terms of a lease: its price, conventions, unit spans and free days."""
    return Terms(
        start=lease.start_on,
        last_day=lease.last_day,
        price=lease.rent_per_m2_day,
        fee=lease.fee_per_m2_month,
        convention=lease.convention,
        escalation_pct=lease.escalation_pct,
        escalation_from_year=lease.escalation_from_year,
        cycle_months=lease.payment_cycle_months,
        deposit_months=lease.deposit_months,
        bill_days_ahead=lease.bill_days_ahead,
        spans=[(lu.start_on, lu.end_on, Decimal(lu.area_m2)) for lu in lease.lease_units.all()],
        free=[(f.start_on, f.end_on) for f in lease.rent_free.all()],
        changes=[
            (a.effective_on, a.rent_per_m2_day, a.fee_per_m2_month)
            for a in sorted(lease.amendments.all(), key=lambda a: a.effective_on)
        ],
    )


def rent_free_value(rent_free: RentFree) -> Decimal:
    """The rent a rent-free period gives up: the lease's rent without it minus with it, each
    under the lease's own convention (what a concession given for equity costs the park)."""
    terms = terms_of(rent_free.lease)
    without = dataclasses.replace(
        terms, free=[f for f in terms.free if f != (rent_free.start_on, rent_free.end_on)]
    )
    return build_schedule(without).total_rent - build_schedule(terms).total_rent


def lease_schedule(lease: Lease) -> Schedule:
    """The lease's rent schedule under its current terms (pure arithmetic on them)."""
    return build_schedule(terms_of(lease))


@dataclass(frozen=True)
class TimelineEvent:
    on: datetime.date
    kind: str  # start, units_added, units_returned, rent_free, amendment, reminder, terminated, end
    text: str


def lease_timeline(lease: Lease) -> list[TimelineEvent]:
    """What happened to a lease, by date, from its records: the term, unit changes,
    rent-free periods, amendments, collection notices and an early end."""
    from django.utils.translation import gettext as _

    events = [TimelineEvent(lease.start_on, "start", _("Lease starts"))]
    spans = list(lease.lease_units.select_related("unit").order_by("start_on", "unit__code"))
    for span in spans:
        if span.start_on > lease.start_on:
            events.append(
                TimelineEvent(
                    span.start_on,
                    "units_added",
                    _("Unit %(unit)s added (%(area)s m²)")
                    % {"unit": span.unit.code, "area": f"{span.area_m2:,.2f}"},
                )
            )
        if span.end_on < lease.last_day:
            events.append(
                TimelineEvent(
                    span.end_on + datetime.timedelta(days=1),
                    "units_returned",
                    _("Unit %(unit)s given back") % {"unit": span.unit.code},
                )
            )
    for free in lease.rent_free.all():
        events.append(
            TimelineEvent(
                free.start_on,
                "rent_free",
                _("Rent-free until %(end)s") % {"end": free.end_on.isoformat()},
            )
        )
    for amendment in lease.amendments.all():
        parts = []
        if amendment.rent_per_m2_day is not None:
            parts.append(_("rent %(price)s 元/m²/day") % {"price": amendment.rent_per_m2_day})
        if amendment.fee_per_m2_month is not None:
            parts.append(_("fee %(fee)s 元/m²/month") % {"fee": amendment.fee_per_m2_month})
        events.append(
            TimelineEvent(
                amendment.effective_on,
                "amendment",
                _("Amendment: %(what)s (%(reason)s)")
                % {"what": "、".join(parts), "reason": amendment.reason},
            )
        )
    from leasing.models import Reminder

    bill_numbers = set(lease.invoices.values_list("number", flat=True))
    for reminder in Reminder.objects.filter(
        enterprise_id=lease.enterprise_id, park_id=lease.park_id
    ):
        if any(b["number"] in bill_numbers for b in reminder.bills):
            events.append(
                TimelineEvent(
                    reminder.sent_on,
                    "reminder",
                    _("Collection notice %(number)s: %(amount)s 元 overdue")
                    % {"number": reminder.number, "amount": f"{reminder.overdue:,.2f}"},
                )
            )
    if lease.terminated_on:
        events.append(
            TimelineEvent(
                lease.terminated_on,
                "terminated",
                _("Terminated early: %(reason)s") % {"reason": lease.termination_reason},
            )
        )
    else:
        events.append(TimelineEvent(lease.end_on, "end", _("Lease ends")))
    order = {"start": 0, "end": 9, "terminated": 9}
    return sorted(events, key=lambda e: (e.on, order.get(e.kind, 5)))


@dataclass(frozen=True)
class PickableUnit:
    unit: Unit
    conflict: LeaseUnit | None  # a span of another lease over some of the dates

    @property
    def free(self) -> bool:
        return self.conflict is None


def units_for_lease(
    units: QuerySet[Unit],
    start: datetime.date | None,
    end: datetime.date | None,
    *,
    exclude_lease: int | None = None,
) -> list[PickableUnit]:
    """Leasable ``units`` for a lease from ``start`` to ``end``, each with the span of another
    lease (draft or signed: the database refuses overlaps of either) that takes some of those
    days, so that the form shows a conflict before saving (two queries)."""
    rows = list(
        units.exclude(status=UnitStatus.NOT_LEASABLE)
        .select_related("building", "floor")
        .order_by("building__code", "floor__number", "code")[:300]
    )
    conflicts: dict[int, LeaseUnit] = {}
    if start and end and start <= end:
        spans = LeaseUnit.objects.filter(
            unit__in=rows, start_on__lte=end, end_on__gte=start
        ).select_related("lease")
        if exclude_lease:
            spans = spans.exclude(lease_id=exclude_lease)
        for span in spans.order_by("start_on"):
            conflicts.setdefault(span.unit_id, span)
    return [PickableUnit(u, conflicts.get(u.pk)) for u in rows]
