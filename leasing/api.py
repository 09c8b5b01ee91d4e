"""REST endpoints of leasing (``/api/v1/leasing/``): leases and their schedule, bills,
payments, occupancy (at a date and by month), the rent roll and the arrears aging."""

from __future__ import annotations

import datetime
from collections import defaultdict
from decimal import Decimal
from typing import Annotated, Any, Literal

from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from core.api.base import (
    ERRORS,
    DecimalIn,
    IsoDate,
    PathId,
    RowId,
    describe_fields,
    get_or_404,
    scoped,
)
from core.api.crud import Crud, check_references, register_crud
from core.api.reports import register_report
from core.permissions import can, get_restricted_or_404
from enterprises.models import Enterprise
from leasing import billing, collections, filters, services
from leasing.choices import (
    LEASE_FLOW,
    LEASE_TRANSITIONS,
    ChargeKind,
    Convention,
    FapiaoKind,
    FapiaoStatus,
    InvoiceKind,
    LeaseState,
    LineKind,
    PaymentMethod,
)
from leasing.models import (
    Invoice,
    InvoiceLine,
    Lease,
    LeaseAmendment,
    LeaseCharge,
    LeaseUnit,
    Payment,
    Reminder,
    Settlement,
    Transfer,
)
from leasing.reports import REPORTS
from leasing.selectors import occupancy
from leasing.services import lease_schedule
from spaces.models import Park, Unit

__all__ = ["router"]

router = Router(tags=["leasing"])

# the moves of a lease, published as an enum (how each is made: LeaseOut.actions)
LeaseAction = Literal[tuple(LEASE_TRANSITIONS)]  # type: ignore[valid-type]
Price = Annotated[Decimal, DecimalIn(ge=0, max_digits=8, decimal_places=2)]


class LeaseOut(Schema):
    id: int
    contract_no: str
    enterprise_id: int
    park_id: int
    park: str = Field(alias="park.code")
    state: LeaseState
    start_on: datetime.date
    end_on: datetime.date
    rent_per_m2_day: Decimal
    fee_per_m2_month: Decimal
    convention: Convention
    escalation_pct: Decimal
    escalation_from_year: int
    payment_cycle_months: int
    deposit_months: int
    terminated_on: datetime.date | None
    notes: str = Field(
        "", description="Notes, e.g. why units that miss an admission's requirements were agreed"
    )
    unit_ids: list[int] = Field(..., description="Ids of the units the lease has held")
    actions: list[LeaseAction] = Field(  # type: ignore[valid-type]
        ...,
        description="The moves the caller may make now: `activate` and `expire` by POST "
        "/transition, `terminate` by POST /terminate (with the date), `renew` by POST /renew",
    )

    @staticmethod
    def resolve_unit_ids(obj: Lease) -> list[int]:
        return sorted({span.unit_id for span in obj.lease_units.all()})

    @staticmethod
    def resolve_actions(obj: Lease, context: dict[str, Any]) -> list[str]:
        user = context["request"].user
        moves = LEASE_FLOW.allowed(user, obj)  # by role and state, without a query
        if not moves:
            return []
        may = getattr(obj, "may_change", None)  # set for a whole list page by _may_change
        return (
            [t.action for t in moves]
            if (may if may is not None else can(user, "change", obj))
            else []
        )


def _may_change(request: HttpRequest, leases: list[Lease]) -> None:
    """Which leases of a page the caller may change, in one query (not one a row)."""
    ids = {lease.pk for lease in leases}
    allowed = set(
        Lease.objects.restrict(request.user, "change")
        .filter(pk__in=ids)
        .values_list("pk", flat=True)
    )
    for lease in leases:
        lease.may_change = lease.pk in allowed  # type: ignore[attr-defined]


class PeriodOut(Schema):
    index: int
    start: datetime.date
    end: datetime.date
    bill_on: datetime.date
    due_on: datetime.date
    rent: Decimal
    fee: Decimal


describe_fields(
    PeriodOut,
    index="The period's number from 1 (0: the deposit)",
    start="First day of the period",
    end="Last day of the period",
    bill_on="Day its bill is issued",
    due_on="Day its bill is due",
    rent="Rent of the period in 元, exact to the 分",
    fee="Management fee of the period in 元",
)


