"""REST endpoints of the growth path (``/api/v1/programs/``): programs, cohorts and their
milestones; members joining, meeting milestones, graduating or leaving; moves between parks;
the growth funnel. Every write goes through programs.growth, as the pages do."""

# No `from __future__ import annotations`: ninja reads the signatures at run time.

import datetime
from decimal import Decimal
from typing import Annotated, Any, Literal

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema

from core.api.base import ERRORS, DecimalIn, PathId, describe_fields, get_or_404, scoped
from core.api.crud import Crud, register_crud
from enterprises.choices import GrowthStage
from programs import filters, funnel, growth
from programs.choices import MembershipState, MilestoneKind, MoveState, ProgramKind
from programs.models import Cohort, Milestone, Move, Program, ProgramMember

__all__ = ["register"]

Text = Annotated[str, Field(max_length=4000)]
Area = Annotated[Decimal, DecimalIn(ge=1, max_digits=10, decimal_places=2)]


class GrowthProgramOut(Schema):
    id: int
    park_id: int
    name: str
    kind: ProgramKind
    stage: GrowthStage
    graduate_stage: GrowthStage
    next_park_id: int | None
    graduation_criteria: str
    description: str


class GrowthProgramIn(Schema):
    park_id: int
    name: Annotated[str, Field(min_length=1, max_length=80)]
    kind: ProgramKind
    stage: GrowthStage
    graduate_stage: GrowthStage
    next_park_id: int | None = None
    graduation_criteria: Text = ""
    description: Text = ""


class GrowthProgramPatch(Schema):
    name: Annotated[str, Field(min_length=1, max_length=80)] | None = None
    next_park_id: int | None = None
    graduation_criteria: Text | None = None
    description: Text | None = None


class GrowthCohortOut(Schema):
    id: int
    program_id: int
    name: str
    starts_on: datetime.date
    ends_on: datetime.date
    capacity: int
    entry_criteria: str
    mentors: list[str]

    @staticmethod
    def resolve_mentors(obj: Cohort) -> list[str]:
        return obj.mentor_list()


class GrowthCohortIn(Schema):
    program_id: int
    name: Annotated[str, Field(min_length=1, max_length=60)]
    starts_on: datetime.date
    ends_on: datetime.date
    capacity: Annotated[int, Field(ge=1, le=500)]
    entry_criteria: Text = ""
    mentors: Text = ""


class GrowthCohortPatch(Schema):
    name: Annotated[str, Field(min_length=1, max_length=60)] | None = None
    ends_on: datetime.date | None = None
    capacity: Annotated[int, Field(ge=1, le=500)] | None = None
    entry_criteria: Text | None = None
    mentors: Text | None = None


describe_fields(GrowthCohortOut, mentors="The cohort's mentors")
describe_fields(GrowthCohortIn, mentors="The mentors, one per line")
describe_fields(GrowthCohortPatch, mentors="The mentors, one per line")


class GrowthMilestoneOut(Schema):
    id: int
    program_id: int
    name: str
    kind: MilestoneKind
    due_months: int
    required: bool


class GrowthMilestoneIn(Schema):
    program_id: int
    name: Annotated[str, Field(min_length=1, max_length=80)]
    kind: MilestoneKind
    due_months: Annotated[int, Field(ge=1, le=60)]
    required: bool = True


class GrowthMilestonePatch(Schema):
    name: Annotated[str, Field(min_length=1, max_length=80)] | None = None
    due_months: Annotated[int, Field(ge=1, le=60)] | None = None
    required: bool | None = None


class GrowthMarkOut(Schema):
    id: int
    milestone_id: int
    name: str
    required: bool
    due_on: datetime.date
    met_on: datetime.date | None
    evidence: str


describe_fields(
    GrowthMarkOut,
    id="The milestone record (POST it to /meet)",
    milestone_id="The program's milestone",
    name="Its name",
    required="Required to graduate",
    due_on="Due on (months after joining)",
    met_on="Met on; null while not met",
    evidence="What shows it was met",
)


class GrowthMemberOut(Schema):
    id: int
    cohort_id: int
    enterprise_id: int
    joined_on: datetime.date
    state: MembershipState
    ended_on: datetime.date | None
    exit_reason: str
    milestones: list[GrowthMarkOut]

    @staticmethod
    def resolve_milestones(obj: ProgramMember) -> list[dict[str, Any]]:
        return [
            {
                "id": r.pk,
                "milestone_id": r.milestone_id,
                "name": r.milestone.name,
                "required": r.milestone.required,
                "due_on": r.due_on,
                "met_on": r.met_on,
                "evidence": r.evidence,
            }
            for r in obj.milestones.all()
        ]


class GrowthMemberIn(Schema):
    cohort_id: int
    enterprise_id: int
    joined_on: datetime.date


describe_fields(GrowthMemberOut, milestones="The member's milestones, by due day")


