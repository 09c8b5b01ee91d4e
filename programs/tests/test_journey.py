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
