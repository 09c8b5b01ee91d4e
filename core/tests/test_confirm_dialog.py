"""Irreversible actions ask in the page's own dialog, naming the record and the consequence:
cancelling changes nothing, confirming does the action (system Chromium)."""

from __future__ import annotations

import pytest

from core.models import ApiToken
from core.testing.browser import MARKS, chromium, sign_in
from core.testing.world import PASSWORD, build_world
from core.tokens import token_create

pytestmark = MARKS


@pytest.fixture
def world(transactional_db):
    return build_world()


def test_revoking_a_token_asks_first_in_a_dialog_naming_it(world, live_server):
    token, _key = token_create(actor=world.users["operator"], name="财务对账脚本")
    with chromium() as browser:
        page = browser.new_page(viewport={"width": 1366, "height": 900}, locale="zh-CN")
        dialogs: list[str] = []
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        sign_in(page, live_server.url, "operator", PASSWORD)
        page.goto(f"{live_server.url}/account/tokens/")

        page.click("form.confirm-form button")
        dialog = page.locator("#confirm-dialog")
        dialog.wait_for(state="visible")
        assert "财务对账脚本" in dialog.inner_text()
        assert "停止" in dialog.inner_text() or "stop" in dialog.inner_text()
        dialog.locator("button[value=cancel]").click()
        dialog.wait_for(state="hidden")
        token.refresh_from_db()
        assert token.is_active

        page.click("form.confirm-form button")
        dialog.wait_for(state="visible")
        with page.expect_navigation():
            dialog.locator("button[value=ok]").click()
        token.refresh_from_db()
        assert not token.is_active
        assert dialogs == []  # never the browser's own confirm()
        assert ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=False).exists()
