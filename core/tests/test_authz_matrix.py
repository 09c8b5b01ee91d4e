"""Authorization matrix: every page and every API operation, for anonymous, each role in scope
and each role out of scope. Discovers URLs and operations itself: new modules are covered
without editing this file (each app provides samples in <app>/testing.py)."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from core.testing.authz import api_cases, expected_allowed, page_cases, state, unscoped_pages
from core.testing.world import ROLES

pytestmark = pytest.mark.django_db


def _page_url(case, world, side):
    if not case.needs_object:
        return reverse(case.name)
    if case.model not in world.samples:
        pytest.fail(f"No test sample for {case.model._meta.label}: add one in its app's testing.py")
    return reverse(case.name, args=[world.sample(case.model, side).pk])


def test_discovery_finds_pages_and_operations(client):
    assert {c.name for c in page_cases()} >= {
        "spaces:unit_list",
        "spaces:unit_detail",
        "spaces:unit_edit",
        "spaces:park_delete",
    }
    openapi = json.loads(client.get("/api/v1/openapi.json").content)
    assert {(c.method, c.path) for c in api_cases(openapi)} >= {
        ("GET", "/api/v1/spaces/units"),
        ("DELETE", "/api/v1/spaces/parks/{id}"),
    }


def test_pages(world, client_for):
    checked = 0
    for case in page_cases():
        sides = ("A", "B") if case.needs_object else (None,)
        for side in sides:
            url = _page_url(case, world, side)
            before = state()
            anonymous = client_for("anonymous")
            writes = hasattr(case.view, "post")  # a GET-only page answers 405 to everyone
            assert anonymous.get(url).status_code in (302, 405), url
            if writes:
                assert anonymous.post(url, {}).status_code == 302, url
            assert state() == before, f"anonymous POST changed something at {url}"
            for role in ROLES:
                client = client_for(role)
                user = world.users[role]
                allowed = expected_allowed(user, case.model, case.action, side)
                status = client.get(url).status_code
                if hasattr(case.view, "get"):
                    assert status == (200 if allowed else 404), (role, url, status)
                else:  # POST-only: 405 for a role granted the action, whichever row
                    granted = expected_allowed(user, case.model, case.action, None)
                    assert status == (405 if granted else 404), (role, url, status)
                if not allowed and writes:
                    before = state()
                    assert client.post(url, {}).status_code == 404, (role, url)
                    assert state() == before, f"refused POST by {role} changed {url}"
                checked += 1
    assert checked > 50


def test_unscoped_pages_need_login(world, client_for):
    """Pages without a model (home, tokens) need a login and open for every role."""
    for name in unscoped_pages():
        if name in {
            "core:login",
            "core:logout",
            "core:switch_park",
            "core:token_revoke",
            "core:job_detail",
            "core:job_rerun",
        }:
            continue  # POST-only or per-object pages, tested in core/tests/test_views.py
        url = reverse(name)
        assert client_for("anonymous").get(url).status_code == 302, url
        for role in ROLES:
            assert client_for(role).get(url).status_code == 200, (role, url)


def test_api_operations(world, client_for):
    openapi = json.loads(client_for("admin").get("/api/v1/openapi.json").content)
    checked = 0
    for case in api_cases(openapi):
        if case.needs_object and case.path_model not in world.samples:
            pytest.fail(f"No test sample for {case.path_model._meta.label}")
        for side in ("A", "B") if case.needs_object else (None,):
            path = case.path
            if case.needs_object:
                path = path.replace("{id}", str(world.sample(case.path_model, side).pk))
            body = "{}" if case.method in ("POST", "PUT", "PATCH") else None

            def call(client, path=path, body=body, method=case.method):
                kwargs = {"content_type": "application/json"} if body is not None else {}
                return client.generic(method, path, body or "", **kwargs)

            before = state()
            response = call(client_for("anonymous"))
            assert response.status_code == 401, (path, response.content)
            assert state() == before
            for role in ROLES:
                user = world.users[role]
                allowed = expected_allowed(user, case.model, case.action, side)
                if allowed and case.method in ("POST", "PUT", "DELETE"):
                    continue  # the permitted write itself is tested in the app's test_api.py
                before = state()
                response = call(client_for(role))
                if allowed and case.method == "PATCH" and response.status_code == 409:
                    # permitted, but a business rule refuses the change (e.g. only the draft's
                    # creator edits it): the app's own tests cover that; it must write nothing
                    assert state() == before, f"a refused PATCH by {role} changed {path}"
                elif allowed:
                    assert response.status_code == 200, (role, case.method, path, response.content)
                else:
                    granted = expected_allowed(user, case.model, case.action, None)
                    # a role that may never use the operation: 403 (the spec publishes that it
                    # exists); granted, but not this row: 404 (whether it exists is not told)
                    expected = {404} if granted else {403}
                    if body is not None and granted:
                        # ninja checks the body before the row is looked up, so an empty
                        # body may answer 422 first; neither answer says whether it exists
                        expected.add(422)
                    assert response.status_code in expected, (
                        role,
                        case.method,
                        path,
                        response.content,
                    )
                    assert state() == before, f"refused {case.method} by {role} changed {path}"
                checked += 1
    assert checked > 50
