"""Through the UI alone: a tenant opens a service request in its portal, the operator's staff
answer, ask for more and resolve it, and the tenant rates the service."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from admissions.tests.test_e2e import act, login
from core.testing.browser import MARKS, chromium
from programs.models import ServiceRequest

pytestmark = MARKS


@pytest.fixture
def browser(transactional_db):
    call_command("load_demo", stdout=io.StringIO())
    with chromium() as instance:
        yield instance


def test_tenant_request_resolved_and_rated(live_server, browser):
    base = live_server.url
    tenant = login(browser, base, "tenant")
    tenant.goto(f"{base}/programs/requests/add/")
    tenant.select_option("select[name=kind]", label="知识产权代理")
    tenant.fill("input[name=subject]", "实用新型专利申请两件")
    tenant.fill("textarea[name=description]", "已有技术交底书，请协助代理。")
    tenant.click("form.form button[type=submit]")
    assert "实用新型专利申请两件" in tenant.locator("h1").inner_text()
    request_url = tenant.url.split("?")[0]

    operator = login(browser, base, "operator")
    operator.goto(request_url)
    act(operator, "受理")
    operator.fill("textarea[name=body]", "内部：交由合作代理机构")
    operator.check("input[name=internal]")
    operator.click("text=发送")
    act(operator, "请企业补充")
    assert "暂停" in operator.locator(".summary").inner_text()

    tenant.goto(request_url)
    assert "内部：交由合作代理机构" not in tenant.content()
    tenant.fill("textarea[name=body]", "交底书第二版已上传")
    tenant.click("text=发送")
    assert "处理中" in tenant.locator(".summary").inner_text()  # the reply resumed the clock

    operator.goto(request_url)
    operator.locator("details.action-menu summary", has_text="办结").click()
    operator.fill("details.action-menu[open] textarea[name=comment]", "两件申请已提交国知局")
    operator.locator("details.action-menu[open] button[type=submit]").click()
    assert "已解决" in operator.locator(".summary").inner_text()

    tenant.goto(request_url)
    assert "两件申请已提交国知局" in tenant.content()
    tenant.select_option("select[name=rating]", "5")
    tenant.click("text=评价并关闭")
    assert "已关闭" in tenant.locator(".summary").inner_text()
    request = ServiceRequest.objects.get(subject="实用新型专利申请两件")
    assert request.rating == 5 and request.state == "closed"


def test_operator_graduates_a_company_and_moves_it_to_another_park(live_server, browser):
    """Milestones recorded with evidence, graduation, then a move planned from the graduate's
    page, units chosen among the matches, agreed and completed: the old lease ends, the new
    one runs."""
    from leasing.models import Lease
    from programs.models import Move, ProgramMember

    base = live_server.url
    member = ProgramMember.objects.get(
        state="active", cohort__name="2026 秋季营", enterprise__name="北京云图智算科技有限公司"
    )
    operator = login(browser, base, "operator")
    operator.goto(f"{base}/programs/members/{member.pk}/")
    for _ in ("首笔销售收入", "完成首轮融资"):
        operator.locator("details.action-menu summary", has_text="记为达成").first.click()
        operator.fill("details.action-menu[open] textarea[name=evidence]", "合同与银行回单")
        operator.locator("details.action-menu[open] button[type=submit]").click()
        operator.wait_for_load_state()
    act(operator, "毕业")
    assert "已毕业" in operator.locator(".summary").inner_text()

    operator.click("text=规划迁往下一站园区")
    operator.select_option("select[name=to_park]", label="科创孵化器")
    operator.fill("input[name=area_min_m2]", "80")
    operator.fill("input[name=area_max_m2]", "200")
    operator.click("form.form button[type=submit]")
    assert "规划中" in operator.locator(".summary").inner_text()
    operator.locator("details.action-menu summary", has_text="选择").first.click()
    operator.locator("details.action-menu[open] button[type=submit]").click()
    operator.wait_for_load_state()
    act(operator, "商定迁移")
    act(operator, "完成迁移")
    assert "已迁移" in operator.locator(".summary").inner_text()
    move = Move.objects.get(enterprise=member.enterprise)
    old = Lease.objects.get(pk=move.from_lease_id)
    assert old.state == "terminated" and move.new_lease.state == "active"
    assert move.new_lease.park.code == "FHQ"