class ScheduleOut(Schema):
    deposit: Decimal
    total_rent: Decimal
    total_fee: Decimal
    periods: list[PeriodOut]


describe_fields(
    ScheduleOut,
    deposit="The deposit in 元",
    total_rent="Rent of the whole term in 元",
    total_fee="Management fees of the whole term in 元",
    periods="The billing periods, first to last",
)


class ReportQuery(Schema):
    park_id: RowId | None = Field(None, description="Id of the park; empty: every park you see")
    park: str | None = Field(
        None, max_length=20, description="Park code: a readable alternative to `park_id`"
    )
    date: IsoDate | None = Field(None, description="Default: today (Asia/Shanghai)")


def _report_scope(request: HttpRequest, query: ReportQuery, model: Any) -> Any:
    qs = model.objects.restrict(request.user)
    if query.park_id:
        qs = qs.filter(park=get_restricted_or_404(Park, request.user, "view", pk=query.park_id))
    if query.park:
        park = get_restricted_or_404(Park, request.user, "view", code__iexact=query.park)
        qs = qs.filter(park=park)
    return qs


class OccupancyOut(Schema):
    park_id: int | None
    park: str | None
    date: datetime.date
    occupancy_rate: Decimal
    leasable_area_m2: Decimal
    leased_area_m2: Decimal


describe_fields(
    OccupancyOut,
    park_id="The park id asked for (null: not asked by id)",
    park="The park code asked for (null: not asked by code)",
    date="The day of the figures",
    occupancy_rate="Leased area ÷ leasable area, 0–1, not rounded",
    leasable_area_m2="Leasable area in m²",
    leased_area_m2="Area under signed leases on the day, in m²",
)


register_crud(
    router,
    "/leases",
    Crud.reads(
        Lease,
        LeaseOut,
        filters.LeaseFilter,
        order="-start_on",
        sortable=("start_on", "end_on"),
        select_related=("park",),
        # the unit ids only, sorted by the schema: unordered, not joined to the units
        prefetch_related=(Prefetch("lease_units", queryset=LeaseUnit.objects.order_by()),),
        prepare=_may_change,
    ),
)


class RentFreeIn(Schema):
    start_on: IsoDate
    end_on: IsoDate


describe_fields(RentFreeIn, start_on="First rent-free day", end_on="Last rent-free day")


class LeaseTerms(Schema):
    """Terms of a lease that a draft may change (PATCH) and a new lease states (POST)."""

    signed_on: IsoDate | None = None
    fee_per_m2_month: Price = Decimal("0")
    convention: Convention = Convention.DAILY
    escalation_pct: Annotated[Decimal, DecimalIn(ge=0, le=50, max_digits=5, decimal_places=2)] = (
        Decimal("0")
    )
    escalation_from_year: Annotated[int, Field(ge=2, le=50)] = 2
    deposit_months: Annotated[int, Field(ge=0, le=24)] = 1
    payment_cycle_months: Annotated[int, Field(ge=1, le=12)] = 3
    bill_days_ahead: Annotated[int, Field(ge=0, le=90)] = 15


class LeaseIn(LeaseTerms):
    contract_no: Annotated[str, Field(min_length=1, max_length=40)]
    enterprise_id: RowId
    park_id: RowId
    unit_ids: list[RowId] = Field(..., min_length=1, max_length=50)
    start_on: IsoDate
    end_on: IsoDate
    rent_per_m2_day: Price
    rent_free: list[RentFreeIn] = Field([], max_length=20)


describe_fields(
    LeaseIn,
    Lease,
    unit_ids="Ids of the units leased for the whole term (units of the park you manage)",
    rent_free="Rent-free periods within the term",
)


