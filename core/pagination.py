"""Keyset (cursor) pagination: the cost of a page does not grow with how deep it is.

A cursor encodes the sort value and primary key of the last row shown; the next page is the
rows after that pair in the same order. No row count is taken (counting every row is what made
other products' list views slow at scale, see FIELD-NOTES).
"""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.db.models import Q

__all__ = ["InvalidCursor", "Page", "key_columns", "keyset_page"]


class InvalidCursor(ValueError):
    pass


@dataclass
class Page:
    items: list[Any]
    next_cursor: str | None
    order: str


def _encode(value: Any, pk: Any) -> str:
    raw = json.dumps([None if value is None else str(value), pk]).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _decode(cursor: str, field: models.Field) -> tuple[Any, Any]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        value, pk = json.loads(raw)
        return field.to_python(value), int(pk)
    except (binascii.Error, ValueError, TypeError, json.JSONDecodeError) as exc:
        raise InvalidCursor(str(exc)) from exc
    except Exception as exc:  # ValidationError from to_python
        raise InvalidCursor(str(exc)) from exc


def _order_field(model: type[models.Model], order: str) -> models.Field:
    name = order.lstrip("-")
    return model._meta.get_field(model._meta.pk.name if name == "pk" else name)  # type: ignore[return-value]


def key_columns(model: type[models.Model], order: str) -> tuple[str, str]:
    """The columns a page of ``.values()`` rows must hold for its cursor: the order's, "pk"."""
    field = _order_field(model, order)
    return getattr(field, "attname", field.name), "pk"


def keyset_page(queryset: models.QuerySet, *, order: str, cursor: str | None, size: int) -> Page:
    """One page of ``queryset`` ordered by ``order`` ("field" or "-field") then primary key;
    its rows are model objects, or dicts holding ``key_columns`` for a ``.values()`` query."""
    descending = order.startswith("-")
    field = _order_field(queryset.model, order)
    attname = getattr(field, "attname", field.name)
    qs = queryset.order_by(f"-{attname}", "-pk") if descending else queryset.order_by(attname, "pk")
    if cursor:
        value, pk = _decode(cursor, field)  # type: ignore[arg-type]
        cmp = "lt" if descending else "gt"
        qs = qs.filter(Q(**{f"{attname}__{cmp}": value}) | Q(**{attname: value, f"pk__{cmp}": pk}))
    rows = list(qs[: size + 1])
    next_cursor = None
    if len(rows) > size:
        rows = rows[:size]
        last = rows[-1]
        if isinstance(last, dict):
            next_cursor = _encode(last[attname], last["pk"])
        else:
            next_cursor = _encode(getattr(last, attname), last.pk)
    return Page(items=rows, next_cursor=next_cursor, order=order)
