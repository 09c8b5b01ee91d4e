"""List / detail / create / update / delete operations for one model, on one router.

Every app's API is the same five operations through the permission layer and the app's
services; this writes them once. Foreign keys come in as ``<name>_id`` and must point at a row
the caller may see, or the field is reported as invalid.
"""

# No `from __future__ import annotations`: ninja reads these signatures at run time and the
# schemas are local variables.

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.http import HttpRequest
from django.utils import translation
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status

from core.api.base import (
    ERRORS,
    MAX_ID,
    FilterQuery,
    PathId,
    describe_fields,
    filter_queryset,
    get_or_404,
    named_enum,
    page_of,
    page_schema,
    scoped,
)
from core.api.rows import object_writer, page_response, plain_columns, rows_response
from core.pagination import key_columns

__all__ = ["Crud", "check_references", "register_crud"]


@dataclass
class Crud:
    model: type[models.Model]
    out: type[Schema]
    create_in: type[Schema]
    update_in: type[Schema]
    filterset: Any
    create: Callable[..., Any] | None
    update: Callable[..., Any] | None
    delete: Callable[..., Any] | None
    order: str = "pk"
    sortable: tuple[str, ...] = ()
    select_related: tuple[str, ...] = ()
    # related rows an output schema lists (a lease's units): one query a page, not one a row
    prefetch_related: tuple[Any, ...] = ()  # names or Prefetch objects
    # what the output schema computes per row, computed for the whole page at once (a park's
    # offered space, whether the caller may change each lease): (request, rows) -> None
    prepare: Callable[[HttpRequest, list[Any]], None] | None = None
    read_only: bool = False  # list and detail only; writes go through dedicated endpoints

    @classmethod
    def reads(
        cls, model: type[models.Model], out: type[Schema], filterset: Any, **options: Any
    ) -> "Crud":
        """List and detail only (writes go through dedicated endpoints of the app)."""
        return cls(model, out, out, out, filterset, None, None, None, read_only=True, **options)


def _api_names(field: Any) -> tuple[str, ...]:
    if field.many_to_many:
        return (f"{field.name.removesuffix('s')}_ids",)
    return (getattr(field, "attname", ""),)


def _m2m_by_name(model: type[models.Model], data: dict[str, Any]) -> dict[str, Any]:
    """The identifier rule names a list of related ids ``<relation>_ids`` (``tag_ids``); the
    model's many-to-many field is ``tags``."""
    names = {f"{f.name.removesuffix('s')}_ids": f.name for f in model._meta.many_to_many}
    return {names.get(k, k): v for k, v in data.items()}


@contextmanager
def _api_field_names(model: type[models.Model]) -> Iterator[None]:
    """Field errors of a service named as the API names the fields (``tags`` → ``tag_ids``)."""
    try:
        yield
    except ValidationError as exc:
        if not hasattr(exc, "error_dict"):
            raise
        names = {f.name: _api_names(f)[0] for f in model._meta.many_to_many}
        raise ValidationError({names.get(k, k): v for k, v in exc.message_dict.items()}) from exc


def _refuse_nulls(model: type[models.Model], data: dict[str, Any]) -> dict[str, Any]:
    """A PATCH may leave a field out, but not set a required one to null."""
    errors = {}
    for name, value in data.items():
        if value is not None:
            continue
        fields = [*model._meta.concrete_fields, *model._meta.many_to_many]
        field = next((f for f in fields if name in (f.name, *_api_names(f))), None)
        if field is not None and (field.many_to_many or not field.null):  # [] empties a list
            errors[name] = [_("This field cannot be empty; leave it out to keep its value.")]
    if errors:
        raise ValidationError(errors)
    return data


def check_references(
    model: type[models.Model], data: dict[str, Any], request: HttpRequest
) -> dict[str, Any]:
    """Every id the payload names (``<fk>_id`` and many-to-many lists) must be a row the
    caller may see; anything else is a field error, never a database error."""
    errors: dict[str, list[str]] = {}
    references = [
        (f.attname, f.related_model, [data[f.attname]])
        for f in model._meta.concrete_fields
        if f.is_relation and data.get(f.attname) is not None
    ]
    references += [
        (_api_names(f)[0], f.related_model, list(data[f.name]))
        for f in model._meta.many_to_many
        if data.get(f.name)
    ]
    for name, related, ids in references:
        manager: Any = related._default_manager  # type: ignore[union-attr]
        # a row without a policy of its own (a lease's rent-free period) need only exist
        # here; the service checks where it belongs (the investment: its fund's operator)
        visible = (
            manager.restrict(request.user, "view")
            if hasattr(manager, "restrict")
            else manager.all()
        )
        wanted = {i for i in ids if isinstance(i, int) and 1 <= i <= MAX_ID}
        found = set(visible.filter(pk__in=wanted).values_list("pk", flat=True))
        missing = [i for i in ids if i not in found]
        if missing:
            errors[name] = [
                _("No %(model)s with id %(id)s that you may use.")
                % {"model": related._meta.verbose_name, "id": missing[0]}  # type: ignore[union-attr]
            ]
    if errors:
        raise ValidationError(errors)
    return data


# the list parameters every list has, described once
_CURSOR: Any = Query(None, description="The `next` of the previous page; empty: the first page")
_LIMIT: Any = Query(50, ge=1, le=500, description="Rows per page")
_SORT: Any = Query(None, description="Order of the rows; a leading - reverses it")


