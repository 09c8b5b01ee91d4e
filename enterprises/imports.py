"""Enterprises from and to .xlsx in the Chinese template (企业导入模板), matched by credit code.

The credit code is normalised and its check digit validated; the industry is a GB/T 4754-2017
code at division, group or class level (39, 397, 3973); catalog tags are names separated by 、 or commas.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from core import imports
from core.imports import Col, RowPlan
from enterprises import services
from enterprises.choices import GrowthStage
from enterprises.models import CatalogTag, Enterprise, Industry
from enterprises.validators import normalize_credit_code

__all__ = ["COLUMNS", "TEMPLATE", "TEMPLATE_KIND", "apply_import", "plan_import"]

STAGES = {
    "初创期": GrowthStage.STARTUP,
    "成长期": GrowthStage.GROWTH,
    "扩张期": GrowthStage.EXPANSION,
    "成熟期": GrowthStage.MATURE,
}

COLUMNS: list[Col] = [
    Col("企业名称", "name", "text", hint="营业执照上的名称"),
    Col("统一社会信用代码", "credit_code", "upper", hint="18 位，如 91110108MA01A2B3C9"),
    Col(
        "行业代码",
        "industry",
        "text",
        required=False,
        hint="国民经济行业分类代码（大类、中类或小类），如 39、397、3973",
    ),
    Col("成长阶段", "stage", "choice", required=False, choices=STAGES, hint="默认初创期"),
    Col("成立日期", "established_on", "date", required=False, hint="如 2018-05-20"),
    Col(
        "注册资本(万元)",
        "registered_capital_wan",
        "decimal",
        required=False,
        units=("万元", "万"),
        hint="如 1000",
    ),
    Col(
        "实缴资本(万元)",
        "paid_in_capital_wan",
        "decimal",
        required=False,
        units=("万元", "万"),
        hint="不超过注册资本",
    ),
    Col("法定代表人", "legal_representative", "text", required=False, hint="姓名"),
    Col("注册地址", "address", "text", required=False, hint="如 北京市海淀区…"),
    Col("园区标签", "tags", "text", required=False, hint="多个用顿号分隔，如 智能制造、人工智能"),
]
FIELDS = [
    "name",
    "credit_code",
    "stage",
    "established_on",
    "registered_capital_wan",
    "paid_in_capital_wan",
    "legal_representative",
    "address",
]


@dataclass
class _State:
    industries: dict[str, Industry]
    tags: dict[str, CatalogTag]
    existing: dict[str, Enterprise]
    changeable: set[int]
    may_add: bool
    seen: dict[str, int] = field(default_factory=dict)


def _prepare(user: Any) -> _State:
    return _State(
        industries={i.code: i for i in Industry.objects.filter(code__regex=r"^\d{2,4}$")},
        tags={t.name: t for t in CatalogTag.objects.all()},
        existing={e.credit_code: e for e in Enterprise.objects.prefetch_related("tags")},
        changeable=set(Enterprise.objects.restrict(user, "change").values_list("id", flat=True)),
        may_add=Enterprise.policy.allows_role(user, "add"),
    )


def _plan_row(row: RowPlan, state: _State) -> None:
    values = row.values
    code = normalize_credit_code(values["credit_code"] or "")
    values["credit_code"] = code
    row.key = code
    if code:
        first = state.seen.setdefault(code, row.row)
        if first != row.row:
            row.errors.append(
                ("统一社会信用代码", _("duplicate of row %(row)d in this file.") % {"row": first})
            )
    industry = None
    if values["industry"]:
        industry = state.industries.get(values["industry"].strip().zfill(2))
        if industry is None:
            row.errors.append(
                (
                    "行业代码",
                    _(
                        "“%(code)s” is not a GB/T 4754-2017 code: use a division (39), "
                        "group (397) or class (3973)."
                    )
                    % {"code": values["industry"]},
                )
            )
    tag_names = [t for t in re.split(r"[、,，;；\s]+", values["tags"] or "") if t]
    unknown = [t for t in tag_names if t not in state.tags]
    if unknown:
        row.errors.append(
            (
                "园区标签",
                _("unknown tags %(tags)s; use: %(known)s.")
                % {"tags": "、".join(unknown), "known": "、".join(state.tags)},
            )
        )
    data = {f: values[f] for f in FIELDS}
    data["stage"] = data["stage"] or GrowthStage.STARTUP
    data["industry"] = industry
    row.context = {
        "data": data,
        "tags": sorted(state.tags[t].pk for t in tag_names if t in state.tags),
    }
    existing = state.existing.get(code)
    candidate = Enterprise(**{k: v for k, v in data.items()})
    candidate.pk = existing.pk if existing else None
    unread = [k for k, v in data.items() if v is None]
    try:
        candidate.full_clean(exclude=unread, validate_unique=False)
    except ValidationError as exc:
        imports.add_model_errors(row, exc, COLUMNS)
    if existing is not None and existing.pk not in state.changeable:
        row.errors.append(("统一社会信用代码", _("this company exists and you may not change it.")))
    if existing is None and not state.may_add:
        row.errors.append(
            ("统一社会信用代码", _("this company is new and you may not add companies."))
        )
    if row.errors:
        return
    if existing is None:
        row.action = "create"
        return
    row.changes = imports.changed_fields(existing, data)
    old_tags = sorted(t.pk for t in existing.tags.all())
    if old_tags != row.context["tags"]:
        row.changes["tags"] = (old_tags, row.context["tags"])
    row.action = "update" if row.changes else "unchanged"


def _write_row(row: RowPlan, actor: Any) -> None:
    data, tags = row.context["data"], row.context["tags"]
    if row.action == "create":
        services.enterprise_create(actor=actor, instance=Enterprise(**data), m2m={"tags": tags})
    else:
        enterprise = Enterprise.objects.get(credit_code=data["credit_code"])
        services.enterprise_update(actor=actor, instance=enterprise, data={**data, "tags": tags})


def _export_rows(user: Any, park_code: str | None) -> Iterator[list[Any]]:
    stage = COLUMNS[3]
    qs = Enterprise.objects.restrict(user).select_related("industry").prefetch_related("tags")
    for e in qs.order_by("name"):
        yield [
            e.name,
            e.credit_code,
            e.industry.code if e.industry else None,
            imports.label_of(stage, e.stage),
            e.established_on,
            e.registered_capital_wan,
            e.paid_in_capital_wan,
            e.legal_representative,
            e.address,
            "、".join(t.name for t in e.tags.all()),
        ]


TEMPLATE_KIND = "enterprises.enterprise"
TEMPLATE = imports.register(
    TEMPLATE_KIND,
    imports.Template(
        columns=COLUMNS,
        prepare=_prepare,
        plan_row=_plan_row,
        write_row=_write_row,
        sheet_title="企业",
        guide="按统一社会信用代码匹配：已有企业更新，新企业新增；同一文件重复导入不会产生变化。",
        export_rows=_export_rows,
    ),
)
plan_import = partial(imports.plan_import, TEMPLATE)
apply_import = partial(imports.apply_import, TEMPLATE)
