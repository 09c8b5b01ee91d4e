"""A finance clerk's day in the system Chromium: create a lease by picking a unit on the park's
free space → activate it → its bills → one transfer pays it and another lease of the tenant →
the rent roll of yesterday and of today show what was received when."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal

import pytest
from django.utils import timezone

from core.testing.browser import MARKS, chromium, pick, sign_in
from core.testing.world import PASSWORD, build_world
from enterprises.models import Enterprise
from leasing import billing, services
from leasing.models import Invoice, Lease
from leasing.selectors import rent_roll
from spaces.models import Floor, Park
from spaces.testing import make_unit

pytestmark = MARKS
D = Decimal


@pytest.fixture
def world(transactional_db):
    return build_world()


def _money(text: str) -> Decimal:
    return D(re.sub(r"[^\d.\-]", "", text) or "0")


def test_lease_from_free_space_to_one_transfer_and_the_rent_roll(world, live_server):
    today = timezone.localdate()
    start = today - datetime.timedelta(days=40)
    operator = world.users["operator"]
    park = world.sample(Park)
    tenant = Enterprise.objects.create(name="丁智能科技有限公司", credit_code="91110108MA00DDDD4G")
    unit = make_unit(world.sample(Floor), "J-301", area_m2=D(300))
    # the tenant's other lease, signed earlier and billed
    other = services.lease_create(
        actor=operator,
        lease=Lease(
            contract_no="J-OLD",
            enterprise=tenant,
            park=park,
            start_on=start,
            end_on=start + datetime.timedelta(days=364),
            rent_per_m2_day=D("2.50"),
        ),
        units=[make_unit(world.sample(Floor), "J-302", area_m2=D(100))],
    )
    services.lease_transition(actor=operator, lease=other, action="activate")

    with chromium() as browser:
        page = browser.new_page(viewport={"width": 1366, "height": 900})
        page.on("dialog", lambda dialog: dialog.accept())
        sign_in(page, live_server.url, "operator", PASSWORD)

        # 1. a lease of a unit picked on the park's free space
        page.goto(f"{live_server.url}/leasing/leases/add/")
        page.fill("input[name=contract_no]", "J-NEW")
        pick(page, "enterprise", tenant.name[:4], tenant.pk)
        page.fill("input[name=start_on]", start.isoformat())
        page.fill("input[name=end_on]", (start + datetime.timedelta(days=729)).isoformat())
        page.fill("input[name=rent_per_m2_day]", "3.00")
        with page.expect_response(lambda r: "unit-picker" in r.url and f"park={park.pk}" in r.url):
            page.select_option("select[name=park]", str(park.pk))
        picked = page.locator(f"#unit-picker input[value='{unit.pk}']")
        picked.wait_for()
        assert picked.is_enabled()  # free for these dates
        picked.check()
        page.click("#lease-form button[type=submit]")
        page.wait_for_url(re.compile(r"/leasing/leases/\d+/$"))
        lease = Lease.objects.get(contract_no="J-NEW")
        assert [s.unit_id for s in lease.lease_units.all()] == [unit.pk]

        # 2. activate it: the deposit and the bills due so far are issued
        page.locator("form.confirm-form:has(input[value=activate]) button").click()
        dialog = page.locator("#confirm-dialog")  # the page's own dialog names the lease
        dialog.wait_for(state="visible")
        assert "J-NEW" in dialog.inner_text()
        with page.expect_navigation():
            dialog.locator("button[value=ok]").click()
        lease.refresh_from_db()
        assert lease.state == "active"
        page.goto(f"{live_server.url}/leasing/leases/{lease.pk}/?tab=bills")
        bills = Invoice.objects.filter(lease=lease)
        assert bills.count() >= 2
        for bill in bills:
            assert page.locator(f"text={bill.number}").count() >= 1

        # 3. one transfer pays both leases, oldest due bills first
        owed = sum((b.outstanding for b in Invoice.objects.filter(lease__in=[lease, other])), D(0))
        page.goto(f"{live_server.url}/leasing/transfers/add/?enterprise={tenant.pk}")
        page.fill("input[name=amount]", str(owed))
        page.fill("input[name=reference]", "招行回单 0001")
        page.click("#transfer-form button[type=submit]")
        page.wait_for_url(re.compile(r"/leasing/transfers/\d+/$"))
        assert page.locator("text=J-NEW").count() >= 1 and page.locator("text=J-OLD").count() >= 1
        assert (
            sum((b.outstanding for b in Invoice.objects.filter(lease__in=[lease, other])), D(0))
            == 0
        )

        # 4. the rent roll of yesterday shows nothing received on the new lease; today's does
        def received_on_page(day: datetime.date) -> Decimal:
            page.goto(
                f"{live_server.url}/leasing/reports/rent-roll/?park={park.code}&on={day.isoformat()}"
            )
            row = page.locator("tr", has_text="J-NEW")
            return _money(row.locator("td").nth(12).inner_text())

        def received_in_records(day: datetime.date) -> Decimal:
            (row,) = [r for r in rent_roll(Lease.objects.filter(pk=lease.pk), day)]
            return row.received

        yesterday = today - datetime.timedelta(days=1)
        assert received_on_page(yesterday) == received_in_records(yesterday) == 0
        assert received_on_page(today) == received_in_records(today) > 0
        assert received_in_records(today) == sum(
            (b.settled for b in Invoice.objects.filter(lease=lease).exclude(kind="deposit")), D(0)
        )
        assert billing.deposit_held(lease) > 0
        page.close()
