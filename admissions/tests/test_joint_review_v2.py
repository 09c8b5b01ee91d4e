"""Admissions v2: the four-level industry catalogue matched by prefix, hard and soft rules
with two-sided exceptions, information requests that hold the decision, quorums checked
against the reviewers there are, and conversions onto units that miss the requirements."""

from __future__ import annotations

import datetime
import json
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given, settings
from hypothesis import strategies as st

from admissions import services
from admissions.choices import AppState, RuleKind
from admissions.models import AdmissionSettings, Application, Review, ThresholdRule
from admissions.rules import evaluate
from admissions.tests.test_workflow import in_review, second_gov, walk
from core.audit import entries_for
from core.errors import ConflictError
from enterprises.catalogs import catalogue_rows
from enterprises.models import Enterprise, Industry
from spaces.models import Floor, Park
from spaces.testing import make_unit

D = Decimal
CATALOGUE = catalogue_rows()
NODES = [code for code, _name, _section in CATALOGUE]
CLASSES = [(code, section) for code, _name, section in CATALOGUE if len(code) == 4]


# the catalogue -----------------------------------------------------------------------------
def test_the_catalogue_holds_all_four_levels_and_every_class_has_its_parents():
    levels = {1: 0, 2: 0, 3: 0, 4: 0}
    for code in NODES:
        levels[1 if code.isalpha() else len(code)] += 1
    # GB/T 4754-2017: 20 sections, 97 divisions, 473 groups, about 1,380 classes
    assert levels[1] == 20 and levels[2] == 97 and levels[3] == 473
    assert 1380 <= levels[4] <= 1381
    known = set(NODES)
    for code, section in CLASSES:
        assert {section, code[:2], code[:3]} <= known, code
    assert len(known) == len(NODES)  # no code twice


@pytest.mark.django_db
def test_the_migrated_catalogue_is_the_shipped_one(world):
    assert Industry.objects.count() == len(NODES)
    assert Industry.objects.get(code="2611").name == "无机酸制造"
    assert Industry.objects.get(code="2611").lineage == ["C", "26", "261", "2611"]
    assert Industry.objects.get(code="6513").section == "I"


def company(code: str | None) -> Application:
    """An application in memory whose company is recorded under ``code`` (or nothing)."""
    industry = None
    if code:
        section = next(s for c, _n, s in CATALOGUE if c == code)
        industry = Industry(code=code, name=code, section=section)
    return Application(enterprise=Enterprise(name="甲", industry=industry))


def threshold(kind: str, codes: list[str]) -> ThresholdRule:
    return ThresholdRule(kind=kind, items="、".join(codes))


def covers(node: str, code: str, section: str) -> bool:
    return node == section if node.isalpha() else code.startswith(node)


def test_a_rule_on_a_class_does_not_catch_its_division_and_a_division_catches_its_classes():
    excluded = threshold(RuleKind.INDUSTRY_EXCLUDED, ["2611"])
    assert evaluate(excluded, company("26"))[0] is True  # recorded only as 26: not under 2611
    assert evaluate(excluded, company("2611"))[0] is False
    assert evaluate(excluded, company("2612"))[0] is True
    division = threshold(RuleKind.INDUSTRY_EXCLUDED, ["26"])
    passed, reason = evaluate(division, company("2611"))
    assert passed is False and "26" in reason
    allowed = threshold(RuleKind.INDUSTRY_ALLOWED, ["397"])
    assert evaluate(allowed, company("3973"))[0] is True
    assert evaluate(allowed, company("3981"))[0] is False


@settings(max_examples=300, deadline=None)
@given(
    st.sampled_from(CLASSES + [(c, s) for c, _n, s in CATALOGUE if 2 <= len(c) <= 3]),
    st.lists(st.sampled_from(NODES), min_size=1, max_size=4),
)
def test_property_a_company_under_an_excluded_node_always_fails(entry, nodes):
    code, section = entry
    under = any(covers(n, code, section) for n in nodes)
    passed, reason = evaluate(threshold(RuleKind.INDUSTRY_EXCLUDED, nodes), company(code))
    assert passed is (not under) and reason


@settings(max_examples=300, deadline=None)
@given(
    st.sampled_from(CLASSES),
    st.lists(st.sampled_from(NODES), min_size=1, max_size=4),
    st.lists(st.sampled_from(NODES), min_size=1, max_size=4),
)
def test_property_under_an_allowed_node_and_no_excluded_one_always_passes(entry, ok, banned):
    code, section = entry
    app = company(code)
    allowed = evaluate(threshold(RuleKind.INDUSTRY_ALLOWED, ok), app)[0]
    excluded_ok = evaluate(threshold(RuleKind.INDUSTRY_EXCLUDED, banned), app)[0]
    assert allowed is any(covers(n, code, section) for n in ok)
    assert excluded_ok is not any(covers(n, code, section) for n in banned)
    for kind in (RuleKind.INDUSTRY_ALLOWED, RuleKind.INDUSTRY_EXCLUDED):  # unknown: fails
        assert evaluate(threshold(kind, ok), company(None))[0] is False


