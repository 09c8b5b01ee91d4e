"""Units from and to .xlsx in the Chinese template (单元导入模板).

A dry run (:func:`plan_import`) reads every row and says what would happen to it, with the row,
column and reason of each problem; :func:`apply_import` writes only when every row is valid, in
one transaction, through the same services as the UI. Rows are matched by park, building and
unit code, so importing the same file again changes nothing.
"""

from __future__ import annotations

import datetime
import io
import re
import unicodedata
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.worksheet.worksheet import Worksheet

from spaces import services
from spaces.choices import UnitStatus, UnitUse
from spaces.models import Building, Floor, Park, Unit

__all__ = [
    "COLUMNS",
    "ImportPlan",
    "RowPlan",
    "apply_import",
    "export_units",
    "plan_import",
    "template_workbook",
]


@dataclass(frozen=True)
class Col:
    header: str  # the Chinese header in the template
    field: str  # Unit field (or a locating key)
    kind: str  # text, decimal, int, choice, date
    required: bool = True
    units: tuple[str, ...] = ()  # suffixes people type after numbers: stripped, with a note
    hint: str = ""


COLUMNS: list[Col] = [
    Col("园区编码", "park", "text", hint="已有园区的编码，如 ZZGC"),
    Col("楼宇编码", "building", "text", hint="该园区已有楼宇的编码，如 A1"),
    Col("楼层", "floor", "int", units=("层", "F", "f"), hint="地上 1、2…，地下 -1、-2…"),
    Col("单元编码", "code", "text", hint="楼宇内唯一，如 A1-101"),
    Col("用途", "use", "choice", hint="办公 / 实验室 / 厂房 / 仓储"),
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
    Col("状态", "status", "choice", required=False, hint="空置 / 预留 / 已租 / 不可租，默认空置"),
    Col("可租日期", "available_from", "date", required=False, hint="如 2026-12-01，可空"),
]
HEADERS = [c.header for c in COLUMNS]
UNIT_FIELDS = [c.field for c in COLUMNS if c.field not in ("park", "building", "floor")]

# Chinese labels as the template shows them, whatever language the UI is in.
USE_LABELS: dict[str, str] = {
    "办公": UnitUse.OFFICE,
    "实验室": UnitUse.LAB,
    "厂房": UnitUse.WORKSHOP,
    "仓储": UnitUse.WAREHOUSE,
    "仓库": UnitUse.WAREHOUSE,
}
STATUS_LABELS: dict[str, str] = {
    "空置": UnitStatus.VACANT,
    "预留": UnitStatus.RESERVED,
    "已租": UnitStatus.LEASED,
    "不可租": UnitStatus.NOT_LEASABLE,
}
CHOICES: dict[str, tuple[dict[str, str], type[models.TextChoices]]] = {
    "use": (USE_LABELS, UnitUse),
    "status": (STATUS_LABELS, UnitStatus),
}
_NUMBER = re.compile(r"^([+-]?\d+(?:\.\d+)?)\s*(.*)$")


@dataclass
class RowPlan:
    row: int  # spreadsheet row number (header is row 1)
    key: str = ""
    action: str = ""  # create / update / unchanged / error
    values: dict[str, Any] = field(default_factory=dict)
    changes: dict[str, tuple[Any, Any]] = field(default_factory=dict)
    errors: list[tuple[str, str]] = field(default_factory=list)  # (column, reason)
    notes: list[tuple[str, str]] = field(default_factory=list)  # (column, what was normalised)


@dataclass
class ImportPlan:
    rows: list[RowPlan] = field(default_factory=list)
    file_errors: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.file_errors and bool(self.rows) and all(not r.errors for r in self.rows)

    def count(self, action: str) -> int:
        return sum(1 for r in self.rows if r.action == action)

    def summary(self) -> dict[str, int]:
        return {a: self.count(a) for a in ("create", "update", "unchanged", "error")}


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return unicodedata.normalize("NFKC", str(value)).strip()


