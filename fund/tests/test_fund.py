"""The fund's services, pages and API: rent for equity, the ownership check, mark proposals,
concentration limits, the pipeline, who sees what, and one set of figures everywhere."""

from __future__ import annotations

import datetime
import io
import json
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.http import Http404
from django.utils import timezone
from openpyxl import load_workbook

from core.errors import ConflictError
from core.models import AuditEntry
from enterprises.models import Enterprise, FinancingRound
from fund import services
from fund.choices import DealStage, FlowKind
from fund.models import Deal, Fund, Investment, LedgerEntry, LimitedPartner, Valuation
from fund.selectors import fund_metrics, mark_proposals
from leasing.models import Lease, RentFree

pytestmark = pytest.mark.django_db
D = Decimal


def new_investment(world, **fields) -> Investment:
    values = {
        "fund": world.sample(Fund, "A"),
        "enterprise": world.sample(Enterprise, "A"),
        "round": "b",
        "invested_on": datetime.date(2025, 1, 1),
        "amount": D(5_000_000),
        "pre_money": D(45_000_000),
        "post_money": D(50_000_000),
        **fields,
    }
    return Investment(**values)


def test_rent_given_for_equity_is_valued_from_the_lease_and_counted_in_the_cost(world):
    """Lease A: 3.50 元/㎡/天 on 1,000 ㎡, by days: 31 free days in March 2027 give up
    3.50 × 1,000 × 31 = 108,500 元, which joins the 1,000,000 cash in the cost and the
    ownership (1,108,500 ÷ 50,000,000 = 2.217 %)."""
    lease = world.sample(Lease, "A")
    free = RentFree.objects.create(
        lease=lease, start_on=datetime.date(2027, 3, 1), end_on=datetime.date(2027, 3, 31)
    )
    investment = services.investment_create(
        actor=world.users["fund"],
        instance=new_investment(world, amount=D(1_000_000), rent_free=free),
    )
    assert investment.concession_value == D("108500.00")
    assert investment.lease == lease
    assert investment.cost == D("1108500.00")
    assert investment.ownership_pct == D("2.217000")


def test_a_rent_concession_of_another_company_is_refused(world):
    free = RentFree.objects.create(
        lease=world.sample(Lease, "B"),
        start_on=datetime.date(2027, 3, 1),
        end_on=datetime.date(2027, 3, 31),
    )
    before = Investment.objects.count()
    with pytest.raises(ValidationError) as exc:
        services.investment_create(
            actor=world.users["admin"], instance=new_investment(world, rent_free=free)
        )
    assert "rent_free" in exc.value.message_dict
    assert Investment.objects.count() == before


def test_an_entered_ownership_must_agree_with_cost_over_post_money(world):
    with pytest.raises(ValidationError) as exc:
        services.investment_create(
            actor=world.users["fund"], instance=new_investment(world, ownership_pct=D(12))
        )
    assert "10" in exc.value.message_dict["ownership_pct"][0]  # 5,000,000 ÷ 50,000,000
    made = services.investment_create(
        actor=world.users["fund"], instance=new_investment(world, ownership_pct=D("10.005"))
    )
    assert made.ownership_pct == D("10.005")


def test_a_breach_of_a_concentration_limit_needs_a_reason_that_the_log_keeps(world):
    """Fund A commits 200,000,000 and holds 10,000,000 of company A (the 1,000,000 it sold
    back no longer counts): another 31,000,000 makes 41,000,000 = 20.5 %, over 20 % a company."""
    before = Investment.objects.count()
    with pytest.raises(ConflictError) as exc:
        services.investment_create(
            actor=world.users["fund"],
            instance=new_investment(
                world, amount=D(31_000_000), pre_money=D(69_000_000), post_money=D(100_000_000)
            ),
        )
    assert exc.value.code == "concentration_limit"
    assert "20.5" in exc.value.message
    assert Investment.objects.count() == before
    made = services.investment_create(
        actor=world.users["fund"],
        instance=new_investment(
            world, amount=D(31_000_000), pre_money=D(69_000_000), post_money=D(100_000_000)
        ),
        override_reason="投决会特批",
    )
    entry = AuditEntry.objects.filter(object_id=made.pk, content_type__model="investment").get()
    assert "投决会特批" in entry.comment


def test_a_later_financing_round_proposes_a_mark_at_its_price(world):
    """Fund A's first investment in company A: 10 % at a post-money of 100,000,000, marked
    2024-06-01. Company A then raises at a pre-money of 300,000,000: the stake is proposed at
    10 % × 300,000,000 = 30,000,000; accepting it makes the mark, and the proposal is gone."""
    fund = world.sample(Fund, "A")
    day = datetime.date(2025, 6, 1)
    assert mark_proposals(Fund.objects.filter(pk=fund.pk), day) == []
    FinancingRound.objects.create(
        enterprise=world.sample(Enterprise, "A"),
        round="b",
        closed_on=datetime.date(2025, 3, 1),
        amount_raised=D(50_000_000),
        pre_money=D(300_000_000),
        post_money=D(350_000_000),
    )
    (proposal,) = mark_proposals(Fund.objects.filter(pk=fund.pk), day)
    assert proposal.investment == world.sample(Investment, "A")
    assert proposal.fair_value == D("30000000.00")
    mark = services.mark_accept(actor=world.users["fund"], proposal=proposal)
    assert (mark.on, mark.fair_value, mark.method) == (
        datetime.date(2025, 3, 1),
        D("30000000.00"),
        "latest_round",
    )
    assert mark_proposals(Fund.objects.filter(pk=fund.pk), day) == []
    assert fund_metrics(fund, day).holdings[0].unrealised == D("30000000.00")


