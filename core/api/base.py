from __future__ import annotations

import datetime
import enum
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Annotated, Any, ClassVar, Literal

import django_filters
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models
from django.http import HttpRequest
from django.utils import translation
from django.utils.translation import gettext as _
from ninja import Field, Path, Schema
from ninja.errors import HttpError
from pydantic import BeforeValidator, ValidationInfo, create_model, model_validator
from pydantic_core import PydanticCustomError, core_schema

from core.api.auth import gate
from core.errors import ERROR_CODES
from core.pagination import InvalidCursor, keyset_page
from core.permissions import HIDDEN, get_restricted_or_404, shown_value

__all__ = [
    "ERRORS",
    "DecimalIn",
    "ErrorOut",
    "FilterQuery",
    "IsoDate",
    "PathId",
    "RowId",
    "RowOut",
    "api_operation",
    "describe_fields",
    "filter_queryset",
    "get_or_404",
    "named_enum",
    "page_of",
    "page_schema",
    "scoped",
    "signed_in",
]


ErrorCode = Literal[tuple(ERROR_CODES)]  # type: ignore[valid-type]


class ErrorOut(Schema):
    """Every error: a code for programs, a sentence for people and, for bad input, messages
    per field."""

    code: ErrorCode = Field(  # type: ignore[valid-type]
        ...,
        description="What went wrong, for programs: "
        + "; ".join(f"`{c}` {meaning}" for c, meaning in ERROR_CODES.items()),
    )
    detail: str = Field(..., description="What went wrong and the fix, in the caller's language")
    errors: dict[str, list[str]] = Field(
        {}, description="For `invalid`: the messages of each field, by field name"
    )


ERRORS: dict[int, Any] = {
    400: ErrorOut,
    401: ErrorOut,
    403: ErrorOut,
    404: ErrorOut,
    409: ErrorOut,
    422: ErrorOut,
}


def describe_fields(
    schema: type[Schema], model: type[models.Model] | None = None, **texts: str
) -> None:
    """Describe the fields of ``schema`` that have no description: from ``texts`` by name,
    else from the model field they carry (its help text, else its name in words, in English):
    one source for the page's labels and the API's documentation."""
    changed = False
    for name, info in schema.model_fields.items():
        if info.description:
            continue
        text = texts.get(name, "")
        if not text and model is not None:
            related = name.endswith("_ids")  # a list of related ids: tag_ids for tags
            try:
                field = model._meta.get_field(
                    f"{name.removesuffix('_ids')}s" if related else name.removesuffix("_id")
                )
            except FieldDoesNotExist:
                continue
            with translation.override("en"):
                text = str(getattr(field, "help_text", "") or getattr(field, "verbose_name", name))
            if related or name.endswith("_id"):
                text = f"Id{'s' if related else ''} of the {text}"
        if text:
            info.description = text[:1].upper() + text[1:]
            changed = True
    if changed:
        schema.model_rebuild(force=True)


class RowOut(Schema):
    """Output of one model's rows, read through the model policy's field rules.

    Set ``policy_model``: a field the caller's role may not see comes back as null (so every
    field a policy may hide is declared nullable), a masked field comes back masked. No
    schema hides a field by hand.
    """

    policy_model: ClassVar[type[models.Model] | None] = None

    @classmethod
    def __pydantic_init_subclass__(cls, **kwargs: Any) -> None:
        super().__pydantic_init_subclass__(**kwargs)
        if cls.policy_model is not None:
            describe_fields(cls, cls.policy_model)

    @model_validator(mode="after")
    def _field_rules(self, info: ValidationInfo) -> Any:
        model = type(self).policy_model
        request = (info.context or {}).get("request")
        if model is None or request is None:
            return self
        for name in type(self).model_fields:
            value = shown_value(request.user, model, name, getattr(self, name))
            object.__setattr__(self, name, None if value is HIDDEN else value)
        return self


def api_operation(
    model: type[models.Model], action: str, path_model: type[models.Model] | None = None
) -> dict[str, Any]:
    """OpenAPI extras naming the model and action an operation needs, and the model of the
    row its ``{id}`` names when that is another (a risk assessment of an application).

    The authorization matrix test reads them to know what each operation should allow.
    """
    extra = {"x-parkops-model": model._meta.label_lower, "x-parkops-action": action}
    if path_model is not None:
        extra["x-parkops-path-model"] = path_model._meta.label_lower
    return extra


def who_may(model: type[models.Model], action: str) -> str:
    """The roles a model's policy grants ``action``, in words for the API documentation."""
    grants = model.policy.grants  # type: ignore[attr-defined]
    roles = [
        role
        for role in ("operator", "gov", "fund", "tenant", "auditor")
        if action in grants.get(role, ())
    ]
    return ", ".join(["admin", *roles])