class LeasePatch(Schema):
    contract_no: Annotated[str, Field(min_length=1, max_length=40)] | None = None
    start_on: IsoDate | None = None
    end_on: IsoDate | None = None
    signed_on: IsoDate | None = None
    rent_per_m2_day: Price | None = None
    fee_per_m2_month: Price | None = None
    convention: Convention | None = None
    escalation_pct: (
        Annotated[Decimal, DecimalIn(ge=0, le=50, max_digits=5, decimal_places=2)] | None
    ) = None
    escalation_from_year: Annotated[int, Field(ge=2, le=50)] | None = None
    deposit_months: Annotated[int, Field(ge=0, le=24)] | None = None
    payment_cycle_months: Annotated[int, Field(ge=1, le=12)] | None = None
    bill_days_ahead: Annotated[int, Field(ge=0, le=90)] | None = None


describe_fields(LeasePatch, Lease)


def _units(request: HttpRequest, ids: list[int], field: str) -> list[Unit]:
    """The units named, each one the caller manages; else a 422 naming ``field``."""
    units = list(Unit.objects.restrict(request.user, "view").filter(pk__in=ids).order_by("pk"))
    if len(units) != len(set(ids)):
        raise ValidationError({field: [_("Choose units of a park you manage.")]})
    return units


@router.post(
    "/leases",
    response={201: LeaseOut, **ERRORS},
    summary="Create a draft lease of units",
    operation_id="lease_create",
    **scoped(
        Lease,
        "add",
        description="A draft lease of the units for the whole term, with its rent-free "
        "periods; nothing is billed until it is activated. 409 when a unit is already "
        "leased for some of the dates.",
    ),
)
def lease_create(request: HttpRequest, payload: LeaseIn) -> Any:
    data = payload.dict(exclude={"unit_ids", "rent_free"})
    check_references(Lease, data, request)
    units = _units(request, payload.unit_ids, "unit_ids")
    lease = services.lease_create(
        actor=request.user,
        lease=Lease(**data),
        units=units,
        rent_free=[(p.start_on, p.end_on) for p in payload.rent_free],
    )
    return Status(201, lease)


@router.patch(
    "/leases/{id}",
    response={200: LeaseOut, **ERRORS},
    summary="Change the terms of a draft lease",
    operation_id="lease_update",
    **scoped(
        Lease,
        "change",
        description="Change the terms given (the others keep theirs); only while the lease "
        "is a draft (409 after: a signed lease changes by amendment).",
    ),
)
def lease_update(request: HttpRequest, id: PathId, payload: LeasePatch) -> Any:
    lease = get_or_404(Lease, request, "change", id)
    data = payload.dict(exclude_unset=True)
    nulls = [k for k, v in data.items() if v is None and k != "signed_on"]
    if nulls:
        raise ValidationError(
            {k: [_("This field cannot be empty; leave it out to keep its value.")] for k in nulls}
        )
    lease = services.lease_update(actor=request.user, instance=lease, data=data)
    lease.refresh_from_db()
    return lease


def _lease_write(
    path: str, operation_id: str, summary: str, description: str, status: int = 200
) -> Any:
    """The declaration every write on one lease shares: ``POST /leases/{id}<path>``, for
    callers who may change the lease, answering the lease."""
    return router.post(
        f"/leases/{{id}}{path}",
        response={status: LeaseOut, **ERRORS},
        summary=summary,
        operation_id=operation_id,
        **scoped(Lease, "change", description=description),
    )


class LeaseTransitionIn(Schema):
    action: Literal["activate", "expire"] = Field(
        ..., description="activate a draft (bills start), or mark an ended lease expired"
    )
    comment: Annotated[str, Field(max_length=500)] = ""


describe_fields(LeaseTransitionIn, comment="Why, kept in the change log")


@_lease_write(
    "/transition",
    "lease_transition",
    "Activate a draft lease or mark an ended one expired",
    "Activating marks the units leased and issues the bills due today "
    "(the deposit first); 409 with code wrong_state or guard_failed when the lease's "
    "state or dates forbid the move.",
)
def lease_transition(request: HttpRequest, id: PathId, payload: LeaseTransitionIn) -> Any:
    lease = get_or_404(Lease, request, "change", id)
    return services.lease_transition(
        actor=request.user, lease=lease, action=payload.action, comment=payload.comment
    )


