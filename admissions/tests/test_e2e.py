"""Through the UI alone, logged in as each role in turn: a government reviewer recommends a
new company, the operator screens it, assesses its risk and sends it to joint review, both
sides approve, and the company is admitted."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from admissions.models import Application
from core.demo import DEMO_PASSWORD
from core.testing.browser import MARKS, chromium, sign_in
from enterprises.demo import credit_code

pytestmark = MARKS


@pytest.fixture
def browser(transactional_db):
    call_command("load_demo", stdout=io.StringIO())
    with chromium() as instance:
        yield instance


def login(browser, base, username):
    page = browser.new_context(viewport={"width": 1366, "height": 900}, locale="zh-CN").new_page()
    sign_in(page, base, username, DEMO_PASSWORD)
    return page


def act(page, label):
    """Open an action button's pop-over on the application page and confirm it."""
    page.locator("details.action-menu summary", has_text=label).click()
    page.locator("details.action-menu[open] button[type=submit]").click()
    page.wait_for_load_state()


def test_government_recommendation_to_approval(live_server, browser):
    base = live_server.url
    code = credit_code("91110108MA06C7D8E")

    gov = login(browser, base, "gov")
    gov.goto(f"{base}/admissions/")
    gov.click("text=新建申请")
    gov.fill("input[name=new_name]", "北京灵犀量子科技有限公司")
    gov.fill("input[name=new_credit_code]", code)
    gov.select_option("form.form select[name=park]", label="智造工场")
    gov.fill("textarea[name=description]", "量子测控设备研发与中试")
    gov.fill("input[name=area_min_m2]", "1200")
    gov.fill("input[name=clear_height_min_m]", "8")
    gov.fill("input[name=rd_intensity_pct]", "15")
    gov.fill("input[name=output_per_m2]", "30000")
    gov.fill("input[name=headcount]", "60")
    gov.fill("input[name=talent_share_pct]", "40")
    gov.click("form.form button[type=submit]")
    assert "北京灵犀量子科技有限公司" in gov.locator("h1").inner_text()
    act(gov, "提交")
    assert "已提交" in gov.locator(".summary").inner_text()
    app_url = gov.url.split("?")[0]

    operator = login(browser, base, "operator")
    operator.goto(f"{base}/admissions/inbox/")
    operator.click("text=北京灵犀量子科技有限公司")
    act(operator, "开始门槛筛查")
    # the new company's industry is not recorded yet: that rule fails, with its reason,
    # and the application goes on to the reviewers, who see why
    assert operator.locator("text=企业所属行业未登记").first.is_visible()
    act(operator, "进入风险评估")
    operator.goto(app_url + "?tab=risk")
    operator.fill("input[name=revenue_last_year]", "90000000")
    operator.fill("input[name=revenue_prev_year]", "70000000")
    operator.fill("input[name=debt_ratio_pct]", "35")
    operator.click("text=计算评分")
    assert operator.locator(".kpi-value").first.inner_text().strip()
    act(operator, "提交联审")
    operator.goto(app_url + "?tab=reviews")
    # a hard threshold failed: approving without an exception reason is refused, saying why
    operator.select_option("select[name=decision]", "approve")
    operator.click("text=提交意见")
    assert operator.locator("text=须写明例外理由").first.is_visible()
    operator.goto(app_url + "?tab=reviews")
    operator.select_option("select[name=decision]", "approve")
    operator.fill("textarea[name=exception_reason]", "行业待补登，属区重点引进项目")
    operator.click("text=提交意见")
    assert "产业联审" in operator.locator(".summary").inner_text()

    reviewer = login(browser, base, "gov2")  # the recommending reviewer may not review
    reviewer.goto(f"{base}/admissions/inbox/")
    reviewer.click("text=北京灵犀量子科技有限公司")
    reviewer.goto(reviewer.url.split("?")[0] + "?tab=reviews")
    reviewer.select_option("select[name=decision]", "approve")
    reviewer.fill("textarea[name=conditions]", "纳入区重点企业服务名单")
    reviewer.fill("textarea[name=exception_reason]", "同意作为例外引进，三个月内补登行业")
    reviewer.click("text=提交意见")
    assert "已通过" in reviewer.locator(".summary").inner_text()

    app = Application.objects.get(enterprise__credit_code=code)
    assert app.state == "approved" and app.channel == "gov"
    assert app.reviews.count() == 2
