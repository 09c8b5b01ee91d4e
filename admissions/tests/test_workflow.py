"""The admission workflow: every transition allowed and refused per role, thresholds,
risk arithmetic, the two-sided quorum, separation of duties, matching, notifications."""

from __future__ import annotations

import datetime
import json
from decimal import Decimal

import pytest
from django.http import Http404
from django.utils import translation

from admissions import services
from admissions.choices import TRANSITIONS, AppState, RuleKind
from admissions.models import AdmissionSettings, Application, Review, ThresholdRule
from admissions.risk import RiskInputs, grade, score
from admissions.rules import evaluate
from admissions.selectors import inbox, match_units
from core.audit import entries_for
from core.errors import ConflictError
from core.models import AuditEntry, Notification
from core.tokens import token_create
from enterprises.models import CatalogTag, Enterprise, Industry
from spaces.models import Floor, Park
from spaces.testing import make_unit

pytestmark = pytest.mark.django_db
D = Decimal
D_DAY = datetime.date
ROLES = ["admin", "operator", "gov", "fund", "tenant"]


def walk(app, world, *actions):
    for action in actions:
        if action == "assess":
            services.risk_assess(
                actor=world.users["operator"],
                application=app,
                revenue_last_year=D(1000),
                revenue_prev_year=D(900),
                debt_ratio_pct=D(50),
                litigation=False,
                dishonest_debtor=False,
            )
        else:
            actor = (
                world.users["gov"] if action in ("submit", "withdraw") else world.users["operator"]
            )
            services.application_transition(actor=actor, application=app, action=action)
    app.refresh_from_db()
    return app


# Who may take each step, from a state where the step is legal (gov created the sample).
ALLOWED = {
    "submit": {"admin", "gov", "tenant"},  # creator's side: the gov creator, the company
    "start_screening": {"admin", "operator"},
    "rescreen": {"admin", "operator"},
    "to_risk": {"admin", "operator"},
    "to_review": {"admin", "operator"},
    "reject": {"admin", "operator"},
    "withdraw": {"admin", "gov", "tenant"},
}
SETUP = {
    "submit": [],
    "start_screening": ["submit"],
    "rescreen": ["submit", "start_screening"],
    "to_risk": ["submit", "start_screening"],
    "to_review": ["submit", "start_screening", "to_risk", "assess"],
    "reject": ["submit"],
    "withdraw": ["submit"],
}


@pytest.mark.parametrize("action", list(TRANSITIONS))
@pytest.mark.parametrize("role", ROLES)
def test_each_transition_for_each_role(world, action, role):
    app = walk(world.sample(Application), world, *SETUP[action])
    before_state, before_audit = app.state, AuditEntry.objects.count()
    user = world.users[role]
    if role == "fund":  # no grant on applications at all
        with pytest.raises(Http404):
            services.application_transition(actor=user, application=app, action=action)
    elif role in ALLOWED[action]:
        services.application_transition(actor=user, application=app, action=action)
        app.refresh_from_db()
        assert app.state == TRANSITIONS[action].target
        return
    else:
        with pytest.raises(ConflictError) as exc:
            services.application_transition(actor=user, application=app, action=action)
        assert "角色" in exc.value.message
    app.refresh_from_db()
    assert app.state == before_state and AuditEntry.objects.count() == before_audit


@pytest.mark.parametrize("action", list(TRANSITIONS))
def test_transitions_refused_from_wrong_states(world, action):
    app = world.sample(Application)
    wrong = [s for s in AppState.values if s not in TRANSITIONS[action].sources]
    for state in wrong:
        Application.objects.filter(pk=app.pk).update(state=state)
        with pytest.raises(ConflictError) as exc:
            services.application_transition(
                actor=world.users["admin"], application=app, action=action
            )
        assert "不能" in exc.value.message
        app.refresh_from_db()
        assert app.state == state


def test_out_of_scope_application_is_not_found(world):
    with pytest.raises(Http404):
        services.application_transition(
            actor=world.users["operator"],
            application=world.sample(Application, "B"),
            action="start_screening",
        )