class TerminateIn(Schema):
    on: IsoDate = Field(..., description="The first day without rent (the units are free)")
    reason: Annotated[str, Field(min_length=1, max_length=300)]


describe_fields(TerminateIn, reason="Why the lease ends early, kept with the lease")


@_lease_write(
    "/terminate",
    "lease_terminate",
    "End an active lease early",
    "From `on` the units are free and no rent runs; bills already issued "
    "for later days are credited. 409 unless the lease is active and `on` in its term.",
)
def lease_terminate(request: HttpRequest, id: PathId, payload: TerminateIn) -> Any:
    lease = get_or_404(Lease, request, "change", id)
    return services.lease_terminate(
        actor=request.user, lease=lease, on=payload.on, reason=payload.reason
    )


class ChangeUnitsIn(Schema):
    on: IsoDate = Field(..., description="The day the change takes effect")
    add_unit_ids: list[RowId] = Field([], max_length=50)
    remove_unit_ids: list[RowId] = Field([], max_length=50)


describe_fields(
    ChangeUnitsIn,
    add_unit_ids="Units leased from `on` to the end of the term (扩租)",
    remove_unit_ids="Units of the lease given back from `on` (退租)",
)


@_lease_write(
    "/units",
    "lease_change_units",
    "Expand or contract an active lease from a date",
    "Bills already issued for the changed days are corrected by credit "
    "notes or supplementary bills. 409 when a unit is leased to someone else then, or "
    "the lease would keep no unit.",
)
def lease_change_units(request: HttpRequest, id: PathId, payload: ChangeUnitsIn) -> Any:
    lease = get_or_404(Lease, request, "change", id)
    return services.lease_change_units(
        actor=request.user,
        lease=lease,
        on=payload.on,
        add=_units(request, payload.add_unit_ids, "add_unit_ids"),
        remove=_units(request, payload.remove_unit_ids, "remove_unit_ids"),
    )


class RentFreeGrantIn(RentFreeIn):
    reason: Annotated[str, Field(min_length=1, max_length=300)]


describe_fields(RentFreeGrantIn, reason="Why the days are granted, kept in the change log")


@_lease_write(
    "/rent-free",
    "lease_grant_rent_free",
    "Grant a rent-free period on a signed lease",
    "Bills already issued for those days are credited; later bills charge "
    "less. 409 for a draft (give it in the lease) or days already rent-free.",
)
def lease_grant_rent_free(request: HttpRequest, id: PathId, payload: RentFreeGrantIn) -> Any:
    lease = get_or_404(Lease, request, "change", id)
    return services.lease_add_rent_free(
        actor=request.user,
        lease=lease,
        start=payload.start_on,
        end=payload.end_on,
        reason=payload.reason,
    )


class AmendmentIn(Schema):
    effective_on: IsoDate
    rent_per_m2_day: Price | None = None
    fee_per_m2_month: Price | None = None
    reason: Annotated[str, Field(min_length=1, max_length=300)]


describe_fields(AmendmentIn, LeaseAmendment)


@_lease_write(
    "/amendments",
    "lease_amend",
    "Amend the rent or the management fee of an active lease from a date",
    "A supplementary agreement (补充协议): periods not billed follow the new "
    "terms; each billed period they change gets a credit note or a supplementary bill. 409 "
    "unless the lease is active and the date within its term.",
)
def lease_amend(request: HttpRequest, id: PathId, payload: AmendmentIn) -> Any:
    lease = get_or_404(Lease, request, "change", id)
    services.lease_amend(
        actor=request.user, lease=lease, amendment=LeaseAmendment(**payload.dict())
    )
    lease.refresh_from_db()
    return lease


class ChargeIn(Schema):
    kind: ChargeKind
    description: Annotated[str, Field(min_length=1, max_length=200)]
    period_start: IsoDate
    period_end: IsoDate
    quantity: Annotated[Decimal, DecimalIn(ge=0, max_digits=14, decimal_places=3)]
    quantity_unit: Annotated[str, Field(max_length=20)] = ""
    unit_price: Annotated[Decimal, DecimalIn(ge=0, max_digits=12, decimal_places=4)]
    tax_rate_pct: Annotated[Decimal, DecimalIn(ge=0, le=20, max_digits=5, decimal_places=2)] = (
        Decimal("0")
    )
    source: Annotated[str, Field(max_length=80)] = ""


