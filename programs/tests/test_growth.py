"""The growth path: joining a cohort (capacity, dates, one program at a time), milestones
met with evidence, graduation only with every required milestone met, leaving with a
reason, the growth stage following each step, and the move to another park made in one
transaction — a fault in the middle leaves the old lease and no new one."""

from __future__ import annotations

import datetime
import json
from decimal import Decimal
from unittest import mock

import pytest
from django.utils import timezone

from core.dates import add_months
from core.errors import ConflictError
from enterprises.demo import credit_code
from enterprises.models import Enterprise
from leasing.choices import LeaseState
from leasing.models import Lease
from programs import funnel, growth
from programs.choices import MembershipState, MilestoneKind, MoveState, ProgramKind
from programs.models import Cohort, Milestone, Move, Program, ProgramMember, StageChange
from spaces.models import Building, Floor, Park, Unit
from spaces.testing import make_unit

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
D = datetime.date


def company(name: str) -> Enterprise:
    return Enterprise.objects.create(
        name=name, credit_code=credit_code(f"91110108MA1{Enterprise.objects.count():06d}")
    )


@pytest.fixture
def cohort(world) -> Cohort:
    program = Program.objects.create(
        park=world.sample(Park),
        name="苗圃孵化计划",
        kind=ProgramKind.INCUBATION,
        stage="startup",
        graduate_stage="growth",
    )
    Milestone.objects.create(
        program=program, name="首笔收入", kind=MilestoneKind.FIRST_REVENUE, due_months=6
    )
    Milestone.objects.create(
        program=program, name="首轮融资", kind=MilestoneKind.FIRST_FINANCING, due_months=12
    )
    Milestone.objects.create(
        program=program,
        name="路演",
        kind=MilestoneKind.OTHER,
        due_months=3,
        required=False,
    )
    return Cohort.objects.create(
        program=program,
        name="2026 春季营",
        starts_on=TODAY - datetime.timedelta(days=400),
        ends_on=TODAY + datetime.timedelta(days=30),
        capacity=2,
    )


def join(world, cohort, enterprise, on=None) -> ProgramMember:
    return growth.member_join(
        actor=world.users["operator"],
        instance=ProgramMember(
            cohort=cohort, enterprise=enterprise, joined_on=on or cohort.starts_on
        ),
    )


def meet(world, member, name, on=None):
    record = member.milestones.get(milestone__name=name)
    return growth.milestone_meet(
        actor=world.users["operator"], record=record, met_on=on or TODAY, evidence="合同 HT-2026-01"
    )


def test_joining_lays_out_the_milestones_and_moves_the_stage(world, cohort):
    acme = company("甲科技")
    acme.stage = "growth"
    acme.save()
    member = join(world, cohort, acme)
    due = {r.milestone.name: r.due_on for r in member.milestones.select_related("milestone")}
    start = cohort.starts_on
    assert due["首笔收入"] == add_months(start, 6)
    assert due["首轮融资"] == add_months(start, 12)
    assert due["路演"] == add_months(start, 3)
    acme.refresh_from_db()
    assert acme.stage == "startup"
    change = StageChange.objects.get(enterprise=acme)
    assert (change.from_stage, change.to_stage, change.on) == ("growth", "startup", start)


def test_capacity_dates_and_one_program_at_a_time(world, cohort):
    first, second, third = company("甲"), company("乙"), company("丙")
    join(world, cohort, first)
    with pytest.raises(ConflictError) as late:
        join(world, cohort, second, on=cohort.ends_on + datetime.timedelta(days=1))
    assert cohort.ends_on.isoformat() in late.value.message
    join(world, cohort, second)
    with pytest.raises(ConflictError) as full:
        join(world, cohort, third)
    assert "2" in full.value.message
    other = Cohort.objects.create(
        program=cohort.program,
        name="秋季营",
        starts_on=cohort.starts_on,
        ends_on=cohort.ends_on,
        capacity=5,
    )
    with pytest.raises(ConflictError) as busy:
        join(world, other, first)
    assert str(cohort) in busy.value.message


def test_a_milestone_needs_evidence_and_a_sane_day(world, cohort):
    member = join(world, cohort, company("甲"))
    record = member.milestones.get(milestone__name="首笔收入")
    actor = world.users["operator"]
    with pytest.raises(ConflictError) as no_evidence:
        growth.milestone_meet(actor=actor, record=record, met_on=TODAY, evidence="  ")
    assert no_evidence.value.code == "reason_required"
    with pytest.raises(ConflictError):
        growth.milestone_meet(
            actor=actor, record=record, met_on=TODAY + datetime.timedelta(days=1), evidence="x"
        )
    with pytest.raises(ConflictError):
        growth.milestone_meet(
            actor=actor,
            record=record,
            met_on=member.joined_on - datetime.timedelta(days=1),
            evidence="x",
        )
    meet(world, member, "首笔收入")
    record.refresh_from_db()
    assert record.met_on == TODAY and record.recorded_by == actor
    # joined 400 days ago, due after six months, met today: late, not on time
    assert record.status(TODAY) == "met_late"


