"""Statistics filing (企业统计报表): opening a period, the checks, filing once, corrections by
staff with a reason, reminders — and on every refused path, nothing changed."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.urls import reverse

from core.audit.models import AuditEntry
from core.errors import ConflictError
from core.models import Notification
from core.testing.world import World
from enterprises import filing_imports, filings
from enterprises.choices import FilingState, StatPeriodKind
from enterprises.filing_imports import parse_period
from enterprises.models import FILING_FIGURES, Enterprise, StatFiling, StatPeriod

GOOD = {
    "headcount": 50,
    "doctorates": 3,
    "masters": 10,
    "bachelors": 25,
    "returnees": 2,
    "revenue_wan": Decimal("600"),
    "output_value_wan": Decimal("700"),
    "rd_spend_wan": Decimal("90"),
    "tax_paid_wan": Decimal("35"),
    "financing_wan": Decimal("0"),
    "invention_patents": 4,
    "utility_models": 5,
    "designs": 1,
    "software_copyrights": 4,
}


def _open(world: World, number: int = 2, jump: str = "3") -> StatFiling:
    """Q``number`` of 2026 for operator A, company A asked to file."""
    period = StatPeriod(
        operator=world.operators["A"],
        kind=StatPeriodKind.QUARTER,
        year=2026,
        number=number,
        due_on=datetime.date(2026, 3 * number, 28),
        jump_factor=Decimal(jump),
    )
    period.derive()
    period.due_on = period.ends_on + datetime.timedelta(days=20)
    filings.period_open(
        actor=world.users["operator"],
        period=period,
        filers=[world.sample(Enterprise, "A")],
    )
    return period.filings.get()


def test_a_period_knows_its_days_and_asks_each_filer_once(world):
    filing = _open(world)
    period = filing.period
    assert (period.starts_on, period.ends_on) == (
        datetime.date(2026, 4, 1),
        datetime.date(2026, 6, 30),
    )
    assert str(period) == "2026年第2季度"
    assert filing.state == FilingState.DUE
    again = filings.period_add_filers(
        actor=world.users["operator"], period=period, filers=[world.sample(Enterprise, "A")]
    )
    assert again == 0 and period.filings.count() == 1


def test_a_deadline_before_the_period_ends_and_a_fifth_quarter_are_refused(world):
    period = StatPeriod(
        operator=world.operators["A"],
        kind=StatPeriodKind.QUARTER,
        year=2026,
        number=5,
        due_on=datetime.date(2026, 1, 1),
    )
    with pytest.raises(ValidationError) as caught:
        filings.period_open(actor=world.users["operator"], period=period)
    assert "number" in caught.value.message_dict
    period.number = 3
    with pytest.raises(ValidationError) as caught:
        filings.period_open(actor=world.users["operator"], period=period)
    assert caught.value.message_dict["due_on"] == ["截止日期不能早于报告期最后一天（2026-09-30）。"]
    assert not StatPeriod.objects.filter(number__in=(3, 5)).exists()


def test_the_company_files_once_and_the_figures_count(world):
    filing = _open(world)
    filed = filings.filing_submit(actor=world.users["tenant"], filing=filing, data=GOOD)
    assert filed.state == FilingState.FILED
    assert filed.filed_by == world.users["tenant"]
    assert (filed.talents, filed.ip_items) == (38, 14)
    with pytest.raises(ConflictError):
        filings.filing_submit(
            actor=world.users["tenant"], filing=filed, data={**GOOD, "headcount": 60}
        )
    assert StatFiling.objects.get(pk=filing.pk).headcount == 50


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"headcount": None}, "headcount"),
        ({"bachelors": 40}, "bachelors"),  # 3 + 10 + 40 > 50
        ({"returnees": 51}, "returnees"),
    ],
)
def test_errors_name_the_field_and_file_nothing(world, change, field):
    filing = _open(world)
    with pytest.raises(ValidationError) as caught:
        filings.filing_submit(
            actor=world.users["tenant"], filing=filing, data={**GOOD, **change}, confirm=True
        )
    assert field in caught.value.message_dict
    again = StatFiling.objects.get(pk=filing.pk)
    assert again.state == FilingState.DUE and again.headcount is None


def test_rd_above_revenue_waits_for_the_filers_confirmation(world):
    filing = _open(world)
    data = {**GOOD, "rd_spend_wan": Decimal("700")}
    with pytest.raises(ValidationError) as caught:
        filings.filing_submit(actor=world.users["tenant"], filing=filing, data=data)
    assert set(caught.value.message_dict) == {"rd_spend_wan", filings.CONFIRM}
    assert (
        "研发投入（700 万元）高于营业收入（600 万元）"
        in caught.value.message_dict["rd_spend_wan"][0]
    )
    assert StatFiling.objects.get(pk=filing.pk).state == FilingState.DUE
    filed = filings.filing_submit(
        actor=world.users["tenant"], filing=filing, data=data, confirm=True
    )
    assert filed.confirmed_flags == ["rd_over_revenue"]


def test_a_jump_from_the_last_quarter_is_flagged(world):
    """The world's Q1 filing has 40 employees: 130 is more than three times that."""
    filing = _open(world)
    with pytest.raises(ValidationError) as caught:
        filings.filing_submit(
            actor=world.users["tenant"], filing=filing, data={**GOOD, "headcount": 130}
        )
    assert "headcount" in caught.value.message_dict
    assert "40" in caught.value.message_dict["headcount"][0]
    filed = filings.filing_submit(
        actor=world.users["tenant"], filing=filing, data={**GOOD, "headcount": 119}
    )
    assert filed.confirmed_flags == []  # 119 < 3 × 40