def scoped(
    model: type[models.Model],
    action: str,
    path_model: type[models.Model] | None = None,
    description: str = "",
) -> dict[str, Any]:
    """The keyword arguments of an operation that needs ``action`` on ``model``: the role
    gate (auth), the OpenAPI extras the authorization matrix reads, and a description that
    says what it does, who may call it (from the policy) and its errors."""
    row = path_model or model
    text = " ".join(
        part
        for part in (
            description,
            f"Roles that may call it: {who_may(model, action)}; others get 403 `forbidden`.",
            f"Only rows in the caller's scope: another {row._meta.model_name} is 404 `not_found`.",
            "Errors: 401 without a session or token, 422 `invalid` naming each field, "
            "409 when the records' state forbids it.",
        )
        if part
    )
    return {
        "openapi_extra": api_operation(model, action, path_model),
        "auth": gate(model, action),
        "description": text,
    }


def signed_in(description: str) -> dict[str, Any]:
    """The keyword arguments of an operation open to every signed-in role (who am I, the
    change log, whose own checks decide): marked so the authorization matrix knows it is
    meant to be, and an unmarked operation fails the matrix instead of being skipped."""
    return {
        "openapi_extra": {"x-parkops-access": "signed-in"},
        "description": f"{description} Any signed-in role may call it; 401 otherwise.",
    }


def page_schema(item: type[Schema]) -> type[Schema]:
    """``{"items": [...], "next": cursor or null}`` for one item schema."""
    return create_model(  # type: ignore[call-overload,no-any-return]
        f"{item.__name__}Page",
        __base__=Schema,
        items=(list[item], Field(..., description="The rows of this page")),  # type: ignore[valid-type]
        next=(
            str | None,
            Field(None, description="Pass as `cursor` for the next page; null on the last"),
        ),
    )


def page_of(queryset: models.QuerySet, *, order: str, cursor: str | None, limit: int) -> Any:
    try:
        page = keyset_page(queryset, order=order, cursor=cursor, size=max(1, min(limit, 500)))
    except InvalidCursor as exc:
        raise HttpError(
            400, _("Invalid cursor: use the `next` value of the previous page.")
        ) from exc
    return {"items": page.items, "next": page.next_cursor}


def _iso_date_only(value: Any) -> Any:
    """Pydantic's lax mode reads 0 or 1700000000 as a date; the API takes 2026-12-01 only."""
    if isinstance(value, str) and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        raise PydanticCustomError("date_parsing", "Input should be a date as YYYY-MM-DD")
    if isinstance(value, int | float):
        raise PydanticCustomError("date_parsing", "Input should be a date as YYYY-MM-DD")
    return value


IsoDate = Annotated[datetime.date, BeforeValidator(_iso_date_only)]


def _decimal_string(value: Any) -> Any:
    """Money and areas come as strings ("6.50"): a JSON number is a float on the way in."""
    if not isinstance(value, str):
        raise PydanticCustomError("decimal_string", 'Send the number as a string, e.g. "6.50"')
    return value


@dataclass(frozen=True)
class DecimalIn:
    """An exact decimal input (money, an area, a rate): ``Annotated[Decimal, DecimalIn(...)]``.
    Sent as a string ("6.50") and published as one, with its precision and limits stated in
    the schema; a JSON number is refused (it is a float on the way in)."""

    max_digits: int
    decimal_places: int
    ge: int | None = None
    gt: int | None = None
    le: int | None = None

    def __get_pydantic_core_schema__(self, source: Any, handler: Any) -> Any:
        def limit(value: int | None) -> Decimal | None:
            return None if value is None else Decimal(value)

        number = core_schema.decimal_schema(
            ge=limit(self.ge),
            gt=limit(self.gt),
            le=limit(self.le),
            max_digits=self.max_digits,
            decimal_places=self.decimal_places,
        )
        return core_schema.no_info_before_validator_function(_decimal_string, number)

    def __get_pydantic_json_schema__(self, schema: Any, handler: Any) -> dict[str, Any]:
        limits = [
            f"at least {self.ge}" if self.ge is not None else "",
            f"more than {self.gt}" if self.gt is not None else "",
            f"at most {self.le}" if self.le is not None else "",
        ]
        text = ", ".join(x for x in limits if x)
        whole = self.max_digits - self.decimal_places
        return {
            "type": "string",
            "format": "decimal",
            "pattern": rf"^-?\d{{1,{whole}}}(\.\d{{1,{self.decimal_places}}})?$",
            "description": f"A decimal as a string, up to {self.decimal_places} decimal places"
            + (f"; {text}" if text else ""),
        }


# A row id as the databases can hold it: a larger number is a 422, not a driver overflow.
MAX_ID = 2**63 - 1
RowId = Annotated[int, Field(ge=1, le=MAX_ID)]
PathId = Annotated[int, Path(..., ge=1, le=MAX_ID, description="The id of the record")]

# Bounds keep absurd numbers out of the database drivers (a 422, not an overflow).
Amount = Annotated[Decimal, Field(ge=-(10**15), le=10**15)]
_FILTER_TYPES: list[tuple[type, Any]] = [
    (django_filters.NumberFilter, Amount),
    (django_filters.DateFilter, IsoDate),
    (django_filters.BooleanFilter, bool),
    (django_filters.ModelChoiceFilter, RowId),
]