def test_graduation_waits_for_every_required_milestone(world, cohort):
    member = join(world, cohort, company("甲"))
    actor = world.users["operator"]
    with pytest.raises(ConflictError) as gaps:
        growth.member_graduate(actor=actor, member=member, on=TODAY)
    assert "首笔收入" in gaps.value.message and "首轮融资" in gaps.value.message
    assert "路演" not in gaps.value.message  # not required
    meet(world, member, "首笔收入")
    assert growth.graduation_gaps(member) == ["首轮融资"]
    meet(world, member, "首轮融资")
    growth.member_graduate(actor=actor, member=member, on=TODAY)
    member.refresh_from_db()
    assert member.state == MembershipState.GRADUATED and member.ended_on == TODAY
    member.enterprise.refresh_from_db()
    assert member.enterprise.stage == "growth"
    with pytest.raises(ConflictError):  # done is done
        growth.member_exit(actor=actor, member=member, on=TODAY, reason="x")


def test_leaving_needs_a_reason_and_frees_the_place(world, cohort):
    member = join(world, cohort, company("甲"))
    join(world, cohort, company("乙"))
    actor = world.users["operator"]
    with pytest.raises(ConflictError):
        growth.member_exit(actor=actor, member=member, on=TODAY, reason="")
    growth.member_exit(actor=actor, member=member, on=TODAY, reason="团队解散")
    member.refresh_from_db()
    assert member.state == MembershipState.EXITED and member.exit_reason == "团队解散"
    join(world, cohort, company("丙"))  # the place is free again


def test_only_the_parks_staff_run_programs(world, cohort):
    with pytest.raises(ConflictError):
        growth.member_join(
            actor=world.users["tenant"],
            instance=ProgramMember(
                cohort=cohort, enterprise=company("甲"), joined_on=cohort.starts_on
            ),
        )


def test_the_funnel_counts_from_the_records(world, cohort):
    actor = world.users["operator"]
    done, left, staying = company("甲"), company("乙"), company("丙")
    member = join(world, cohort, done)
    meet(world, member, "首笔收入")
    meet(world, member, "首轮融资")
    growth.member_graduate(actor=actor, member=member, on=TODAY)
    quitter = join(world, cohort, left)
    growth.member_exit(actor=actor, member=quitter, on=TODAY, reason="转型")
    join(world, cohort, staying)
    row = next(r for r in funnel.cohort_rows(actor) if r["cohort"] == cohort)
    # one program's rows (its page) are the same rows, and no other program's cohort
    (own,) = funnel.cohort_rows(actor, program=cohort.program)
    assert own == row
    assert (row["members"], row["active"], row["graduated"], row["exited"]) == (3, 1, 1, 1)
    assert row["rate"] == 0.5
    assert row["median_days"] == (TODAY - cohort.starts_on).days
    assert row["met"] == 2
    # joined 400 days ago, all three milestones (3, 6, 12 months) have fallen due: 乙 (who
    # left) and 丙 missed all three, 甲 met the two required and missed the optional one
    assert row["missed"] == 7
    # park A: the world's tenant (lease and program, counted once) and 丙 (in the program,
    # no lease); 甲 graduated and 乙 left, with no lease there
    park_a = next(p for p in funnel.stages_by_park(actor) if p["park_id"] == cohort.program.park_id)
    assert park_a["total"] == 2
    assert park_a["counts"]["startup"] == 1 + (world.sample(Enterprise).stage == "startup")
    step = funnel.stage_steps(actor)[0]  # start-up → growth
    # the three joined at start-up (and the sample company of the world); one went on
    assert (step.reached, step.went_on) == (4, 1)
    assert step.median_days == (TODAY - cohort.starts_on).days
    events = funnel.path_of(actor, done)
    kinds = [e.kind for e in events]
    assert kinds.count("milestone") == 2 and kinds.count("program") == 2 and "stage" in kinds
    assert [e.on for e in events] == sorted(e.on for e in events)


