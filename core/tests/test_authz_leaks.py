"""Authorization matrix v2: not only who gets a 200, but what a role gets to read.

Discovers everything itself, like the first matrix: a new app is covered by its samples in
<app>/testing.py alone.

- every API list and every list page answers exactly the rows the role's scope allows: the
  side-A sample present, the side-B sample absent unless the policy says the role sees every
  row;
- every tab (and htmx partial) of every detail page opens for every role that may see it;
- the change log of every sample, read as each role, has no field the policy hides from that
  role and shows masked fields masked;
- every operation says what it needs (an unmarked one is a failure, not a skip).

How the mutation check was verified: with ``restrict(...)`` removed from
``ObjectListView.get_queryset`` (list pages) or from the CRUD registrar's ``list_items``
(API lists), ``test_list_pages_show_exactly_the_rows_in_scope`` and
``test_api_lists_answer_exactly_the_rows_in_scope`` fail at once (operator A is shown park B's
rows); both pass with the filter in place. ``test_mutation_check`` below repeats that in CI
for the API lists by swapping the permission layer's filter for a no-op.
"""

from __future__ import annotations

import json
import re

import pytest
from django.urls import reverse

from core import audit
from core.choices import AuditAction
from core.permissions import HIDE, MASK, Policy, RestrictedQuerySet, field_access
from core.testing.authz import (
    expected_allowed,
    list_operations,
    page_cases,
    unmarked_operations,
)
from core.testing.world import ROLES
from core.views.generic import _EXTRA_TABS, ObjectDetailView, ObjectListView

pytestmark = pytest.mark.django_db


def _openapi(client):
    return json.loads(client.get("/api/v1/openapi.json").content)


def test_every_operation_says_what_it_needs(world, client_for):
    assert unmarked_operations(_openapi(client_for("admin"))) == []


def _api_list_ids(client, path):
    response = client.get(path, {"limit": 500})
    assert response.status_code == 200, (path, response.content)
    return {row["id"] for row in json.loads(response.content)["items"]}


def _check_api_lists(world, client_for):
    checked = 0
    for case in list_operations(_openapi(client_for("admin"))):
        if case.model not in world.samples:
            pytest.fail(f"No test sample for {case.model._meta.label}: add one in testing.py")
        for role in ROLES:
            user = world.users[role]
            if not expected_allowed(user, case.model, "view", None):
                continue
            ids = _api_list_ids(client_for(role), case.path)
            for side in ("A", "B"):
                sample = world.sample(case.model, side)
                wanted = expected_allowed(user, case.model, "view", side)
                assert (sample.pk in ids) == wanted, (role, case.path, side, sorted(ids))
            checked += 1
    assert checked > 20


def test_api_lists_answer_exactly_the_rows_in_scope(world, client_for):
    _check_api_lists(world, client_for)


def test_mutation_check(world, client_for, monkeypatch):
    """Without the permission layer's filter the list check must fail: it can catch a leak."""
    monkeypatch.setattr(RestrictedQuerySet, "restrict", lambda self, user, action="view": self)
    with pytest.raises(AssertionError):
        _check_api_lists(world, client_for)


def _detail_links(html: str, model) -> set[int]:
    prefix = reverse(f"{model._meta.app_label}:{model._meta.model_name}_detail", args=[0])[:-2]
    return {int(pk) for pk in re.findall(re.escape(prefix) + r"(\d+)/", html)}


def test_list_pages_show_exactly_the_rows_in_scope(world, client_for):
    checked = 0
    for case in page_cases():
        if case.needs_object or not issubclass(case.view, ObjectListView):
            continue
        model = case.model
        if model not in world.samples:
            pytest.fail(f"No test sample for {model._meta.label}: add one in testing.py")
        for role in ROLES:
            user = world.users[role]
            if not expected_allowed(user, model, "view", None):
                continue
            html = client_for(role).get(reverse(case.name)).content.decode()
            links = _detail_links(html, model)
            if not links and not any(c.link for c in case.view.columns):
                continue  # a list without links to its rows names no ids to compare
            for side in ("A", "B"):
                wanted = expected_allowed(user, model, "view", side)
                assert (world.sample(model, side).pk in links) == wanted, (role, case.name, side)
            checked += 1
    assert checked > 10