def _text_choices() -> list[type[models.TextChoices]]:
    found, todo = [], [models.TextChoices]
    while todo:
        for sub in todo.pop().__subclasses__():
            found.append(sub)
            todo.append(sub)
    return found


_ENUMS: dict[str, type[enum.StrEnum]] = {}


def named_enum(name: str, values: list[str]) -> type[enum.StrEnum]:
    """An enum with a name in the spec (a generated client gets ``UnitSort``, not
    ``UnitListSortType0``): the model's TextChoices when one has exactly these values (one
    enum, one name, on input and output alike), else a new one called ``name``."""
    for choices in _text_choices():
        if [str(v) for v in choices.values] == values:
            return choices
    if name not in _ENUMS:
        members = {
            re.sub(r"\W", "_", v.lstrip("-")).upper() + ("_DESC" if v[:1] == "-" else ""): v
            for v in values
        }
        _ENUMS[name] = enum.StrEnum(name, members)  # type: ignore[misc,assignment]
    return _ENUMS[name]


def _api_name(name: str, flt: django_filters.Filter) -> str:
    """The identifier rule: a filter on a related row by id is ``<relation>_id`` in the API
    (``lease_id``, ``building_id``), whatever the UI's filter bar calls it."""
    if isinstance(flt, django_filters.ModelChoiceFilter):
        return f"{name}_id"
    if isinstance(flt, django_filters.NumberFilter) and flt.field_name.endswith("_id"):
        return flt.field_name
    return name


def _is_code_filter(name: str, flt: django_filters.Filter) -> bool:
    """A filter taking a readable code for a relation (``park``: the park code)."""
    field = flt.field_name
    if not isinstance(flt, django_filters.CharFilter) or not field.endswith(("_id", "__code")):
        return False
    path = field.removesuffix("__code").removesuffix("_id")
    return path == name or path.endswith(f"__{name}")


def FilterQuery(filterset_class: type[django_filters.FilterSet]) -> type[Schema]:
    """A query-parameter schema with the filters of a FilterSet: one definition, UI and API.

    Relations are filtered by id (``<relation>_id``); where the UI filters by a code (the
    park code), the API takes both: ``park_id`` and, documented as such, ``park``."""
    fields: dict[str, Any] = {}
    names: dict[str, str] = {}  # API parameter -> filter of the filterset, or "=lookup"
    for name, flt in filterset_class.base_filters.items():
        kind: Any = str
        for filter_class, python_type in _FILTER_TYPES:
            if isinstance(flt, filter_class):
                kind = python_type
        if isinstance(flt, django_filters.NumberFilter) and flt.field_name.endswith("_id"):
            kind = RowId
        choices = flt.extra.get("choices")
        if isinstance(flt, django_filters.ChoiceFilter) and choices and not callable(choices):
            values = [str(value) for value, _label in choices]
            kind = named_enum(
                f"{filterset_class.__name__.removesuffix('Filter')}{name.title()}", values
            )
        with translation.override("en"):  # the API's documentation is in English
            text = str(flt.label or name)
        if _is_code_filter(name, flt):
            text = f"{text}: a readable alternative to `{name}_id`"
            fields[f"{name}_id"] = (RowId | None, Field(None, description=f"Id of the {name}"))
            names[f"{name}_id"] = f"={flt.field_name.removesuffix('__code').removesuffix('_id')}_id"
        api_name = _api_name(name, flt)
        names[api_name] = name
        fields[api_name] = (kind | None, Field(None, description=text))
    schema = create_model(  # type: ignore[call-overload]
        f"{filterset_class.__name__}Query", __base__=Schema, **fields
    )
    schema.filter_names = names  # type: ignore[attr-defined]
    return schema  # type: ignore[no-any-return]


def filter_queryset(
    filterset_class: type[django_filters.FilterSet],
    params: Schema,
    queryset: models.QuerySet,
    request: HttpRequest,
) -> models.QuerySet:
    names: dict[str, str] = getattr(type(params), "filter_names", {})
    given = {k: v for k, v in params.dict().items() if v is not None}
    by_id = {names[k][1:]: v for k, v in given.items() if names.get(k, "").startswith("=")}
    if not given:  # no filter asked for: the filter form would only say so (3 ms a request)
        return queryset
    data = {names.get(k, k): v for k, v in given.items() if not names.get(k, "").startswith("=")}
    filterset = filterset_class(data, queryset=queryset, request=request)
    if not filterset.is_valid():
        errors = {v: k for k, v in names.items()}  # name the API's parameter, not the UI's
        raise ValidationError(
            {errors.get(k, k): [str(m) for m in v] for k, v in filterset.errors.items()}
        )
    return filterset.qs.filter(**by_id)


def get_or_404(model: type[models.Model], request: HttpRequest, action: str, pk: Any) -> Any:
    return get_restricted_or_404(model, request.user, action, pk=pk)