@pytest.mark.django_db
def test_rules_and_imports_take_codes_at_every_level(world):
    rule = ThresholdRule(
        park=world.sample(Park), kind=RuleKind.INDUSTRY_EXCLUDED, items="2611、c、397"
    )
    rule.full_clean()
    assert rule.items == "2611、C、397"
    for bad in ("2699", "3999", "0"):
        with pytest.raises(ValidationError) as exc:
            ThresholdRule(
                park=world.sample(Park), kind=RuleKind.INDUSTRY_EXCLUDED, items=bad
            ).full_clean()
        assert "小类" in exc.value.message_dict["items"][0]


# hard and soft rules ---------------------------------------------------------------------
def screened_in_review(world, *, hard: bool) -> Application:
    """An application in review whose company fails an industry rule of the park."""
    ThresholdRule.objects.create(
        park=world.sample(Park), kind=RuleKind.INDUSTRY_EXCLUDED, items="C", is_hard=hard
    )
    return in_review(world)  # the sample company is in division 39, under C


@pytest.mark.django_db
def test_a_failed_soft_rule_informs_and_does_not_block(world):
    app = screened_in_review(world, hard=False)
    failed = app.screening_results.get(passed=False)
    assert failed.hard is False and "C" in failed.reason
    services.review_record(actor=world.users["operator"], application=app, decision="approve")
    services.review_record(actor=second_gov(world), application=app, decision="approve")
    app.refresh_from_db()
    assert app.state == AppState.APPROVED


@pytest.mark.django_db
def test_a_failed_hard_rule_needs_an_exception_from_both_sides(world, client_for):
    app = screened_in_review(world, hard=True)
    url = f"/api/v1/admissions/applications/{app.pk}/reviews"
    refused = client_for("operator").post(
        url, json.dumps({"decision": "approve"}), content_type="application/json"
    )
    assert refused.status_code == 409
    assert "例外理由" in refused.json()["detail"] and "C" in refused.json()["detail"]
    assert not Review.objects.filter(application=app).exists()
    ok = client_for("operator").post(
        url,
        json.dumps({"decision": "approve", "exception_reason": "区重点引进的研发总部"}),
        content_type="application/json",
    )
    assert ok.status_code == 200 and ok.json()["exception_reason"] == "区重点引进的研发总部"
    app.refresh_from_db()
    assert app.state == AppState.REVIEW  # the government side has not approved it yet
    gov2 = second_gov(world)
    with pytest.raises(ConflictError):
        services.review_record(actor=gov2, application=app, decision="approve")
    services.review_record(
        actor=gov2, application=app, decision="approve", exception_reason="同意例外引进"
    )
    app.refresh_from_db()
    assert app.state == AppState.APPROVED
    review = Review.objects.get(application=app, reviewer=gov2)
    assert entries_for(review).filter(changes__has_key="exception_reason").exists()
    page = client_for("operator").get(f"/admissions/applications/{app.pk}/?tab=reviews")
    assert "区重点引进的研发总部" in page.content.decode()


@pytest.mark.django_db
def test_a_rejection_needs_no_exception_reason(world):
    app = screened_in_review(world, hard=True)
    services.review_record(actor=world.users["operator"], application=app, decision="reject")
    app.refresh_from_db()
    assert app.state == AppState.REJECTED


# information requests ------------------------------------------------------------------
@pytest.mark.django_db
def test_an_open_information_request_holds_the_decision_until_answered(world, client_for):
    app = in_review(world)
    gov2 = second_gov(world)
    asked = services.review_record(
        actor=gov2, application=app, decision="request_info", comment="请补充近两年审计报告"
    )
    services.review_record(actor=world.users["operator"], application=app, decision="approve")
    settings_row = AdmissionSettings.for_operator(app.park.operator)
    services.review_record(  # the government quorum (1) is met: still held by the request
        actor=world.users["gov"] if not settings_row.separation_of_duties else third_gov(world),
        application=app,
        decision="approve",
    )
    app.refresh_from_db()
    assert app.state == AppState.REVIEW
    with pytest.raises(ConflictError):  # the reviewer does not answer their own request
        services.info_answer(actor=gov2, review=asked, answer="x")
    url = f"/api/v1/admissions/applications/{app.pk}/reviews/{asked.pk}/answer"
    answered = client_for("gov").post(  # gov created (recommended) it: the applicant side
        url, json.dumps({"answer": "审计报告已上传"}), content_type="application/json"
    )
    assert answered.status_code == 200, answered.content
    assert answered.json()["info_open"] is False and answered.json()["answer"] == "审计报告已上传"
    app.refresh_from_db()
    assert app.state == AppState.APPROVED
    again = client_for("gov").post(
        url, json.dumps({"answer": "再答"}), content_type="application/json"
    )
    assert again.status_code == 409