describe_fields(ChargeIn, LeaseCharge)


class ChargeOut(Schema):
    id: int
    lease_id: int
    kind: ChargeKind
    description: str
    period_start: datetime.date
    period_end: datetime.date
    quantity: Decimal
    quantity_unit: str
    unit_price: Decimal
    amount: Decimal
    tax_rate_pct: Decimal
    source: str
    invoice_id: int | None


describe_fields(ChargeOut, LeaseCharge, invoice_id="The bill it is a line of (null: the next one)")


@router.post(
    "/leases/{id}/charges",
    response={201: ChargeOut, **ERRORS},
    summary="Add another charge (electricity, water, equipment…) to a lease's next bill",
    operation_id="lease_charge",
    **scoped(
        Lease,
        "change",
        description="amount = quantity × unit price, rounded half-up to the 分 once; the "
        "charge becomes a line of the lease's next bill. 409 for a draft lease or a source "
        "record already charged.",
    ),
)
def lease_charge(request: HttpRequest, id: PathId, payload: ChargeIn) -> Any:
    lease = get_or_404(Lease, request, "change", id)
    return Status(201, billing.charge_add(actor=request.user, lease=lease, **payload.dict()))


register_crud(
    router,
    "/charges",
    Crud.reads(
        LeaseCharge,
        ChargeOut,
        filters.ChargeFilter,
        order="-period_start",
        sortable=("period_start",),
    ),
)


class RenewIn(LeaseTerms):
    contract_no: Annotated[str, Field(min_length=1, max_length=40)]
    end_on: IsoDate
    rent_per_m2_day: Price


describe_fields(RenewIn, Lease, end_on="Last day of the renewed term (it starts the day after)")


@_lease_write(
    "/renew",
    "lease_renew",
    "Renew a lease: a draft successor of the same units",
    "The successor starts the day after this lease ends, for the same "
    "tenant and units; activating it marks this lease renewed. 409 when it already has "
    "a renewal or cannot be renewed in its state.",
    status=201,
)
def lease_renew(request: HttpRequest, id: PathId, payload: RenewIn) -> Any:
    lease = get_or_404(Lease, request, "change", id)
    successor = Lease(**payload.dict())
    return Status(201, services.lease_renew(actor=request.user, lease=lease, successor=successor))


@router.get(
    "/leases/{id}/schedule",
    response={200: ScheduleOut, **ERRORS},
    summary="Rent schedule of a lease, exact to the 分",
    operation_id="lease_schedule",
    **scoped(Lease, "view"),
)
def schedule(request: HttpRequest, id: PathId) -> Any:
    lease = get_or_404(Lease, request, "view", id)
    plan = lease_schedule(lease)
    return {
        "deposit": plan.deposit,
        "total_rent": plan.total_rent,
        "total_fee": plan.total_fee,
        "periods": plan.periods,
    }


@router.get(
    "/occupancy",
    response={200: OccupancyOut, **ERRORS},
    summary="Occupancy by area of a park (or every park you see) on a date",
    operation_id="occupancy_get",
    **scoped(Unit, "view"),
)
def occupancy_on(request: HttpRequest, query: Query[ReportQuery]) -> Any:
    day = query.date or timezone.localdate()
    figures = occupancy(_report_scope(request, query, Unit), day)
    return {
        "park_id": query.park_id,
        "park": query.park.upper() if query.park else None,
        "date": day,
        "occupancy_rate": figures.rate,
        "leasable_area_m2": figures.leasable_area_m2,
        "leased_area_m2": figures.leased_area_m2,
    }


class LineOut(Schema):
    kind: LineKind
    description: str
    amount: Decimal


describe_fields(LineOut, InvoiceLine)


