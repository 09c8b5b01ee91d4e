"""Through the UI alone: the operator opens the current quarter, the tenant files it in its
portal, the park dashboard's talent figure moves by what was filed, and the figure's
drill-down lists that filing."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from admissions.tests.test_e2e import login
from core.testing.browser import MARKS, chromium
from enterprises.models import StatPeriod

pytestmark = MARKS

FIGURES = {
    "headcount": "3000",
    "doctorates": "200",
    "masters": "800",
    "bachelors": "1500",
    "returnees": "90",
    "revenue_wan": "70000",
    "output_value_wan": "80000",
    "rd_spend_wan": "5600",
    "tax_paid_wan": "4200",
    "financing_wan": "0",
    "invention_patents": "700",
    "utility_models": "800",
    "designs": "200",
    "software_copyrights": "300",
}


@pytest.fixture
def browser(transactional_db):
    call_command("load_demo", stdout=io.StringIO())
    with chromium() as instance:
        yield instance


def _talents(page) -> int:
    text = page.locator("a.kpi[data-kpi=talents] .kpi-value").inner_text()
    return int(text.replace(",", ""))


def test_tenant_files_a_quarter_and_the_dashboard_moves(live_server, browser):
    base = live_server.url
    today = timezone.localdate()
    quarter = (today.month - 1) // 3 + 1
    probe = StatPeriod(kind="quarter", year=today.year, number=quarter)
    probe.derive()
    due = probe.ends_on + datetime.timedelta(days=20)

    operator = login(browser, base, "operator")
    operator.goto(f"{base}/analytics/periods/add/")
    operator.select_option("select[name=kind]", "quarter")
    operator.fill("input[name=year]", str(today.year))
    operator.fill("input[name=number]", str(quarter))
    operator.fill("input[name=due_on]", due.isoformat())
    operator.click("form.form button[type=submit]")
    assert "家企业中已有 0 家填报" in operator.locator(".card").first.inner_text()
    dashboard = f"{base}/analytics/dashboard/?park=ZZGC&as_of={probe.ends_on.isoformat()}"
    operator.goto(dashboard)
    before = _talents(operator)

    tenant = login(browser, base, "tenant")
    tenant.goto(f"{base}/enterprises/filings/?state=due")
    tenant.locator("table a", has_text=f"{today.year}年第{quarter}季度").first.click()
    tenant.click("text=填报数据")
    for name, value in FIGURES.items():
        tenant.fill(f"input[name={name}]", value)
    tenant.click("form.form button[type=submit]")
    assert "统计报表已提交" in tenant.content()

    operator.goto(dashboard)
    after = _talents(operator)
    assert after != before
    operator.click("a.kpi[data-kpi=talents]")
    table = operator.locator("table").inner_text()
    assert f"{today.year}年第{quarter}季度" in table and "2,500" in table