def _parse(col: Col, raw: Any, plan: RowPlan) -> Any:
    """One cell to a Python value; problems and normalisations are recorded on the row."""
    if isinstance(raw, datetime.datetime) and col.kind == "date":
        return raw.date()
    text = _text(raw)
    if text == "":
        if col.required:
            plan.errors.append(
                (col.header, _("is empty; fill it in (%(hint)s).") % {"hint": col.hint})
            )
        return None
    if str(raw).strip() != text and not isinstance(raw, int | float):
        plan.notes.append(
            (col.header, _("full-width characters read as “%(text)s”") % {"text": text})
        )
    if col.kind == "text":
        return text.upper()
    if col.kind in ("decimal", "int"):
        match = _NUMBER.match(text.replace(",", ""))
        suffix = match.group(2).strip() if match else ""
        if match and suffix and suffix.lower() in {u.lower() for u in col.units}:
            plan.notes.append((col.header, _("unit “%(unit)s” removed") % {"unit": suffix}))
            suffix = ""
        if not match or suffix:
            plan.errors.append(
                (
                    col.header,
                    _("“%(text)s” is not a number; write digits only, e.g. %(hint)s.")
                    % {"text": text, "hint": col.hint},
                )
            )
            return None
        try:
            number = Decimal(match.group(1))
        except InvalidOperation:
            plan.errors.append((col.header, _("“%(text)s” is not a number.") % {"text": text}))
            return None
        if col.kind == "int":
            if number != number.to_integral():
                plan.errors.append(
                    (col.header, _("“%(text)s” must be a whole number.") % {"text": text})
                )
                return None
            return int(number)
        return number
    if col.kind == "choice":
        labels, enum = CHOICES[col.field]
        if text in labels:
            return labels[text]
        if text.lower() in enum.values:
            return text.lower()
        plan.errors.append(
            (
                col.header,
                _("“%(text)s” is not one of %(allowed)s.")
                % {"text": text, "allowed": "、".join(labels)},
            )
        )
        return None
    if col.kind == "date":
        try:
            return datetime.date.fromisoformat(text.replace("/", "-"))
        except ValueError:
            plan.errors.append(
                (
                    col.header,
                    _("“%(text)s” is not a date; write it as 2026-12-01.") % {"text": text},
                )
            )
            return None
    raise AssertionError(col.kind)


def _read_rows(content: bytes, plan: ImportPlan) -> list[tuple[int, dict[str, Any]]]:
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (InvalidFileException, KeyError, OSError, ValueError, TypeError, zipfile.BadZipFile):
        plan.file_errors.append(
            _(
                "The file is not an .xlsx workbook. Download the template, "
                "fill it in and save it as .xlsx."
            )
        )
        return []
    sheet = workbook.worksheets[0]
    rows = sheet.iter_rows(values_only=True)
    # compare headers in NFKC form: it reads ㎡ as m2, and full-width letters as half-width
    header = [_text(h) for h in next(rows, ())]
    missing = [h for h in HEADERS if _text(h) not in header]
    if missing:
        plan.file_errors.append(
            _("Columns missing from the first row: %(cols)s. Use the template's header row.")
            % {"cols": "、".join(missing)}
        )
        return []
    index = {h: header.index(_text(h)) for h in HEADERS}
    out = []
    for number, values in enumerate(rows, start=2):
        if values is None or all(v in (None, "") for v in values):
            continue
        padded = list(values) + [None] * len(header)
        out.append((number, {h: padded[i] for h, i in index.items()}))
    workbook.close()
    return out


def plan_import(
    content: bytes, *, user: Any, progress: Callable[[int, int], None] | None = None
) -> ImportPlan:
    """Read the workbook and decide every row's fate without writing anything."""
    plan = ImportPlan()
    raw_rows = _read_rows(content, plan)
    if plan.file_errors:
        return plan
    if not raw_rows:
        plan.file_errors.append(_("The file has no data rows under the header."))
        return plan
    parks = {p.code: p for p in Park.objects.restrict(user, "view")}
    buildings = {
        (b.park.code, b.code): b
        for b in Building.objects.restrict(user, "change").select_related("park")
    }
    floors = {
        (f.building_id, f.number): f for f in Floor.objects.filter(building__in=buildings.values())
    }
    units = {
        (u.building_id, u.code): u for u in Unit.objects.filter(building__in=buildings.values())
    }
    seen: dict[tuple[int, str], int] = {}
    for done, (number, cells) in enumerate(raw_rows, start=1):
        row = RowPlan(row=number)
        values = {c.field: _parse(c, cells[c.header], row) for c in COLUMNS}
        row.values = values
        park_code, building_code = values["park"], values["building"]
        building = buildings.get((park_code, building_code))
        if park_code and park_code not in parks:
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
        if building is not None and values["code"]:
            row.key = f"{park_code}/{building_code}/{values['code']}"
            first = seen.setdefault((building.pk, values["code"]), number)
            if first != number:
                row.errors.append(
                    ("单元编码", _("duplicate of row %(row)d in this file.") % {"row": first})
                )
            _plan_unit(row, building, floors, units)
        row.action = "error" if row.errors else row.action
        plan.rows.append(row)
        if progress is not None and (done % 200 == 0 or done == len(raw_rows)):
            progress(done, len(raw_rows))
    return plan