class InvoiceOut(Schema):
    id: int
    number: str
    lease_id: int
    enterprise_id: int
    park_id: int
    park: str = Field(alias="park.code")
    kind: InvoiceKind
    period_index: int | None
    period_start: datetime.date | None
    period_end: datetime.date | None
    issued_on: datetime.date
    due_on: datetime.date
    amount: Decimal
    settled: Decimal
    outstanding: Decimal
    corrects_id: int | None
    lines: list[LineOut]
    fapiao_status: FapiaoStatus = Field(..., description="未开票 / 已开票")
    fapiao_no: str
    fapiao_on: datetime.date | None
    fapiao_kind: FapiaoKind | None = Field(..., description="普票 / 专票; null until invoiced")

    @staticmethod
    def resolve_fapiao_kind(obj: Invoice) -> str | None:
        return obj.fapiao_kind or None

    @staticmethod
    def resolve_lines(obj: Invoice) -> Any:
        return obj.lines.all()


describe_fields(InvoiceOut, Invoice, outstanding="What is still owed on the bill, in 元")


register_crud(
    router,
    "/invoices",
    Crud.reads(
        Invoice,
        InvoiceOut,
        filters.InvoiceFilter,
        order="-due_on",
        sortable=("due_on", "issued_on"),
        select_related=("park",),
        prefetch_related=("lines",),
    ),
)


class FapiaoIn(Schema):
    fapiao_no: Annotated[str, Field(max_length=20)] = Field(
        ..., description="8 or 20 digits; empty clears the fapiao of the bill"
    )
    fapiao_on: IsoDate | None = Field(None, description="The date on the fapiao")
    fapiao_kind: FapiaoKind | None = Field(None, description="普票 (normal) or 专票 (special)")


@router.put(
    "/invoices/{id}/fapiao",
    response={200: InvoiceOut, **ERRORS},
    summary="Record the fapiao issued for a bill",
    operation_id="invoice_fapiao",
    **scoped(
        Invoice,
        "change",
        description="Sets the tax invoice (发票) of the bill: number, date and type; an empty "
        "number clears it. 422 naming the field for a malformed number or a future date.",
    ),
)
def invoice_fapiao(request: HttpRequest, id: PathId, payload: FapiaoIn) -> Any:
    invoice = get_or_404(Invoice, request, "change", id)
    billing.fapiao_record(
        actor=request.user,
        invoice=invoice,
        number=payload.fapiao_no,
        on=payload.fapiao_on,
        kind=payload.fapiao_kind or "",
    )
    invoice.refresh_from_db()
    return invoice


class PaymentOut(Schema):
    id: int
    receipt_no: str
    lease_id: int
    enterprise_id: int
    received_on: datetime.date
    amount: Decimal
    unapplied: Decimal
    method: PaymentMethod
    reference: str


class PaymentIn(Schema):
    lease_id: RowId
    received_on: IsoDate
    amount: Annotated[Decimal, DecimalIn(gt=0, max_digits=14, decimal_places=2)]
    method: PaymentMethod = PaymentMethod.TRANSFER
    reference: str = Field("", max_length=80)


describe_fields(PaymentIn, Payment)


register_crud(
    router,
    "/payments",
    Crud.reads(
        Payment,
        PaymentOut,
        filters.PaymentFilter,
        order="-received_on",
        sortable=("received_on",),
    ),
)


@router.post(
    "/payments",
    response={201: PaymentOut, **ERRORS},
    summary="Record a payment; it settles the lease's oldest open bills, the rest is credit",
    operation_id="payment_create",
    **scoped(Payment, "add"),
)
def payment_create(request: HttpRequest, payload: PaymentIn) -> Any:
    lease = Lease.objects.restrict(request.user, "change").filter(pk=payload.lease_id).first()
    if lease is None:
        raise ValidationError({"lease_id": [_("Choose a lease you manage.")]})
    payment = Payment(lease=lease, **payload.dict(exclude={"lease_id"}))
    return Status(201, billing.payment_record(actor=request.user, payment=payment))


class TransferPartOut(Schema):
    payment_id: int = Field(..., alias="id")
    lease_id: int
    receipt_no: str
    amount: Decimal
    unapplied: Decimal


