"""A government reviewer's first sign-in on a phone in the system Chromium, with two-factor
sign-in required of reviewers: the authenticator is set up from the QR page, the recovery
codes are shown once, and the next sign-in asks for the code before any page opens."""

from __future__ import annotations

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from core.testing.browser import MARKS, chromium
from core.testing.world import PASSWORD, build_world
from security.models import SecuritySettings

pytestmark = MARKS


@pytest.fixture
def world(transactional_db):
    return build_world()


def _code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def _sign_in(page, base: str) -> None:
    page.goto(f"{base}/login/")
    page.fill("input[name=username]", "gov")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")


def test_a_reviewer_sets_up_an_authenticator_and_signs_in_with_it(world, live_server):
    SecuritySettings.objects.update(two_factor_roles=["admin", "gov"])
    base = live_server.url
    with chromium() as browser:
        page = browser.new_page(viewport={"width": 390, "height": 844}, locale="zh-CN")
        _sign_in(page, base)
        page.wait_for_url(f"{base}/security/2fa/")  # required: nothing else opens first
        assert page.locator(".qr svg").is_visible()
        device = TOTPDevice.objects.get(user__username="gov", confirmed=False)
        page.fill("input[name=code]", "000000")
        page.click("button[type=submit]")
        assert "动态码错误" in page.locator(".content").inner_text()
        page.wait_for_timeout(1200)  # django-otp refuses every code for 1 s after a wrong one
        page.fill("input[name=code]", _code(device))
        page.click("button[type=submit]")
        codes = page.locator("#recovery-codes code").all_inner_texts()
        assert len(codes) == 10
        page.goto(f"{base}/")
        assert page.url == f"{base}/"

        page.context.clear_cookies()  # another day, another browser session
        _sign_in(page, base)
        page.wait_for_url(f"{base}/security/2fa/verify/*")
        page.fill("input[name=code]", codes[3])  # the phone is not at hand
        page.click("button[type=submit]")
        page.wait_for_url(f"{base}/")
        assert "工作台" in page.locator("body").inner_text()