class GrowthMoveOut(Schema):
    id: int
    enterprise_id: int
    membership_id: int | None
    from_lease_id: int
    to_park_id: int
    move_on: datetime.date
    area_min_m2: Decimal
    area_max_m2: Decimal
    clear_height_min_m: Decimal | None
    state: MoveState
    unit_ids: list[int]
    rent_per_m2_day: Decimal | None
    term_months: int
    new_lease_id: int | None
    notes: str

    @staticmethod
    def resolve_unit_ids(obj: Move) -> list[int]:
        return sorted(u.pk for u in obj.units.all())


class GrowthMoveIn(Schema):
    enterprise_id: int
    membership_id: int | None = None
    from_lease_id: int
    to_park_id: int
    move_on: datetime.date
    area_min_m2: Area
    area_max_m2: Area
    clear_height_min_m: (
        Annotated[Decimal, DecimalIn(ge=0, max_digits=5, decimal_places=2)] | None
    ) = None
    notes: Text = ""


class GrowthMovePatch(Schema):
    move_on: datetime.date | None = None
    area_min_m2: Area | None = None
    area_max_m2: Area | None = None
    notes: Text | None = None


def register(router: Router) -> None:
    """Add the growth path's endpoints to the programs router."""
    for path, crud in [
        (
            "/programs",
            Crud(
                Program,
                GrowthProgramOut,
                GrowthProgramIn,
                GrowthProgramPatch,
                filters.ProgramFilter,
                growth.program_create,
                growth.program_update,
                growth.program_delete,
                order="name",
            ),
        ),
        (
            "/cohorts",
            Crud(
                Cohort,
                GrowthCohortOut,
                GrowthCohortIn,
                GrowthCohortPatch,
                filters.CohortFilter,
                growth.cohort_create,
                growth.cohort_update,
                growth.cohort_delete,
                order="-starts_on",
            ),
        ),
        (
            "/milestones",
            Crud(
                Milestone,
                GrowthMilestoneOut,
                GrowthMilestoneIn,
                GrowthMilestonePatch,
                filters.MilestoneFilter,
                growth.milestone_create,
                growth.milestone_update,
                growth.milestone_delete,
            ),
        ),
        (
            "/members",
            Crud(
                ProgramMember,
                GrowthMemberOut,
                GrowthMemberIn,
                GrowthMemberIn,
                filters.MemberFilter,
                growth.member_join,
                None,
                None,
                order="-joined_on",
                prefetch_related=("milestones__milestone",),
            ),
        ),
        (
            "/moves",
            Crud(
                Move,
                GrowthMoveOut,
                GrowthMoveIn,
                GrowthMovePatch,
                filters.MoveFilter,
                growth.move_plan,
                growth.move_update,
                None,
                order="-move_on",
                prefetch_related=("units",),
            ),
        ),
    ]:
        register_crud(router, path, crud)
    _actions(router)


class GrowthMeetIn(Schema):
    record_id: int
    met_on: datetime.date
    evidence: Annotated[str, Field(min_length=1, max_length=2000)]


describe_fields(
    GrowthMeetIn,
    record_id="The member's milestone record (from `milestones`)",
    met_on="The day it was met (between joining and today)",
    evidence="What shows it: a contract, an invoice, a patent number",
)


class GrowthEndIn(Schema):
    action: Literal["graduate", "exit"]
    on: datetime.date
    reason: Annotated[str, Field(max_length=300)] = ""


describe_fields(
    GrowthEndIn,
    action="graduate (every required milestone met) or exit",
    on="The day (between joining and today)",
    reason="Why the company leaves (required to exit)",
)


class GrowthChooseIn(Schema):
    unit_ids: Annotated[list[int], Field(min_length=1, max_length=20)]
    rent_per_m2_day: Annotated[Decimal, DecimalIn(ge=0, max_digits=8, decimal_places=2)]
    term_months: Annotated[int, Field(ge=1, le=240)] = 36


describe_fields(
    GrowthChooseIn,
    unit_ids="Units of the target park",
    rent_per_m2_day="The new lease's rent, 元/m²/day",
    term_months="The new lease's term in months",
)


class GrowthMoveActionIn(Schema):
    action: Literal["agree", "complete", "cancel"]
    comment: Annotated[str, Field(max_length=2000)] = ""


describe_fields(
    GrowthMoveActionIn,
    action="agree (units and rent chosen), complete (the new lease signed and the old one "
    "ended, all or nothing) or cancel",
    comment="A comment for the history",
)


class GrowthStepOut(Schema):
    source: GrowthStage
    target: GrowthStage
    reached: int
    went_on: int
    median_days: float | None


class GrowthParkStagesOut(Schema):
    park_id: int
    park: str
    counts: dict[str, int]
    total: int


class GrowthCohortRowOut(Schema):
    cohort_id: int
    members: int
    active: int
    graduated: int
    exited: int
    graduation_rate: float | None
    median_days: float | None
    met: int
    missed: int