def test_review_needs_risk_assessment_first(world):
    app = walk(world.sample(Application), world, "submit", "start_screening", "to_risk")
    with pytest.raises(ConflictError):
        services.application_transition(
            actor=world.users["operator"], application=app, action="to_review"
        )


def test_api_transition_conflict_is_409_with_message(world, client):
    _t, key = token_create(actor=world.users["operator"], name="t")
    app = world.sample(Application)
    response = client.post(
        f"/api/v1/admissions/applications/{app.pk}/transition",
        json.dumps({"action": "to_review"}),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {key}",
    )
    assert response.status_code == 409 and "草稿" in response.json()["detail"]


# thresholds -----------------------------------------------------------------------------
def rule(world, kind, items="", value=None):
    return ThresholdRule(park=world.sample(Park), kind=kind, items=items, value=value)


@pytest.mark.parametrize(
    ("kind", "items", "value", "passes", "fails"),
    [
        (RuleKind.INDUSTRY_ALLOWED, "C、M", None, "39", "65"),  # section C covers 39
        (RuleKind.INDUSTRY_EXCLUDED, "59", None, "39", "59"),
        (RuleKind.MIN_RD_INTENSITY, "", D(5), D(6), D(4)),
        (RuleKind.MIN_OUTPUT_PER_M2, "", D(10000), D(10000), D(9999)),
        (RuleKind.MIN_TALENT_SHARE, "", D(20), D(25), D(10)),
        (RuleKind.MIN_HEADCOUNT, "", D(10), 10, 9),
    ],
)
def test_rule_kinds(world, kind, items, value, passes, fails):
    app = world.sample(Application)
    field = {
        RuleKind.MIN_RD_INTENSITY: "rd_intensity_pct",
        RuleKind.MIN_OUTPUT_PER_M2: "output_per_m2",
        RuleKind.MIN_TALENT_SHARE: "talent_share_pct",
        RuleKind.MIN_HEADCOUNT: "headcount",
    }.get(kind)
    r = rule(world, kind, items, value)
    for given, expected in ((passes, True), (fails, False)):
        if field:
            setattr(app, field, given)
        else:
            app.enterprise.industry = Industry.objects.get(code=given)
        passed, reason = evaluate(r, app)
        assert passed is expected and reason


def test_missing_commitment_fails_with_reason(world):
    app = world.sample(Application)
    app.headcount = None
    passed, reason = evaluate(rule(world, RuleKind.MIN_HEADCOUNT, value=D(5)), app)
    assert not passed and "5" in reason


def test_tag_and_activity_rules(world):
    app = world.sample(Application)
    app.enterprise.tags.set([CatalogTag.objects.get(name="集成电路")])
    assert evaluate(rule(world, RuleKind.TAG_REQUIRED, "集成电路、人工智能"), app)[0]
    assert not evaluate(rule(world, RuleKind.TAG_REQUIRED, "生物医药"), app)[0]
    app.description = "主要从事仓储物流"
    passed, reason = evaluate(rule(world, RuleKind.ACTIVITY_EXCLUDED, "仓储物流、餐饮"), app)
    assert not passed and "仓储物流" in reason


def test_screening_stores_every_rule_and_keeps_failures_visible(world):
    park = world.sample(Park)
    ThresholdRule.objects.create(park=park, kind=RuleKind.MIN_HEADCOUNT, value=D(1000))
    app = walk(world.sample(Application), world, "submit", "start_screening")
    results = list(app.screening_results.order_by("id"))
    assert sorted(r.passed for r in results) == [False, True]  # rd ≥ 3 passes, headcount fails
    assert app.state == AppState.SCREENING  # a failure does not drop the application


def test_threshold_validation(world):
    with pytest.raises(Exception) as exc:
        services.threshold_create(
            actor=world.users["operator"], instance=rule(world, RuleKind.INDUSTRY_ALLOWED)
        )
    assert "items" in exc.value.message_dict
    with pytest.raises(Exception) as exc:
        services.threshold_create(
            actor=world.users["operator"], instance=rule(world, RuleKind.MIN_HEADCOUNT)
        )
    assert "value" in exc.value.message_dict