def test_passing_on_a_deal_needs_a_reason_and_investing_needs_the_investment(world):
    deal = world.sample(Deal, "A")
    with pytest.raises(ConflictError) as exc:
        services.deal_move(actor=world.users["fund"], deal=deal, action="pass")
    assert exc.value.code == "reason_required"
    for action in ("screen", "diligence", "to_committee"):
        services.deal_move(actor=world.users["fund"], deal=deal, action=action)
    with pytest.raises(ConflictError):
        services.deal_move(actor=world.users["fund"], deal=deal, action="invest")
    services.investment_create(actor=world.users["fund"], instance=new_investment(world, deal=deal))
    deal.refresh_from_db()
    assert deal.stage == DealStage.INVESTED
    with pytest.raises(Http404):  # the fund does not exist for a government reviewer
        services.deal_move(actor=world.users["gov"], deal=deal, action="reopen")


def test_commitments_and_calls_cannot_exceed_what_was_promised(world):
    fund = world.sample(Fund, "A")
    with pytest.raises(ValidationError) as exc:
        services.fund_record_create(
            actor=world.users["fund"],
            instance=LimitedPartner(
                fund=fund, name="新LP", kind="corporate", commitment=D(100_000_001)
            ),
        )
    assert (
        "99,999,999" in exc.value.message_dict["commitment"][0]
        or "100000000" in exc.value.message_dict["commitment"][0]
    )
    lp = world.sample(LimitedPartner, "A")  # commits 100,000,000, 30,000,000 called
    with pytest.raises(ValidationError) as exc:
        services.fund_record_create(
            actor=world.users["fund"],
            instance=LedgerEntry(
                lp=lp, kind=FlowKind.CALL, on=datetime.date(2025, 1, 1), amount=D(70_000_001)
            ),
        )
    assert "70000000" in exc.value.message_dict["amount"][0]


def test_a_manager_writes_only_into_funds_they_manage(world):
    other = world.sample(Fund, "B")
    before = LimitedPartner.objects.count()
    with pytest.raises(Exception):  # noqa: B017 - 404 or a field error, never a write
        services.fund_record_create(
            actor=world.users["fund"],
            instance=LimitedPartner(fund=other, name="X", kind="corporate", commitment=D(1)),
        )
    assert LimitedPartner.objects.count() == before


def test_staff_not_named_managers_see_nothing_of_the_fund(world, client_for):
    fund = world.sample(Fund, "A")
    fund.managers.remove(world.users["operator"])
    client = client_for("operator")
    assert client.get(f"/fund/funds/{fund.pk}/").status_code == 404
    assert client.get("/api/v1/fund/investments").json()["items"] == []
    for role in ("gov", "tenant"):
        assert client_for(role).get(f"/fund/funds/{fund.pk}/").status_code == 404
        assert client_for(role).get(f"/api/v1/fund/funds/{fund.pk}/metrics").status_code == 403


def test_one_set_of_figures_on_the_page_in_the_api_and_in_the_command(world, client_for):
    fund = world.sample(Fund, "A")
    day = "2025-06-30"
    out = io.StringIO()
    call_command("fund_report", fund.code, "--as-of", day, "--format", "json", stdout=out)
    report = json.loads(out.getvalue())
    api = client_for("fund").get(f"/api/v1/fund/funds/{fund.pk}/metrics?as_of={day}").json()
    for key in (
        "committed",
        "called",
        "invested",
        "nav",
        "distributed",
        "moic",
        "tvpi",
        "dpi",
        "rvpi",
    ):
        assert D(str(api[key])) == D(report[key]), key
    assert api["xirr"] == report["xirr"]
    # fund A on 2025-06-30: called 30,000,000; 11,000,000 invested; fee 4,000,000; buy-back
    # of 1,500,000; the mark of 15,000,000: NAV = 15,000,000 + 30 − 11 − 4 + 1.5 = 31.5 M
    assert D(report["nav"]) == D("31500000.00")
    assert D(report["tvpi"]) == D("1.05")
    page = client_for("fund").get(f"/fund/funds/{fund.pk}/?as_of={day}").content.decode()
    assert 'data-metric="tvpi">1.0500x<' in page
    assert 'data-metric="nav">3,150.0万<' in page


