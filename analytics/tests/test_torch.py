"""The torch statistics returns (火炬统计) of park A for 2026, from the world's records: one
1,000 ㎡ unit let to company A from 2026-01-01, its Q1 2026 filing (40 employees, 1 returnee,
500 万元 revenue, 80 万元 R&D, 30 万元 tax, 13 IP items of which 3 invention patents), its
high-tech certificate not yet verified."""

from __future__ import annotations

import datetime
import io

import pytest
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from analytics.torch import INCUBATEE_COLUMNS, INCUBATOR_COLUMNS, TorchReturn, header
from core.choices import AuditAction
from core.models import AuditEntry
from enterprises.models import Enterprise, Qualification, StatFiling
from enterprises.services import qualification_verify
from spaces.choices import ParkKind
from spaces.models import Park

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    """The checks' messages read in English here (the UI's language follows the user)."""
    with translation.override("en"):
        yield


def _returns(world):
    return TorchReturn(Park.objects.get(pk=world.sample(Park, "A").pk), 2026)


def test_the_returns_are_filled_from_the_records(world):
    torch = _returns(world)
    company = world.sample(Enterprise, "A")
    t = torch.incubator
    assert (t["incubatees"], t["new_incubatees"], t["people"], t["returnees"]) == (1, 1, 40, 1)
    assert (t["total_area"], t["incubatee_area"]) == (1000, 1000)
    assert (t["revenue"], t["rd"], t["tax"]) == (5000, 800, 300)  # 万元 → 千元
    assert (t["ip"], t["patents"], t["high_tech"], t["financed"]) == (13, 3, 0, 0)
    assert (t["fund"], t["graduates_hired"]) == ("by_hand", "by_hand")
    [row] = torch.rows
    assert (row["name"], row["credit_code"]) == (company.name, company.credit_code)
    assert row["entered"] == datetime.date(2026, 1, 1)
    assert (row["people"], row["revenue"], row["ip"], row["high_tech"]) == (40, 5000, 13, "否")

    qualification_verify(
        actor=world.users["operator"], qualification=world.sample(Qualification, "A")
    )
    verified = _returns(world)
    assert (verified.rows[0]["high_tech"], verified.incubator["high_tech"]) == ("是", 1)


def test_the_returns_checks_name_what_to_fix_or_confirm(world):
    torch = _returns(world)
    assert all(held for _rule, held in torch.rules())
    messages = [c.message for c in torch.checks()]
    assert not any(c.error for c in torch.checks())
    assert any("is not an incubator" in m for m in messages)  # park A is a manufacturing park
    assert sum("fill it in the downloaded workbook" in m for m in messages) == 2

    Park.objects.filter(pk=world.sample(Park, "A").pk).update(kind=ParkKind.INCUBATOR)
    StatFiling.objects.filter(pk=world.sample(StatFiling, "A").pk).update(
        headcount=0, rd_spend_wan=900
    )
    torch = _returns(world)
    failed = [rule for rule, held in torch.rules() if not held]
    assert failed == ["其中：留学人员 ≤ 在孵企业从业人员", "在孵企业从业人员 ≥ 在孵企业数"]
    checks = torch.checks()
    errors = [c.message for c in checks if c.error]
    assert len(errors) == 3 and "no employees in its latest filing" in errors[2]
    warnings = [c.message for c in checks if not c.error]
    assert not any("is not an incubator" in m for m in warnings)
    assert any("R&D spend above its revenue" in m for m in warnings)
    assert checks.index(next(c for c in checks if not c.error)) == 3  # errors come first


def test_a_company_that_filed_nothing_that_year_is_named(world):
    StatFiling.objects.filter(pk=world.sample(StatFiling, "A").pk).update(state="due")
    torch = _returns(world)
    assert torch.rows[0]["revenue"] == 0
    assert any("has filed no statistics for 2026" in c.message for c in torch.checks())


def test_the_workbook_holds_both_tables_in_the_returns_column_order(world, client_for):
    url = reverse("analytics:torch") + "?park=PA&year=2026"
    page = client_for("operator").get(url)
    assert page.status_code == 200
    assert "在孵企业情况" in page.content.decode()
    response = client_for("operator").get(url + "&format=xlsx")
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["科技企业孵化器情况", "在孵企业情况"]
    incubator, companies = book.worksheets
    assert [c.value for c in incubator[2]] == [header(c) for c in INCUBATOR_COLUMNS]
    values = dict(
        zip([c.key for c in INCUBATOR_COLUMNS], [c.value for c in incubator[3]], strict=True)
    )
    assert (values["incubatees"], values["people"], values["revenue"]) == (1, 40, 5000)
    assert values["fund"] is None  # by hand
    assert [c.value for c in companies[2]] == [header(c) for c in INCUBATEE_COLUMNS]
    assert companies[3][1].value == world.sample(Enterprise, "A").name
    assert AuditEntry.objects.filter(
        action=AuditAction.EXPORT, comment__startswith="year=2026 park=PA"
    ).exists()


def test_a_reviewer_gets_the_incubators_table_and_a_tenant_nothing(world, client_for):
    url = reverse("analytics:torch") + "?park=PA&year=2026"
    page = client_for("gov").get(url)
    assert page.status_code == 200
    assert "在孵企业情况" not in page.content.decode()
    book = load_workbook(io.BytesIO(client_for("gov").get(url + "&format=xlsx").content))
    assert book.sheetnames == ["科技企业孵化器情况"]
    assert client_for("tenant").get(url).status_code == 404
    assert client_for("operator").get(reverse("analytics:torch") + "?park=PB").status_code == 404
