"""Support policies: criteria evaluated from the records (verified qualifications in force and
their level, industry by the GB/T hierarchy, stage, the parks a company rents in, its age and
capital), who qualifies and who nearly does with exactly what it lacks, and the application
from draft to grant or refusal."""

from __future__ import annotations

import datetime
import json
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from core.errors import ConflictError
from enterprises.models import Enterprise, Qualification
from programs import services
from programs.choices import GrantState, PolicyLevel
from programs.models import PolicyApplication, SupportPolicy
from programs.policies import evaluate, facts_of, matches_for_enterprise, matches_for_policy
from spaces.models import Park

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def policy(world, **criteria) -> SupportPolicy:
    parks = criteria.pop("parks", [])
    values = {
        "operator": world.operators["A"],
        "title": "测试政策",
        "issuer": "区科委",
        "level": PolicyLevel.DISTRICT,
        "benefit": "奖励",
        "valid_from": datetime.date(2020, 1, 1),
        "valid_to": datetime.date(2099, 1, 1),
        "max_amount_wan": Decimal(50),
        **criteria,
    }
    row = SupportPolicy(**values)
    row.full_clean()
    row.save()
    row.parks.set(parks)
    return row


def fit(world, row):
    (facts,) = facts_of(Enterprise.objects.filter(pk=world.sample(Enterprise).pk), TODAY)
    return evaluate(row, facts, TODAY, list(row.parks.all()))


def verify(world, **changes):
    Qualification.objects.filter(enterprise=world.sample(Enterprise)).update(
        verified_at=timezone.now(), **changes
    )


def test_a_company_meeting_every_criterion_qualifies_with_its_reasons(world):
    verify(world, level="national")
    row = policy(
        world,
        qualification="high_tech",
        qualification_level="provincial",  # a national one satisfies it
        industry_codes="C",
        parks=[world.sample(Park)],
        min_age_years=3,
    )
    result = fit(world, row)
    assert result.qualifies and not result.missing
    assert len(result.met) == 4 and any("C" in m for m in result.met)


def test_an_unverified_or_expired_qualification_does_not_count(world):
    row = policy(world, qualification="high_tech")
    result = fit(world, row)  # the test world's certificate is not verified yet
    assert result.nearly and "高新技术企业" in result.missing[0]
    verify(world, expires_on=TODAY - datetime.timedelta(days=1))
    assert fit(world, row).nearly
    verify(world, expires_on=TODAY + datetime.timedelta(days=30))
    assert fit(world, row).qualifies


def test_a_lower_level_does_not_meet_a_higher_one(world):
    verify(world, level="municipal")
    assert fit(
        world, policy(world, qualification="high_tech", qualification_level="national")
    ).nearly


@pytest.mark.parametrize(
    ("codes", "ok"), [("C", True), ("39", True), ("3973", False), ("65", False)]
)
def test_industry_by_the_hierarchy(world, codes, ok):
    # the sample company is recorded under division 39: a rule on class 3973 is narrower
    assert fit(world, policy(world, industry_codes=codes)).qualifies is ok


def test_the_park_it_rents_in(world):
    assert fit(world, policy(world, parks=[world.sample(Park)])).qualifies
    missing = fit(world, policy(world, parks=[world.sample(Park, "B")])).missing
    assert missing and world.sample(Park, "B").name in missing[0]


def test_age_and_unknown_dates(world):
    company = world.sample(Enterprise)
    age = TODAY.year - company.established_on.year - 1
    assert fit(world, policy(world, max_age_years=age - 2)).nearly
    Enterprise.objects.filter(pk=company.pk).update(established_on=None)
    result = fit(world, policy(world, min_age_years=1))
    assert result.nearly and "成立日期" in result.missing[0]


def test_two_criteria_short_is_neither_qualifying_nor_nearly(world):
    row = policy(world, industry_codes="65", parks=[world.sample(Park, "B")])
    result = fit(world, row)
    assert not result.qualifies and not result.nearly and len(result.missing) == 2
    qualify, nearly = matches_for_policy(
        row, Enterprise.objects.restrict(world.users["operator"]), TODAY
    )
    assert world.sample(Enterprise) not in [f.facts.enterprise for f in qualify + nearly]


def test_the_company_sees_its_matches(world):
    verify(world)
    row = policy(world, qualification="high_tech")
    later = policy(world, qualification="unicorn")  # nearly: lacks the unicorn listing
    mine = SupportPolicy.objects.filter(pk__in=[row.pk, later.pk])
    fits = matches_for_enterprise(world.sample(Enterprise), mine, TODAY)
    assert [f.policy for f in fits][:1] == [row] and later in [f.policy for f in fits]


