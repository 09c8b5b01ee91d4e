"""Form round trip (a harness every app inherits through its testing.py samples): each edit
form found in the URL conf, opened in the system Chromium as a role that may use it, in
Chinese and in English, and saved unchanged, leaves its record exactly as it was — every
field compared. A date shown as 2029/12/29 that a date input reads as empty, a select that
loses its value, a field the role may not read saved blank: each would change the record."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import models
from django.urls import get_resolver

from core.testing.authz import _walk, expected_allowed
from core.testing.browser import MARKS, chromium, sign_in
from core.testing.world import PASSWORD, build_world
from core.views.generic import ObjectEditView

pytestmark = MARKS

# who opens a form: the first of these granted "change" on the sample (the admin sees every
# field, so the narrower roles come first)
ROLES = ["operator", "tenant", "fund", "gov", "admin"]
LOCALES = {"zh-hans": "zh-CN", "en": "en-US"}


@pytest.fixture
def world(transactional_db):
    return build_world()


def edit_pages(world: Any) -> list[tuple[str, models.Model, str]]:
    """(URL, sample, role) of every edit page with a sample on side A."""
    found = []
    for name, route, pattern in _walk(get_resolver().url_patterns):
        view = getattr(pattern.callback, "view_class", None)
        if not (view and issubclass(view, ObjectEditView) and name.endswith("_edit")):
            continue
        model = view.model
        sample = world.samples.get(model, {}).get("A")
        if sample is None:
            continue
        role = next(
            (r for r in ROLES if expected_allowed(world.users[r], model, "change", "A")), None
        )
        if role is not None:
            found.append(("/" + route.replace("<int:pk>", str(sample.pk)), sample, role))
    return found


def _state(row: models.Model) -> dict[str, Any]:
    fresh = type(row)._default_manager.get(pk=row.pk)
    names = [
        f.attname
        for f in fresh._meta.concrete_fields
        if not getattr(f, "auto_now", False) and f.name != "password_changed_at"
    ]
    state = {n: getattr(fresh, n) for n in names}
    for f in fresh._meta.many_to_many:
        state[f.name] = sorted(getattr(fresh, f.name).values_list("pk", flat=True))
    return state


def test_every_edit_form_saved_unchanged_changes_nothing(world, live_server):
    pages = edit_pages(world)
    assert len(pages) > 15, pages  # the harness reaches the apps' forms
    failures, saved = [], 0
    with chromium() as browser:
        for language, locale in LOCALES.items():
            for role in ROLES:
                mine = [(url, row) for url, row, r in pages if r == role]
                if not mine:
                    continue
                context = browser.new_context(
                    viewport={"width": 1366, "height": 900}, locale=locale
                )
                page = context.new_page()
                sign_in(page, live_server.url, role, PASSWORD)
                for url, row in mine:
                    before = _state(row)
                    response = page.goto(live_server.url + url)
                    assert response is not None and response.status == 200, (role, url)
                    if page.locator(".refused").count():  # not editable now (a signed lease):
                        assert page.locator(".refused .alert").inner_text(), url  # says why
                        continue
                    saved += 1
                    page.click("form.form .form-actions button[type=submit]")
                    page.wait_for_load_state()
                    errors = page.locator(".field-error, .alert-error").all_inner_texts()
                    after = _state(row)
                    changed = {k: (before[k], after[k]) for k in before if before[k] != after[k]}
                    if errors or changed or page.url.endswith("/edit/"):
                        failures.append((language, role, url, errors, changed))
                context.close()
    assert failures == [], "\n".join(map(str, failures))
    assert saved > 2 * 15, saved  # most forms were saved, in both languages
