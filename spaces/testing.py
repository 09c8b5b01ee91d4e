"""Test records of the spaces app: a park per side, each with a building, floor and unit."""

from __future__ import annotations

from decimal import Decimal

from core.testing.world import World
from spaces.choices import ParkKind, UnitUse
from spaces.models import Building, Floor, Park, Unit

__all__ = ["build", "make_unit"]


def make_unit(floor: Floor, code: str, **fields: object) -> Unit:
    values: dict[str, object] = {
        "use": UnitUse.WORKSHOP,
        "area_m2": Decimal("1000"),
        "clear_height_m": Decimal("8"),
        "floor_load_kn_m2": Decimal("10"),
        "power_kva": Decimal("200"),
        "list_rent": Decimal("3.5"),
        **fields,
    }
    unit = Unit(floor=floor, code=code, **values)
    unit.save()
    return unit


def build(world: World) -> None:
    rows = {}
    for side in ("A", "B"):
        park = Park.objects.create(
            code=f"P{side}",
            name=f"园区{side}",
            kind=ParkKind.MANUFACTURING,
            operator=world.operators[side],
            jurisdiction=world.jurisdictions[side],
        )
        if side == "A":
            park.staff.add(world.users["operator"])
        building = Building.objects.create(park=park, code="B1", name=f"厂房{side}", floors_above=3)
        floor = Floor.objects.create(building=building, number=1)
        unit = make_unit(floor, f"{side}-101")
        rows[side] = (park, building, floor, unit)
    for i in range(4):
        world.add(rows["A"][i], rows["B"][i])
