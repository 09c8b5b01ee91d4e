"""REST endpoints of utilities (``/api/v1/utilities/``): tariffs and their rates, meters and
their shares, readings (recorded through the same service as the walk page, which bills the
interval they close) and the charge lines they produced."""

# No `from __future__ import annotations`: ninja reads the signatures at run time.

import datetime
from decimal import Decimal
from typing import Annotated, Any

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status

from core.api.base import ERRORS, DecimalIn, IsoDate, describe_fields, scoped
from core.api.crud import Crud, register_crud
from utilities import filters, services
from utilities.choices import Allocation, MeterKind, ReadingReason, TariffStructure
from utilities.models import Meter, MeterShare, Reading, Tariff, TariffRate, UtilitySettings

__all__ = ["router"]

router = Router(tags=["utilities"])

Price = Annotated[Decimal, DecimalIn(ge=0, max_digits=10, decimal_places=4)]
Quantity = Annotated[Decimal, DecimalIn(ge=0, max_digits=14, decimal_places=3)]
Pct = Annotated[Decimal, DecimalIn(ge=0, le=100, max_digits=6, decimal_places=3)]
TaxPct = Annotated[Decimal, DecimalIn(ge=0, le=20, max_digits=5, decimal_places=2)]
Multiplier = Annotated[Decimal, DecimalIn(gt=0, max_digits=10, decimal_places=2)]
Factor = Annotated[Decimal, DecimalIn(ge=1, max_digits=5, decimal_places=2)]
Hours = Annotated[str, Field(max_length=60)]


class UtilitySettingsOut(Schema):
    id: int
    operator_id: int
    bill_apart: bool


class UtilitySettingsIn(Schema):
    operator_id: int | None = Field(None, description="The admin names it; staff's is their own")
    bill_apart: bool = False


class UtilitySettingsPatch(Schema):
    bill_apart: bool | None = None


register_crud(
    router,
    "/settings",
    Crud(
        UtilitySettings,
        UtilitySettingsOut,
        UtilitySettingsIn,
        UtilitySettingsPatch,
        filters.SettingsFilter,
        services.record_create,
        services.record_update,
        services.record_delete,
    ),
)


class TariffOut(Schema):
    id: int
    operator_id: int
    name: str
    kind: MeterKind
    structure: TariffStructure
    peak_hours: str
    valley_hours: str
    tax_rate_pct: Decimal


class TariffIn(Schema):
    operator_id: int | None = Field(None, description="The admin names it; staff's is their own")
    name: Annotated[str, Field(min_length=1, max_length=60)]
    kind: MeterKind
    structure: TariffStructure = TariffStructure.FLAT
    peak_hours: Hours = ""
    valley_hours: Hours = ""
    tax_rate_pct: TaxPct = Decimal("13")


class TariffPatch(Schema):
    name: Annotated[str, Field(min_length=1, max_length=60)] | None = None
    peak_hours: Hours | None = None
    valley_hours: Hours | None = None
    tax_rate_pct: TaxPct | None = None


register_crud(
    router,
    "/tariffs",
    Crud(
        Tariff,
        TariffOut,
        TariffIn,
        TariffPatch,
        filters.TariffFilter,
        services.record_create,
        services.record_update,
        services.record_delete,
        order="name",
    ),
)


class TariffRateOut(Schema):
    id: int
    tariff_id: int
    valid_from: datetime.date
    price: Decimal
    peak_price: Decimal | None
    valley_price: Decimal | None
    tier1_upto: Decimal | None
    tier2_price: Decimal | None
    tier2_upto: Decimal | None
    tier3_price: Decimal | None


class TariffRateIn(Schema):
    tariff_id: int
    valid_from: IsoDate
    price: Price
    peak_price: Price | None = None
    valley_price: Price | None = None
    tier1_upto: Quantity | None = None
    tier2_price: Price | None = None
    tier2_upto: Quantity | None = None
    tier3_price: Price | None = None


