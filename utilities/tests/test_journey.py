"""A round of readings on a phone in the system Chromium: the walk page takes the building's
meters one after another, and the consumption appears on the tenant's next bill."""

from __future__ import annotations

from decimal import Decimal

import pytest

from core.testing.browser import MARKS, chromium, sign_in
from core.testing.world import PASSWORD, build_world
from leasing.models import Invoice, Lease, LeaseCharge
from utilities.models import Meter

pytestmark = MARKS


@pytest.fixture
def world(transactional_db):
    return build_world()


def test_a_round_of_readings_on_a_phone_reaches_the_next_bill(world, live_server):
    meter = world.sample(Meter, "A")  # E-A, last read at 300 on 2026-02-01, 0.80 元/kWh
    lease = world.sample(Lease, "A")
    with chromium() as browser:
        page = browser.new_page(viewport={"width": 390, "height": 844}, locale="zh-CN")
        sign_in(page, live_server.url, "operator", PASSWORD)

        page.goto(f"{live_server.url}/utilities/walk/?building={meter.building_id}")
        card = page.locator("#walk-meter")
        assert "E-A" in card.locator("h2").inner_text()
        assert "300" in card.inner_text()  # the last reading, to compare with the dial
        assert "0 / 2" in page.locator(".walk-progress").inner_text()

        # a lower figure is refused with the reason to give, and nothing is recorded
        page.fill("input[name=value]", "250")
        page.click("#walk-meter button[type=submit]")
        assert "读数低于上次" in page.locator("#walk-meter").inner_text()
        assert not LeaseCharge.objects.filter(lease=lease, source__startswith="utilities.").exists()

        page.fill("input[name=value]", "500")
        page.click("#walk-meter button[type=submit]")
        page.wait_for_load_state()
        # the next meter of the round: the shared one, read for the first time
        assert "E-A-SHARED" in page.locator("#walk-meter h2").inner_text()
        assert "1 / 2" in page.locator(".walk-progress").inner_text()
        page.fill("input[name=value]", "42")
        page.click("#walk-meter button[type=submit]")
        page.wait_for_load_state()
        assert "均已抄完" in page.locator(".content").inner_text()

        # the lease's bills tab lists the line for the next bill, then bills it at once
        page.goto(f"{live_server.url}/leasing/leases/{lease.pk}/?tab=bills")
        text = page.locator(".content").inner_text()
        assert "E-A" in text and "200 kWh" in text and "160.00" in text
        page.click("button:has-text('立即出具费用账单')")
        dialog = page.locator("#confirm-dialog")
        dialog.wait_for(state="visible")
        with page.expect_navigation():
            dialog.locator("button[value=ok]").click()
        charge = LeaseCharge.objects.get(lease=lease, source__startswith="utilities.")
        assert charge.amount == Decimal("160.00") and charge.invoice is not None
        assert Invoice.objects.get(pk=charge.invoice_id).amount == Decimal("160.00")
        assert charge.invoice.number in page.locator(".content").inner_text()
