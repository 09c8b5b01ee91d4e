"""Browser smoke test: each demo role logs in with the real form in the system Chromium and
opens every page its navigation offers, at desktop and phone width, with no console error."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from core.demo import DEMO_PASSWORD
from core.testing.browser import MARKS, chromium

pytestmark = MARKS


@pytest.fixture
def demo(transactional_db):
    call_command("load_demo", stdout=io.StringIO())


@pytest.fixture
def browser():
    with chromium() as instance:
        yield instance


@pytest.mark.parametrize("role", ["admin", "operator", "gov", "fund", "tenant"])
def test_role_opens_every_main_page_without_console_errors(role, demo, live_server, browser):
    for width in (1366, 390):
        page = browser.new_context(viewport={"width": width, "height": 900}).new_page()
        errors: list[str] = []
        page.on("console", lambda m, out=errors: out.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e, out=errors: out.append(str(e)))
        page.goto(f"{live_server.url}/login/")
        page.fill("input[name=username]", role)
        page.fill("input[name=password]", DEMO_PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url(f"{live_server.url}/")
        links = page.eval_on_selector_all(
            ".sider a.nav-item", "els => els.map(e => e.getAttribute('href'))"
        )
        links = [h for h in links if not h.startswith("/api/")]
        assert "/" in links and "/account/tokens/" in links
        for href in links:
            response = page.goto(live_server.url + href)
            assert response is not None and response.status == 200, (role, href)
            assert page.locator("h1").first.is_visible(), (role, href)
        assert errors == [], (role, width, errors)
        page.context.close()


def test_operator_filters_units_and_opens_a_building(demo, live_server, browser):
    page = browser.new_page()
    page.goto(f"{live_server.url}/login/")
    page.fill("input[name=username]", "operator")
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("button[type=submit]")
    page.goto(f"{live_server.url}/spaces/units/")
    page.fill("input[name=clear_height_min]", "10")
    with page.expect_response(lambda r: "clear_height_min=10" in r.url):
        page.click(".filter-bar button[type=submit]")
    rows = page.locator("#table tbody tr")
    assert rows.count() > 0
    assert all(
        float(c) >= 10 for c in page.locator("#table tbody tr td:nth-child(8)").all_inner_texts()
    )
    page.goto(f"{live_server.url}/spaces/buildings/")
    page.locator("#table tbody a").first.click()
    assert page.locator(".stack-unit").count() > 0


def test_a_wide_list_keeps_its_key_column_and_the_columns_a_user_chose(demo, live_server, browser):
    page = browser.new_context(viewport={"width": 1366, "height": 900}).new_page()
    page.goto(f"{live_server.url}/login/")
    page.fill("input[name=username]", "operator")
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
    page.goto(f"{live_server.url}/spaces/units/")
    key = page.locator("#table thead th").first
    assert key.evaluate("th => getComputedStyle(th).position") == "sticky"
    use = page.locator("#table thead th[data-col=use]")
    assert use.is_visible()
    page.click(".col-chooser summary")
    page.uncheck(".col-menu input[data-col=use]")
    assert not use.is_visible()
    page.reload()  # the choice is remembered for this list
    assert not page.locator("#table thead th[data-col=use]").is_visible()
    assert page.locator("#table thead th[data-col=status]").is_visible()
    with page.expect_response(lambda r: "sort=" in r.url):  # and survives an htmx swap
        page.locator("#table thead th a").first.click()
    assert not page.locator("#table thead th[data-col=use]").is_visible()
    page.goto(f"{live_server.url}/leasing/leases/")  # another list keeps all its columns
    assert (
        page.locator("#table thead th").count() == page.locator("#table thead th:visible").count()
    )
