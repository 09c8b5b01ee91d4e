"""Plain rows: an API list whose output schema only copies columns is read with ``.values()``
and written as JSON as it is, without a model object or a schema object per row.

Why: at 200,000 units the time of a list went to building an ORM object per row and to
django-ninja resolving each of its fields through its getter (bench/scale.py's profile); a
bare ``.values()`` endpoint served three times the requests. A schema qualifies only when
nothing in it computes, hides or converts: every field is a column of the model or of a row
it points to (``park.code``), of a type that JSON-encodes the same whether or not pydantic
validated it first, with no resolver, validator or policy. Any other schema keeps the
validated path. ``core/tests/test_api_rows.py`` checks, for every list that qualifies, that
both paths answer the same bytes.
"""

from __future__ import annotations

import datetime
import enum
import json
import types
import typing
from decimal import Decimal
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.http import HttpResponse
from ninja import Schema
from ninja.responses import NinjaJSONEncoder

__all__ = ["plain_columns", "rows_response"]

# Types whose value from the database is already what validation would produce
_AS_STORED = (int, str, bool, Decimal, datetime.date, datetime.datetime)
NINJA_ROOT_VALIDATOR = "_run_root_validator"


def _stored_type(annotation: Any) -> bool:
    if isinstance(annotation, types.UnionType) or typing.get_origin(annotation) is typing.Union:
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        return len(args) == 1 and _stored_type(args[0])
    if isinstance(annotation, type) and issubclass(annotation, enum.Enum):
        return all(isinstance(member.value, str) for member in annotation)  # TextChoices
    return annotation in _AS_STORED


def _path(model: type[models.Model], dotted: str) -> str | None:
    """``park.code`` → ``park__code`` when each step is a forward relation and the last a
    column; None otherwise (a property, a reverse or many-to-many relation, a method)."""
    *relations, column = dotted.split(".")
    current = model
    for name in relations:
        try:
            field = current._meta.get_field(name)
        except FieldDoesNotExist:
            return None
        if not (field.many_to_one or field.one_to_one) or not field.concrete:
            return None
        current = field.related_model  # type: ignore[assignment]
    columns = {
        n: f
        for f in current._meta.concrete_fields
        for n in {f.name, f.attname}
        if not f.is_relation
    }
    columns.update({f.attname: f for f in current._meta.concrete_fields if f.is_relation})
    return "__".join([*relations, column]) if column in columns else None


def plain_columns(schema: type[Schema], model: type[models.Model]) -> dict[str, str] | None:
    """Each field of ``schema`` and the ``.values()`` path it copies, or None when the schema
    computes, hides or converts anything (it then goes through validation)."""
    decorators = schema.__pydantic_decorators__
    if (
        getattr(schema, "policy_model", None) is not None
        or getattr(schema, "_ninja_resolvers", None)
        or set(decorators.model_validators) - {NINJA_ROOT_VALIDATOR}
        or decorators.field_validators
        or decorators.field_serializers
        or decorators.model_serializers
        or decorators.computed_fields
    ):
        return None
    columns = {}
    for name, info in schema.model_fields.items():
        path = _path(model, info.alias or name)
        if path is None or not _stored_type(info.annotation):
            return None
        columns[name] = path
    return columns


def rows_response(
    columns: dict[str, str], rows: list[dict[str, Any]], next_cursor: Any
) -> HttpResponse:
    """The page as ninja would write it: ``{"items": [...], "next": ...}``, fields by name."""
    items = [{name: row[path] for name, path in columns.items()} for row in rows]
    body = json.dumps({"items": items, "next": next_cursor}, cls=NinjaJSONEncoder)
    return HttpResponse(body, content_type="application/json; charset=utf-8")