def test_every_tab_of_every_detail_page_opens_for_every_role(world, client_for):
    checked = 0
    for case in page_cases():
        if not (case.needs_object and issubclass(case.view, ObjectDetailView)):
            continue
        if case.model not in world.samples:
            pytest.fail(f"No test sample for {case.model._meta.label}: add one in testing.py")
        url = reverse(case.name, args=[world.sample(case.model, "A").pk])
        keys = ["overview", "history"]
        keys += [t.key for t in case.view.tabs]
        keys += [t.key for t in _EXTRA_TABS.get(case.model._meta.label_lower, [])]
        for role in ROLES:
            if not expected_allowed(world.users[role], case.model, "view", "A"):
                continue
            client = client_for(role)
            for key in keys:
                for headers in ({}, {"HTTP_HX_REQUEST": "true"}):  # the page and the partial
                    response = client.get(url, {"tab": key}, **headers)
                    assert response.status_code == 200, (role, url, key, response.status_code)
                checked += 1
    assert checked > 50


def _policies_with_field_rules(world) -> list[type]:
    return [
        m
        for m in world.samples
        if isinstance(getattr(m, "policy", None), Policy) and (m.policy.hidden or m.policy.masked)
    ]


def test_every_model_with_field_rules_has_a_sample(world):
    from django.apps import apps

    ruled = {
        m
        for m in apps.get_models()
        if isinstance(getattr(m, "policy", None), Policy) and (m.policy.hidden or m.policy.masked)
    }
    assert ruled, "no policy hides or masks a field: the harness below would check nothing"
    assert ruled <= set(world.samples), ruled - set(world.samples)


def test_change_log_of_every_sample_follows_the_field_rules(world, client_for):
    checked = 0
    for model in world.samples:
        if not isinstance(getattr(model, "policy", None), Policy):
            continue
        sample = world.sample(model, "A")
        snapshot = audit.snapshot(sample)
        audit.record(
            actor=world.users["admin"],
            instance=sample,
            action=AuditAction.CREATE,
            changes={k: [None, v] for k, v in snapshot.items()},
        )
        meta = model._meta
        path = f"/api/v1/audit/{meta.app_label}/{meta.model_name}/{sample.pk}"
        for role in ROLES:
            user = world.users[role]
            response = client_for(role).get(path)
            if not expected_allowed(user, model, "view", "A"):
                assert response.status_code == 404, (role, path)
                continue
            changes = json.loads(response.content)["items"][0]["changes"]
            for name, value in snapshot.items():
                access = field_access(user, model, name)
                if access == HIDE:
                    assert name not in changes, (role, path, name)
                elif access == MASK and value:
                    assert changes[name][1] == model.policy.mask(name, value), (role, name)
                    # never the stored value (which the log may itself keep masked: a phone)
                    stored = getattr(sample, model._meta.get_field(name).attname)
                    assert changes[name][1] != audit.log._plain(stored), (role, name)
                else:
                    assert changes.get(name, [None, None])[1] == audit.log._plain(value)
            checked += 1
    assert checked > 20
    assert _policies_with_field_rules(world), "the samples include rows with field rules"


def test_exports_read_back_follow_the_field_rules(world, client_for):
    """Every spreadsheet export, downloaded as each role that may use it and read back: no
    column of a field the role may not see, masked values masked."""
    import io

    from openpyxl import load_workbook

    from core.imports import template_for
    from core.views.imports import ExportView

    checked = 0
    for case in page_cases():
        if not issubclass(case.view, ExportView):
            continue
        for role in ROLES:
            user = world.users[role]
            if not expected_allowed(user, case.model, case.action, None):
                continue
            response = client_for(role).get(reverse(case.name))
            assert response.status_code == 200, (role, case.name)
            sheet = load_workbook(io.BytesIO(response.content)).active
            headers = [c.value for c in next(sheet.iter_rows(max_row=1))]
            for column in template_for(case.view.kind).columns:
                access = field_access(user, case.model, column.field)
                assert (column.header in headers) == (access != HIDE), (role, column.header)
            checked += 1
    assert checked >= 4


def test_an_export_leaves_out_a_column_the_policy_hides(world, client_for, monkeypatch):
    """The mechanism the harness above relies on, with a rule made up for the test."""
    import dataclasses
    import io

    from openpyxl import load_workbook

    from core.choices import Role
    from enterprises.models import Enterprise

    hidden = dataclasses.replace(Enterprise.policy, hidden={Role.OPERATOR: frozenset({"address"})})
    monkeypatch.setattr(Enterprise, "policy", hidden)
    response = client_for("operator").get(reverse("enterprises:enterprise_export"))
    headers = [
        c.value
        for c in next(load_workbook(io.BytesIO(response.content)).active.iter_rows(max_row=1))
    ]
    assert "注册地址" not in headers and "企业名称" in headers
    response = client_for("admin").get(reverse("enterprises:enterprise_export"))
    headers = [
        c.value
        for c in next(load_workbook(io.BytesIO(response.content)).active.iter_rows(max_row=1))
    ]
    assert "注册地址" in headers
