"""Declarative table columns shared by list pages: label, value, sorting, link to the row."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any

from django.db import models
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext as _

from core.permissions import HIDE, MASK, field_access

__all__ = [
    "TONES",
    "Column",
    "cell_value",
    "columns_for",
    "relations_shown",
    "shown",
    "status_tag",
]


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


def relations_shown(model: type[models.Model], columns: list[Column]) -> list[str]:
    """The forward relations the columns read ("floor.building.name" reads floor and
    floor__building; a column showing a related record reads what its __str__ reads):
    joined into the list's one query, so that a page of rows costs no query per row."""
    paths: set[str] = set()
    for column in columns:
        if not isinstance(column.field, str):
            continue
        current: Any = model
        hops: list[str] = []
        for name in column.field.split("."):
            try:
                field = current._meta.get_field(name)
            except Exception:  # a property or an annotation: nothing more to join
                break
            if not (field.many_to_one or field.one_to_one) or field.auto_created:
                break
            hops.append(name)
            paths.add("__".join(hops))
            current = field.related_model
        if hops:  # the related object is shown by its __str__: join what that reads too
            _add_str_related(paths, "__".join(hops), current)
    return sorted(paths)


def _add_str_related(paths: set[str], path: str, model: Any, depth: int = 0) -> None:
    """``model.str_related`` names the relations its __str__ reads (declared on the model,
    checked by a test); each is joined under ``path``, and so on down (a few levels)."""
    for name in getattr(model, "str_related", ()):
        if depth > 3:
            return
        joined = f"{path}__{name}"
        paths.add(joined)
        _add_str_related(paths, joined, model._meta.get_field(name).related_model, depth + 1)


# One palette for every status on every page: where a record stands, at a glance.
TONES = {
    "green": {
        "active",
        "settled",
        "approved",
        "converted",
        "leased",
        "done",
        "issued",
        "valid",
        "resolved",
        "graduated",
        "completed",
        "filed",
    },
    "blue": {
        "submitted",
        "screening",
        "risk",
        "review",
        "vacant",
        "open",
        "running",
        "queued",
        "in_progress",
        "planned",
        "agreed",
    },
    "orange": {"draft", "partial", "reserved", "expiring", "pending", "renewed", "waiting", "due"},
    "red": {
        "overdue",
        "rejected",
        "terminated",
        "failed",
        "expired",
        "withdrawn",
        "cancelled",
        "exited",
    },
}
_TONE_OF = {value: tone for tone, values in TONES.items() for value in values}


def status_tag(value: Any, label: Any) -> Any:
    """A status as a coloured tag (``value`` picks the colour, ``label`` is what it says)."""
    tone = _TONE_OF.get(str(value), "")
    return format_html('<span class="tag{}">{}</span>', f" tag-{tone}" if tone else "", label)


def cell_value(obj: Any, column: Column) -> Any:
    if column.render is not None:
        return column.render(obj)
    if column.field in ("state", "status") and hasattr(obj, f"get_{column.field}_display"):
        return status_tag(getattr(obj, column.field), getattr(obj, f"get_{column.field}_display")())
    target = obj
    *parents, last = column.field.split(".")
    for attr in parents:
        target = getattr(target, attr, None)
        if target is None:
            return ""
    display = getattr(target, f"get_{last}_display", None)
    value = display() if display else getattr(target, last, "")
    return "" if value is None else shown(value)


def shown(value: Any) -> Any:
    """A value as every page shows it: 1,643,658.88 with its decimals, dates as 2024-03-04,
    times as 2024-03-04 09:30 (local), yes/no as a 是/否 tag — never "True" or 2024年3月4日."""
    if isinstance(value, bool):
        word, tone = (_("Yes"), "green") if value else (_("No"), "")
        return format_html('<span class="tag {}">{}</span>', f"tag-{tone}" if tone else "", word)
    if isinstance(value, Decimal):
        # grouped here, not by intcomma: Django's zh-hans format does not group whole numbers
        return format(value.normalize() if value == value.to_integral() else value, ",f")
    if isinstance(value, datetime.datetime):
        return date_format(timezone.localtime(value), "Y-m-d H:i")
    if isinstance(value, datetime.date):
        return date_format(value, "Y-m-d")
    return value


def columns_for(user: Any, model: type[models.Model], columns: list[Column]) -> list[Column]:
    """The columns ``user`` may read: hidden fields left out, masked ones shown masked."""
    shown = []
    for column in columns:
        name = column.field.split(".")[0]
        access = field_access(user, model, name)
        if access == HIDE:
            continue
        if access == MASK:
            column = _masked(column, model.policy, name)  # type: ignore[attr-defined]
        shown.append(column)
    return shown


def _masked(column: Column, policy: Any, name: str) -> Column:
    # not sortable: sorting by a masked value would tell its order
    return replace(
        column, render=lambda obj: policy.mask(name, cell_value(obj, column)), sortable=False
    )
