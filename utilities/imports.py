"""Meter readings from .xlsx (抄表导入模板), on the core import engine: a dry run lists every
row's problems in Chinese; nothing is written unless every row is right.

Each row goes through the same checks as a reading typed on the walk page
(``services.assess_reading``), against the meter's stored readings and the rows above it in
the file, so a file with a round of twelve months reads in order.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import partial
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from core import imports
from core.imports import Col, RowPlan
from utilities import services
from utilities.choices import ReadingReason
from utilities.models import Meter, Reading

__all__ = ["COLUMNS", "TEMPLATE", "TEMPLATE_KIND", "apply_import", "plan_import"]

REASONS = {"换表": ReadingReason.REPLACED, "翻转": ReadingReason.ROLLOVER}
YES_NO = {"是": "yes", "否": "no"}

COLUMNS: list[Col] = [
    Col("园区编码", "park", "upper", hint="如 ZZGC"),
    Col("表号", "meter", "upper", hint="该园区已有的表号，如 E-A1-101"),
    Col("抄表日期", "read_on", "date", hint="如 2026-12-01，晚于该表上次抄表日期"),
    Col(
        "读数",
        "value",
        "decimal",
        units=("度", "kwh", "吨", "m3", "m³"),
        hint="表盘读数，如 12345.6",
    ),
    Col("峰段读数", "peak", "decimal", required=False, units=("度", "kwh"), hint="分时表填写"),
    Col("谷段读数", "valley", "decimal", required=False, units=("度", "kwh"), hint="分时表填写"),
    Col(
        "读数下降原因",
        "reason",
        "choice",
        required=False,
        choices=REASONS,
        hint="读数低于上次时必填",
    ),
    Col(
        "确认异常",
        "confirm",
        "choice",
        required=False,
        choices=YES_NO,
        hint="用量异常偏高且已核实时填 是",
    ),
]
FIELD_HEADERS = {c.field: c.header for c in COLUMNS}


@dataclass
class _State:
    meters: dict[tuple[str, str], Meter]
    history: dict[int, list[Reading]] = field(default_factory=dict)

    def readings(self, meter: Meter) -> list[Reading]:
        if meter.pk not in self.history:
            self.history[meter.pk] = list(meter.readings.order_by("-read_on")[:14])[::-1]
        return self.history[meter.pk]


def _prepare(user: Any) -> _State:
    meters = Meter.objects.restrict(user, "change").select_related("park", "tariff", "unit")
    return _State(
        meters={(m.park.code, m.code): m for m in meters.prefetch_related("tariff__rates")}
    )


def _reading(meter: Meter, values: dict[str, Any]) -> Reading:
    return Reading(
        meter=meter,
        read_on=values["read_on"],
        value=values["value"],
        peak=values["peak"],
        valley=values["valley"],
        reason=values["reason"] or "",
    )


def _plan_row(row: RowPlan, state: _State) -> None:
    values = row.values
    meter = state.meters.get((values["park"], values["meter"]))
    if meter is None:
        if values["park"] and values["meter"]:
            row.errors.append(
                (
                    "表号",
                    _("no meter “%(code)s” in park %(park)s that you read.")
                    % {"code": values["meter"], "park": values["park"]},
                )
            )
        return
    row.key = f"{meter.park.code}/{meter.code}/{values['read_on']}"
    if row.errors:
        return
    history = state.readings(meter)
    same_day = next((r for r in history if r.read_on == values["read_on"]), None)
    if same_day is not None and same_day.pk and same_day.value == values["value"]:
        row.action = "unchanged"  # importing the same file again changes nothing
        return
    reading = _reading(meter, values)
    try:
        assessment = services.assess_reading(
            meter, reading, history=history, confirm=values["confirm"] == "yes"
        )
        if assessment.previous is not None and meter.unit is not None:
            services.lease_span_for(meter.unit, assessment.previous.read_on, reading.read_on)
        elif assessment.previous is not None and assessment.lines:
            services.sharers(meter, assessment.previous.read_on, reading.read_on)
    except ValidationError as exc:
        for name, messages in exc.message_dict.items():
            row.errors.extend((FIELD_HEADERS.get(name, name), m) for m in messages)
        return
    reading.consumption = assessment.usage.total
    history.append(reading)  # the next row of this meter follows this one
    row.action = "create"


def _write_row(row: RowPlan, actor: Any) -> None:
    values = row.values
    meter = Meter.objects.get(park__code=values["park"], code=values["meter"])
    services.reading_add(
        actor=actor, reading=_reading(meter, values), confirm=values["confirm"] == "yes"
    )


def _export_rows(user: Any, park_code: str | None) -> Any:
    readings = Reading.objects.restrict(user).select_related("meter__park")
    if park_code:
        readings = readings.filter(meter__park__code=park_code)
    for r in readings.order_by("meter__park__code", "meter__code", "read_on").iterator(2000):
        yield [
            r.meter.park.code,
            r.meter.code,
            r.read_on,
            r.value,
            r.peak,
            r.valley,
            imports.label_of(COLUMNS[6], r.reason) if r.reason else None,
            "是" if r.anomaly else None,
        ]


TEMPLATE_KIND = "utilities.reading"
TEMPLATE = imports.register(
    TEMPLATE_KIND,
    imports.Template(
        columns=COLUMNS,
        prepare=_prepare,
        plan_row=_plan_row,
        write_row=_write_row,
        sheet_title="抄表",
        guide="按 园区编码+表号 找到电表/水表；同一表的多行按抄表日期从早到晚排列。已导入的同日同读数不会重复入账。",
        export_rows=_export_rows,
    ),
)
plan_import = partial(imports.plan_import, TEMPLATE)
apply_import = partial(imports.apply_import, TEMPLATE)
