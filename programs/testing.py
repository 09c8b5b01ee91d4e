"""Test records of the innovation services (core.testing.world): per side a service of the
operator's catalogue, a request of the side's company in the side's park, a reply and an
internal note on it, an instrument of the park and a booking of it."""

from __future__ import annotations

import datetime

from core.testing.world import World
from enterprises.models import Enterprise
from programs.choices import MilestoneKind, PolicyLevel, ProgramKind, ServiceCategory
from programs.models import (
    Booking,
    Cohort,
    Equipment,
    Milestone,
    MilestoneRecord,
    Move,
    PolicyApplication,
    Program,
    ProgramMember,
    Proposal,
    RequestMessage,
    Scenario,
    ServiceKind,
    ServiceRequest,
    StageChange,
    SupportPolicy,
)
from spaces.models import Park, Unit

__all__ = ["build"]


def build(world: World) -> None:
    kinds, requests, replies, equipment, bookings, policies, grants = [], [], [], [], [], [], []
    for side in "AB":
        opener = world.users.get("tenant") if side == "A" else None
        kind = ServiceKind.objects.create(
            operator=world.operators[side],
            name=f"知识产权代理{side}",
            category=ServiceCategory.IP,
            sla_days=5,
        )
        request = ServiceRequest.objects.create(
            park=world.sample(Park, side),
            enterprise=world.sample(Enterprise, side),
            kind=kind,
            subject=f"发明专利申请{side}",
            description="请协助提交一件发明专利申请。",
            opened_by=opener or world.users["admin"],
            due_on=datetime.date(2026, 3, 2),
        )
        reply = RequestMessage.objects.create(
            request=request, author=request.opened_by, body="已上传技术交底书。"
        )
        RequestMessage.objects.create(
            request=request,
            author=world.users["admin"],
            body="内部：代理机构报价待确认",
            internal=True,
        )
        kinds.append(kind)
        requests.append(request)
        replies.append(reply)
        instrument = Equipment.objects.create(
            park=world.sample(Park, side), code=f"EQ-{side}", name="X 射线检测仪", hourly_rate=200
        )
        start = datetime.datetime(2030, 3, 4, 9, 0, tzinfo=datetime.UTC)
        equipment.append(instrument)
        bookings.append(
            Booking.objects.create(
                equipment=instrument,
                enterprise=world.sample(Enterprise, side),
                booked_by=world.users["admin"],
                starts_at=start,
                ends_at=start + datetime.timedelta(hours=2),
            )
        )
    world.add(*kinds)
    world.add(*requests)
    world.add(*replies)
    world.add(*equipment)
    world.add(*bookings)
    for side in "AB":
        policy = SupportPolicy.objects.create(
            operator=world.operators[side],
            title=f"高新技术企业认定奖励{side}",
            issuer="区科委",
            level=PolicyLevel.DISTRICT,
            benefit="首次认定奖励 20 万元",
            valid_from=datetime.date(2020, 1, 1),
            valid_to=datetime.date(2099, 12, 31),
            qualification="high_tech",
        )
        policies.append(policy)
        grants.append(
            PolicyApplication.objects.create(
                support_policy=policy, enterprise=world.sample(Enterprise, side)
            )
        )
    world.add(*policies)
    world.add(*grants)
    scenarios, proposals = [], []
    for side in "AB":
        scenario = Scenario.objects.create(
            operator=world.operators[side],
            title=f"产线视觉质检场景{side}",
            owner="园区运营方",
            setting="总装产线需要机器视觉缺陷检测方案。",
            deadline=datetime.date(2099, 12, 31),
        )
        scenarios.append(scenario)
        proposals.append(
            Proposal.objects.create(
                scenario=scenario, enterprise=world.sample(Enterprise, side), summary="视觉检测方案"
            )
        )
    world.add(*scenarios)
    world.add(*proposals)
    _growth(world)


def _growth(world: World) -> None:
    """Per side a program of the park with a cohort and a milestone, the side's company in it
    with its milestone record and stage change, and a move out of the side's lease."""
    from leasing.models import Lease

    rows: dict[str, list[object]] = {"A": [], "B": []}
    for side in "AB":
        park, company = world.sample(Park, side), world.sample(Enterprise, side)
        program = Program.objects.create(
            park=park,
            name=f"苗圃孵化计划{side}",
            kind=ProgramKind.INCUBATION,
            stage="startup",
            graduate_stage="growth",
        )
        cohort = Cohort.objects.create(
            program=program,
            name="2026 春季营",
            starts_on=datetime.date(2026, 3, 1),
            ends_on=datetime.date(2027, 2, 28),
            capacity=10,
        )
        milestone = Milestone.objects.create(
            program=program, name="首笔收入", kind=MilestoneKind.FIRST_REVENUE, due_months=6
        )
        member = ProgramMember.objects.create(
            cohort=cohort, enterprise=company, joined_on=datetime.date(2026, 3, 1)
        )
        record = MilestoneRecord.objects.create(
            membership=member, milestone=milestone, due_on=datetime.date(2026, 9, 1)
        )
        change = StageChange.objects.create(
            enterprise=company,
            from_stage="growth",
            to_stage="startup",
            on=datetime.date(2026, 3, 1),
            membership=member,
        )
        move = Move.objects.create(
            enterprise=company,
            membership=member,
            from_lease=world.sample(Lease, side),
            to_park=park,
            move_on=datetime.date(2027, 3, 1),
            area_min_m2=100,
            area_max_m2=300,
        )
        move.units.set([world.sample(Unit, side)])
        rows[side] = [program, cohort, milestone, member, record, change, move]
    for a, b in zip(rows["A"], rows["B"], strict=True):
        world.add(a, b)  # type: ignore[arg-type]