describe_fields(
    TransferPartOut,
    Payment,
    payment_id="Id of the payment the part became",
    lease_id="Id of the lease it pays",
)


class SettledOut(Schema):
    invoice_id: int
    invoice_number: str = Field(alias="invoice.number")
    amount: Decimal


describe_fields(
    SettledOut,
    invoice_id="Id of the bill settled",
    invoice_number="Its number",
    amount="How much of it the transfer settled, in 元",
)


class TransferOut(Schema):
    id: int
    receipt_no: str
    enterprise_id: int
    enterprise: str = Field(alias="enterprise.name")
    received_on: datetime.date
    amount: Decimal
    method: PaymentMethod
    reference: str
    parts: list[TransferPartOut] = Field(..., description="One payment per lease")
    settled: list[SettledOut] = Field(..., description="The bills it settled, oldest due first")

    @staticmethod
    def resolve_parts(obj: Transfer) -> Any:
        return _parts_and_settled(obj)[0]

    @staticmethod
    def resolve_settled(obj: Transfer) -> Any:
        return _parts_and_settled(obj)[1]


def _parts_and_settled(transfer: Transfer) -> tuple[list[Any], list[Any]]:
    if not hasattr(transfer, "parts_and_settled"):
        _read_parts(None, [transfer])
    return transfer.parts_and_settled  # type: ignore[attr-defined,no-any-return]


def _read_parts(request: HttpRequest | None, transfers: list[Transfer]) -> None:
    """The payments and settled bills of a page of transfers, in two queries (not two a row)."""
    found: dict[int, tuple[list[Any], list[Any]]] = {t.pk: ([], []) for t in transfers}
    for payment in Payment.objects.filter(transfer__in=found).order_by("transfer_id", "lease_id"):
        found[payment.transfer_id][0].append(payment)  # type: ignore[index]
    settled = (
        Settlement.objects.filter(payment__transfer__in=found)
        .select_related("invoice", "payment")
        .order_by("invoice__due_on", "invoice_id")
    )
    for settlement in settled:
        found[settlement.payment.transfer_id][1].append(settlement)  # type: ignore[union-attr,index]
    for transfer in transfers:
        transfer.parts_and_settled = found[transfer.pk]  # type: ignore[attr-defined]


class ShareIn(Schema):
    lease_id: RowId
    amount: Annotated[Decimal, DecimalIn(gt=0, max_digits=14, decimal_places=2)]


describe_fields(ShareIn, lease_id="A signed lease of the tenant", amount="Its part, in 元")


class TransferIn(Schema):
    enterprise_id: RowId
    received_on: IsoDate
    amount: Annotated[Decimal, DecimalIn(gt=0, max_digits=14, decimal_places=2)]
    method: PaymentMethod = PaymentMethod.TRANSFER
    reference: str = Field("", max_length=80)
    shares: list[ShareIn] | None = Field(
        None,
        max_length=100,
        description="How to split it; empty: the leases' open bills, oldest due first, the "
        "rest as credit on the lease that started last",
    )


describe_fields(TransferIn, Transfer, enterprise_id="The tenant who paid")


register_crud(
    router,
    "/transfers",
    Crud.reads(
        Transfer,
        TransferOut,
        filters.TransferFilter,
        order="-received_on",
        sortable=("received_on",),
        select_related=("enterprise",),
        prepare=_read_parts,
    ),
)


@router.post(
    "/transfers",
    response={201: TransferOut, **ERRORS},
    summary="Record one transfer that pays several leases of a tenant",
    operation_id="transfer_create",
    **scoped(
        Transfer,
        "add",
        description="Splits the money into one payment per lease (oldest due bills first, or "
        "the shares given) and settles each lease; one receipt lists the bills settled. 422 "
        "when the shares do not add up to the amount or name another tenant's lease.",
    ),
)
def transfer_create(request: HttpRequest, payload: TransferIn) -> Any:
    check_references(Transfer, {"enterprise_id": payload.enterprise_id}, request)
    enterprise = Enterprise.objects.get(pk=payload.enterprise_id)
    shares: dict[int, Decimal] | None = None
    if payload.shares is not None:
        shares = defaultdict(Decimal)
        for share in payload.shares:
            shares[share.lease_id] += share.amount
    transfer = billing.transfer_record(
        actor=request.user,
        enterprise=enterprise,
        received_on=payload.received_on,
        amount=payload.amount,
        method=payload.method,
        reference=payload.reference,
        shares=shares,
    )
    return Status(201, transfer)