def test_staff_correct_with_a_reason_in_the_change_log(world):
    filing = filings.filing_submit(actor=world.users["tenant"], filing=_open(world), data=GOOD)
    with pytest.raises(ValidationError):
        filings.filing_correct(
            actor=world.users["operator"], filing=filing, data={"headcount": 52}, reason=" "
        )
    with pytest.raises(Http404):  # a company may file, not rewrite
        filings.filing_correct(
            actor=world.users["tenant"], filing=filing, data={"headcount": 52}, reason="typo"
        )
    assert StatFiling.objects.get(pk=filing.pk).headcount == 50
    filings.filing_correct(
        actor=world.users["operator"], filing=filing, data={"headcount": 52}, reason="笔误"
    )
    entry = AuditEntry.objects.filter(object_id=str(filing.pk)).order_by("-pk").first()
    assert entry.comment == "笔误" and entry.changes["headcount"] == [50, 52]


def test_reminders_reach_the_users_of_companies_that_have_not_filed(
    world, django_capture_on_commit_callbacks
):
    filing = _open(world)
    with django_capture_on_commit_callbacks(execute=True):
        assert filings.period_remind(actor=world.users["operator"], period=filing.period) == 1
    note = Notification.objects.get(user=world.users["tenant"])
    assert note.url == reverse("enterprises:filing_file", args=[filing.pk])
    filings.filing_submit(actor=world.users["tenant"], filing=filing, data=GOOD)
    assert filings.period_remind(actor=world.users["operator"], period=filing.period) == 0


def test_the_tenant_files_in_the_portal(world, client_for):
    filing = _open(world)
    client = client_for("tenant")
    page = client.get(reverse("enterprises:filing_file", args=[filing.pk]))
    assert page.status_code == 200
    bad = client.post(
        reverse("enterprises:filing_file", args=[filing.pk]),
        {**{k: str(v) for k, v in GOOD.items()}, "rd_spend_wan": "700"},
    )
    assert bad.status_code == 200 and "请核对" in bad.content.decode()
    assert StatFiling.objects.get(pk=filing.pk).state == FilingState.DUE
    good = client.post(
        reverse("enterprises:filing_file", args=[filing.pk]),
        {**{k: str(v) for k, v in GOOD.items()}, "rd_spend_wan": "700", "confirm": "on"},
    )
    assert good.status_code == 302
    row = StatFiling.objects.get(pk=filing.pk)
    assert row.state == FilingState.FILED and row.rd_spend_wan == Decimal("700")
    assert set(FILING_FIGURES) <= {f.name for f in StatFiling._meta.fields}