def _unit_values(values: dict[str, Any]) -> dict[str, Any]:
    data = {f: values[f] for f in UNIT_FIELDS}
    data["status"] = data["status"] or UnitStatus.VACANT
    return data


def _plan_unit(
    row: RowPlan,
    building: Building,
    floors: dict[tuple[int, int], Floor],
    units: dict[tuple[int, str], Unit],
) -> None:
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
    existing = units.get((building.pk, values["code"]))
    floor = floors.get((building.pk, values["floor"])) or Floor(
        building=building, number=values["floor"]
    )
    candidate = Unit(floor=floor, building=building, park=building.park, **data)
    if existing is not None:
        candidate.pk = existing.pk
    unread = [name for name, value in data.items() if value is None]
    try:
        candidate.full_clean(exclude=["floor", "building", "park", *unread], validate_unique=False)
    except ValidationError as exc:
        for name, messages in exc.message_dict.items():
            header = next((c.header for c in COLUMNS if c.field == name), name)
            row.errors.extend((header, m) for m in messages)
    if row.errors:
        return
    if existing is None:
        row.action = "create"
        return
    row.changes = {
        name: (getattr(existing, name), value)
        for name, value in data.items()
        if getattr(existing, name) != value
    }
    if existing.floor.number != values["floor"]:
        row.changes["floor"] = (existing.floor.number, values["floor"])
    row.action = "update" if row.changes else "unchanged"


@transaction.atomic
def apply_import(
    content: bytes, *, actor: Any, progress: Callable[[int, int], None] | None = None
) -> ImportPlan:
    """Plan again (the records may have changed since the dry run), then write every row or
    none. Returns the plan; nothing is written unless ``plan.ok``."""
    plan = plan_import(content, user=actor, progress=progress)
    if not plan.ok:
        return plan
    for row in plan.rows:
        if row.action in ("create", "update"):
            _write_row(row, actor)
    return plan


def _write_row(row: RowPlan, actor: Any) -> None:
    values = row.values
    building = Building.objects.get(park__code=values["park"], code=values["building"])
    floor = Floor.objects.filter(building=building, number=values["floor"]).first()
    if floor is None:
        floor = services.floor_create(
            actor=actor, instance=Floor(building=building, number=values["floor"])
        )
    data = _unit_values(values)
    if row.action == "create":
        services.unit_create(actor=actor, instance=Unit(floor=floor, **data))
    else:
        unit = Unit.objects.get(building=building, code=values["code"])
        services.unit_update(actor=actor, instance=unit, data={**data, "floor": floor})


# Template and export ----------------------------------------------------------------------
_HEADER_FILL = PatternFill("solid", fgColor="1677FF")
_USE_NAMES: dict[str, str] = {v: k for k, v in USE_LABELS.items() if k != "仓库"}
_STATUS_NAMES: dict[str, str] = {v: k for k, v in STATUS_LABELS.items()}


def _sheet_with_header(workbook: Workbook) -> Worksheet:
    sheet: Worksheet = workbook.active  # type: ignore[assignment]  # a new workbook has one
    sheet.title = "单元"
    sheet.append(HEADERS)
    for cell in sheet[1]:
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = _HEADER_FILL
    for i in range(len(COLUMNS)):
        sheet.column_dimensions[get_column_letter(i + 1)].width = 16
    sheet.freeze_panes = "A2"
    return sheet


def template_workbook() -> bytes:
    workbook = Workbook()
    _sheet_with_header(workbook)
    guide = workbook.create_sheet("填写说明")
    guide.append(["列", "是否必填", "说明"])
    for col in COLUMNS:
        guide.append([col.header, "必填" if col.required else "选填", col.hint])
    guide.append([])
    guide.append(
        [
            "说明",
            "",
            "按 园区编码+楼宇编码+单元编码 匹配：已有单元更新，新单元新增；"
            "同一文件重复导入不会产生变化。任何一行有错误时整个文件不导入。",
        ]
    )
    guide.column_dimensions["A"].width = 20
    guide.column_dimensions["C"].width = 70
    return _save(workbook)


def export_units(units: Iterable[Unit]) -> bytes:
    """The template filled with ``units`` (select_related park, building, floor)."""
    workbook = Workbook()
    sheet = _sheet_with_header(workbook)
    for u in units:
        sheet.append(
            [
                u.park.code,
                u.building.code,
                u.floor.number,
                u.code,
                _USE_NAMES[u.use],
                u.area_m2,
                u.clear_height_m,
                u.floor_load_kn_m2,
                u.power_kva,
                u.list_rent,
                _STATUS_NAMES[u.status],
                u.available_from,
            ]
        )
    return _save(workbook)


def _save(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