# risk -------------------------------------------------------------------------------------
WEIGHTS = {k: D(v) for k, v in AdmissionSettings().weight_table().items()}


def inputs(**over):
    values = dict(
        years=D(10),
        paid_in_capital_wan=D(6000),
        revenue_last=D(1200),
        revenue_prev=D(1000),
        debt_ratio_pct=D(30),
        annual_rent=D(50),
        litigation=False,
        dishonest=False,
        arrears_count=0,
    )
    values.update(over)
    return RiskInputs(**values)


def test_perfect_company_scores_100_grade_a():
    value, factors = score(inputs(), WEIGHTS)
    assert value == D("100.0") and grade(value, dishonest=False) == "A"
    assert sum(f.points for f in factors) == D("100.00")


def test_factor_points_follow_the_documented_scales():
    value, factors = score(
        inputs(
            years=D("2.5"),
            paid_in_capital_wan=D(600),
            revenue_last=D(950),
            debt_ratio_pct=D(70),
            annual_rent=D(150),
            litigation=True,
            arrears_count=2,
        ),
        WEIGHTS,
    )
    points = {f.key: f.points for f in factors}
    # years 2.5/5 = .5 × 10; capital ≥500 → .6 × 10; revenue −5 % → .4 × 15; debt 70 → .4 × 15;
    # rent 150/950 = 15.8 % → .4 × 15; litigation .3 × 10; dishonest 1 × 15; arrears 2 → .5 × 10
    assert points == {
        "years": D("5.00"),
        "capital": D("6.00"),
        "revenue_trend": D("6.00"),
        "debt_ratio": D("6.00"),
        "rent_to_revenue": D("6.00"),
        "litigation": D("3.00"),
        "dishonest": D("15.00"),
        "arrears": D("5.00"),
    }
    assert value == D("52.0") and grade(value, dishonest=False) == "C"


def test_dishonest_debtor_is_always_grade_d():
    value, _ = score(inputs(dishonest=True), WEIGHTS)
    assert value == D("85.0") and grade(value, dishonest=True) == "D"


def test_operator_weights_change_the_score(world):
    settings = AdmissionSettings.for_operator(world.operators["A"])
    settings.weights = {"litigation": 90}
    base, _ = score(inputs(litigation=True), WEIGHTS)
    heavy, _ = score(inputs(litigation=True), settings.weight_table())
    assert heavy < base


def test_risk_assess_uses_application_and_company(world):
    app = walk(world.sample(Application), world, "submit", "start_screening", "to_risk", "assess")
    assessment = app.risk
    years = {f["key"]: f for f in assessment.factors}["years"]
    assert D(years["scale"]) == D(1)  # founded 2018: over five years
    with pytest.raises(ConflictError):
        services.risk_assess(
            actor=world.users["gov"],
            application=app,
            revenue_last_year=None,
            revenue_prev_year=None,
            debt_ratio_pct=None,
            litigation=False,
            dishonest_debtor=False,
        )


def test_arrears_history_is_counted_from_the_company_bills(world):
    """Company A's lease T-A: the deposit and the first quarter were due on 2026-01-01 and are
    still open (1,000 paid): two times more than 30 days behind; company B has none in our parks."""
    from leasing.selectors import late_bill_count

    operator_a = world.operators["A"].pk
    company_a, company_b = world.sample(Enterprise, "A"), world.sample(Enterprise, "B")
    assert (
        late_bill_count(company_a.pk, operator_a, datetime.date(2026, 1, 31)) == 0
    )  # 30 days: not yet
    assert late_bill_count(company_a.pk, operator_a, datetime.date(2026, 2, 1)) == 2
    assert late_bill_count(company_b.pk, operator_a, datetime.date(2026, 6, 1)) == 0
    app = walk(world.sample(Application), world, "submit", "start_screening", "to_risk", "assess")
    assert app.risk.arrears_count == 2
    assert D({f["key"]: f for f in app.risk.factors}["arrears"]["scale"]) == D("0.5")


# joint review ------------------------------------------------------------------------------
def in_review(world):
    return walk(
        world.sample(Application),
        world,
        "submit",
        "start_screening",
        "to_risk",
        "assess",
        "to_review",
    )


