"""REST endpoints of leasing (``/api/v1/leasing/``): leases and their schedule, bills,
payments, occupancy (at a date and by month), the rent roll and the arrears aging."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Annotated, Any

from django.core.exceptions import ValidationError
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
from core.api.crud import Crud, register_crud
from core.api.reports import register_report
from core.permissions import get_restricted_or_404
from leasing import billing, filters
from leasing.choices import Convention, InvoiceKind, LeaseState, LineKind, PaymentMethod
from leasing.models import Invoice, InvoiceLine, Lease, Payment
from leasing.reports import REPORTS
from leasing.selectors import occupancy
from leasing.services import lease_schedule
from spaces.models import Park, Unit

__all__ = ["router"]

router = Router(tags=["leasing"])


class LeaseOut(Schema):
    id: int
    contract_no: str
    enterprise_id: int
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
    park: str | None = Field(
        None, max_length=20, description="Park code; empty: every park you see"
    )
    date: IsoDate | None = Field(None, description="Default: today (Asia/Shanghai)")


def _report_scope(request: HttpRequest, query: ReportQuery, model: Any) -> Any:
    qs = model.objects.restrict(request.user)
    if query.park:
        park = get_restricted_or_404(Park, request.user, "view", code__iexact=query.park)
        qs = qs.filter(park=park)
    return qs


class OccupancyOut(Schema):
    park: str | None
    date: datetime.date
    occupancy_rate: Decimal
    leasable_area_m2: Decimal
    leased_area_m2: Decimal


describe_fields(
    OccupancyOut,
    park="The park code asked for (null: every park the caller sees)",
    date="The day of the figures",
    occupancy_rate="Leased area ÷ leasable area, 0–1, not rounded",
    leasable_area_m2="Leasable area in m²",
    leased_area_m2="Area under signed leases on the day, in m²",
)


register_crud(
    router,
    "/leases/",
    Crud.reads(
        Lease,
        LeaseOut,
        filters.LeaseFilter,
        order="-start_on",
        sortable=("start_on", "end_on"),
        select_related=("park",),
    ),
)


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
    **scoped(Park, "view"),
)
def occupancy_on(request: HttpRequest, query: Query[ReportQuery]) -> Any:
    day = query.date or timezone.localdate()
    figures = occupancy(_report_scope(request, query, Unit), day)
    return {
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

    @staticmethod
    def resolve_lines(obj: Invoice) -> Any:
        return obj.lines.all()


describe_fields(InvoiceOut, Invoice, outstanding="What is still owed on the bill, in 元")


register_crud(
    router,
    "/invoices/",
    Crud.reads(
        Invoice,
        InvoiceOut,
        filters.InvoiceFilter,
        order="-due_on",
        sortable=("due_on", "issued_on"),
        select_related=("park",),
    ),
)


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
    "/payments/",
    Crud.reads(
        Payment,
        PaymentOut,
        filters.PaymentFilter,
        order="-received_on",
        sortable=("received_on",),
    ),
)


@router.post(
    "/payments/",
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