def third_gov(world):
    from core.choices import Role
    from core.users import user_create

    return user_create(
        actor=world.users["admin"],
        username="gov3",
        password="x-Pass-123",
        role=Role.GOV,
        jurisdiction=world.jurisdictions["A"],
    )


@pytest.mark.django_db
def test_only_the_reviewer_who_asked_withdraws_the_request(world, client_for):
    app = in_review(world)
    gov2 = second_gov(world)
    asked = services.review_record(actor=gov2, application=app, decision="request_info")
    services.review_record(actor=world.users["operator"], application=app, decision="approve")
    services.review_record(actor=third_gov(world), application=app, decision="approve")
    with pytest.raises(ConflictError):
        services.info_withdraw(actor=world.users["operator"], review=asked)
    app.refresh_from_db()
    assert app.state == AppState.REVIEW
    services.info_withdraw(actor=gov2, review=asked)
    app.refresh_from_db()
    assert app.state == AppState.APPROVED
    asked.refresh_from_db()
    assert asked.withdrawn_at is not None and not asked.info_open
    assert entries_for(asked).filter(changes__has_key="withdrawn_at").exists()


# quorum ---------------------------------------------------------------------------------
@pytest.mark.django_db
def test_a_quorum_larger_than_the_reviewers_is_refused_with_the_count(world):
    row = AdmissionSettings.for_operator(world.operators["A"])
    eligible = services.eligible_reviewers(world.sample(Park), "gov").count()
    with pytest.raises(ValidationError) as exc:
        services.settings_update(
            actor=world.users["admin"], instance=row, data={"gov_approvals_required": eligible + 1}
        )
    message = exc.value.message_dict["gov_approvals_required"][0]
    assert f"{eligible} 名" in message and str(eligible + 1) in message
    row.refresh_from_db()
    assert row.gov_approvals_required == 1


@pytest.mark.django_db
def test_changing_the_quorum_re_evaluates_the_applications_in_review(world):
    row = AdmissionSettings.for_operator(world.operators["A"])
    row.operator_approvals_required = 2
    row.save()
    app = in_review(world)
    services.review_record(actor=world.users["operator"], application=app, decision="approve")
    services.review_record(actor=second_gov(world), application=app, decision="approve")
    app.refresh_from_db()
    assert app.state == AppState.REVIEW  # one operator approval short
    services.settings_update(
        actor=world.users["admin"], instance=row, data={"operator_approvals_required": 1}
    )
    app.refresh_from_db()
    assert app.state == AppState.APPROVED


# conversion onto units that miss the requirements --------------------------------------------
@pytest.mark.django_db
def test_units_that_miss_the_requirements_need_a_reason_kept_on_the_lease(world):
    from admissions.tests.test_workflow import approved

    app = approved(world)  # asked for a clear height of 6 m
    low = make_unit(world.sample(Floor), "A-170", area_m2=D(900), clear_height_m=D(4))
    terms = {
        "actor": world.users["operator"],
        "application": app,
        "units": [low],
        "start_on": datetime.date(2029, 1, 1),
        "end_on": datetime.date(2031, 12, 31),
        "rent_per_m2_day": D("3.3"),
    }
    with pytest.raises(ConflictError) as exc:
        services.application_convert(**terms)
    assert "A-170" in exc.value.message and "4 m < 6 m" in exc.value.message
    app.refresh_from_db()
    assert app.state == AppState.APPROVED and app.lease is None
    services.application_convert(**terms, deviation_reason="企业确认 4 m 满足中试线需要")
    app.refresh_from_db()
    assert app.state == AppState.CONVERTED
    assert "企业确认 4 m 满足中试线需要" in app.lease.notes and "4 m < 6 m" in app.lease.notes


# the rules page --------------------------------------------------------------------------
@pytest.mark.django_db
@pytest.mark.parametrize("role", ["admin", "operator", "gov", "fund", "tenant"])
def test_the_rules_page_says_how_the_review_decides(world, client_for, role):
    page = client_for(role).get("/admissions/rules/")
    assert page.status_code == 200
    body = page.content.decode()
    for anchor in ("thresholds", "hard-soft", "quorum", "information", "risk", "conversion"):
        assert f'id="{anchor}"' in body
    in_force = "现行设置" in body
    assert in_force is (role in ("admin", "operator"))  # the quorums a side may read


@pytest.mark.django_db
def test_the_application_page_links_to_the_rules(world, client_for):
    app = walk(world.sample(Application), world, "submit", "start_screening")
    page = client_for("operator").get(f"/admissions/applications/{app.pk}/?tab=screening")
    assert "/admissions/rules/" in page.content.decode()
