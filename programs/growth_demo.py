"""Demo growth path in the incubator (FHQ): an incubation program with two cohorts and an
acceleration program with one; milestones met on time, met late and missed; two graduations;
one company that left and joined again; and one completed move FHQ → ZZGC (its incubator
lease ended, a workshop lease in the manufacturing park running). Written through the
growth services on the days things happened, relative to the day the demo is loaded."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.utils import timezone, translation

from core.dates import term_end
from programs import growth
from programs.choices import MilestoneKind as K
from programs.choices import ProgramKind
from programs.models import Cohort, Milestone, Move, Program, ProgramMember

__all__ = ["load"]

DAY = datetime.timedelta(days=1)
# name, kind, stage in it, stage on graduation, milestones (name, kind, months, required)
PROGRAMS: list[tuple[Any, ...]] = [
    (
        "苗圃孵化计划",
        ProgramKind.INCUBATION,
        "startup",
        "growth",
        [
            ("首笔销售收入", K.FIRST_REVENUE, 6, True),
            ("完成首轮融资", K.FIRST_FINANCING, 12, True),
            ("首件发明专利申请", K.FIRST_PATENT, 12, False),
        ],
    ),
    (
        "成长加速营",
        ProgramKind.ACCELERATION,
        "growth",
        "expansion",
        [
            ("团队规模达到 20 人", K.HEADCOUNT_20, 6, True),
            ("年营业收入突破 1,000 万元", K.OTHER, 12, True),
        ],
    ),
]
# program, cohort name, starts (days ago), ends (days from load), capacity, mentors
COHORTS = [
    (0, "2025 春季营", 700, -335, 8, "陈立新（天使投资人）\n刘敏（知识产权律师）"),
    (0, "2026 秋季营", 100, 265, 10, "陈立新（天使投资人）\n王海（连续创业者）"),
    (1, "2026 加速营一期", 250, 115, 6, "赵峰（产业基金合伙人）"),
]


def _day(today: datetime.date, days_ago: int) -> datetime.date:
    return today - days_ago * DAY


def load(ctx: dict[str, Any]) -> None:
    if Program.objects.exists():
        return
    with translation.override("zh-hans"):  # the notes the services write read in Chinese
        _load(ctx)


def _load(ctx: dict[str, Any]) -> None:
    today, staff = timezone.localdate(), ctx["admin"]
    parks, companies = ctx["parks"], ctx["enterprises"]
    programs = []
    for name, kind, stage, graduate, milestones in PROGRAMS:
        program = growth.program_create(
            actor=staff,
            instance=Program(
                park=parks["FHQ"],
                name=name,
                kind=kind,
                stage=stage,
                graduate_stage=graduate,
                next_park=parks["ZZGC"],
                graduation_criteria="完成全部必选里程碑，经园区投后服务部评审。",
            ),
        )
        for title, mkind, months, required in milestones:
            growth.milestone_create(
                actor=staff,
                instance=Milestone(
                    program=program, name=title, kind=mkind, due_months=months, required=required
                ),
            )
        programs.append(program)
    cohorts = [
        growth.cohort_create(
            actor=staff,
            instance=Cohort(
                program=programs[p],
                name=name,
                starts_on=_day(today, start),
                ends_on=_day(today, -end),
                capacity=capacity,
                entry_criteria="成立不满三年、拥有核心技术的科技型初创企业。",
                mentors=mentors,
            ),
        )
        for p, name, start, end, capacity, mentors in COHORTS
    ]
    incubator_lease = _incubator_lease(ctx, companies[11], today)

    def join(cohort: Cohort, company: Any, days_ago: int) -> ProgramMember:
        return growth.member_join(
            actor=staff,
            instance=ProgramMember(
                cohort=cohort, enterprise=company, joined_on=_day(today, days_ago)
            ),
        )

    def meet(member: ProgramMember, kind: str, days_ago: int, evidence: str) -> None:
        record = member.milestones.get(milestone__kind=kind)
        growth.milestone_meet(
            actor=staff, record=record, met_on=_day(today, days_ago), evidence=evidence
        )

    # 2025 spring: one graduates and moves on to the manufacturing park, one graduates late,
    # one leaves (and comes back in the autumn cohort)
    mover = join(cohorts[0], companies[11], 700)
    meet(mover, K.FIRST_REVENUE, 560, "首笔销售合同 HT-2025-017，金额 38 万元")
    meet(mover, K.FIRST_FINANCING, 420, "天使轮 500 万元，投资协议及工商变更登记")
    meet(mover, K.FIRST_PATENT, 380, "发明专利申请号 2025 1 0345678.9")
    growth.member_graduate(actor=staff, member=mover, on=_day(today, 330))
    late = join(cohorts[0], companies[9], 690)
    meet(late, K.FIRST_REVENUE, 480, "首笔技术服务合同（逾期约一个月达成）")
    meet(late, K.FIRST_FINANCING, 360, "Pre-A 轮 1,200 万元")
    growth.member_graduate(actor=staff, member=late, on=_day(today, 340))
    left = join(cohorts[0], companies[8], 680)
    growth.member_exit(
        actor=staff, member=left, on=_day(today, 400), reason="团队调整，转向技术外包业务"
    )
    again = join(cohorts[1], companies[8], 90)
    meet(again, K.FIRST_PATENT, 30, "发明专利申请号 2026 1 0123456.7")
    # the incubator's own tenants in the autumn cohort: one has its first sales
    first_sale = join(cohorts[1], companies[12], 95)
    meet(first_sale, K.FIRST_REVENUE, 40, "首笔销售合同 HT-2026-052，金额 26 万元")
    join(cohorts[1], companies[13], 95)
    # the accelerator: one met its first milestone, the other missed it
    join(cohorts[2], companies[9], 240)  # its headcount milestone fell due, not met: missed
    ahead = join(cohorts[2], companies[7], 240)
    meet(ahead, K.HEADCOUNT_20, 100, "社保缴纳名单 23 人")
    _move(ctx, mover, incubator_lease, today)


def _incubator_lease(ctx: dict[str, Any], company: Any, today: datetime.date) -> Any:
    """The incubatee's office in FHQ from the day it joined, for three years."""
    from leasing import services as leases
    from leasing.models import Lease
    from spaces.models import Unit

    start = _day(today, 700)
    unit = Unit.objects.filter(park__code="FHQ", status="vacant").order_by("code").first()
    if unit is None:
        raise RuntimeError("the demo incubator has no vacant office")
    lease = leases.lease_create(
        actor=ctx["admin"],
        lease=Lease(
            contract_no=f"JXKC-FHQ-{start.year}-001",
            enterprise=company,
            park=ctx["parks"]["FHQ"],
            start_on=start,
            end_on=term_end(start, 36),
            signed_on=start - 10 * DAY,
            rent_per_m2_day=Decimal("5.20"),
            fee_per_m2_month=Decimal("12.00"),
            payment_cycle_months=3,
        ),
        units=[unit],
        rent_free=[(start, start + 179 * DAY)],  # six months free: the incubator's offer
    )
    leases.lease_transition(actor=ctx["admin"], lease=lease, action="activate")
    return lease


def _move(ctx: dict[str, Any], member: ProgramMember, lease: Any, today: datetime.date) -> None:
    """The graduate moves to the manufacturing park's vacant unit 300 days ago."""
    from spaces.models import Unit

    staff, target = ctx["admin"], ctx["parks"]["ZZGC"]
    unit = Unit.objects.filter(park=target, status="vacant").order_by("-code").first()
    if unit is None:  # every unit let: the plan stays a plan
        return
    move = growth.move_plan(
        actor=staff,
        instance=Move(
            enterprise=member.enterprise,
            membership=member,
            from_lease=lease,
            to_park=target,
            move_on=_day(today, 300),
            area_min_m2=unit.area_m2,
            area_max_m2=unit.area_m2 * 3,
            notes="毕业后扩大规模，进入智造工场小批量试产。",
        ),
    )
    growth.move_choose(
        actor=staff, move=move, units=[unit], rent_per_m2_day=unit.list_rent, term_months=36
    )
    growth.move_transition(actor=staff, move=move, action="agree")
    growth.move_transition(actor=staff, move=move, action="complete")
