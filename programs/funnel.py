"""Reads of the growth path: the growth funnel (companies at each stage per park, conversion
and median time between stages, cohort by cohort) and one company's whole path on a
timeline. Each figure is counted from the records the reader may see."""

from __future__ import annotations

import datetime
import itertools
import statistics
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from enterprises.choices import GrowthStage
from programs.choices import MembershipState, MoveState
from programs.models import Cohort, MilestoneRecord, Move, ProgramMember, StageChange

__all__ = ["Event", "cohort_rows", "path_of", "stage_steps", "stages_by_park"]

STAGES = list(GrowthStage)


def stages_by_park(user: Any) -> list[dict[str, Any]]:
    """Per park, the companies there at each growth stage today: those with an active lease
    in the park and those in one of its programs (an incubatee may rent elsewhere). Two
    queries."""
    from leasing.choices import LeaseState
    from leasing.models import Lease

    leases = (
        Lease.objects.restrict(user)
        .filter(state=LeaseState.ACTIVE)
        .values_list("park_id", "park__code", "park__name", "enterprise_id", "enterprise__stage")
    )
    members = (
        ProgramMember.objects.restrict(user)
        .filter(state=MembershipState.ACTIVE)
        .values_list(
            "cohort__program__park_id",
            "cohort__program__park__code",
            "cohort__program__park__name",
            "enterprise_id",
            "enterprise__stage",
        )
    )
    parks: dict[str, dict[str, Any]] = {}
    seen: set[tuple[int, int]] = set()
    for park_id, code, name, company, stage in [*leases, *members]:
        if (park_id, company) in seen:
            continue
        seen.add((park_id, company))
        park = parks.setdefault(
            code,
            {
                "park_id": park_id,
                "park": name,
                "counts": dict.fromkeys(GrowthStage.values, 0),
                "total": 0,
            },
        )
        park["counts"][stage] += 1
        park["total"] += 1
    rows = [parks[code] for code in sorted(parks)]
    for park in rows:
        park["cells"] = [park["counts"][s] for s in GrowthStage.values]
    return rows


@dataclass
class Step:
    """From one stage to the next: how many reached the first, how many of them went on,
    and the median days it took."""

    source: str
    target: str
    reached: int
    went_on: int
    median_days: float | None

    @property
    def source_label(self) -> str:
        return str(GrowthStage(self.source).label)

    @property
    def target_label(self) -> str:
        return str(GrowthStage(self.target).label)

    @property
    def rate(self) -> float | None:
        return self.went_on / self.reached if self.reached else None


def stage_steps(user: Any) -> list[Step]:
    """Conversion between adjacent stages from the dated stage changes (one query): a company
    reached a stage on the day it moved into it."""
    reached: dict[str, dict[int, datetime.date]] = {s: {} for s in GrowthStage.values}
    for company, stage, on in StageChange.objects.restrict(user).values_list(
        "enterprise_id", "to_stage", "on"
    ):
        reached[stage].setdefault(company, on)  # ordered by day: the first time counts
    steps = []
    for source, target in itertools.pairwise(STAGES):
        before, after = reached[source.value], reached[target.value]
        days = [(after[c] - on).days for c, on in before.items() if c in after and after[c] >= on]
        steps.append(
            Step(
                source.value,
                target.value,
                len(before),
                len(days),
                statistics.median(days) if days else None,
            )
        )
    return steps


