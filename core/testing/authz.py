"""Discovery for the authorization matrix: every page URL and every API operation, with the
model and action each needs and the status each role should get.

Expectations come from the policies' declared grants and from which side a sample row is on,
not from the permission layer's filters, so a filter that lets the wrong rows through fails.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db import connection, models
from django.urls import URLPattern, URLResolver, get_resolver

from core.choices import AuditAction
from core.models import AuditEntry
from core.views.generic import ScopedView

__all__ = [
    "ApiCase",
    "PageCase",
    "api_cases",
    "expected_allowed",
    "list_operations",
    "page_cases",
    "state",
    "unmarked_operations",
]


@dataclass(frozen=True)
class PageCase:
    name: str
    route: str
    view: type[ScopedView]
    model: type[models.Model]
    action: str
    needs_object: bool


@dataclass(frozen=True)
class ApiCase:
    method: str
    path: str
    model: type[models.Model]  # whose policy grants the action
    action: str
    needs_object: bool
    path_model: type[models.Model]  # whose row the path's {id} names


def _walk(
    patterns: list[Any], prefix: str = "", namespace: str = ""
) -> Iterator[tuple[str, str, URLPattern]]:
    for entry in patterns:
        if isinstance(entry, URLResolver):
            ns = entry.namespace or namespace
            yield from _walk(entry.url_patterns, prefix + str(entry.pattern), ns)
        elif isinstance(entry, URLPattern):
            yield f"{namespace}:{entry.name}", prefix + str(entry.pattern), entry


def page_cases() -> list[PageCase]:
    """Every URL of the project's apps served by a model-scoped view."""
    cases = []
    for name, route, pattern in _walk(get_resolver().url_patterns):
        view = getattr(pattern.callback, "view_class", None)
        if name.split(":")[0] not in settings.PARKOPS_APPS or view is None:
            continue
        if not issubclass(view, ScopedView):
            continue
        needs_object = "<int:pk>" in route
        action = view.required_action({"pk": 1} if needs_object else {})
        cases.append(PageCase(name, route, view, view.model, action, needs_object))
    return cases


def unscoped_pages() -> list[str]:
    """URL names of the project's apps that are not model-scoped views (checked separately)."""
    names = []
    for name, _route, pattern in _walk(get_resolver().url_patterns):
        view = getattr(pattern.callback, "view_class", None)
        if name.split(":")[0] in settings.PARKOPS_APPS and not (
            view is not None and issubclass(view, ScopedView)
        ):
            names.append(name)
    return names


def api_cases(openapi: dict[str, Any]) -> list[ApiCase]:
    cases = []
    for path, operations in openapi["paths"].items():
        for method, op in operations.items():
            label = op.get("x-parkops-model")
            if label is None:
                continue
            model = apps.get_model(label)
            path_label = op.get("x-parkops-path-model")
            path_model = apps.get_model(path_label) if path_label else model
            cases.append(
                ApiCase(
                    method.upper(), path, model, op["x-parkops-action"], "{id}" in path, path_model
                )
            )
    return cases


def expected_allowed(user: Any, model: type[models.Model], action: str, side: str | None) -> bool:
    """Declared intent: the role is granted the action, and the row is on the user's side
    (side A) unless the role sees every row of the model."""
    policy = model.policy  # type: ignore[attr-defined]
    if user is None:
        return False
    if user.is_platform_admin:  # supports both sides' operators (security.testing)
        return action in policy.admin_actions
    if action not in policy.grants.get(user.role, frozenset()):
        return False
    return side in (None, "A") or user.role in policy.unscoped_roles


# Changed by signing in (force_login in the tests) and by a session's once-a-minute "last
# active" note, not by what the request under test asked for.
_VOLATILE = {"last_login", "last_seen"}


def state() -> tuple[int, dict[str, list[str]]]:
    """What a refused request must leave as it was: the audit log and the contents of every
    row of the project's apps (not only how many there are: a refused PATCH that changed a
    value would keep the counts)."""
    rows = {}
    with connection.cursor() as cursor:
        for label, sql, params in _state_queries():
            cursor.execute(sql, params)
            rows[label] = sorted(repr(r) for r in cursor.fetchall())
    return len(rows[AuditEntry._meta.label]), rows


@functools.cache
def _state_queries() -> list[tuple[str, str, tuple[Any, ...]]]:
    """The SELECT of each table ``state`` reads, compiled once: the matrix calls ``state``
    thousands of times, and compiling some 80 querysets each time was most of its cost."""
    queries = []
    for model in apps.get_models():
        if model._meta.app_label not in settings.PARKOPS_APPS:
            continue
        if getattr(model, "written_by_sign_in", False):  # the sessions a client_for opens
            continue
        names = [f.attname for f in model._meta.concrete_fields if f.name not in _VOLATILE]
        queryset = model._default_manager.all()
        if model is AuditEntry:  # signing in is itself audited (a security event)
            queryset = queryset.exclude(action=AuditAction.LOGIN)
        sql, params = queryset.values_list(*names).query.sql_with_params()
        queries.append((model._meta.label, sql, tuple(params)))
    return queries


def unmarked_operations(openapi: dict[str, Any]) -> list[str]:
    """Operations that say neither which model and action they need nor that every
    signed-in role may call them: the matrix cannot check them, so they are a failure."""
    return [
        f"{method.upper()} {path}"
        for path, operations in openapi["paths"].items()
        for method, op in operations.items()
        if "x-parkops-model" not in op and op.get("x-parkops-access") != "signed-in"
    ]


def _item_fields(openapi: dict[str, Any], operation: dict[str, Any]) -> set[str]:
    """The fields of the items a list operation answers (``{"items": [...]}``), if it does."""
    schemas = openapi["components"]["schemas"]

    def resolve(schema: dict[str, Any]) -> dict[str, Any]:
        ref = schema.get("$ref", "")
        return schemas[ref.rsplit("/", 1)[-1]] if ref else schema

    content = operation["responses"]["200"].get("content", {}).get("application/json", {})
    page = resolve(content.get("schema", {}))
    items = page.get("properties", {}).get("items", {}).get("items")
    return set(resolve(items).get("properties", {})) if items else set()


def list_operations(openapi: dict[str, Any]) -> list[ApiCase]:
    """The list operations of models' rows (``<model>_list`` answering items with an id)."""
    return [
        c
        for c in api_cases(openapi)
        if c.method == "GET"
        and not c.needs_object
        and openapi["paths"][c.path]["get"].get("operationId", "").endswith("_list")
        and "id" in _item_fields(openapi, openapi["paths"][c.path]["get"])
    ]
