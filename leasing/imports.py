"""Fapiao (发票) of bills from and to .xlsx in the Chinese template (发票导入模板).

Finance staff export the bills, fill in the fapiao their tax system issued, and import the file:
rows are matched by bill number, so importing the same file again changes nothing. Every row is
checked before anything is written; one bad row writes nothing.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from core import imports
from core.imports import Col, RowPlan
from leasing import billing
from leasing.choices import FapiaoKind, InvoiceKind
from leasing.models import Invoice

__all__ = ["COLUMNS", "TEMPLATE", "TEMPLATE_KIND", "apply_import", "plan_import"]

KINDS = {"普票": FapiaoKind.NORMAL, "专票": FapiaoKind.SPECIAL}

COLUMNS: list[Col] = [
    Col("账单编号", "number", "upper", hint="导出的账单编号，如 ZZGC-20260101-00001-P01"),
    Col("发票号码", "fapiao_no", "text", hint="8 位或 20 位数字"),
    Col("开票日期", "fapiao_on", "date", hint="如 2026-01-05"),
    Col("发票类型", "fapiao_kind", "choice", choices=KINDS, hint="普票 或 专票"),
    Col("租户", "tenant", "text", required=False, hint="仅供核对，不导入"),
    Col("金额(元)", "amount", "decimal", required=False, hint="仅供核对，不导入"),
]


@dataclass
class _State:
    bills: dict[str, Invoice]
    seen: dict[str, int] = field(default_factory=dict)


def _prepare(user: Any) -> _State:
    bills = Invoice.objects.restrict(user, "change").exclude(
        kind__in=(InvoiceKind.CREDIT, InvoiceKind.DEPOSIT)
    )
    return _State(bills={b.number: b for b in bills.select_related("enterprise")})


def _plan_row(row: RowPlan, state: _State) -> None:
    values = row.values
    number = values["number"] or ""
    row.key = number
    first = state.seen.setdefault(number, row.row)
    if number and first != row.row:
        row.errors.append(
            ("账单编号", _("duplicate of row %(row)d in this file.") % {"row": first})
        )
    bill = state.bills.get(number)
    if number and bill is None:
        row.errors.append(
            ("账单编号", _("no bill “%(number)s” that you manage.") % {"number": number})
        )
    fapiao_no = (values["fapiao_no"] or "").replace(" ", "")
    if fapiao_no and not billing.FAPIAO_NUMBER.match(fapiao_no):
        row.errors.append(("发票号码", _("a fapiao number is 8 to 20 digits.")))
    on: datetime.date | None = values["fapiao_on"]
    if on is not None and on > timezone.localdate():
        row.errors.append(("开票日期", _("the date is in the future.")))
    if row.errors or bill is None:
        return
    row.context = {"bill": bill, "fapiao_no": fapiao_no, "on": on, "kind": values["fapiao_kind"]}
    new = {"fapiao_no": fapiao_no, "fapiao_on": on, "fapiao_kind": values["fapiao_kind"]}
    row.changes = {k: (getattr(bill, k), v) for k, v in new.items() if getattr(bill, k) != v}
    row.action = "update" if row.changes else "unchanged"


def _write_row(row: RowPlan, actor: Any) -> None:
    context = row.context
    try:
        billing.fapiao_record(
            actor=actor,
            invoice=Invoice.objects.get(pk=context["bill"].pk),
            number=context["fapiao_no"],
            on=context["on"],
            kind=context["kind"],
        )
    except ValidationError as exc:  # checked in the plan; kept for a change in between
        raise ValidationError({"发票号码": exc.messages}) from exc


def _export_rows(user: Any, park_code: str | None) -> Iterator[list[Any]]:
    kind = COLUMNS[3]
    bills = Invoice.objects.restrict(user).exclude(
        kind__in=(InvoiceKind.CREDIT, InvoiceKind.DEPOSIT)
    )
    if park_code:
        bills = bills.filter(park__code=park_code)
    for b in bills.select_related("enterprise").order_by("issued_on", "number"):
        yield [
            b.number,
            b.fapiao_no or None,
            b.fapiao_on,
            imports.label_of(kind, b.fapiao_kind) if b.fapiao_kind else None,
            b.enterprise.name,
            b.amount,
        ]


TEMPLATE_KIND = "leasing.invoice"  # app.model, as the import pages name their URLs
TEMPLATE = imports.register(
    TEMPLATE_KIND,
    imports.Template(
        columns=COLUMNS,
        prepare=_prepare,
        plan_row=_plan_row,
        write_row=_write_row,
        sheet_title="发票",
        guide="按账单编号匹配：先导出账单，填入税务系统开具的发票号码、开票日期和类型后导入；"
        "同一文件重复导入不会产生变化。",
        export_rows=_export_rows,
    ),
)
plan_import = partial(imports.plan_import, TEMPLATE)
apply_import = partial(imports.apply_import, TEMPLATE)
