"""The growth path's writes: programs and cohorts, companies joining them, milestones met
with evidence, graduation (checked against the required milestones) or leaving with a
reason, the company's growth stage following each, and moves to the next park — the new
lease signed and the old one ended in one transaction."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from core.choices import Role
from core.dates import add_months, term_end
from core.errors import ConflictError
from core.notifications import notify
from core.permissions import require
from core.services import create_record, delete_record, update_record
from core.workflow import Transition, Workflow
from enterprises.models import Enterprise
from enterprises.selectors import users_of
from programs.choices import MOVE_TRANSITIONS, MembershipState, MoveState
from programs.models import (
    Cohort,
    Milestone,
    MilestoneRecord,
    Move,
    Program,
    ProgramMember,
    StageChange,
)

__all__ = [
    "cohort_create",
    "cohort_delete",
    "cohort_update",
    "graduation_gaps",
    "member_exit",
    "member_graduate",
    "member_join",
    "milestone_create",
    "milestone_delete",
    "milestone_meet",
    "milestone_update",
    "move_choose",
    "move_complete",
    "move_moves",
    "move_plan",
    "move_transition",
    "program_create",
    "program_delete",
    "program_update",
]

MOVE_FLOW = Workflow("state", MOVE_TRANSITIONS)


def _staff_only(actor: Any) -> None:
    if actor.role != Role.OPERATOR and not actor.is_platform_admin:
        raise ConflictError(_("The park's staff run programs and moves."))


# programs, cohorts and milestones: plain records of the operator's offer ------------------
def program_create(*, actor: Any, instance: Program, **kw: Any) -> Program:
    return create_record(actor=actor, instance=instance, **kw)


def program_update(*, actor: Any, instance: Program, data: dict[str, Any]) -> Program:
    return update_record(actor=actor, instance=instance, data=data)


def program_delete(*, actor: Any, instance: Program) -> None:
    delete_record(actor=actor, instance=instance)


def cohort_create(*, actor: Any, instance: Cohort, **kw: Any) -> Cohort:
    return create_record(actor=actor, instance=instance, **kw)


def cohort_update(*, actor: Any, instance: Cohort, data: dict[str, Any]) -> Cohort:
    taken = instance.members.exclude(state=MembershipState.EXITED).count()
    if "capacity" in data and data["capacity"] is not None and data["capacity"] < taken:
        raise ConflictError(
            _("%(n)d companies are in this cohort; the capacity cannot be lower.") % {"n": taken}
        )
    return update_record(actor=actor, instance=instance, data=data)


def cohort_delete(*, actor: Any, instance: Cohort) -> None:
    delete_record(actor=actor, instance=instance)


def milestone_create(*, actor: Any, instance: Milestone, **kw: Any) -> Milestone:
    return create_record(actor=actor, instance=instance, **kw)


def milestone_update(*, actor: Any, instance: Milestone, data: dict[str, Any]) -> Milestone:
    return update_record(actor=actor, instance=instance, data=data)


def milestone_delete(*, actor: Any, instance: Milestone) -> None:
    delete_record(actor=actor, instance=instance)


# members ------------------------------------------------------------------------------
def _set_stage(
    actor: Any, enterprise: Enterprise, stage: str, on: datetime.date, member: ProgramMember
) -> None:
    """The company's growth stage follows the program, dated for the funnel: a company that
    joins at the stage it is already at is recorded too (from and to the same), so the
    funnel knows when it reached that stage."""
    StageChange.objects.create(
        enterprise=enterprise, from_stage=enterprise.stage, to_stage=stage, on=on, membership=member
    )
    if enterprise.stage != stage:
        update_record(actor=actor, instance=enterprise, data={"stage": stage})


@transaction.atomic
def member_join(*, actor: Any, instance: ProgramMember, **_kw: Any) -> ProgramMember:
    """A company joins a cohort: within its capacity and dates, one program at a time; its
    milestones are laid out from the day it joins."""
    _staff_only(actor)
    cohort = Cohort.objects.select_for_update().select_related("program").get(pk=instance.cohort_id)
    require(actor, "view", cohort)
    if not instance.joined_on:
        raise ConflictError(_("Enter the day the company joined."))
    if not cohort.starts_on <= instance.joined_on <= cohort.ends_on:
        raise ConflictError(
            _("A company joins this cohort between %(start)s and %(end)s.")
            % {"start": cohort.starts_on.isoformat(), "end": cohort.ends_on.isoformat()}
        )
    taken = cohort.members.exclude(state=MembershipState.EXITED).count()
    if taken >= cohort.capacity:
        raise ConflictError(
            _("The cohort is full (%(n)d of %(n)d places).") % {"n": cohort.capacity}
        )
    elsewhere = ProgramMember.objects.filter(
        enterprise=instance.enterprise_id, state=MembershipState.ACTIVE
    ).select_related("cohort")
    if elsewhere.exists():
        raise ConflictError(
            _("The company is in %(cohort)s; it graduates or leaves before it joins another.")
            % {"cohort": elsewhere[0].cohort}
        )
    instance.state, instance.ended_on, instance.exit_reason = MembershipState.ACTIVE, None, ""
    member = create_record(actor=actor, instance=instance)
    MilestoneRecord.objects.bulk_create(
        MilestoneRecord(
            membership=member, milestone=m, due_on=add_months(member.joined_on, m.due_months)
        )
        for m in cohort.program.milestones.all()
    )
    _set_stage(actor, member.enterprise, cohort.program.stage, member.joined_on, member)
    return member


def member_update(*, actor: Any, instance: ProgramMember, data: dict[str, Any]) -> ProgramMember:
    raise ConflictError(_("A membership changes by its actions: milestones, graduation, leaving."))


def _open(member: ProgramMember) -> None:
    if member.state != MembershipState.ACTIVE:
        raise ConflictError(
            _("The company is no longer in the program (%(state)s).")
            % {"state": member.get_state_display()}
        )


@transaction.atomic
def milestone_meet(
    *, actor: Any, record: MilestoneRecord, met_on: datetime.date, evidence: str
) -> MilestoneRecord:
    """Record a milestone as met on a day, with the evidence (a contract, a patent number)."""
    _staff_only(actor)
    record = (
        MilestoneRecord.objects.select_for_update().select_related("membership").get(pk=record.pk)
    )
    require(actor, "change", record)
    _open(record.membership)
    evidence = evidence.strip()
    if not evidence:
        raise ConflictError(
            _("Say what shows it (a contract, an invoice, a patent number)."),
            code="reason_required",
        )
    if not record.membership.joined_on <= met_on <= timezone.localdate():
        raise ConflictError(
            _("The day it was met falls between joining (%(joined)s) and today.")
            % {"joined": record.membership.joined_on.isoformat()}
        )
    data = {"met_on": met_on, "evidence": evidence, "recorded_by": actor}
    return update_record(actor=actor, instance=record, data=data)


def graduation_gaps(member: ProgramMember) -> list[str]:
    """The required milestones not met yet, by name: empty when the company may graduate."""
    return [
        r.milestone.name
        for r in member.milestones.select_related("milestone").order_by("due_on")
        if r.milestone.required and r.met_on is None
    ]


def _end(actor: Any, member: ProgramMember, on: datetime.date, state: str, reason: str) -> None:
    if not member.joined_on <= on <= timezone.localdate():
        raise ConflictError(
            _("The day falls between joining (%(joined)s) and today.")
            % {"joined": member.joined_on.isoformat()}
        )
    data = {"state": state, "ended_on": on, "exit_reason": reason}
    update_record(actor=actor, instance=member, data=data)


@transaction.atomic
def member_graduate(*, actor: Any, member: ProgramMember, on: datetime.date) -> ProgramMember:
    """Graduate once every required milestone is met; the company reaches the program's
    graduation stage."""
    _staff_only(actor)
    member = ProgramMember.objects.select_for_update().get(pk=member.pk)
    require(actor, "change", member)
    _open(member)
    gaps = graduation_gaps(member)
    if gaps:
        raise ConflictError(
            _("Not yet: these required milestones are not met: %(gaps)s.")
            % {"gaps": "、".join(gaps)}
        )
    _end(actor, member, on, MembershipState.GRADUATED, "")
    program = member.cohort.program
    _set_stage(actor, member.enterprise, program.graduate_stage, on, member)
    return member


@transaction.atomic
def member_exit(
    *, actor: Any, member: ProgramMember, on: datetime.date, reason: str
) -> ProgramMember:
    """Leave the program without graduating, with the reason (the funnel counts it)."""
    _staff_only(actor)
    member = ProgramMember.objects.select_for_update().get(pk=member.pk)
    require(actor, "change", member)
    _open(member)
    if not reason.strip():
        raise ConflictError(_("Say why the company leaves the program."), code="reason_required")
    _end(actor, member, on, MembershipState.EXITED, reason.strip()[:300])
    return member


# moves between parks ------------------------------------------------------------------
def move_plan(*, actor: Any, instance: Move, **_kw: Any) -> Move:
    """Plan a move out of an active lease to another park of the same operator."""
    from leasing.choices import LeaseState

    _staff_only(actor)
    lease = instance.from_lease
    require(actor, "view", lease)
    if lease.state != LeaseState.ACTIVE:
        raise ConflictError(_("A move starts from the company's active lease."))
    if lease.enterprise_id != instance.enterprise_id:
        raise ConflictError(_("The lease is another company's."))
    if instance.to_park_id == lease.park_id:
        raise ConflictError(_("A move goes to another park; this is the lease's own park."))
    if instance.to_park.operator_id != lease.park.operator_id:
        raise ConflictError(_("A move stays within the operator's parks."))
    _move_day_in_term(instance)
    instance.state = MoveState.PLANNED
    move = create_record(actor=actor, instance=instance)
    _tell_company(move, gettext_noop("A move to %(park)s is planned for you."))
    return move


def move_update(*, actor: Any, instance: Move, data: dict[str, Any]) -> Move:
    if instance.state != MoveState.PLANNED:
        raise ConflictError(_("An agreed move is not changed; cancel it and plan again."))
    move = update_record(actor=actor, instance=instance, data=data)
    _move_day_in_term(move)
    return move


def _move_day_in_term(move: Move) -> None:
    lease = move.from_lease
    if not lease.start_on < move.move_on <= lease.end_on:
        raise ConflictError(
            _("The move day falls after the current lease starts and by its end (%(end)s).")
            % {"end": lease.end_on.isoformat()}
        )


def _tell_company(move: Move, message: str) -> None:
    notify(
        users_of(move.enterprise_id),
        message,
        about=move,
        params={"park": move.to_park.name},
        url=reverse("programs:move_detail", args=[move.pk]),
    )


@transaction.atomic
def move_choose(
    *, actor: Any, move: Move, units: list[Any], rent_per_m2_day: Any, term_months: int
) -> Move:
    """The units (of the target park, from the matches or picked) and the new lease's terms."""
    if move.state != MoveState.PLANNED:
        raise ConflictError(_("Units are chosen while the move is planned."))
    if not units:
        raise ConflictError(_("Choose at least one unit."))
    others = sorted({u.code for u in units if u.park_id != move.to_park_id})
    if others:
        raise ConflictError(
            _("Units %(units)s are not in %(park)s.")
            % {"units": "、".join(others), "park": move.to_park.name}
        )
    data = {"units": units, "rent_per_m2_day": rent_per_m2_day, "term_months": term_months}
    return update_record(actor=actor, instance=move, data=data)