def second_gov(world):
    from core.choices import Role
    from core.users import user_create

    return user_create(
        actor=world.users["admin"],
        username="gov2",
        password="x-Pass-123",
        role=Role.GOV,
        jurisdiction=world.jurisdictions["A"],
    )


def test_both_sides_must_approve(world):
    app = in_review(world)
    services.review_record(actor=world.users["operator"], application=app, decision="approve")
    app.refresh_from_db()
    assert app.state == AppState.REVIEW
    services.review_record(actor=second_gov(world), application=app, decision="approve")
    app.refresh_from_db()
    assert app.state == AppState.APPROVED and app.decided_at is not None


def test_any_rejection_rejects(world):
    app = in_review(world)
    services.review_record(actor=world.users["operator"], application=app, decision="approve")
    services.review_record(
        actor=second_gov(world), application=app, decision="reject", comment="不符合区产业导向"
    )
    app.refresh_from_db()
    assert app.state == AppState.REJECTED


def test_quorum_is_configurable(world):
    settings = AdmissionSettings.for_operator(world.operators["A"])
    settings.operator_approvals_required = 2
    settings.save()
    app = in_review(world)
    services.review_record(actor=world.users["operator"], application=app, decision="approve")
    services.review_record(actor=second_gov(world), application=app, decision="approve")
    app.refresh_from_db()
    assert app.state == AppState.REVIEW  # one more operator approval needed


def test_separation_of_duties(world):
    app = in_review(world)  # created by gov
    with pytest.raises(ConflictError):
        services.review_record(actor=world.users["gov"], application=app, decision="approve")
    settings = AdmissionSettings.for_operator(world.operators["A"])
    settings.separation_of_duties = False
    settings.save()
    services.review_record(actor=world.users["gov"], application=app, decision="approve")
    assert Review.objects.filter(application=app, reviewer=world.users["gov"]).exists()


def test_review_refused_outside_review_and_for_other_roles(world):
    app = world.sample(Application)
    with pytest.raises(ConflictError):
        services.review_record(actor=world.users["operator"], application=app, decision="approve")
    app = in_review(world)
    with pytest.raises(ConflictError):
        services.review_record(actor=world.users["tenant"], application=app, decision="approve")
    assert not Review.objects.exists()


def test_notifications_reach_the_people_waiting(world, django_capture_on_commit_callbacks):
    app = world.sample(Application)
    with django_capture_on_commit_callbacks(execute=True):
        services.application_transition(actor=world.users["gov"], application=app, action="submit")
    note = Notification.objects.get(user=world.users["operator"])
    assert note.params == {"name": "甲科技有限公司"} and note.url.endswith(f"/{app.pk}/")
    with translation.override("zh-hans"):  # each reader gets their own language
        assert note.text == "甲科技有限公司 提交了新的入园申请，待筛查。"
    with translation.override("en"):
        assert note.text == "New application from 甲科技有限公司 to screen."
    assert not Notification.objects.filter(user=world.users["fund"]).exists()


