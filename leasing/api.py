"""REST endpoints of leasing (``/api/v1/leasing/``): leases, their schedule, occupancy."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router, Schema

from core.api.auth import gate
from core.api.base import ERRORS, IsoDate, PathId, api_operation, get_or_404
from core.api.crud import Crud, register_crud
from core.permissions import get_restricted_or_404
from leasing import filters
from leasing.models import Lease
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
    state: str
    start_on: datetime.date
    end_on: datetime.date
    rent_per_m2_day: Decimal
    fee_per_m2_month: Decimal
    convention: str
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


class ScheduleOut(Schema):
    deposit: Decimal
    total_rent: Decimal
    total_fee: Decimal
    periods: list[PeriodOut]


class OccupancyQuery(Schema):
    park: str | None = Field(
        None, max_length=20, description="Park code; empty: every park you see"
    )
    date: IsoDate | None = Field(None, description="Default: today (Asia/Shanghai)")


class OccupancyOut(Schema):
    park: str | None
    date: datetime.date
    occupancy_rate: Decimal
    leasable_area_m2: Decimal
    leased_area_m2: Decimal


register_crud(
    router,
    "/leases/",
    Crud(
        Lease,
        LeaseOut,
        LeaseOut,
        LeaseOut,
        filters.LeaseFilter,
        None,
        None,
        None,
        order="-start_on",
        sortable=("start_on", "end_on"),
        select_related=("park",),
        read_only=True,
    ),
)


@router.get(
    "/leases/{id}/schedule",
    response={200: ScheduleOut, **ERRORS},
    summary="Rent schedule of a lease, exact to the 分",
    openapi_extra=api_operation(Lease, "view"),
    auth=gate(Lease, "view"),
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
    openapi_extra=api_operation(Park, "view"),
    auth=gate(Park, "view"),
)
def occupancy_on(request: HttpRequest, query: Query[OccupancyQuery]) -> Any:
    day = query.date or timezone.localdate()
    units = Unit.objects.filter(park__in=Park.objects.restrict(request.user))
    if query.park:
        park = get_restricted_or_404(Park, request.user, "view", code__iexact=query.park)
        units = units.filter(park=park)
    figures = occupancy(units, day)
    return {
        "park": query.park.upper() if query.park else None,
        "date": day,
        "occupancy_rate": figures.rate,
        "leasable_area_m2": figures.leasable_area_m2,
        "leased_area_m2": figures.leased_area_m2,
    }
