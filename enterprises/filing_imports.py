"""Statistics filings from and to .xlsx (企业统计报表导入模板): staff enter what companies sent
on paper or by e-mail, through the same checks as the portal.

A row names its period (2026年第3季度, 2026Q3, 2026年7月, 2026年度) and the company by credit
code; the company must have been asked to file that period. A row for a period still to be
filed files it; a row for a filed period corrects it (the import is the reason in the change
log). Warnings (R&D above revenue, a jump from the last filing) stop the row unless its
确认 column says 是.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from functools import partial
from typing import Any

from django.utils.translation import gettext as _

from core import imports
from core.imports import Col, RowPlan
from enterprises import filings
from enterprises.choices import FilingState, StatPeriodKind
from enterprises.models import FILING_FIGURES, StatFiling
from enterprises.validators import normalize_credit_code

__all__ = ["TEMPLATE", "TEMPLATE_KIND", "apply_import", "parse_period", "plan_import"]

_YES = {"是": "yes", "否": "no"}
_HEADERS = {
    "headcount": ("从业人员", "int", "人，期末数"),
    "doctorates": ("其中博士", "int", "人"),
    "masters": ("其中硕士", "int", "人"),
    "bachelors": ("其中本科", "int", "人"),
    "returnees": ("其中留学归国", "int", "人"),
    "revenue_wan": ("营业收入(万元)", "decimal", "本期发生额，如 1250.5"),
    "output_value_wan": ("产值(万元)", "decimal", "本期发生额"),
    "rd_spend_wan": ("研发投入(万元)", "decimal", "本期发生额"),
    "tax_paid_wan": ("纳税额(万元)", "decimal", "本期发生额"),
    "financing_wan": ("融资额(万元)", "decimal", "本期融资，没有填 0"),
    "invention_patents": ("发明专利", "int", "件，期末拥有量"),
    "utility_models": ("实用新型", "int", "件，期末拥有量"),
    "designs": ("外观设计", "int", "件，期末拥有量"),
    "software_copyrights": ("软件著作权", "int", "件，期末拥有量"),
}
COLUMNS: list[Col] = [
    Col("报告期", "period", "text", hint="如 2026年第3季度、2026Q3、2026年7月、2026年度"),
    Col("统一社会信用代码", "credit_code", "upper", hint="18 位"),
    Col("企业名称", "name", "text", required=False, hint="便于核对，不参与匹配"),
    *(
        Col(header, name, kind, units=("万元", "万", "人", "件"), hint=hint)
        for name, (header, kind, hint) in _HEADERS.items()
    ),
    Col("确认提示", "confirm", "choice", required=False, choices=_YES, hint="是：确认提示数据无误"),
]

_PATTERNS = [
    (re.compile(r"^(\d{4})\s*(?:年\s*第\s*([1-4])\s*季度|[Qq]([1-4]))$"), StatPeriodKind.QUARTER),
    (re.compile(r"^(\d{4})\s*(?:年\s*(\d{1,2})\s*月|-(\d{1,2}))$"), StatPeriodKind.MONTH),
    (re.compile(r"^(\d{4})\s*(?:年度?|年报)?$"), StatPeriodKind.YEAR),
]


def parse_period(text: str) -> tuple[str, int, int] | None:
    """'2026年第3季度' → ("quarter", 2026, 3); None if it reads as no period."""
    for pattern, kind in _PATTERNS:
        match = pattern.match(text.strip())
        if match:
            number = next((int(g) for g in match.groups()[1:] if g), 1)
            if kind == StatPeriodKind.MONTH and not 1 <= number <= 12:
                return None
            return kind, int(match.group(1)), number
    return None


@dataclass
class _State:
    filings: dict[tuple[str, int, int, str], StatFiling]  # (kind, year, number, credit code)
    may_correct: bool
    seen: dict[tuple[str, int, int, str], int] = field(default_factory=dict)


def _prepare(user: Any) -> _State:
    rows = StatFiling.objects.restrict(user, "change").select_related("period", "enterprise")
    return _State(
        filings={
            (f.period.kind, f.period.year, f.period.number, f.enterprise.credit_code): f
            for f in rows
        },
        may_correct=StatFiling.policy.allows_role(user, "delete"),
    )


def _plan_row(row: RowPlan, state: _State) -> None:
    values = row.values
    if row.errors:  # a cell that does not read: said already
        return
    period = parse_period(values["period"] or "") if values["period"] else None
    if values["period"] and period is None:
        row.errors.append(
            (
                "报告期",
                _("“%(text)s” is not a period; write it as 2026年第3季度.")
                % {"text": values["period"]},
            )
        )
    code = normalize_credit_code(values["credit_code"] or "")
    if period is None or not code:
        return
    key = (*period, code)
    row.key = f"{values['period']} {code}"
    first = state.seen.setdefault(key, row.row)
    if first != row.row:
        row.errors.append(
            ("统一社会信用代码", _("duplicate of row %(row)d in this file.") % {"row": first})
        )
        return
    filing = state.filings.get(key)
    if filing is None:
        row.errors.append(
            (
                "统一社会信用代码",
                _(
                    "this company was not asked to file this period; open the period or ask it to file first."
                ),
            )
        )
        return
    data = {name: values[name] for name in FILING_FIGURES}
    trial = StatFiling(pk=filing.pk, enterprise=filing.enterprise, period=filing.period, **data)
    for check in filings.filing_checks(trial):
        if not check.flag or values["confirm"] != "yes":
            header = next(c.header for c in COLUMNS if c.field == check.field)
            row.errors.append((header, check.message))
    if row.errors:
        return
    row.context = {"filing": filing, "data": data, "confirm": values["confirm"] == "yes"}
    if filing.state == FilingState.DUE:
        row.action = "create"
        return
    row.changes = imports.changed_fields(filing, data)
    if row.changes and not state.may_correct:
        row.errors.append(("报告期", _("these figures are filed; the park's staff correct them.")))
        return
    row.action = "update" if row.changes else "unchanged"


def _write_row(row: RowPlan, actor: Any) -> None:
    filing, data, confirm = row.context["filing"], row.context["data"], row.context["confirm"]
    if row.action == "create":
        filings.filing_submit(actor=actor, filing=filing, data=data, confirm=confirm)
    else:
        filings.filing_correct(
            actor=actor,
            filing=filing,
            data=data,
            reason=_("Corrected by spreadsheet import"),
            confirm=confirm,
        )


def _label(filing: StatFiling) -> str:
    period = filing.period
    if period.kind == StatPeriodKind.QUARTER:
        return f"{period.year}年第{period.number}季度"
    if period.kind == StatPeriodKind.MONTH:
        return f"{period.year}年{period.number}月"
    return f"{period.year}年度"


def _export_rows(user: Any, park_code: str | None) -> Iterator[list[Any]]:
    qs = StatFiling.objects.restrict(user).select_related("period", "enterprise")
    for f in qs.order_by("-period__ends_on", "enterprise__name"):
        figures: list[Any] = [getattr(f, name) for name in FILING_FIGURES]
        yield [
            _label(f),
            f.enterprise.credit_code,
            f.enterprise.name,
            *(Decimal(v) if isinstance(v, Decimal) else v for v in figures),
            "是" if f.confirmed_flags else None,
        ]


TEMPLATE_KIND = "enterprises.statfiling"
TEMPLATE = imports.register(
    TEMPLATE_KIND,
    imports.Template(
        columns=COLUMNS,
        prepare=_prepare,
        plan_row=_plan_row,
        write_row=_write_row,
        sheet_title="企业统计报表",
        guide="按报告期和统一社会信用代码匹配：待填报的即填报，已填报的按导入更正；"
        "人员与专利填期末数，金额填本期发生额（万元）。",
        export_rows=_export_rows,
    ),
)
plan_import = partial(imports.plan_import, TEMPLATE)
apply_import = partial(imports.apply_import, TEMPLATE)