def test_another_company_never_sees_a_filing(world, client_for):
    other = world.sample(StatFiling, "B")
    client = client_for("tenant")
    assert client.get(reverse("enterprises:statfiling_detail", args=[other.pk])).status_code == 404
    assert client.get(reverse("enterprises:filing_file", args=[other.pk])).status_code == 404
    # government reviewers read aggregates, never one company's filing
    gov = client_for("gov")
    mine = world.sample(StatFiling, "A")
    assert gov.get(reverse("enterprises:statfiling_detail", args=[mine.pk])).status_code == 404


def _workbook(rows) -> bytes:
    from openpyxl import Workbook

    from enterprises.filing_imports import COLUMNS

    wb = Workbook()
    sheet = wb.active
    assert sheet is not None
    sheet.append([c.header for c in COLUMNS])
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _row(period, code, **changes):
    figures = {**GOOD, **changes}
    return [period, code, "", *(figures[name] for name in FILING_FIGURES), None]


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("2026年第3季度", ("quarter", 2026, 3)),
        ("2026Q3", ("quarter", 2026, 3)),
        ("2026年7月", ("month", 2026, 7)),
        ("2026-07", ("month", 2026, 7)),
        ("2026年度", ("year", 2026, 1)),
        ("2026年13月", None),
        ("第三季度", None),
    ],
)
def test_periods_read_as_people_write_them(text, key):
    assert parse_period(text) == key


def test_the_import_files_corrects_and_refuses_by_row_and_column(world):
    filing = _open(world)
    company = world.sample(Enterprise, "A").credit_code
    other = world.sample(Enterprise, "B").credit_code
    rows = [
        _row("2026年第2季度", company),  # due: filed
        _row("2026Q1", company, headcount=45),  # filed in the world: corrected
        _row("2026年第5季度", company),
        _row("2026Q2", other),  # not asked by this operator
    ]
    plan = filing_imports.plan_import(_workbook(rows), user=world.users["operator"])
    assert [r.action for r in plan.rows] == ["create", "update", "error", "error"]
    assert plan.rows[2].errors[0][0] == "报告期"
    assert plan.rows[3].errors[0][0] == "统一社会信用代码"
    before = StatFiling.objects.get(pk=filing.pk).state
    done = filing_imports.apply_import(_workbook(rows), actor=world.users["operator"])
    assert not done.ok and StatFiling.objects.get(pk=filing.pk).state == before  # none written
    done = filing_imports.apply_import(_workbook(rows[:2]), actor=world.users["operator"])
    assert done.ok
    assert StatFiling.objects.get(pk=filing.pk).state == FilingState.FILED
    assert StatFiling.objects.get(pk=world.sample(StatFiling, "A").pk).headcount == 45


def test_a_warning_in_a_row_needs_its_confirmation(world):
    _open(world)
    company = world.sample(Enterprise, "A").credit_code
    plan = filing_imports.plan_import(
        _workbook([_row("2026Q2", company, rd_spend_wan=Decimal("900"))]),
        user=world.users["operator"],
    )
    assert plan.rows[0].errors[0][0] == "研发投入(万元)"
    confirmed = _row("2026Q2", company, rd_spend_wan=Decimal("900"))
    confirmed[-1] = "是"
    plan = filing_imports.plan_import(_workbook([confirmed]), user=world.users["operator"])
    assert plan.ok and plan.rows[0].action == "create"