class GrowthFunnelOut(Schema):
    by_park: list[GrowthParkStagesOut]
    steps: list[GrowthStepOut]
    by_cohort: list[GrowthCohortRowOut]


describe_fields(
    GrowthStepOut,
    source="The stage reached",
    target="The next stage",
    reached="Companies that reached the first stage (by a recorded stage change)",
    went_on="Of them, those that reached the next",
    median_days="Median days between the two; null when none went on",
)
describe_fields(
    GrowthParkStagesOut,
    park_id="The park",
    park="Its name",
    counts="Companies with an active lease there, by growth stage",
    total="All of them",
)
describe_fields(
    GrowthCohortRowOut,
    cohort_id="The cohort",
    members="Companies that joined",
    active="Still in the program",
    graduated="Graduated",
    exited="Left without graduating",
    graduation_rate="Graduated over graduated and left; null while none has finished",
    median_days="Median days from joining to graduation",
    met="Milestones met",
    missed="Milestones due and not met",
)
describe_fields(
    GrowthFunnelOut,
    by_park="Per park",
    steps="Stage to stage",
    by_cohort="Per cohort",
)


def _actions(router: Router) -> None:
    @router.post(
        "/members/{id}/meet",
        response={200: GrowthMemberOut, **ERRORS},
        summary="Record a member's milestone as met, with the evidence",
        operation_id="program_member_meet",
        **scoped(ProgramMember, "change"),
    )
    def meet(request: HttpRequest, id: PathId, payload: GrowthMeetIn) -> Any:
        member = get_or_404(ProgramMember, request, "change", id)
        record = get_object_or_404(member.milestones, pk=payload.record_id)
        growth.milestone_meet(
            actor=request.user, record=record, met_on=payload.met_on, evidence=payload.evidence
        )
        return member

    @router.post(
        "/members/{id}/end",
        response={200: GrowthMemberOut, **ERRORS},
        summary="Graduate a member, or record that it left the program",
        operation_id="program_member_end",
        **scoped(ProgramMember, "change"),
    )
    def end(request: HttpRequest, id: PathId, payload: GrowthEndIn) -> Any:
        member = get_or_404(ProgramMember, request, "change", id)
        if payload.action == "graduate":
            growth.member_graduate(actor=request.user, member=member, on=payload.on)
        else:
            growth.member_exit(
                actor=request.user, member=member, on=payload.on, reason=payload.reason
            )
        member.refresh_from_db()
        return member

    @router.post(
        "/moves/{id}/units",
        response={200: GrowthMoveOut, **ERRORS},
        summary="Choose the units of the target park and the new lease's terms",
        operation_id="move_choose_units",
        **scoped(Move, "change"),
    )
    def choose(request: HttpRequest, id: PathId, payload: GrowthChooseIn) -> Any:
        from spaces.models import Unit

        move = get_or_404(Move, request, "change", id)
        units = list(Unit.objects.restrict(request.user).filter(pk__in=payload.unit_ids))
        if len(units) != len(set(payload.unit_ids)):
            missing = sorted(set(payload.unit_ids) - {u.pk for u in units})
            raise ValidationError(
                {"unit_ids": [_("No such unit: %(ids)s.") % {"ids": ", ".join(map(str, missing))}]}
            )
        return growth.move_choose(
            actor=request.user,
            move=move,
            units=units,
            rent_per_m2_day=payload.rent_per_m2_day,
            term_months=payload.term_months,
        )

    @router.post(
        "/moves/{id}/move",
        response={200: GrowthMoveOut, **ERRORS},
        summary="Agree a move, complete it (new lease signed, old one ended) or cancel it",
        operation_id="move_transition",
        **scoped(Move, "change"),
    )
    def move_action(request: HttpRequest, id: PathId, payload: GrowthMoveActionIn) -> Any:
        move = get_or_404(Move, request, "change", id)
        return growth.move_transition(
            actor=request.user, move=move, action=payload.action, comment=payload.comment
        )

    @router.get(
        "/funnel",
        response={200: GrowthFunnelOut, **ERRORS},
        summary="The growth funnel: stages per park, stage to stage, and per cohort",
        operation_id="growth_funnel",
        **scoped(ProgramMember, "view"),
    )
    def funnel_view(request: HttpRequest) -> Any:
        user = request.user
        return {
            "by_park": funnel.stages_by_park(user),
            "steps": [
                {
                    "source": s.source,
                    "target": s.target,
                    "reached": s.reached,
                    "went_on": s.went_on,
                    "median_days": s.median_days,
                }
                for s in funnel.stage_steps(user)
            ],
            "by_cohort": [
                {
                    "cohort_id": r["cohort"].pk,
                    "graduation_rate": r["rate"],
                    **{
                        k: r[k]
                        for k in (
                            "members",
                            "active",
                            "graduated",
                            "exited",
                            "median_days",
                            "met",
                            "missed",
                        )
                    },
                }
                for r in funnel.cohort_rows(user)
            ],
        }
