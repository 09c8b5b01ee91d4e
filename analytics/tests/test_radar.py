"""Growth radar and early warning on hand-made records: company A of the world files the
quarters to 2026 Q1 whose figures each test sets."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.urls import reverse

from analytics.kpis import Scope
from analytics.radar import growth_radar, warnings
from analytics.tasks import warning_digest
from core.models import Notification
from enterprises import filings
from enterprises.choices import StatPeriodKind
from enterprises.models import Enterprise, Qualification, StatFiling, StatPeriod
from enterprises.services import qualification_verify
from spaces.models import Park

D = datetime.date


def _figures(headcount: int, revenue: int, financing: int = 0) -> dict:
    talents = headcount // 2
    return {
        "headcount": headcount,
        "doctorates": 0,
        "masters": 0,
        "bachelors": talents,
        "returnees": 0,
        "revenue_wan": Decimal(revenue),
        "output_value_wan": Decimal(revenue),
        "rd_spend_wan": Decimal(revenue) / 10,
        "tax_paid_wan": Decimal(0),
        "financing_wan": Decimal(financing),
        "invention_patents": 3,
        "utility_models": 5,
        "designs": 1,
        "software_copyrights": 4,
    }


def _file_quarters(world, rows: dict[tuple[int, int], dict]) -> None:
    """File company A's quarters (the world's 2026 Q1 filing is corrected to its row)."""
    staff, company = world.users["operator"], world.sample(Enterprise, "A")
    for (year, number), figures in sorted(rows.items()):
        existing = StatFiling.objects.filter(
            enterprise=company, period__year=year, period__number=number
        ).first()
        if existing is not None:
            filings.filing_correct(
                actor=staff, filing=existing, data=figures, reason="test", confirm=True
            )
            continue
        period = StatPeriod(
            operator=world.operators["A"], kind=StatPeriodKind.QUARTER, year=year, number=number
        )
        period.derive()
        period.due_on = period.ends_on
        filings.period_open(actor=staff, period=period, filers=[company])
        filings.filing_submit(actor=staff, filing=period.filings.get(), data=figures, confirm=True)


JUNE = D(2026, 6, 30)


def _scope(world, day=JUNE):
    return Scope([world.sample(Park, "A")], day)


def _signals(tenants):
    return {t.enterprise.name: sorted(s.key for s in t.signals) for t in tenants}


def test_a_company_growing_fast_is_a_candidate_with_its_evidence(world):
    quarters = {(y, n): _figures(40, 100) for y in (2024, 2025) for n in (1, 2, 3, 4)}
    quarters[(2025, 1)] = _figures(40, 100, financing=500)  # before the last four quarters
    quarters[(2026, 1)] = _figures(54, 160, financing=0)  # +35 % people; 4 quarters 460 vs 400
    _file_quarters(world, quarters)
    found = _signals(growth_radar(_scope(world)))
    assert found == {world.sample(Enterprise, "A").name: ["headcount"]}  # 15 % revenue growth: no
    quarters[(2026, 1)] = _figures(54, 200, financing=300)  # 500 vs 400: +25 %
    _file_quarters(world, {(2026, 1): quarters[(2026, 1)]})
    tenant = growth_radar(_scope(world))[0]
    assert sorted(s.key for s in tenant.signals) == ["financing", "gazelle", "headcount"]
    gazelle = next(s for s in tenant.signals if s.key == "gazelle")
    assert "500" in gazelle.text and "25%" in gazelle.text


def test_a_shrinking_company_and_a_lapsing_certificate_are_warned_of(world):
    quarters = {(2025, n): _figures(40, 100) for n in (1, 2, 3, 4)}
    quarters[(2026, 1)] = _figures(30, 100)  # -25 % people
    _file_quarters(world, quarters)
    certificate = world.sample(Qualification, "A")
    qualification_verify(actor=world.users["operator"], qualification=certificate)
    Qualification.objects.filter(pk=certificate.pk).update(expires_on=D(2026, 8, 1))
    found = _signals(warnings(_scope(world)))
    name = world.sample(Enterprise, "A").name
    assert found[name] == ["arrears", "qualification", "shrinking"]


def test_a_lease_ending_without_renewal_is_warned_of_six_months_ahead(world):
    name = world.sample(Enterprise, "A").name
    assert "lease" not in _signals(warnings(_scope(world, D(2028, 6, 29)))).get(name, [])
    assert "lease" in _signals(warnings(_scope(world, D(2028, 7, 1))))[name]


def test_the_weekly_digest_tells_each_parks_staff(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        assert warning_digest() == 1  # park B has arrears too, but no staff assigned
    note = Notification.objects.get(user=world.users["operator"])
    assert note.url == reverse("analytics:warnings") + "?park=PA"
    assert not Notification.objects.filter(user=world.users["tenant"]).exists()


def test_the_pages_list_the_signals(world, client_for):
    client = client_for("operator")
    page = client.get(reverse("analytics:warnings") + "?park=PA&as_of=2026-06-30")
    assert page.status_code == 200
    assert [t.enterprise for t in page.context["tenants"]] == [world.sample(Enterprise, "A")]
    radar = client_for("fund").get(reverse("analytics:radar"))
    assert radar.status_code == 200 and radar.context["radar"] is True
    assert client_for("tenant").get(reverse("analytics:radar")).status_code == 404