# moves between parks ----------------------------------------------------------------------
@pytest.fixture
def next_park(world) -> Park:
    a = world.sample(Park)
    park = Park.objects.create(
        code="PA2",
        name="智造工场A",
        kind=a.kind,
        operator=a.operator,
        jurisdiction=a.jurisdiction,
    )
    park.staff.add(world.users["operator"])
    building = Building.objects.create(park=park, code="B1", name="厂房", floors_above=2)
    floor = Floor.objects.create(building=building, number=1)
    for code in ("M-101", "M-102"):
        make_unit(floor, code, area_m2=Decimal("400"), status="vacant")
    return park


def plan(world, next_park, move_on=None) -> Move:
    lease = world.sample(Lease)
    return growth.move_plan(
        actor=world.users["operator"],
        instance=Move(
            enterprise=lease.enterprise,
            from_lease=lease,
            to_park=next_park,
            move_on=move_on or D(2027, 1, 1),
            area_min_m2=Decimal("300"),
            area_max_m2=Decimal("900"),
        ),
    )


def agree(world, move, next_park) -> Move:
    actor = world.users["operator"]
    units = list(Unit.objects.filter(park=next_park).order_by("code"))[:1]
    growth.move_choose(
        actor=actor, move=move, units=units, rent_per_m2_day=Decimal("2.80"), term_months=36
    )
    return growth.move_transition(actor=actor, move=move, action="agree")


def test_a_move_is_planned_within_the_operator_and_the_lease_term(world, next_park):
    lease = world.sample(Lease)
    with pytest.raises(ConflictError):  # its own park
        growth.move_plan(
            actor=world.users["operator"],
            instance=Move(
                enterprise=lease.enterprise,
                from_lease=lease,
                to_park=lease.park,
                move_on=D(2027, 1, 1),
                area_min_m2=1,
                area_max_m2=2,
            ),
        )
    with pytest.raises(ConflictError, match="2028-12-31"):
        plan(world, next_park, move_on=D(2029, 2, 1))
    move = plan(world, next_park)
    assert move.state == MoveState.PLANNED
    with pytest.raises(ConflictError):  # no units chosen yet
        growth.move_transition(actor=world.users["operator"], move=move, action="agree")


def test_the_move_signs_the_new_lease_and_ends_the_old_one(world, next_park):
    move = agree(world, plan(world, next_park), next_park)
    growth.move_transition(actor=world.users["operator"], move=move, action="complete")
    move.refresh_from_db()
    old = Lease.objects.get(pk=move.from_lease_id)
    new = move.new_lease
    assert move.state == MoveState.COMPLETED
    assert old.state == LeaseState.TERMINATED and old.terminated_on == D(2027, 1, 1)
    assert old.lease_units.get().end_on == D(2026, 12, 31)
    assert new.state == LeaseState.ACTIVE and new.park == next_park
    assert (new.start_on, new.end_on) == (D(2027, 1, 1), D(2029, 12, 31))
    assert new.enterprise == old.enterprise and new.rent_per_m2_day == Decimal("2.80")
    assert [s.unit.code for s in new.lease_units.all()] == ["M-101"]
    assert any(e.kind == "move" for e in funnel.path_of(world.users["operator"], old.enterprise))


def test_a_fault_in_the_middle_of_the_move_leaves_the_old_lease_and_no_new_one(world, next_park):
    move = agree(world, plan(world, next_park), next_park)
    leases_before = Lease.objects.count()
    with (
        mock.patch("leasing.services.lease_terminate", side_effect=RuntimeError("disk full")),
        pytest.raises(RuntimeError),
    ):
        growth.move_complete(actor=world.users["operator"], move=move)
    move.refresh_from_db()
    old = Lease.objects.get(pk=move.from_lease_id)
    assert move.state == MoveState.AGREED and move.new_lease is None
    assert old.state == LeaseState.ACTIVE and old.terminated_on is None
    assert Lease.objects.count() == leases_before
    assert not Lease.objects.filter(park=next_park).exists()


# through the API and the pages ------------------------------------------------------------
def post(client, url, body):
    return client.post(url, json.dumps(body, default=str), content_type="application/json")


