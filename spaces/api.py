"""REST endpoints of the spaces module: parks, buildings, floors, units (``/api/v1/spaces/``)."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Annotated

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Router, Schema

from core.api.base import DecimalIn, IsoDate, describe_fields
from core.api.crud import Crud, register_crud
from spaces import filters, selectors, services
from spaces.choices import ParkKind, UnitStatus, UnitUse
from spaces.models import Building, Floor, Park, Unit

__all__ = ["router"]

router = Router(tags=["spaces"])

Code = Annotated[str, Field(min_length=1, max_length=20, pattern=r"^[A-Za-z0-9_-]+$")]
Area = Annotated[Decimal, DecimalIn(gt=0, max_digits=10, decimal_places=2)]
Height = Annotated[Decimal, DecimalIn(ge=2, le=30, max_digits=5, decimal_places=2)]
Load = Annotated[Decimal, DecimalIn(gt=0, max_digits=6, decimal_places=2)]
Power = Annotated[Decimal, DecimalIn(ge=0, max_digits=8, decimal_places=1)]
Rent = Annotated[Decimal, DecimalIn(ge=0, max_digits=8, decimal_places=2)]
Year = Annotated[int, Field(ge=1900, le=2100)]


class ParkOut(Schema):
    id: int
    code: str
    name: str
    kind: ParkKind
    address: str
    operator_id: int
    operator: str = Field(alias="operator.code")
    jurisdiction_id: int
    jurisdiction: str = Field(alias="jurisdiction.code")
    offered_units: int = Field(
        ..., description="Units that can be let today (public: every signed-in role reads it)"
    )
    offered_area_m2: Decimal = Field(..., description="Their area in m²")
    offered_uses: list[UnitUse] = Field(..., description="What they can be used for")

    @staticmethod
    def resolve_offered_units(obj: Park) -> int:
        return _offered(obj).units

    @staticmethod
    def resolve_offered_area_m2(obj: Park) -> Decimal:
        return _offered(obj).area_m2

    @staticmethod
    def resolve_offered_uses(obj: Park) -> list[str]:
        return _offered(obj).uses


def _offered(park: Park) -> selectors.OfferedSpace:
    """Computed once per park and answer (three fields read it); a list page computes it for
    all its parks at once (_offered_on_page)."""
    if not hasattr(park, "_offered"):
        park._offered = selectors.offered_space(park, timezone.localdate())  # type: ignore[attr-defined]
    return park._offered  # type: ignore[attr-defined,no-any-return]


def _offered_on_page(request: HttpRequest, parks: list[Park]) -> None:
    offered = selectors.offered_spaces([p.pk for p in parks], timezone.localdate())
    for park in parks:
        park._offered = offered[park.pk]  # type: ignore[attr-defined]


class ParkIn(Schema):
    code: Code
    name: Annotated[str, Field(min_length=1, max_length=100)]
    kind: ParkKind
    address: Annotated[str, Field(max_length=200)] = ""
    operator_id: int
    jurisdiction_id: int


class ParkPatch(Schema):
    name: Annotated[str, Field(min_length=1, max_length=100)] | None = None
    kind: ParkKind | None = None
    address: Annotated[str, Field(max_length=200)] | None = None


class BuildingOut(Schema):
    id: int
    park: str = Field(alias="park.code")
    park_id: int
    code: str
    name: str
    floors_above: int
    floors_below: int
    original_use: str
    year_built: int | None
    year_renovated: int | None


class BuildingIn(Schema):
    park_id: int
    code: Code
    name: Annotated[str, Field(min_length=1, max_length=100)]
    floors_above: Annotated[int, Field(ge=1, le=200)] = 1
    floors_below: Annotated[int, Field(ge=0, le=10)] = 0
    original_use: Annotated[str, Field(max_length=100)] = ""
    year_built: Year | None = None
    year_renovated: Year | None = None


class BuildingPatch(Schema):
    name: Annotated[str, Field(min_length=1, max_length=100)] | None = None
    floors_above: Annotated[int, Field(ge=1, le=200)] | None = None
    floors_below: Annotated[int, Field(ge=0, le=10)] | None = None
    original_use: Annotated[str, Field(max_length=100)] | None = None
    year_built: Year | None = None
    year_renovated: Year | None = None


class FloorOut(Schema):
    id: int
    building_id: int
    number: int
    name: str
    label: str


describe_fields(FloorOut, label="How the floor is shown: 1F, B1")


class FloorIn(Schema):
    building_id: int
    number: Annotated[int, Field(ge=-10, le=200)]
    name: Annotated[str, Field(max_length=50)] = ""


class FloorPatch(Schema):
    name: Annotated[str, Field(max_length=50)] | None = None


class UnitOut(Schema):
    id: int
    code: str
    park_id: int
    park: str = Field(alias="park.code")
    building_id: int
    building: str = Field(alias="building.code")
    floor_id: int
    floor: int = Field(alias="floor.number")
    use: UnitUse
    area_m2: Decimal
    clear_height_m: Decimal
    floor_load_kn_m2: Decimal
    power_kva: Decimal
    list_rent: Decimal
    status: UnitStatus
    available_from: datetime.date | None


class UnitIn(Schema):
    floor_id: int
    code: Annotated[str, Field(min_length=1, max_length=30)]
    use: UnitUse
    area_m2: Area
    clear_height_m: Height
    floor_load_kn_m2: Load
    power_kva: Power
    list_rent: Rent
    status: UnitStatus = UnitStatus.VACANT
    available_from: IsoDate | None = None


class UnitPatch(Schema):
    use: UnitUse | None = None
    area_m2: Area | None = None
    clear_height_m: Height | None = None
    floor_load_kn_m2: Load | None = None
    power_kva: Power | None = None
    list_rent: Rent | None = None
    status: UnitStatus | None = None
    available_from: IsoDate | None = None


register_crud(
    router,
    "/parks",
    Crud(
        Park,
        ParkOut,
        ParkIn,
        ParkPatch,
        filters.ParkFilter,
        services.park_create,
        services.park_update,
        services.park_delete,
        order="code",
        sortable=("code", "name"),
        select_related=("operator", "jurisdiction"),
        prepare=_offered_on_page,
    ),
)
register_crud(
    router,
    "/buildings",
    Crud(
        Building,
        BuildingOut,
        BuildingIn,
        BuildingPatch,
        filters.BuildingFilter,
        services.building_create,
        services.building_update,
        services.building_delete,
        order="code",
        sortable=("code", "name"),
        select_related=("park",),
    ),
)
register_crud(
    router,
    "/floors",
    Crud(
        Floor,
        FloorOut,
        FloorIn,
        FloorPatch,
        filters.FloorFilter,
        services.floor_create,
        services.floor_update,
        services.floor_delete,
        order="number",
        sortable=("number",),
    ),
)
register_crud(
    router,
    "/units",
    Crud(
        Unit,
        UnitOut,
        UnitIn,
        UnitPatch,
        filters.UnitFilter,
        services.unit_create,
        services.unit_update,
        services.unit_delete,
        order="code",
        sortable=(
            "code",
            "area_m2",
            "clear_height_m",
            "floor_load_kn_m2",
            "power_kva",
            "list_rent",
        ),
        select_related=("park", "building", "floor"),
    ),
)
