"""A report's API operation, from its definition (core.reports): the same parameters, scope,
rows and totals as its page and downloads."""

# No `from __future__ import annotations`: ninja reads the signature at run time.

import datetime
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.http import HttpRequest, QueryDict
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from pydantic import create_model

from core.api.base import ERRORS, IsoDate, RowId, named_enum, scoped
from core.reports import Report, ReportColumn, park_model

__all__ = ["register_report"]

_TYPES: dict[str, Any] = {
    "text": str,
    "int": int,
    "date": datetime.date,
    "money": Decimal,
    "area": Decimal,
    "decimal": Decimal,
    "ratio": Decimal,
}


def _schema_name(report: Report, suffix: str) -> str:
    return f"{type(report).__name__.removesuffix('Report')}{suffix}"


def _item_schema(report: Report) -> type[Schema]:
    fields: dict[str, Any] = {}
    for column in report.columns:
        kind = _TYPES[column.kind]
        text = column.description or str(column.label)
        fields[column.key] = (kind | None, Field(None, description=text))
    return create_model(_schema_name(report, "Row"), __base__=Schema, **fields)  # type: ignore[call-overload,no-any-return]


def _totals_schema(report: Report) -> type[Schema]:
    totals: list[ReportColumn] = [c for c in report.columns if c.total]
    fields: dict[str, Any] = {
        c.key: (Decimal | None, Field(None, description=f"Sum of `{c.key}` over the rows"))
        for c in totals
    }
    return create_model(_schema_name(report, "Totals"), __base__=Schema, **fields)  # type: ignore[call-overload,no-any-return]


def _query_schema(report: Report) -> type[Schema]:
    """park (code) and date, then the report's own parameters from its form."""
    fields: dict[str, Any] = {
        "park_id": (
            RowId | None,
            Field(None, description="Id of the park; empty: every park you see"),
        ),
        "park": (
            str | None,
            Field(
                None, max_length=20, description="Park code: a readable alternative to `park_id`"
            ),
        ),
        "date": (IsoDate | None, Field(None, description="Default: today (Asia/Shanghai)")),
    }
    form = report.form_class
    for name, field in form.base_fields.items():
        if name in ("park", "on"):
            continue
        kind: Any = str
        if isinstance(field, forms.ModelChoiceField):  # a related row: by id, as everywhere
            kind, name = RowId, f"{name}_id"
        elif isinstance(field, forms.ChoiceField):
            values = [str(value) for value, _label in field.choices]  # type: ignore[union-attr,misc]
            kind = named_enum(f"{_schema_name(report, '')}{name.title()}", values)
        elif isinstance(field, forms.IntegerField):
            kind = int
        fields[name] = (kind | None, Field(None, description=str(field.label)))
    return create_model(_schema_name(report, "Query"), __base__=Schema, **fields)  # type: ignore[call-overload,no-any-return]


def register_report(router: Router, path: str, report: Report) -> None:
    """``GET <path>``: ``{"items": [...], "totals": {...}, "next": null}`` (one page)."""
    query_schema = _query_schema(report)
    page = create_model(  # type: ignore[call-overload]
        _schema_name(report, "Page"),
        __base__=Schema,
        items=(list[_item_schema(report)], Field(..., description="One item per row")),  # type: ignore[misc,arg-type]
        totals=(_totals_schema(report), Field(..., description="The totals row")),
        next=(str | None, Field(None, description="Always null: a report is one page")),
    )

    def run(request: HttpRequest, query: Query[query_schema]) -> Any:  # type: ignore[valid-type]
        given = {k: v for k, v in query.dict().items() if v is not None}  # type: ignore[attr-defined]
        if "park_id" in given:  # the form takes the park by code
            parks = park_model().objects.restrict(request.user).filter(pk=given.pop("park_id"))
            code = parks.values_list("code", flat=True).first()
            if code is None:
                raise ValidationError({"park_id": [_("No park with this id that you may see.")]})
            given.setdefault("park", code)
        data = QueryDict(mutable=True)
        for name, value in given.items():
            key = {"date": "on"}.get(name, name.removesuffix("_id"))
            data[key] = value.isoformat() if isinstance(value, datetime.date) else str(value)
        form, report_query = report.query(data, request.user)
        if form.errors:
            names = {"on": "date", "park": "park"}  # the API's names of the form's fields
            names |= {k: f"{k}_id" for k in form.fields if k not in names}
            names = {k: v if v in query_schema.model_fields else k for k, v in names.items()}
            raise ValidationError(
                {names.get(k, k): [str(m) for m in v] for k, v in form.errors.items()}
            )
        result = report.run(report_query)
        return {
            "items": result.items,
            "totals": report.totals(report_query, result.items),
            "next": None,
        }

    router.add_api_operation(
        path,
        ["GET"],
        run,
        response={200: page, **ERRORS},
        summary=f"Report: {report.key.replace('_', ' ')}",
        operation_id=f"report_{report.key}",
        **scoped(report.model, "view", description=report.description),
    )