def cohort_rows(user: Any, program: Any = None) -> list[dict[str, Any]]:
    """Per cohort (of one program, or of every program the user sees): members by state,
    graduation rate, median days to graduate, milestones met and missed (three queries)."""
    today = timezone.localdate()
    of = (lambda path: Q()) if program is None else (lambda path: Q(**{path: program}))
    cohorts = (
        Cohort.objects.restrict(user)
        .filter(of("program"))
        .select_related("program__park")
        .annotate(
            active=Count("members", filter=Q(members__state=MembershipState.ACTIVE)),
            graduated=Count("members", filter=Q(members__state=MembershipState.GRADUATED)),
            exited=Count("members", filter=Q(members__state=MembershipState.EXITED)),
        )
        .order_by("program__park__code", "-starts_on")
    )
    durations: dict[int, list[int]] = {}
    for cohort_id, joined, ended in (
        ProgramMember.objects.restrict(user)
        .filter(of("cohort__program"), state=MembershipState.GRADUATED)
        .values_list("cohort_id", "joined_on", "ended_on")
    ):
        durations.setdefault(cohort_id, []).append((ended - joined).days)
    marks: dict[int, dict[str, int]] = {}
    records = (
        MilestoneRecord.objects.restrict(user)
        .filter(of("membership__cohort__program"))
        .values_list("membership__cohort_id", "due_on", "met_on")
    )
    for cohort_id, due, met in records:
        tally = marks.setdefault(cohort_id, {"met": 0, "missed": 0})
        if met is not None:
            tally["met"] += 1
        elif due < today:
            tally["missed"] += 1
    rows = []
    for c in cohorts:
        members = c.active + c.graduated + c.exited
        days = durations.get(c.pk, [])
        rows.append(
            {
                "cohort": c,
                "members": members,
                "active": c.active,
                "graduated": c.graduated,
                "exited": c.exited,
                "rate": c.graduated / (c.graduated + c.exited) if c.graduated + c.exited else None,
                "median_days": statistics.median(days) if days else None,
                **marks.get(c.pk, {"met": 0, "missed": 0}),
            }
        )
    return rows


@dataclass
class Event:
    on: datetime.date
    kind: str  # lease, program, milestone, stage, move: the timeline's colour
    title: str
    detail: str = ""
    url: str = ""


def path_of(user: Any, enterprise: Any) -> list[Event]:
    """The company's whole path, oldest first: leases in each park, programs joined and left,
    milestones met, stage changes and moves (five queries)."""
    from leasing.models import Lease

    events: list[Event] = []
    for lease in (
        Lease.objects.restrict(user)
        .filter(enterprise=enterprise)
        .exclude(state="draft")
        .select_related("park")
    ):
        url = reverse("leasing:lease_detail", args=[lease.pk])
        events.append(
            Event(
                lease.start_on,
                "lease",
                _("Lease starts in %(park)s") % {"park": lease.park.name},
                lease.contract_no,
                url,
            )
        )
        ended = lease.terminated_on
        if ended is not None:
            events.append(
                Event(
                    ended,
                    "lease",
                    _("Lease ended early in %(park)s") % {"park": lease.park.name},
                    lease.termination_reason,
                    url,
                )
            )
    members = ProgramMember.objects.restrict(user).filter(enterprise=enterprise)
    for m in members.select_related("cohort__program"):
        url = reverse("programs:programmember_detail", args=[m.pk])
        events.append(
            Event(m.joined_on, "program", _("Joined %(cohort)s") % {"cohort": m.cohort}, "", url)
        )
        if m.ended_on is not None:
            title = (
                _("Graduated from %(program)s")
                if m.state == MembershipState.GRADUATED
                else _("Left %(program)s")
            ) % {"program": m.cohort.program}
            events.append(Event(m.ended_on, "program", title, m.exit_reason, url))
    met = MilestoneRecord.objects.restrict(user).filter(
        membership__enterprise=enterprise, met_on__isnull=False
    )
    for r in met.select_related("milestone"):
        events.append(
            Event(
                r.met_on,
                "milestone",
                _("Milestone met: %(name)s") % {"name": r.milestone.name},
                r.evidence,
            )
        )
    for s in StageChange.objects.restrict(user).filter(enterprise=enterprise):
        words = {"from": s.get_from_stage_display(), "to": s.get_to_stage_display()}
        title = (
            _("Growth stage: %(from)s → %(to)s") % words
            if s.from_stage != s.to_stage
            else _("Growth stage confirmed: %(to)s") % words
        )
        events.append(Event(s.on, "stage", title))
    moves = Move.objects.restrict(user).filter(enterprise=enterprise, state=MoveState.COMPLETED)
    for mv in moves.select_related("to_park"):
        url = reverse("programs:move_detail", args=[mv.pk])
        events.append(
            Event(mv.move_on, "move", _("Moved to %(park)s") % {"park": mv.to_park.name}, "", url)
        )
    order = {"lease": 3, "move": 2, "program": 1, "milestone": 4, "stage": 5}
    return sorted(events, key=lambda e: (e.on, order[e.kind]))