def test_the_lp_statement_reads_back(world, client_for):
    lp = world.sample(LimitedPartner, "A")
    response = client_for("fund").get(f"/fund/lps/{lp.pk}/statement/?as_of=2023-03-31&format=xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    values = [c for row in sheet.iter_rows(values_only=True) for c in row if c is not None]
    assert 30_000_000 in values
    pdf = client_for("fund").get(f"/fund/lps/{lp.pk}/statement/?as_of=2023-03-31&format=pdf")
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")


def test_investment_api_takes_an_override_reason(world, client_for):
    fund = world.sample(Fund, "A")
    body = {
        "fund_id": fund.pk,
        "enterprise_id": world.sample(Enterprise, "A").pk,
        "round": "c",
        "invested_on": "2025-02-01",
        "amount": "31000000.00",
        "pre_money": "69000000.00",
        "post_money": "100000000.00",
    }
    client = client_for("fund")
    refused = client.post("/api/v1/fund/investments", body, content_type="application/json")
    assert refused.status_code == 409 and refused.json()["code"] == "concentration_limit"
    made = client.post(
        "/api/v1/fund/investments",
        {**body, "override_reason": "特批"},
        content_type="application/json",
    )
    assert made.status_code == 201, made.content
    assert made.json()["ownership_pct"] == "31.000000"


def test_the_board_moves_a_deal_and_logs_it(world, client_for):
    deal = world.sample(Deal, "A")
    response = client_for("fund").post(
        f"/fund/deals/{deal.pk}/move/", {"action": "screen", "next": "board"}
    )
    assert response.status_code == 302
    deal.refresh_from_db()
    assert deal.stage == DealStage.SCREENING
    assert AuditEntry.objects.filter(
        content_type__model="deal", object_id=deal.pk, changes__stage=["lead", "screening"]
    ).exists()
    assert client_for("fund").get("/fund/pipeline/").status_code == 200


def test_valuation_of_a_follow_on_is_refused(world):
    first = world.sample(Investment, "A")
    follow = services.investment_create(
        actor=world.users["fund"],
        instance=new_investment(world, follow_on_of=first, invested_on=datetime.date(2024, 1, 1)),
    )
    with pytest.raises(ValidationError):
        services.valuation_create(
            actor=world.users["fund"],
            instance=Valuation(
                investment=follow, on=timezone.localdate(), method="cost", fair_value=D(1)
            ),
        )


def test_deal_documents_are_kept_checked_and_served_only_to_the_fund(world, client_for):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from fund.models import DealDocument

    deal = world.sample(Deal, "A")
    client = client_for("fund")
    bad = SimpleUploadedFile("tool.exe", b"MZ", content_type="application/octet-stream")
    client.post(f"/fund/deals/{deal.pk}/documents/", {"title": "工具", "file": bad})
    assert not DealDocument.objects.filter(deal=deal, title="工具").exists()
    memo = SimpleUploadedFile("memo.pdf", b"%PDF-1.4 memo", content_type="application/pdf")
    response = client.post(
        f"/fund/deals/{deal.pk}/documents/", {"title": "投决会纪要", "file": memo}
    )
    assert response.status_code == 302
    document = DealDocument.objects.get(deal=deal, title="投决会纪要")
    assert document.size == len(b"%PDF-1.4 memo")
    served = client.get(f"/fund/documents/{document.pk}/")
    assert b"".join(served.streaming_content) == b"%PDF-1.4 memo"
    for role in ("tenant", "gov"):
        assert client_for(role).get(f"/fund/documents/{document.pk}/").status_code == 404
    listed = client.get(f"/api/v1/fund/documents?deal_id={deal.pk}").json()["items"]
    assert {d["title"] for d in listed} == {"商业计划书", "投决会纪要"}


def test_staff_see_the_fund_menu_only_where_they_manage_a_fund(world, client_for):
    client = client_for("operator")
    assert "/fund/funds/" in client.get("/").content.decode()  # named a manager of fund A
    world.sample(Fund, "A").managers.remove(world.users["operator"])
    assert "/fund/funds/" not in client.get("/").content.decode()
    assert "/fund/funds/" in client_for("fund").get("/").content.decode()


def test_a_fund_managers_to_dos_count_the_records(world, client_for):
    """A deal whose next step is due tomorrow, and a later round proposing a mark."""
    deal = world.sample(Deal, "A")
    page = client_for("fund").get("/").content.decode()
    assert '<span class="todo-count muted">0</span> 本周需跟进的项目' in page
    Deal.objects.filter(pk=deal.pk).update(
        next_step_on=timezone.localdate() + datetime.timedelta(days=1)
    )
    FinancingRound.objects.create(
        enterprise=world.sample(Enterprise, "A"),
        round="b",
        closed_on=timezone.localdate(),
        amount_raised=D(1),
        pre_money=D(300_000_000),
        post_money=D(300_000_001),
    )
    page = client_for("fund").get("/").content.decode()
    assert '<span class="todo-count">1</span> 本周需跟进的项目' in page
    assert '<span class="todo-count">1</span> 待审阅的建议估值' in page