class CollectionOut(Schema):
    enterprise_id: int
    tenant: str
    park_id: int
    park: str
    bills: int
    overdue: Decimal
    oldest_due: datetime.date
    days_overdue: int
    last_reminder: datetime.date | None


describe_fields(
    CollectionOut,
    enterprise_id="Id of the tenant",
    tenant="Its name",
    park_id="Id of the park",
    park="Its name",
    bills="Overdue bills",
    overdue="What is overdue, in 元",
    oldest_due="Due date of the oldest overdue bill",
    days_overdue="Days past that date",
    last_reminder="Date of the last collection notice (null: none yet)",
)


class CollectionPage(Schema):
    items: list[CollectionOut]
    next: str | None = None


describe_fields(CollectionPage, items="Most overdue first", next="Always null: one page")


@router.get(
    "/collections",
    response={200: CollectionPage, **ERRORS},
    summary="Tenants with overdue bills, park by park",
    operation_id="collection_list",
    **scoped(
        Invoice,
        "view",
        description="Per tenant and park: overdue bills today (a bill is overdue from the day "
        "after its due date), the oldest due date and the last collection notice.",
    ),
)
def collection_list(request: HttpRequest) -> Any:
    today = timezone.localdate()
    rows = collections.collection_rows(Invoice.objects.restrict(request.user), today)
    return {"items": [{**r.__dict__, "days_overdue": r.days_overdue(today)} for r in rows]}


class ReminderOut(Schema):
    id: int
    number: str
    enterprise_id: int
    park_id: int
    sent_on: datetime.date
    overdue: Decimal
    pay_by: datetime.date
    bills: list[dict[str, Any]]


describe_fields(
    ReminderOut,
    Reminder,
    bills="The bills listed: invoice_id, number, contract_no, due_on, days, outstanding",
)


class ReminderIn(Schema):
    enterprise_id: RowId
    park_id: RowId


describe_fields(ReminderIn, enterprise_id="The tenant", park_id="The park of its overdue bills")


register_crud(
    router,
    "/reminders",
    Crud.reads(
        Reminder, ReminderOut, filters.ReminderFilter, order="-sent_on", sortable=("sent_on",)
    ),
)


@router.post(
    "/reminders",
    response={201: ReminderOut, **ERRORS},
    summary="Send a collection notice to a tenant",
    operation_id="reminder_create",
    **scoped(
        Reminder,
        "add",
        description="A 催缴通知书 for the tenant's overdue bills in the park today: kept with "
        "the bills listed, sent to the tenant's users, logged on each lease. 409 when nothing "
        "is overdue.",
    ),
)
def reminder_create(request: HttpRequest, payload: ReminderIn) -> Any:
    reminder = collections.reminder_send(
        actor=request.user, enterprise_id=payload.enterprise_id, park_id=payload.park_id
    )
    return Status(201, reminder)


class IssueOut(Schema):
    issued: list[InvoiceOut]


describe_fields(IssueOut, issued="The bills issued now")


@router.post(
    "/leases/{id}/issue",
    response={200: IssueOut, **ERRORS},
    summary="Issue every bill of a lease that is due to be issued today",
    operation_id="lease_issue",
    **scoped(Lease, "change"),
)
def issue(request: HttpRequest, id: PathId) -> Any:
    lease = get_or_404(Lease, request, "change", id)
    return {
        "issued": billing.invoices_issue(actor=request.user, lease=lease, on=timezone.localdate())
    }


# The reports' operations come from their definitions (leasing.reports), as their pages do.
for _path, _report in zip(
    ("/rent-roll", "/aging", "/expiries", "/vacancy", "/occupancy/series"), REPORTS, strict=True
):
    register_report(router, _path, _report)