def register_crud(router: Router, path: str, spec: Crud) -> None:
    model = spec.model
    for schema in {spec.out, spec.create_in, spec.update_in}:
        describe_fields(schema, model)
    name = model._meta.model_name
    label = model._meta.verbose_name_raw
    query_schema = FilterQuery(spec.filterset)
    sort_values = {spec.order, f"-{spec.order}", *spec.sortable, *(f"-{s}" for s in spec.sortable)}

    SortKey = named_enum(f"{model.__name__}Sort", sorted(sort_values))
    # a list whose rows only copy columns is read as .values() and written as it is; another
    # is written from its objects without a schema object per row, where its schema allows
    plain = None if spec.prepare or spec.prefetch_related else plain_columns(spec.out, model)
    writer = object_writer(spec.out)

    def list_items(
        request: HttpRequest,
        filters: Query[query_schema],  # type: ignore[valid-type]
        cursor: str | None = _CURSOR,
        limit: int = _LIMIT,
        sort: SortKey | None = _SORT,  # type: ignore[valid-type]
    ) -> Any:
        qs = model._default_manager.restrict(request.user, "view")  # type: ignore[attr-defined]
        qs = filter_queryset(
            spec.filterset,
            filters,
            qs.select_related(*spec.select_related).prefetch_related(*spec.prefetch_related),
            request,
        )
        order = sort or spec.order
        if plain is not None and settings.PARKOPS_API_PLAIN_ROWS:
            qs = qs.values(*plain.values(), *key_columns(model, order))
            page = page_of(qs, order=order, cursor=cursor, limit=limit)
            return rows_response(plain, page["items"], page["next"])
        page = page_of(qs, order=order, cursor=cursor, limit=limit)
        if spec.prepare is not None:
            spec.prepare(request, page["items"])
        if writer is not None and settings.PARKOPS_API_PLAIN_ROWS:
            return page_response([writer(obj, request) for obj in page["items"]], page["next"])
        return page

    def get_item(request: HttpRequest, id: PathId) -> Any:
        return get_or_404(model, request, "view", id)

    def create_item(request: HttpRequest, payload: spec.create_in) -> Any:  # type: ignore[name-defined]
        data = check_references(model, _m2m_by_name(model, payload.dict()), request)
        m2m_names = {f.name for f in model._meta.many_to_many}
        m2m = {k: data.pop(k) for k in list(data) if k in m2m_names}
        # what is neither a field nor a list of related ids is an option of the service
        # (an investment's reason to exceed a limit), not a value of the row
        columns = {n for f in model._meta.concrete_fields for n in (f.name, f.attname)}
        options = {k: data.pop(k) for k in list(data) if k not in columns}
        assert spec.create is not None  # read-only specs register no write operation
        with _api_field_names(model):
            obj = spec.create(actor=request.user, instance=model(**data), m2m=m2m, **options)
        obj.refresh_from_db()  # answer with the stored values (2 decimals), not the input
        return Status(201, obj)

    def update_item(request: HttpRequest, id: PathId, payload: spec.update_in) -> Any:  # type: ignore[name-defined]
        obj = get_or_404(model, request, "change", id)
        data = _m2m_by_name(model, _refuse_nulls(model, payload.dict(exclude_unset=True)))
        data = check_references(model, data, request)
        assert spec.update is not None
        with _api_field_names(model):
            obj = spec.update(actor=request.user, instance=obj, data=data)
        obj.refresh_from_db()
        return obj

    def delete_item(request: HttpRequest, id: PathId) -> Any:
        obj = get_or_404(model, request, "delete", id)
        assert spec.delete is not None
        spec.delete(actor=request.user, instance=obj)
        return Status(204, None)

    one = f"{path}/{{id}}"
    with translation.override("en"):  # the API's documentation is in English
        plural = str(model._meta.verbose_name_plural)
    texts = {
        "list": f"The {plural} the caller may see, a page at a time: pass `next` as `cursor` "
        "for the following page; filter and sort with the query parameters.",
        "create": f"Create a {label}: checked, written with its change-log entry; ids of "
        "related records must be ones the caller may see.",
        "get": f"One {label} the caller may see.",
        "update": "Change the fields given (the others keep their values); null for a "
        "required or list field is refused with 422.",
        "delete": f"Delete a {label}; refused with 409 while other records depend on it.",
    }
    operations: list[tuple[str, str, Any, dict[int, Any], str, str, str]] = [
        (path, "GET", list_items, {200: page_schema(spec.out)}, "List", "list", "view"),
        (path, "POST", create_item, {201: spec.out}, "Create", "create", "add"),
        (one, "GET", get_item, {200: spec.out}, "Get", "get", "view"),
        (one, "PATCH", update_item, {200: spec.out}, "Update", "update", "change"),
        (one, "DELETE", delete_item, {204: None}, "Delete", "delete", "delete"),
    ]
    for url, method, view, ok, verb, suffix, action in operations:
        if spec.read_only and method != "GET":
            continue
        if method == "DELETE" and spec.delete is None:  # e.g. cancelled through a move instead
            continue
        if method == "PATCH" and spec.update is None:  # changed only through its actions
            continue
        router.add_api_operation(
            url,
            [method],
            view,
            response={**ok, **ERRORS},
            summary=f"{verb} {label}",
            operation_id=f"{name}_{suffix}",
            **scoped(model, action, description=texts[suffix]),
        )
