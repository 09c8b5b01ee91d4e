"""Declarative table columns shared by list pages: label, value, sorting, link to the row."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib.humanize.templatetags.humanize import intcomma
from django.db import models
from django.utils.formats import date_format

__all__ = ["Column", "cell_value"]


@dataclass(frozen=True)
class Column:
    """One column: ``field`` is an attribute path ("floor.building.name") or a callable."""

    field: str
    label: Any = None
    sortable: bool = False
    link: bool = False
    numeric: bool = False
    render: Callable[[Any], Any] | None = None

    def label_for(self, model: type[models.Model]) -> Any:
        if self.label is not None:
            return self.label
        name = self.field.split(".")[0]
        return getattr(model._meta.get_field(name), "verbose_name", name)

    def sort_key(self) -> str:
        return self.field


def cell_value(obj: Any, column: Column) -> Any:
    if column.render is not None:
        return column.render(obj)
    target = obj
    *parents, last = column.field.split(".")
    for attr in parents:
        target = getattr(target, attr, None)
        if target is None:
            return ""
    display = getattr(target, f"get_{last}_display", None)
    value = display() if display else getattr(target, last, "")
    if isinstance(value, Decimal):
        return intcomma(format(value.normalize() if value == value.to_integral() else value, "f"))
    if hasattr(value, "isoformat") and not isinstance(value, str):
        return date_format(value, "Y-m-d")
    return "" if value is None else value
