"""Plain rows: an API list whose output schema only copies columns is read with ``.values()``
and written as JSON as it is, without a model object or a schema object per row; any other
list whose schema only reads attributes, calls static resolvers and applies the policy's field
rules is written from its model objects the same way, without a schema object per row.

Why: at 200,000 units the time of a list went to building an ORM object per row and to
django-ninja resolving each of its fields through its getter (bench/scale.py's profile); a
bare ``.values()`` endpoint served three times the requests.

For ``.values()``, every field must be a column of the model or of a row it points to
(``park.code``), with no resolver, validator or policy. For the object writer, every field
is an attribute or a static resolver's result, the only validator is RowOut's field rules
(applied here the same way), and nested schemas qualify the same way. Either way the field's
type must JSON-encode the same whether or not pydantic validated it first. Any other schema
keeps the validated path. ``core/tests/test_api_rows.py`` checks, for every list and every
demo role, that both paths answer the same bytes.
"""

from __future__ import annotations

import datetime
import enum
import json
import operator
import types
import typing
from decimal import Decimal
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models.fields.files import FieldFile
from django.http import HttpResponse
from ninja import Schema
from ninja.responses import NinjaJSONEncoder

__all__ = ["object_writer", "page_response", "plain_columns", "rows_response"]

# Types whose value from the database is already what validation would produce
_AS_STORED = (int, str, bool, Decimal, datetime.date, datetime.datetime)
NINJA_ROOT_VALIDATOR = "_run_root_validator"


def _optional(annotation: Any) -> Any:
    """``X | None`` → X; anything else as it is."""
    if isinstance(annotation, types.UnionType) or typing.get_origin(annotation) is typing.Union:
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        return args[0] if len(args) == 1 else annotation
    return annotation


def _stored_type(annotation: Any) -> bool:
    annotation = _optional(annotation)
    if typing.get_origin(annotation) is typing.Literal:
        return all(isinstance(a, str) for a in typing.get_args(annotation))
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


def _converts(schema: type[Schema], allowed: set[str]) -> bool:
    """Whether validation would run code of the schema's own beyond ``allowed`` validators."""
    decorators = schema.__pydantic_decorators__
    return bool(
        set(decorators.model_validators) - {NINJA_ROOT_VALIDATOR, *allowed}
        or decorators.field_validators
        or decorators.field_serializers
        or decorators.model_serializers
        or decorators.computed_fields
    )


def plain_columns(schema: type[Schema], model: type[models.Model]) -> dict[str, str] | None:
    """Each field of ``schema`` and the ``.values()`` path it copies, or None when the schema
    computes, hides or converts anything (it then goes through validation)."""
    if (
        getattr(schema, "policy_model", None) is not None
        or getattr(schema, "_ninja_resolvers", None)
        or _converts(schema, set())
    ):
        return None
    columns = {}
    for name, info in schema.model_fields.items():
        path = _path(model, info.alias or name)
        if path is None or not _stored_type(info.annotation):
            return None
        columns[name] = path
    return columns


Writer = typing.Callable[[Any, Any], dict[str, Any]]


def _as_ninja_reads(value: Any) -> Any:
    """What django-ninja's getter makes of an attribute (DjangoGetter._convert_result)."""
    if isinstance(value, models.Manager):
        return list(value.all())
    if isinstance(value, models.QuerySet):
        return list(value)
    if isinstance(value, FieldFile):
        return value.url if value else None
    return value() if callable(value) else value


Reader = typing.Callable[[Any, Any], Any]  # (object, validation context) -> value


def _reader(schema: type[Schema], name: str) -> Reader | None:
    info = schema.model_fields[name]
    resolver = getattr(schema, "_ninja_resolvers", {}).get(name)
    if resolver is not None:
        if not resolver._static:
            return None
        if resolver._takes_context:
            return lambda obj, context: _as_ninja_reads(resolver._func(obj, context=context))
        return lambda obj, context: _as_ninja_reads(resolver._func(obj))
    key = info.alias or name
    get = operator.attrgetter(key)
    required = info.is_required()

    def read(obj: Any, context: Any) -> Any:
        # a resolver may give dicts for a nested schema: ninja reads their keys as they are
        if isinstance(obj, dict):
            return _as_ninja_reads(obj[key])
        try:
            return _as_ninja_reads(get(obj))
        except AttributeError:  # park.code of no park: the field's default, as validation
            if required:
                raise
            return info.get_default(call_default_factory=True)

    return read


def _nested(annotation: Any) -> tuple[type[Schema], bool] | None:
    """(schema, is a list) for a field holding one nested schema or a list of them."""
    annotation = _optional(annotation)
    many = typing.get_origin(annotation) is list
    inner = typing.get_args(annotation)[0] if many else annotation
    if isinstance(inner, type) and issubclass(inner, Schema):
        return inner, many
    return None


def object_writer(schema: type[Schema]) -> Writer | None:
    """A function writing a model object as ``schema`` would dump it after validation, for
    ``(object, request)``; None when the schema converts values in ways it cannot copy."""
    from core.api.base import RowOut
    from core.permissions import HIDDEN, shown_value

    if _converts(schema, {"_field_rules"} if issubclass(schema, RowOut) else set()):
        return None
    fields: list[tuple[str, Reader, Any]] = []
    for name, info in schema.model_fields.items():
        read = _reader(schema, name)
        if read is None:
            return None
        annotation = _optional(info.annotation)
        if nested := _nested(annotation):
            inner, many = nested
            write_inner = object_writer(inner)
            if write_inner is None:
                return None
            fields.append((name, read, (write_inner, many)))
        elif _stored_type(annotation) or (
            typing.get_origin(annotation) is list
            and all(_stored_type(a) for a in typing.get_args(annotation))
        ):
            fields.append((name, read, None))
        else:
            return None
    model = getattr(schema, "policy_model", None)

    def write(obj: Any, request: Any) -> dict[str, Any]:
        row, context = {}, {"request": request, "response_status": 200}  # as ninja's
        for name, read, nested in fields:
            value = read(obj, context)
            if nested is not None and value is not None:
                inner, many = nested
                value = [inner(v, request) for v in value] if many else inner(value, request)
            elif isinstance(value, set | tuple):
                value = list(value)
            row[name] = value
        if model is not None:  # RowOut: the policy's field rules, as its validator applies
            for name in row:
                shown = shown_value(request.user, model, name, row[name])
                row[name] = None if shown is HIDDEN else shown
        return row

    return write


def page_response(items: list[dict[str, Any]], next_cursor: Any) -> HttpResponse:
    """The page as ninja would write it: ``{"items": [...], "next": ...}``, fields by name."""
    body = json.dumps({"items": items, "next": next_cursor}, cls=NinjaJSONEncoder)
    return HttpResponse(body, content_type="application/json; charset=utf-8")


def rows_response(
    columns: dict[str, str], rows: list[dict[str, Any]], next_cursor: Any
) -> HttpResponse:
    """Plain rows (``plain_columns``) as their page."""
    return page_response(
        [{name: row[path] for name, path in columns.items()} for row in rows], next_cursor
    )