def move_moves(user: Any, move: Move) -> list[Transition]:
    return MOVE_FLOW.allowed(user, move)


@transaction.atomic
def move_transition(*, actor: Any, move: Move, action: str, comment: str = "") -> Move:
    """Agree (units and rent chosen) or cancel; completing goes through move_complete."""
    if action == "complete":
        return move_complete(actor=actor, move=move)

    def guard(row: Move, t: Transition) -> None:
        if t.action == "agree" and (not row.units.exists() or row.rent_per_m2_day is None):
            raise ConflictError(_("Choose the units and the rent before agreeing the move."))

    row, _t, _before = MOVE_FLOW.move(
        actor=actor, row=move, action=action, comment=comment, guard=guard
    )
    return row


@transaction.atomic
def move_complete(*, actor: Any, move: Move) -> Move:
    """The move itself, all or nothing: a lease of the chosen units in the new park from the
    move day (activated, so its first bill is issued), and the old lease ended that day."""
    from leasing.models import Lease
    from leasing.services import lease_create, lease_terminate, lease_transition

    row, _t, _before = MOVE_FLOW.move(actor=actor, row=move, action="complete")
    old = Lease.objects.select_for_update().get(pk=row.from_lease_id)
    _move_day_in_term(row)
    new = lease_create(
        actor=actor,
        units=list(row.units.order_by("code")),
        lease=Lease(
            contract_no=f"{row.to_park.code}-{row.move_on:%Y%m%d}-M{row.pk:05d}",
            enterprise=row.enterprise,
            park=row.to_park,
            start_on=row.move_on,
            end_on=term_end(row.move_on, row.term_months),
            signed_on=timezone.localdate(),
            rent_per_m2_day=row.rent_per_m2_day,
            notes=_("Moved from %(park)s (lease %(lease)s).")
            % {"park": old.park.name, "lease": old.contract_no},
        ),
    )
    lease_transition(actor=actor, lease=new, action="activate", comment=str(row))
    lease_terminate(
        actor=actor,
        lease=old,
        on=row.move_on,
        reason=_("Moved to %(park)s (lease %(lease)s).")
        % {"park": row.to_park.name, "lease": new.contract_no},
    )
    update_record(actor=actor, instance=row, data={"new_lease": new})
    _tell_company(row, gettext_noop("Your move to %(park)s is complete; the new lease runs."))
    return row
