"""Every list page issues a fixed number of queries, however many rows it shows: each page of
the URL conf built on ObjectListView, as each demo role that may open it, rendered with one
row a page and with a full page of rows, must issue the same queries. A column that reads a
relation row by row (an N+1) makes the full page cost more and fails here. Where the demo
holds a single row of a kind (one operator, one fund), that row is compared with an empty
page instead: a per-row query shows as well."""

from __future__ import annotations

import datetime
import inspect
import io
import re
from collections import Counter
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, URLResolver, get_resolver

from core.testing.marks import ONCE
from core.views.generic import ObjectListView

ROLES = ["admin", "operator", "gov", "fund", "tenant", "auditor"]
# A page's queries are the ORM's, the same on both databases: ONCE counts them in CI's SQLite
# pass (this harness takes about three minutes).


def _list_pages() -> list[tuple[str, type[ObjectListView]]]:
    """(path, view class) of every list page that takes no argument in its URL."""
    found: list[tuple[str, type[ObjectListView]]] = []

    def walk(patterns: list[Any], prefix: str) -> None:
        for p in patterns:
            if isinstance(p, URLResolver):
                walk(p.url_patterns, prefix + str(p.pattern))
            elif isinstance(p, URLPattern):
                view = getattr(p.callback, "view_class", None)
                route = prefix + str(p.pattern)
                if view and issubclass(view, ObjectListView) and "<" not in route:
                    found.append(("/" + route.lstrip("^").rstrip("$"), view))

    walk(get_resolver().url_patterns, "")
    return sorted(found, key=lambda f: f[0])


PAGES = _list_pages()


def test_discovery_finds_the_list_pages():
    paths = {path for path, _view in PAGES}
    assert {"/spaces/units/", "/enterprises/companies/", "/leasing/leases/"} <= paths
    assert len(PAGES) >= 25


def _rows_the_demo_leaves_out() -> None:
    """Two rows of each kind the demo does not hold, so that their lists are compared too."""
    from django.core.files.base import ContentFile

    from core.models import Operator
    from enterprises.models import Enterprise
    from fund.models import Deal, DealDocument
    from leasing.models import Reminder, Transfer
    from spaces.models import Park
    from utilities.models import UtilitySettings

    operator, park = Operator.objects.get(code="JXKC"), Park.objects.order_by("pk")[0]
    tenants = list(Enterprise.objects.filter(leases__park=park).distinct().order_by("pk")[:2])
    day = datetime.date(2026, 11, 2)
    for n, tenant in enumerate(tenants):
        Reminder.objects.create(
            number=f"CJ-T{n}", enterprise=tenant, park=park, sent_on=day, overdue=1, pay_by=day
        )
        Transfer.objects.create(
            receipt_no=f"SK-T{n}", enterprise=tenant, operator=operator, received_on=day, amount=1
        )
    UtilitySettings.objects.create(operator=operator, bill_apart=True)
    for deal in Deal.objects.order_by("pk")[:2]:
        DealDocument.objects.create(
            deal=deal, title="尽调报告", file=ContentFile(b"%PDF-1.4", name="dd.pdf"), size=8
        )
    other = Operator.objects.create(code="QC2", name="第二运营方")
    UtilitySettings.objects.create(operator=other)


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        call_command("load_demo", stdout=io.StringIO())
        _rows_the_demo_leaves_out()
    yield
    with django_db_blocker.unblock():
        call_command("flush", interactive=False, verbosity=0)


def _render(
    client: Any, path: str, view: type[ObjectListView], size: int, monkeypatch, empty=False
) -> Any:
    monkeypatch.setattr(view, "page_size", size)
    if empty:
        listed = view.get_queryset
        monkeypatch.setattr(view, "get_queryset", lambda self, r: listed(self, r).filter(pk__lt=0))
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    # the statements without their literals (a session's expiry time differs between requests)
    return response, [_shape(q["sql"]) for q in queries.captured_queries]


def _shape(sql: str) -> str:
    return re.sub(r"\b\d+\b", "N", re.sub(r"'[^']*'", "?", sql))