def test_the_api_runs_a_member_from_joining_to_graduation(world, cohort, client_for):
    operator, tenant = client_for("operator"), client_for("tenant")
    acme = company("甲")
    body = {"cohort_id": cohort.pk, "enterprise_id": acme.pk, "joined_on": cohort.starts_on}
    assert post(tenant, "/api/v1/programs/members", body).status_code == 403
    joined = post(operator, "/api/v1/programs/members", body)
    assert joined.status_code == 201, joined.content
    member = joined.json()
    assert [m["name"] for m in member["milestones"]] == ["路演", "首笔收入", "首轮融资"]
    url = f"/api/v1/programs/members/{member['id']}"
    early = post(operator, f"{url}/end", {"action": "graduate", "on": TODAY})
    assert early.status_code == 409 and "首笔收入" in early.json()["detail"]
    for mark in member["milestones"][1:]:
        met = post(
            operator,
            f"{url}/meet",
            {"record_id": mark["id"], "met_on": TODAY, "evidence": "发票 No.1"},
        )
        assert met.status_code == 200, met.content
    graduated = post(operator, f"{url}/end", {"action": "graduate", "on": TODAY})
    assert graduated.status_code == 200 and graduated.json()["state"] == "graduated"
    funnel_body = operator.get("/api/v1/programs/funnel").json()
    row = next(r for r in funnel_body["by_cohort"] if r["cohort_id"] == cohort.pk)
    assert (row["members"], row["graduated"], row["graduation_rate"]) == (1, 1, 1.0)
    assert client_for("fund").get("/api/v1/programs/funnel").status_code == 403


def test_the_api_plans_and_completes_a_move(world, next_park, client_for):
    operator = client_for("operator")
    lease = world.sample(Lease)
    planned = post(
        operator,
        "/api/v1/programs/moves",
        {
            "enterprise_id": lease.enterprise_id,
            "from_lease_id": lease.pk,
            "to_park_id": next_park.pk,
            "move_on": "2027-01-01",
            "area_min_m2": "300",
            "area_max_m2": "900",
        },
    )
    assert planned.status_code == 201, planned.content
    url = f"/api/v1/programs/moves/{planned.json()['id']}"
    assert post(operator, f"{url}/move", {"action": "agree"}).status_code == 409
    unit = Unit.objects.filter(park=next_park).order_by("code").first()
    chosen = post(operator, f"{url}/units", {"unit_ids": [unit.pk], "rent_per_m2_day": "2.80"})
    assert chosen.status_code == 200 and chosen.json()["unit_ids"] == [unit.pk]
    missing = post(operator, f"{url}/units", {"unit_ids": [999999], "rent_per_m2_day": "2.80"})
    assert missing.status_code == 422
    assert post(operator, f"{url}/move", {"action": "agree"}).json()["state"] == "agreed"
    done = post(operator, f"{url}/move", {"action": "complete"})
    assert done.status_code == 200 and done.json()["new_lease_id"] is not None
    lease.refresh_from_db()
    assert lease.state == LeaseState.TERMINATED


def test_the_pages_of_the_path(world, cohort, next_park, client_for):
    member = join(world, cohort, company("甲"))
    operator = client_for("operator")
    page = operator.get(f"/programs/members/{member.pk}/")
    assert page.status_code == 200 and "首笔收入" in page.content.decode()
    record = member.milestones.get(milestone__name="首笔收入")
    refused = operator.post(
        f"/programs/members/{member.pk}/meet/",
        {"record": record.pk, "met_on": TODAY.isoformat(), "evidence": ""},
        follow=True,
    )
    assert refused.status_code == 200
    record.refresh_from_db()
    assert record.met_on is None
    operator.post(
        f"/programs/members/{member.pk}/meet/",
        {"record": record.pk, "met_on": TODAY.isoformat(), "evidence": "合同"},
    )
    record.refresh_from_db()
    assert record.met_on == TODAY
    for url in ("/programs/funnel/", f"/programs/cohorts/{cohort.pk}/", "/programs/programs/"):
        for role in ("operator", "gov", "tenant", "admin"):
            assert client_for(role).get(url).status_code == 200, (url, role)
    assert client_for("fund").get("/programs/programs/").status_code == 404  # not its business
    funnel_page = operator.get("/programs/funnel/").content.decode()
    assert cohort.name in funnel_page
    path = operator.get(f"/enterprises/companies/{member.enterprise_id}/?tab=path").content.decode()
    assert "苗圃孵化计划" in path


def test_members_with_a_milestone_past_due_are_a_to_do(world, cohort, client_for):
    from programs.apps import ProgramsConfig

    late = join(world, cohort, company("甲"))  # joined 400 days ago: all three are past due
    punctual = join(world, cohort, company("乙"), on=TODAY - datetime.timedelta(days=10))
    body = client_for("operator").get("/api/v1/programs/members?overdue=true").json()
    ids = {row["id"] for row in body["items"]}
    assert late.pk in ids and punctual.pk not in ids
    todos = ProgramsConfig.home_todos(world.users["operator"], None)
    overdue = next(t for t in todos if "overdue=true" in t["url"])
    # the world's own member joined 2026-03-01 with a six-month milestone, past due by now
    world_member_late = datetime.date(2026, 9, 1) < TODAY
    assert overdue["count"] == 1 + world_member_late