class TariffRatePatch(Schema):
    price: Price | None = None
    peak_price: Price | None = None
    valley_price: Price | None = None
    tier1_upto: Quantity | None = None
    tier2_price: Price | None = None
    tier2_upto: Quantity | None = None
    tier3_price: Price | None = None


register_crud(
    router,
    "/tariff-rates",
    Crud(
        TariffRate,
        TariffRateOut,
        TariffRateIn,
        TariffRatePatch,
        filters.TariffRateFilter,
        services.record_create,
        services.record_update,
        services.record_delete,
        order="valid_from",
    ),
)


class MeterOut(Schema):
    id: int
    park_id: int
    building_id: int
    code: str
    kind: MeterKind
    tariff_id: int
    multiplier: Decimal
    digits: int
    unit_id: int | None
    allocation: Allocation
    parent_id: int | None
    anomaly_factor: Decimal
    active: bool


class MeterIn(Schema):
    park_id: int
    building_id: int
    code: Annotated[str, Field(min_length=1, max_length=30)]
    kind: MeterKind
    tariff_id: int
    multiplier: Multiplier = Decimal("1")
    digits: Annotated[int, Field(ge=3, le=10)] = 8
    unit_id: int | None = None
    allocation: Allocation = Allocation.NONE
    parent_id: int | None = None
    anomaly_factor: Factor = Decimal("3")
    active: bool = True


class MeterPatch(Schema):
    tariff_id: int | None = None
    multiplier: Multiplier | None = None
    anomaly_factor: Factor | None = None
    active: bool | None = None


register_crud(
    router,
    "/meters",
    Crud(
        Meter,
        MeterOut,
        MeterIn,
        MeterPatch,
        filters.MeterFilter,
        services.record_create,
        services.record_update,
        services.record_delete,
        order="code",
        sortable=("code",),
    ),
)


class MeterShareOut(Schema):
    id: int
    meter_id: int
    unit_id: int
    share_pct: Decimal | None


class MeterShareIn(Schema):
    meter_id: int
    unit_id: int
    share_pct: Pct | None = None


class MeterSharePatch(Schema):
    share_pct: Pct | None = None


register_crud(
    router,
    "/meter-shares",
    Crud(
        MeterShare,
        MeterShareOut,
        MeterShareIn,
        MeterSharePatch,
        filters.ShareFilter,
        services.record_create,
        services.record_update,
        services.record_delete,
    ),
)


class ReadingOut(Schema):
    id: int
    meter_id: int
    read_on: datetime.date
    value: Decimal
    peak: Decimal | None
    valley: Decimal | None
    reason: ReadingReason
    consumption: Decimal
    amount: Decimal
    anomaly: bool
    billed_note: str


class ReadingIn(Schema):
    meter_id: int
    read_on: IsoDate
    value: Quantity
    peak: Quantity | None = None
    valley: Quantity | None = None
    reason: ReadingReason = ReadingReason.NONE
    confirm: bool = Field(
        False, description="Record an unusually high consumption after checking it"
    )


describe_fields(ReadingIn, Reading)


register_crud(
    router,
    "/readings",
    Crud.reads(Reading, ReadingOut, filters.ReadingFilter, order="-read_on", sortable=("read_on",)),
)


@router.post(
    "/readings",
    response={201: ReadingOut, **ERRORS},
    summary="Record a reading",
    operation_id="reading_create",
    **scoped(
        Reading,
        "add",
        description="Checks the reading against the meter's last one, prices the interval it "
        "closes by the tariff in force on each day, and bills it to the leases of the units "
        "the meter serves (charge lines on their next bill).",
    ),
)
def reading_create(request: HttpRequest, payload: ReadingIn) -> Any:
    from core.api.base import get_or_404

    data = payload.dict()
    confirm = data.pop("confirm")
    meter = get_or_404(Meter, request, "change", data.pop("meter_id"))
    reading = Reading(meter=meter, **data)
    return Status(201, services.reading_add(actor=request.user, reading=reading, confirm=confirm))