@ONCE
@pytest.mark.parametrize(("path", "view"), PAGES, ids=[p for p, _v in PAGES])
def test_a_list_page_costs_the_same_queries_for_one_row_and_a_full_page(
    path, view, demo, client, django_user_model, monkeypatch
):
    compared = 0
    for role in ROLES:
        client.force_login(django_user_model.objects.get(username=role))
        client.get(path)  # the first request of a session fills per-session caches
        one, one_sql = _render(client, path, view, 1, monkeypatch)
        if one.status_code != 200:
            continue
        full, full_sql = _render(client, path, view, 100, monkeypatch)
        rows = len(full.context["page"].items)
        if rows == 1:  # the demo's only row of its kind, against an empty page
            _none, base_sql = _render(client, path, view, 100, monkeypatch, empty=True)
            monkeypatch.undo()
        elif rows >= 2:
            base_sql = one_sql
        else:
            continue
        compared += 1
        extra = list((Counter(full_sql) - Counter(base_sql)).elements())
        missing = list((Counter(base_sql) - Counter(full_sql)).elements())
        assert len(full_sql) == len(base_sql), (role, path, rows, extra[:3], missing[:3])
    assert compared, f"{path}: no demo role sees a row here, so the count proves nothing"


def test_every_model_names_the_relations_its_str_reads():
    """A list shows a related record by its __str__; ``str_related`` lets the list join what
    that __str__ reads. A model that reads a relation there without declaring it would cost a
    query per row on every list showing it."""
    from django.apps import apps

    from config.settings.base import PARKOPS_APPS

    ours = {name.rsplit(".", 1)[-1] for name in PARKOPS_APPS}
    undeclared = []
    for model in apps.get_models():
        if model._meta.app_label not in ours or "__str__" not in model.__dict__:
            continue
        source = inspect.getsource(model.__str__)
        relations = [
            f.name
            for f in model._meta.get_fields()
            if (f.many_to_one or f.one_to_one) and not f.auto_created
        ]
        read = {r for r in relations if re.search(rf"self\.{r}\b(?!_id)", source)}
        if read - set(getattr(model, "str_related", ())):
            undeclared.append((model.__name__, sorted(read)))
    assert undeclared == []


def _api_lists() -> list[str]:
    """The API's list operations: GET paths without a parameter that take a ``limit``."""
    from config.api import api

    schema = api.get_openapi_schema()
    return sorted(
        path
        for path, operations in schema["paths"].items()
        if "{" not in path
        and any(p["name"] == "limit" for p in operations.get("get", {}).get("parameters", []))
    )


API_LISTS = _api_lists()


def test_discovery_finds_the_api_lists():
    assert {"/api/v1/spaces/units", "/api/v1/enterprises/companies"} <= set(API_LISTS)


def _empty(paged: Any) -> Any:
    return lambda qs, **kw: paged(qs.filter(pk__lt=0), **kw)


def _api_queries(client: Any, url: str) -> tuple[Any, list[str]]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    return response, [_shape(q["sql"]) for q in queries.captured_queries]


@ONCE
@pytest.mark.parametrize("path", API_LISTS)
def test_an_api_list_costs_the_same_queries_for_one_row_and_a_full_page(
    path, demo, client, django_user_model, monkeypatch
):
    import core.api.base

    compared = 0
    for role in ROLES:
        client.force_login(django_user_model.objects.get(username=role))
        client.get(f"{path}?limit=1")
        first, one_sql = _api_queries(client, f"{path}?limit=1")
        if first.status_code != 200 or not first.json()["items"]:
            continue
        page, full_sql = _api_queries(client, f"{path}?limit=100")
        rows = len(page.json()["items"])
        if rows == 1:  # the demo's only row of its kind, against an empty page
            monkeypatch.setattr(core.api.base, "keyset_page", _empty(core.api.base.keyset_page))
            empty, base_sql = _api_queries(client, f"{path}?limit=100")
            monkeypatch.undo()
            assert empty.json()["items"] == [], path
            # a prefetch runs only when there are rows: one query a page (IN), not one a row
            full_sql = [q for q in full_sql if " IN (N)" not in q or q in base_sql]
        else:
            base_sql = one_sql
        compared += 1
        extra = list((Counter(full_sql) - Counter(base_sql)).elements())
        assert len(full_sql) == len(base_sql), (role, path, rows, extra[:3])
    assert compared, f"{path}: no demo role sees a row here, so the count proves nothing"