def test_facts_of_many_companies_cost_a_fixed_number_of_queries(
    world, django_assert_max_num_queries
):
    companies = Enterprise.objects.all()
    with django_assert_max_num_queries(3):
        facts = facts_of(companies, TODAY)
    assert len(facts) == companies.count()


def test_rules_refuse_unknown_codes_and_impossible_ages(world):
    with pytest.raises(ValidationError):
        policy(world, industry_codes="2699")
    with pytest.raises(ValidationError):
        policy(world, min_age_years=5, max_age_years=2)


# applications ----------------------------------------------------------------------------
def test_an_application_from_draft_to_grant(world):
    row = policy(world)
    tenant, operator = world.users["tenant"], world.users["operator"]
    made = services.grant_application_create(
        actor=tenant, instance=PolicyApplication(support_policy=row)
    )
    assert made.enterprise == world.sample(Enterprise) and made.state == GrantState.DRAFT
    with pytest.raises(ConflictError):
        services.grant_application_create(
            actor=tenant, instance=PolicyApplication(support_policy=row)
        )
    services.grant_application_move(actor=tenant, application=made, action="submit")
    with pytest.raises(ConflictError):  # the company does not grant itself
        services.grant_application_move(
            actor=tenant, application=made, action="grant", amount_wan=Decimal(5)
        )
    with pytest.raises(ValidationError):  # above the policy's most
        services.grant_application_move(
            actor=operator, application=made, action="grant", amount_wan=Decimal(60)
        )
    services.grant_application_move(
        actor=operator, application=made, action="grant", amount_wan=Decimal(20)
    )
    made.refresh_from_db()
    assert made.state == GrantState.GRANTED and made.amount_granted_wan == Decimal(20)
    assert made.submitted_on == TODAY and made.decided_on == TODAY


def test_a_refusal_needs_its_reason_and_an_old_policy_takes_no_application(world):
    row = policy(world)
    made = services.grant_application_create(
        actor=world.users["operator"],
        instance=PolicyApplication(support_policy=row, enterprise=world.sample(Enterprise)),
    )
    services.grant_application_move(
        actor=world.users["operator"], application=made, action="submit"
    )
    with pytest.raises(ConflictError) as exc:
        services.grant_application_move(
            actor=world.users["operator"], application=made, action="refuse"
        )
    assert exc.value.code == "reason_required"
    old = policy(world, valid_to=TODAY - datetime.timedelta(days=1))
    with pytest.raises(ValidationError):
        services.grant_application_create(
            actor=world.users["tenant"], instance=PolicyApplication(support_policy=old)
        )


def test_the_api_lists_who_qualifies_for_staff_only(world, client_for):
    verify(world)
    row = policy(world, qualification="high_tech")
    url = f"/api/v1/programs/policies/{row.pk}/matches"
    answer = client_for("operator").get(url)
    assert answer.status_code == 200
    assert world.sample(Enterprise).pk in [f["enterprise_id"] for f in answer.json()["qualify"]]
    assert client_for("tenant").get(url).status_code == 403
    made = client_for("tenant").post(
        "/api/v1/programs/grants",
        json.dumps({"support_policy_id": row.pk}),
        content_type="application/json",
    )
    assert made.status_code == 201, made.content
    moved = client_for("tenant").post(
        f"/api/v1/programs/grants/{made.json()['id']}/move",
        json.dumps({"action": "submit"}),
        content_type="application/json",
    )
    assert moved.status_code == 200 and moved.json()["state"] == "submitted"


@translation.override("en")
def test_headcount_revenue_and_rd_intensity_from_the_latest_figures(world):
    row = policy(
        world,
        min_headcount=20,
        min_revenue_wan=Decimal("1000"),
        min_rd_intensity_pct=Decimal("5"),
    )
    company = world.sample(Enterprise)
    unreported = fit(world, row)  # nothing reported: missing, never taken as met
    assert unreported.missing == [
        "headcount not reported",
        "revenue not reported",
        "R&D intensity not reported",
    ]
    Enterprise.objects.filter(pk=company.pk).update(
        figures_year=2025, headcount=25, revenue_wan=Decimal("1200"), rd_spend_wan=Decimal("60")
    )
    met = fit(world, row)
    assert met.qualifies
    assert met.met == [
        "headcount 25 (2025)",
        "revenue 1,200.00 万元 (2025)",
        "R&D intensity 5.00% (2025)",
    ]
    Enterprise.objects.filter(pk=company.pk).update(rd_spend_wan=Decimal("59.99"))
    short = fit(world, row)
    # 4.99917 %: the exact ratio is compared, and shown cut, not rounded up to the threshold
    assert short.nearly and short.missing == ["R&D intensity 4.99% (2025), below 5%"]
