"""A fund manager in the system Chromium: a deal from the company's page → screening, due
diligence, committee → the investment → a mark → the fund page shows the new TVPI."""

from __future__ import annotations

import datetime
from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.utils import timezone

from core.testing.browser import MARKS, chromium, sign_in
from core.testing.world import PASSWORD, build_world
from enterprises.models import Enterprise
from fund.models import Deal, Fund, Investment, Valuation
from fund.selectors import fund_metrics

pytestmark = MARKS
D = Decimal


@pytest.fixture
def world(transactional_db):
    return build_world()


def test_deal_to_investment_to_mark_moves_the_fund_tvpi(world, live_server):
    fund = world.sample(Fund, "A")
    company = Enterprise.objects.create(name="丙量子科技有限公司", credit_code="91110108MA00CCCC3D")
    today = timezone.localdate()
    before = fund_metrics(fund, today).tvpi
    with chromium() as browser:
        page = browser.new_page(viewport={"width": 1366, "height": 900}, locale="zh-CN")
        sign_in(page, live_server.url, "fund", PASSWORD)

        # 1. from the company's page, its investments tab: a new deal
        page.goto(f"{live_server.url}/enterprises/companies/{company.pk}/?tab=investments")
        page.click("a[href*='/fund/deals/add/']")
        page.select_option("select[name=fund]", str(fund.pk))
        page.select_option("select[name=source]", "growth_signal")
        page.fill("input[name=next_step]", "约访创始团队")
        page.click("form button[type=submit]")
        deal = Deal.objects.get(enterprise=company)
        page.wait_for_url(f"{live_server.url}/fund/deals/{deal.pk}/")

        # 2. through the pipeline to the committee
        for label in ("开始门槛筛查", "开始尽调", "提交投决"):
            page.click(f"button:has-text('{label}')")
            page.wait_for_load_state()
        deal.refresh_from_db()
        assert deal.stage == "committee"

        # 3. the investment, from the deal
        page.click("a:has-text('登记投资')")
        page.select_option("select[name=round]", "a")
        page.fill("input[name=invested_on]", (today - datetime.timedelta(days=30)).isoformat())
        page.fill("input[name=amount]", "8000000")
        page.fill("input[name=pre_money]", "72000000")
        page.fill("input[name=post_money]", "80000000")
        page.click("form button[type=submit]")
        investment = Investment.objects.get(enterprise=company)
        page.wait_for_url(f"{live_server.url}/fund/investments/{investment.pk}/")
        assert investment.ownership_pct == D("10.000000")
        deal.refresh_from_db()
        assert deal.stage == "invested"

        # 4. a mark at twice the cost
        page.click("a:has-text('+ 估值')")
        page.fill("input[name=on]", today.isoformat())
        page.select_option("select[name=method]", "comparables")
        page.fill("input[name=fair_value]", "16000000")
        page.click("form button[type=submit]")
        page.wait_for_url(f"{live_server.url}/fund/valuations/*/")
        assert Valuation.objects.filter(investment=investment, fair_value=D(16_000_000)).exists()

        # 5. the fund page shows the TVPI the records now give
        page.goto(f"{live_server.url}/fund/funds/{fund.pk}/")
        after = fund_metrics(fund, today).tvpi
        assert after is not None and before is not None and after > before
        shown = page.inner_text("[data-metric=tvpi]")
        assert shown == f"{after.quantize(D('0.0001'), ROUND_HALF_UP)}x"
        assert page.locator("#holdings").get_by_text("丙量子科技有限公司").count() == 1
