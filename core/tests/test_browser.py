"""Page inspection in the system Chromium: each demo role logs in with the real form and
opens every page its navigation offers, at desktop and phone width: no console error, no
page wider than the screen, no string left in English in the Chinese UI (the message
catalogue's msgids), no link the role is shown that answers 403/404/500; a screenshot of
each under var/screenshots/inspection/ for CI to keep."""

from __future__ import annotations

import io
import re
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.core.management import call_command

from core.demo import DEMO_PASSWORD
from core.testing.browser import MARKS, chromium, sign_in

pytestmark = MARKS


@pytest.fixture
def demo(transactional_db):
    call_command("load_demo", stdout=io.StringIO())


@pytest.fixture
def browser():
    with chromium() as instance:
        yield instance


def _english_msgids() -> set[str]:
    """The catalogue's English texts that have a Chinese translation (words, no placeholders):
    any of them shown as a whole line in the Chinese UI was left untranslated."""
    catalogue = polib.pofile(str(settings.BASE_DIR / "locale/zh_Hans/LC_MESSAGES/django.po"))
    return {
        e.msgid.strip()
        for e in catalogue
        if e.msgstr and e.msgstr != e.msgid and re.search("[A-Za-z]{3}", e.msgid)
        if not e.msgid_plural and "%" not in e.msgid and "{" not in e.msgid
    }


SHOTS = Path(settings.BASE_DIR) / "var" / "screenshots" / "inspection"
LINKS_A_PAGE = 10  # the first links of each page's content (rows, tabs, actions) are followed


@pytest.mark.parametrize("role", ["admin", "operator", "gov", "fund", "tenant", "auditor"])
def test_role_opens_every_main_page_without_console_errors(role, demo, live_server, browser):
    english, problems, links = _english_msgids(), [], {}
    SHOTS.mkdir(parents=True, exist_ok=True)
    for width in (1366, 390):
        context = browser.new_context(viewport={"width": width, "height": 900}, locale="zh-CN")
        page = context.new_page()
        errors: list[str] = []
        page.on("console", lambda m, out=errors: out.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e, out=errors: out.append(str(e)))
        sign_in(page, live_server.url, role, DEMO_PASSWORD)
        nav = page.eval_on_selector_all(
            ".sider a.nav-item", "els => els.map(e => e.getAttribute('href'))"
        )
        nav = [h for h in nav if not h.startswith("/api/")]
        assert "/" in nav and "/account/tokens/" in nav
        for href in nav:
            response = page.goto(live_server.url + href)
            assert response is not None and response.status == 200, (role, href)
            assert page.locator("h1").first.is_visible(), (role, href)
            slug = re.sub(r"[^a-z0-9]+", "-", href.lower()).strip("-") or "home"
            page.screenshot(path=str(SHOTS / f"{role}-{width}-{slug}.png"), full_page=True)
            wider = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
            if wider > 1:
                problems.append((width, href, f"{wider} px wider than the screen"))
            if width == 1366:
                lines = {line.strip() for line in page.inner_text(".content").split("\n")}
                left = sorted(lines & english - {role})  # a username is no text to translate
                if left:
                    problems.append((width, href, f"untranslated: {left[:5]}"))
                hrefs = page.eval_on_selector_all(
                    ".content a[href]", "els => els.map(e => e.getAttribute('href'))"
                )
                for target in [h for h in hrefs if _followed(h)][:LINKS_A_PAGE]:
                    links.setdefault(target, href)
        assert errors == [], (role, width, errors)
        if width == 1366:
            for target, source in links.items():
                status = context.request.get(live_server.url + target, max_redirects=0).status
                if status in (403, 404, 500):
                    problems.append((width, source, f"link {target} answers {status}"))
        context.close()
    assert problems == [], (role, problems)


def _followed(href: str | None) -> bool:
    """A link inside ParkOps that only reads (no sign-out, no API, no download of a file)."""
    return bool(href) and href.startswith("/") and not href.startswith(("/api/", "/logout"))  # type: ignore[union-attr]


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
    sign_in(page, live_server.url, "operator", DEMO_PASSWORD)
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
