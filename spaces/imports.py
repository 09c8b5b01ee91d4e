"""Units from and to .xlsx in the Chinese template (单元导入模板), on the core import engine.

Rows are matched by park, building and unit code, so importing the same file again changes
nothing. Buildings must exist; a floor the building has room for is created when first used.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from core import imports
from core.bulk import BulkWrite
from core.imports import Col, RowPlan
from spaces.choices import UnitStatus, UnitUse
from spaces.models import Building, Floor, Park, Unit

__all__ = [
    "COLUMNS",
    "HEADERS",
    "TEMPLATE",
    "TEMPLATE_KIND",
    "apply_import",
    "export_units",
    "plan_import",
    "template_workbook",
]

USE_LABELS = {
    "办公": UnitUse.OFFICE,
    "实验室": UnitUse.LAB,
    "厂房": UnitUse.WORKSHOP,
    "仓储": UnitUse.WAREHOUSE,
}
STATUS_LABELS = {
    "空置": UnitStatus.VACANT,
    "预留": UnitStatus.RESERVED,
    "已租": UnitStatus.LEASED,
    "不可租": UnitStatus.NOT_LEASABLE,
}

COLUMNS: list[Col] = [
    Col("园区编码", "park", "upper", hint="已有园区的编码，如 ZZGC"),
    Col("楼宇编码", "building", "upper", hint="该园区已有楼宇的编码，如 A1"),
    Col("楼层", "floor", "int", units=("层", "F", "f"), hint="地上 1、2…，地下 -1、-2…"),
    Col("单元编码", "code", "upper", hint="楼宇内唯一，如 A1-101"),
    Col("用途", "use", "choice", choices=USE_LABELS, hint="如 办公"),
    Col(
        "建筑面积(㎡)",
        "area_m2",
        "decimal",
        units=("平方米", "平米", "㎡", "m²", "m2"),
        hint="大于 0，如 1250.5",
    ),
    Col("净高(m)", "clear_height_m", "decimal", units=("米", "m"), hint="2 至 30 米，如 6.5"),
    Col(
        "楼面荷载(kN/㎡)",
        "floor_load_kn_m2",
        "decimal",
        units=("kn/㎡", "kn/m²", "kn/m2"),
        hint="大于 0，如 5",
    ),
    Col("电力(kVA)", "power_kva", "decimal", units=("kva", "千伏安"), hint="不小于 0，如 200"),
    Col(
        "挂牌租金(元/㎡/天)",
        "list_rent",
        "decimal",
        units=("元/㎡/天", "元/m²/天", "元"),
        hint="不小于 0，如 4.5",
    ),
    Col("状态", "status", "choice", required=False, choices=STATUS_LABELS, hint="默认空置"),
    Col("可租日期", "available_from", "date", required=False, hint="如 2026-12-01，可空"),
]
HEADERS = [c.header for c in COLUMNS]
UNIT_FIELDS = [c.field for c in COLUMNS if c.field not in ("park", "building", "floor")]


@dataclass
class _State:
    parks: dict[str, Park]
    buildings: dict[tuple[str, str], Building]
    floors: dict[tuple[int, int], Floor]
    units: dict[tuple[int, str], Unit]
    seen: dict[tuple[int, str], int] = field(default_factory=dict)


def _prepare(user: Any) -> _State:
    buildings = {
        (b.park.code, b.code): b
        for b in Building.objects.restrict(user, "change").select_related("park")
    }
    return _State(
        parks={p.code: p for p in Park.objects.restrict(user, "view")},
        buildings=buildings,
        floors={
            (f.building_id, f.number): f
            for f in Floor.objects.filter(building__in=buildings.values())
        },
        units={
            (u.building_id, u.code): u
            for u in Unit.objects.filter(building__in=buildings.values()).select_related("floor")
        },
    )


def _unit_values(values: dict[str, Any]) -> dict[str, Any]:
    data = {f: values[f] for f in UNIT_FIELDS}
    data["status"] = data["status"] or UnitStatus.VACANT
    return data


def _plan_row(row: RowPlan, state: _State) -> None:
    values = row.values
    park_code, building_code = values["park"], values["building"]
    building = state.buildings.get((park_code, building_code))
    if park_code and park_code not in state.parks:
        row.errors.append(
            ("园区编码", _("no park “%(code)s” that you manage.") % {"code": park_code})
        )
    elif park_code and building_code and building is None:
        row.errors.append(
            (
                "楼宇编码",
                _("park %(park)s has no building “%(code)s”; create the building first.")
                % {"park": park_code, "code": building_code},
            )
        )
    if building is None or not values["code"]:
        return
    row.key = f"{park_code}/{building_code}/{values['code']}"
    first = state.seen.setdefault((building.pk, values["code"]), row.row)
    if first != row.row:
        row.errors.append(
            ("单元编码", _("duplicate of row %(row)d in this file.") % {"row": first})
        )
    _check_unit(row, building, state)


def _check_unit(row: RowPlan, building: Building, state: _State) -> None:
    """Check the row against the model's own rules and compare it with the stored unit.

    Fields that could not be read are already reported; the rest are still checked, so the
    row lists every problem at once.
    """
    values = row.values
    if values["floor"] is not None and values["floor"] not in building.floor_numbers():
        row.errors.append(
            (
                "楼层",
                _("building %(b)s has floors %(low)s to %(high)s (no 0).")
                % {
                    "b": building.code,
                    "low": -building.floors_below or 1,
                    "high": building.floors_above,
                },
            )
        )
    data = _unit_values(values)
    existing = state.units.get((building.pk, values["code"]))
    floor = state.floors.get((building.pk, values["floor"])) or Floor(
        building=building, number=values["floor"]
    )
    candidate = Unit(floor=floor, building=building, park=building.park, **data)
    candidate.pk = existing.pk if existing else None
    unread = [name for name, value in data.items() if value is None]
    try:
        candidate.full_clean(exclude=["floor", "building", "park", *unread], validate_unique=False)
    except ValidationError as exc:
        imports.add_model_errors(row, exc, COLUMNS)
    if row.errors:
        return
    if existing is None:
        row.action = "create"
        row.context["unit"] = candidate  # checked: the bulk write adds it as it is
        return
    row.changes = imports.changed_fields(existing, data)
    if existing.floor.number != values["floor"]:
        row.changes["floor"] = (existing.floor.number, values["floor"])
    row.action = "update" if row.changes else "unchanged"


def _write_rows(plan: imports.ImportPlan, bulk: BulkWrite) -> None:
    """Every new and changed unit, and the floors they need, on the records the plan read."""
    state: _State = plan.state
    for row in plan.rows:
        if row.action not in ("create", "update"):
            continue
        values = row.values
        building = state.buildings[(values["park"], values["building"])]
        floor = state.floors.get((building.pk, values["floor"]))
        if floor is None:  # first used by this file: created once, before its units
            floor = bulk.create(Floor(building=building, number=values["floor"]))
            state.floors[(building.pk, values["floor"])] = floor
        if row.action == "create":
            unit = row.context["unit"]
            unit.floor = floor
            bulk.create(unit, validated=True)
        else:
            data = {**_unit_values(values), "floor": floor}
            bulk.update(state.units[(building.pk, values["code"])], data)


def _rows(units: Iterable[Unit]) -> Iterator[list[Any]]:
    use, status = COLUMNS[4], COLUMNS[10]
    for u in units:
        yield [
            u.park.code,
            u.building.code,
            u.floor.number,
            u.code,
            imports.label_of(use, u.use),
            u.area_m2,
            u.clear_height_m,
            u.floor_load_kn_m2,
            u.power_kva,
            u.list_rent,
            imports.label_of(status, u.status),
            u.available_from,
        ]


def _export_rows(user: Any, park_code: str | None) -> Iterator[list[Any]]:
    units = Unit.objects.restrict(user).select_related("park", "building", "floor")
    if park_code:
        units = units.filter(park__code=park_code)
    return _rows(units.order_by("park__code", "building__code", "code").iterator(2000))


TEMPLATE_KIND = "spaces.unit"
TEMPLATE = imports.register(
    TEMPLATE_KIND,
    imports.Template(
        columns=COLUMNS,
        prepare=_prepare,
        plan_row=_plan_row,
        write_row=None,
        write_rows=_write_rows,
        sheet_title="单元",
        guide="按 园区编码+楼宇编码+单元编码 匹配：已有单元更新，新单元新增；同一文件重复导入不会产生变化。",
        export_rows=_export_rows,
    ),
)
plan_import = partial(imports.plan_import, TEMPLATE)
apply_import = partial(imports.apply_import, TEMPLATE)
template_workbook = partial(imports.template_workbook, TEMPLATE)


def export_units(units: Iterable[Unit]) -> bytes:
    """The template filled with ``units`` (select_related park, building, floor)."""
    return imports.export_workbook(TEMPLATE, _rows(units))