def test_a_notification_is_done_when_its_task_is(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        app = in_review(world)
    operator, gov = world.users["operator"], world.users["gov"]
    screening = Notification.objects.get(user=operator, message__startswith="New application")
    assert screening.done_at is not None  # the application moved on from screening
    waiting = Notification.objects.filter(message__contains="joint review", done_at__isnull=True)
    assert {n.user for n in waiting} == {operator, gov}
    gov2 = second_gov(world)  # joined after the call for review: not notified then
    with django_capture_on_commit_callbacks(execute=True):
        services.review_record(actor=gov2, application=app, decision="approve")
    assert waiting.filter(user=gov).exists() and waiting.filter(user=operator).exists()
    with django_capture_on_commit_callbacks(execute=True):
        services.review_record(actor=operator, application=app, decision="approve")
    # the operator's own part is done, and the quorum decided the application: all done
    assert not waiting.all().exists()  # .all(): a fresh query, not the list read above
    assert Notification.objects.filter(message__contains="approved", user=operator).exists()


def test_no_notification_when_the_transition_fails(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ConflictError):
        services.application_transition(
            actor=world.users["gov"], application=world.sample(Application), action="to_risk"
        )
    assert not Notification.objects.exists()


def test_inbox_per_role(world):
    app = walk(world.sample(Application), world, "submit")
    assert list(inbox(world.users["operator"])) == [app]
    assert list(inbox(world.users["gov"])) == []
    walk(app, world, "start_screening", "to_risk", "assess", "to_review")
    assert list(inbox(world.users["gov"])) == [app]


# matching -------------------------------------------------------------------------------------
def test_matching_ranks_single_units_and_neighbour_runs(world):
    floor = world.sample(Floor)  # holds A-101: 1,000 m², 8 m, 3.50 元
    make_unit(floor, "A-102", area_m2=D(450), clear_height_m=D(9), list_rent=D("3.2"))
    make_unit(floor, "A-103", area_m2=D(400), clear_height_m=D(9), list_rent=D("3.0"))
    make_unit(floor, "A-104", area_m2=D(500), clear_height_m=D(5), list_rent=D("3.0"))  # low
    make_unit(floor, "A-105", area_m2=D(540), clear_height_m=D(9), list_rent=D("3.0"))
    make_unit(floor, "A-106", area_m2=D(820), clear_height_m=D(9), list_rent=D("4.5"))  # dear
    make_unit(
        floor,
        "A-107",
        area_m2=D(900),
        clear_height_m=D(9),
        status="leased",
        available_from=datetime.date(2030, 1, 1),
    )  # not free in time
    app = world.sample(Application)  # 800–1,040 m², ≥ 6 m, ≤ 4 元, move in now
    matches = match_units(app, world.users["admin"])
    # the single unit first; A-103 + A-105 are not neighbours (A-104 stands between them)
    assert [m.codes for m in matches] == ["A-101", "A-102 + A-103"]
    assert matches[1].area_m2 == D(850) and any("850" in r for r in matches[1].reasons)


def test_matching_looks_in_other_parks_of_the_operator_only(world):
    app = world.sample(Application)
    other = Park.objects.create(
        code="PA2",
        name="园区A2",
        kind="incubator",
        operator=world.operators["A"],
        jurisdiction=world.jurisdictions["A"],
    )
    from spaces.models import Building

    floor = Floor.objects.create(
        building=Building.objects.create(park=other, code="X", name="X", floors_above=1), number=1
    )
    make_unit(floor, "X-1", area_m2=D(800))
    codes = [m.codes for m in match_units(app, world.users["admin"])]
    assert codes == ["A-101", "X-1"]  # target park first; park B (other operator) never


def test_only_the_draft_owner_edits_or_deletes_it(world):
    app = world.sample(Application)  # a draft the government reviewer started
    with pytest.raises(ConflictError):
        services.application_update(
            actor=world.users["operator"], instance=app, data={"headcount": 1}
        )
    with pytest.raises(ConflictError):
        services.application_delete(actor=world.users["operator"], instance=app)
    services.application_update(actor=world.users["gov"], instance=app, data={"headcount": 99})
    app.refresh_from_db()
    assert app.headcount == 99


def test_tenant_applies_for_its_own_company_only(world):
    tenant = world.users["tenant"]
    app = services.application_create(
        actor=tenant,
        instance=Application(
            enterprise=world.sample(Enterprise, "B"), park=world.sample(Park), area_min_m2=D(100)
        ),
    )
    assert app.enterprise == world.sample(Enterprise) and app.channel == "self"


def approved(world):
    app = in_review(world)
    services.review_record(actor=world.users["operator"], application=app, decision="approve")
    services.review_record(actor=second_gov(world), application=app, decision="approve")
    app.refresh_from_db()
    return app


def test_approved_application_becomes_a_draft_lease(world):
    from spaces.models import Unit

    app = approved(world)
    unit = make_unit(world.sample(Floor), "A-150", area_m2=D(900))
    services.application_convert(
        actor=world.users["operator"],
        application=app,
        units=[unit],
        start_on=datetime.date(2029, 1, 1),
        end_on=datetime.date(2031, 12, 31),
        rent_per_m2_day=D("3.3"),
    )
    app.refresh_from_db()
    assert app.state == AppState.CONVERTED and app.lease.state == "draft"
    assert app.lease.enterprise == app.enterprise
    assert [lu.unit for lu in app.lease.lease_units.all()] == [Unit.objects.get(code="A-150")]


def test_conversion_refusals_leave_the_application_approved(world):
    from leasing.models import Lease

    app = world.sample(Application)
    with pytest.raises(ConflictError):  # not approved yet
        services.application_convert(
            actor=world.users["operator"],
            application=app,
            units=[],
            start_on=datetime.date(2029, 1, 1),
            end_on=datetime.date(2029, 12, 31),
            rent_per_m2_day=D(3),
        )
    app = approved(world)
    leased = world.sample(Floor).units.get(code="A-101")  # leased until 2028 in the test world
    with pytest.raises(ConflictError):
        services.application_convert(
            actor=world.users["operator"],
            application=app,
            units=[leased],
            start_on=datetime.date(2028, 1, 1),
            end_on=datetime.date(2029, 12, 31),
            rent_per_m2_day=D(3),
        )
    app.refresh_from_db()
    assert app.state == AppState.APPROVED and app.lease is None
    assert not Lease.objects.filter(enterprise=app.enterprise, state="draft").exists()


def test_operator_staff_cannot_lower_the_government_quorum(world, client_for):
    import json as _json

    from admissions.models import AdmissionSettings

    settings_row = AdmissionSettings.objects.filter(operator=world.operators["A"]).first()
    if settings_row is None:
        settings_row = AdmissionSettings.objects.create(operator=world.operators["A"])
    settings_row.gov_approvals_required = 2
    settings_row.save()
    url = f"/api/v1/admissions/settings/{settings_row.pk}"
    lowered = client_for("operator").patch(
        url, _json.dumps({"gov_approvals_required": 1}), content_type="application/json"
    )
    assert lowered.status_code == 422 and "gov_approvals_required" in lowered.json()["errors"]
    settings_row.refresh_from_db()
    assert settings_row.gov_approvals_required == 2
    weights = client_for("operator").patch(
        url, _json.dumps({"weights": {"years": 20, "capital": 10}}), content_type="application/json"
    )
    assert weights.status_code == 200  # the operator's own risk model stays its own
    by_admin = client_for("admin").patch(
        url, _json.dumps({"gov_approvals_required": 1}), content_type="application/json"
    )
    assert by_admin.status_code == 200


# admissions v2: strict where it must be -------------------------------------------------
def test_rule_codes_are_checked_against_the_catalogue_and_normalised(world):
    from django.core.exceptions import ValidationError as DjangoValidationError

    for items in ("99", "C、XX"):
        with pytest.raises(DjangoValidationError) as exc:
            rule(world, RuleKind.INDUSTRY_EXCLUDED, items=items).full_clean()
        assert "items" in exc.value.message_dict
    good = rule(world, RuleKind.INDUSTRY_ALLOWED, items="c、39、c")
    good.full_clean()
    assert good.items == "C、39"  # upper-case, one of each


def test_an_unknown_industry_fails_every_industry_rule(world):
    app = world.sample(Application)
    app.enterprise.industry = None
    for kind in (RuleKind.INDUSTRY_ALLOWED, RuleKind.INDUSTRY_EXCLUDED):
        passed, reason = evaluate(rule(world, kind, items="59"), app)
        assert passed is False and reason


@pytest.mark.parametrize(
    ("kind", "value"),
    [
        (RuleKind.MIN_RD_INTENSITY, D(150)),
        (RuleKind.MIN_TALENT_SHARE, D("100.01")),
        (RuleKind.MIN_HEADCOUNT, D("9.5")),
    ],
)
def test_impossible_thresholds_are_refused(world, kind, value):
    from django.core.exceptions import ValidationError as DjangoValidationError

    with pytest.raises(DjangoValidationError) as exc:
        rule(world, kind, value=value).full_clean()
    assert "value" in exc.value.message_dict


def test_matching_does_not_offer_a_unit_promised_to_a_draft_lease(world):
    from admissions.selectors import match_units

    app = approved(world)
    unit = make_unit(world.sample(Floor), "A-160", area_m2=D(900))
    offered = [u.pk for m in match_units(app, world.users["operator"]) for u in m.units]
    assert unit.pk in offered
    services.application_convert(
        actor=world.users["operator"],
        application=app,
        units=[unit],
        start_on=datetime.date(2029, 1, 1),
        end_on=datetime.date(2031, 12, 31),
        rent_per_m2_day=D("3.3"),
    )
    other = walk(world.sample(Application), world)  # another applicant, same needs
    offered = [u.pk for m in match_units(other, world.users["operator"]) for u in m.units]
    assert unit.pk not in offered


def test_conversion_is_into_the_reviewed_park(world):
    from spaces.models import Building

    app = approved(world)
    other_park = Park.objects.create(
        code="PX",
        name="另一园区",
        kind="manufacturing",
        operator=app.park.operator,
        jurisdiction=app.park.jurisdiction,
    )
    other_park.staff.add(world.users["operator"])
    building = Building.objects.create(park=other_park, code="X1", name="X1")
    floor = Floor.objects.create(building=building, number=1)
    unit = make_unit(floor, "X-101", area_m2=D(900))
    with pytest.raises(ConflictError) as exc:
        services.application_convert(
            actor=world.users["operator"],
            application=app,
            units=[unit],
            start_on=datetime.date(2029, 1, 1),
            end_on=datetime.date(2031, 12, 31),
            rent_per_m2_day=D("3.3"),
        )
    assert "另一园区" in exc.value.message or "PX" in exc.value.message
    app.refresh_from_db()
    assert app.state == AppState.APPROVED


def test_a_reviewer_changes_their_own_vote_and_a_duplicate_is_a_409(world, client_for):
    app = in_review(world)
    url = f"/api/v1/admissions/applications/{app.pk}/reviews"
    gov = client_for("operator")  # gov created the sample: the operator side reviews
    asked = gov.post(
        url,
        json.dumps({"decision": "request_info", "comment": "请补充财报"}),
        content_type="application/json",
    )
    assert asked.status_code == 200, asked.content
    again = gov.post(
        url,
        json.dumps({"decision": "request_info", "comment": "请补充财报"}),
        content_type="application/json",
    )
    assert again.status_code == 409 and "已" in again.json()["detail"]
    changed = gov.post(url, json.dumps({"decision": "approve"}), content_type="application/json")
    assert changed.status_code == 200 and changed.json()["decision"] == "approve"
    review = Review.objects.get(application=app, reviewer=world.users["operator"])
    history = entries_for(review).order_by("at")
    assert [e.changes.get("decision") for e in history][-1] == ["request_info", "approve"]


def test_the_dashboard_counts_applications_waiting_for_the_user(world, client_for):
    app = world.sample(Application, "A")
    client = client_for("operator")
    before = client.get("/").content.decode()
    walk(app, world, "submit")
    after = client.get("/").content.decode()
    count = inbox(world.users["operator"]).count()
    assert f'<span class="todo-count">{count}</span> 待您处理的入园申请' in after
    assert f"{count - 1}</span> 待您处理的入园申请" in before


def test_the_board_shows_each_states_newest_cards_and_how_many_there_are(
    world, client_for, monkeypatch
):
    from admissions import selectors

    operator = world.users["operator"]
    for n in range(3):
        services.application_create(
            actor=operator,
            instance=Application(
                enterprise=world.sample(Enterprise), park=world.sample(Park), area_min_m2=D(100 + n)
            ),
        )
    drafts = Application.objects.restrict(operator).filter(state=AppState.DRAFT).count()
    assert drafts >= 3
    monkeypatch.setattr(selectors, "BOARD_CARDS", 2)
    columns = {state: (cards, total) for state, _label, cards, total in selectors.board(operator)}
    cards, total = columns[AppState.DRAFT]
    assert total == drafts and len(cards) == 2
    assert cards[0].updated_at >= cards[1].updated_at  # the newest first
    html = client_for("operator").get("/admissions/").content.decode()
    assert "?state=draft" in html  # the link to all of them, filtered
