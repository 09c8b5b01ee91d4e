"""Demo parks of one district, built through the spaces services.

智造工场 (ZZGC) is a renovated furniture factory: most of its area is high workshop space, so
the share of area with clear height over 6.5 m comes out above 85 % from the units themselves.
智荟中心 (ZHZX) is an office and lab building, 孵化器 (FHQ) a small incubator.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.utils import timezone

from spaces import services
from spaces.choices import ParkKind, UnitStatus, UnitUse
from spaces.models import Building, Floor, Park, Unit

__all__ = ["load"]

D = Decimal

# (code, name, kind, address)
PARKS = [
    ("ZZGC", "智造工场", ParkKind.MANUFACTURING, "北京市海淀区西三旗建材城中路 18 号"),
    ("ZHZX", "智荟中心", ParkKind.INNOVATION_CENTRE, "北京市海淀区西三旗安宁庄东路 9 号"),
    ("FHQ", "科创孵化器", ParkKind.INCUBATOR, "北京市海淀区西三旗建材城西路 31 号"),
]

# park, code, name, floors, original use, built, renovated,
# per floor: list of (use, count, area m², clear height m, load kN/m², power kVA, rent 元/㎡/天)
BUILDINGS: list[tuple[Any, ...]] = [
    (
        "ZZGC",
        "A1",
        "1号厂房",
        2,
        "家具生产车间",
        1988,
        2019,
        [(UnitUse.WORKSHOP, 6, "1850", "9.5", "15", "400", "3.20")],
    ),
    (
        "ZZGC",
        "A2",
        "2号厂房",
        2,
        "家具生产车间",
        1988,
        2019,
        [(UnitUse.WORKSHOP, 6, "1720", "8.8", "15", "400", "3.20")],
    ),
    (
        "ZZGC",
        "A3",
        "3号厂房",
        1,
        "木材干燥车间",
        1992,
        2020,
        [(UnitUse.WORKSHOP, 8, "1500", "12.0", "20", "630", "3.00")],
    ),
    (
        "ZZGC",
        "A4",
        "4号厂房",
        2,
        "喷涂车间",
        1995,
        2020,
        [(UnitUse.LAB, 6, "1260", "7.2", "10", "315", "3.60")],
    ),
    (
        "ZZGC",
        "B1",
        "原成品库",
        1,
        "成品仓库",
        1990,
        2020,
        [(UnitUse.WAREHOUSE, 6, "1650", "10.5", "25", "200", "2.60")],
    ),
    (
        "ZZGC",
        "C1",
        "综合办公楼",
        4,
        "厂部办公楼",
        1986,
        2019,
        [(UnitUse.OFFICE, 5, "420", "3.6", "3.5", "60", "4.80")],
    ),
    (
        "ZHZX",
        "T1",
        "智荟中心 1 号楼",
        8,
        "",
        2012,
        None,
        [(UnitUse.OFFICE, 6, "380", "3.3", "3.5", "50", "6.50")],
    ),
    (
        "ZHZX",
        "T2",
        "智荟中心 2 号楼（实验楼）",
        5,
        "",
        2014,
        None,
        [(UnitUse.LAB, 4, "520", "4.5", "7.5", "120", "5.80")],
    ),
    (
        "FHQ",
        "F1",
        "孵化楼",
        4,
        "原职工宿舍",
        1979,
        2017,
        [(UnitUse.OFFICE, 10, "85", "3.1", "3.0", "15", "5.20")],
    ),
]


def load(ctx: dict[str, Any]) -> None:
    admin, today = ctx["admin"], timezone.localdate()
    parks = {}
    for code, name, kind, address in PARKS:
        parks[code] = Park.objects.filter(code=code).first() or services.park_create(
            actor=admin,
            instance=Park(
                code=code,
                name=name,
                kind=kind,
                address=address,
                operator=ctx["operator"],
                jurisdiction=ctx["jurisdiction"],
            ),
            m2m={"staff": [ctx["users"]["operator"]]},
        )
    ctx["parks"] = parks
    for park_code, code, name, floors, original, built, renovated, layout in BUILDINGS:
        park = parks[park_code]
        if Building.objects.filter(park=park, code=code).exists():
            continue
        building = services.building_create(
            actor=admin,
            instance=Building(
                park=park,
                code=code,
                name=name,
                floors_above=floors,
                original_use=original,
                year_built=built,
                year_renovated=renovated,
            ),
        )
        for number in range(1, floors + 1):
            floor = services.floor_create(
                actor=admin, instance=Floor(building=building, number=number)
            )
            for use, count, area, height, load_kn, power, rent in layout:
                for i in range(1, count + 1):
                    services.unit_create(
                        actor=admin,
                        instance=Unit(
                            floor=floor,
                            code=f"{code}-{number}{i:02d}",
                            use=use,
                            # vary areas a little so the portfolio does not look stamped out
                            area_m2=D(area) + D((i * 37 + number * 11) % 90),
                            clear_height_m=D(height),
                            floor_load_kn_m2=D(load_kn),
                            power_kva=D(power),
                            list_rent=D(rent),
                            status=_status(park_code, number, i),
                            # ready to let since the renovation handed it over, weeks or
                            # months before the demo's day (the vacancy report counts it)
                            available_from=today
                            - datetime.timedelta(days=30 + (i * 53 + number * 29) % 300),
                        ),
                    )


def _status(park_code: str, floor: int, index: int) -> UnitStatus:
    """A plant room per building is not leasable; leasing sets the rest as leases land."""
    if index == 1 and floor == 1 and park_code != "FHQ":
        return UnitStatus.NOT_LEASABLE if park_code == "ZHZX" else UnitStatus.VACANT
    return UnitStatus.VACANT
