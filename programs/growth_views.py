"""Pages of the growth path: programs with their cohorts and milestones, a member's record
(milestones met with evidence, graduation or leaving), moves between parks (the space
search, the units chosen, the move made) and the growth funnel."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView

from core.dates import term_end
from core.forms import errors_as_text
from core.permissions import can
from core.tables import Column
from core.views import ObjectDetailView, ObjectListView, Tab, generic
from programs import filters, forms, funnel, growth
from programs.choices import MembershipState, MoveState
from programs.models import Cohort, Milestone, Move, Program, ProgramMember
from programs.views import RecordAction


def _staff(user: Any) -> bool:
    return user.role == "operator" or user.is_platform_admin


# programs, cohorts, milestones ------------------------------------------------------------
def _program_cohorts(request: HttpRequest, program: Program) -> dict[str, Any]:
    rows = funnel.cohort_rows(request.user, program=program)
    return {"rows": rows, "program": program, "may_add": can(request.user, "change", program)}


def _program_milestones(request: HttpRequest, program: Program) -> dict[str, Any]:
    return {
        "milestones": Milestone.objects.restrict(request.user).filter(program=program),
        "program": program,
        "may_add": can(request.user, "change", program),
    }


class ProgramDetail(ObjectDetailView):
    model = Program
    fields = forms.ProgramForm.Meta.fields
    tabs = [
        Tab(
            "cohorts",
            gettext_lazy("Cohorts"),
            "programs/partials/program_cohorts.html",
            context=_program_cohorts,
        ),
        Tab(
            "milestones",
            gettext_lazy("Milestones"),
            "programs/partials/program_milestones.html",
            context=_program_milestones,
        ),
    ]


ProgramList, _ProgramDetail, ProgramEdit, ProgramDelete = generic.record_pages(
    Program,
    form_class=forms.ProgramForm,
    filterset=filters.ProgramFilter,
    columns=[
        Column("name", link=True),
        Column("park"),
        Column("kind"),
        Column("stage"),
        Column("graduate_stage"),
        Column("next_park"),
    ],
    fields=forms.ProgramForm.Meta.fields,
    create=growth.program_create,
    update=growth.program_update,
    delete=growth.program_delete,
    default_order="name",
    select_related=("park", "next_park"),
)


def _cohort_members(request: HttpRequest, cohort: Cohort) -> dict[str, Any]:
    today = timezone.localdate()
    members = (
        ProgramMember.objects.restrict(request.user)
        .filter(cohort=cohort)
        .select_related("enterprise")
        .prefetch_related("milestones__milestone")
        .order_by("enterprise__name")
    )
    rows = []
    for m in members:
        marks = [(r, r.status(today)) for r in m.milestones.all()]
        rows.append({"member": m, "marks": marks})
    taken = sum(1 for r in rows if r["member"].state != MembershipState.EXITED)
    return {
        "rows": rows,
        "cohort": cohort,
        "places_left": max(cohort.capacity - taken, 0),
        "may_add": can(request.user, "change", cohort),
    }


class CohortDetail(ObjectDetailView):
    model = Cohort
    fields = forms.CohortForm.Meta.fields
    default_tab = "members"
    tabs = [
        Tab(
            "members",
            gettext_lazy("Members"),
            "programs/partials/cohort_members.html",
            context=_cohort_members,
        )
    ]


class CohortEdit(generic.PrefilledEditView):
    model = Cohort
    prefill = ("program",)
    form_class = forms.CohortForm
    create = growth.cohort_create
    update = growth.cohort_update


CohortList, _CohortDetail, _CohortEdit, CohortDelete = generic.record_pages(
    Cohort,
    form_class=forms.CohortForm,
    filterset=filters.CohortFilter,
    columns=[
        Column("name", link=True),
        Column("program"),
        Column("starts_on", sortable=True),
        Column("ends_on"),
        Column("capacity", numeric=True),
    ],
    fields=forms.CohortForm.Meta.fields,
    create=growth.cohort_create,
    update=growth.cohort_update,
    delete=growth.cohort_delete,
    default_order="-starts_on",
    select_related=("program",),
)


class MilestoneEdit(generic.PrefilledEditView):
    model = Milestone
    prefill = ("program",)
    form_class = forms.MilestoneForm
    create = growth.milestone_create
    update = growth.milestone_update


MilestoneList, MilestoneDetail, _MilestoneEdit, MilestoneDelete = generic.record_pages(
    Milestone,
    form_class=forms.MilestoneForm,
    filterset=filters.MilestoneFilter,
    columns=[
        Column("name", link=True),
        Column("program"),
        Column("kind"),
        Column("due_months", numeric=True),
        Column("required"),
    ],
    fields=forms.MilestoneForm.Meta.fields,
    create=growth.milestone_create,
    update=growth.milestone_update,
    delete=growth.milestone_delete,
    default_order="program",
    select_related=("program",),
)


# members ------------------------------------------------------------------------------
class MemberList(ObjectListView):
    model = ProgramMember
    filterset_class = filters.MemberFilter
    default_order = "-joined_on"
    select_related = ("enterprise", "cohort__program")
    columns = [
        Column("enterprise", link=True),
        Column("cohort"),
        Column("joined_on", sortable=True),
        Column("state"),
        Column("ended_on"),
    ]


class MemberDetail(ObjectDetailView):
    model = ProgramMember
    template_name = "programs/member_detail.html"
    fields = ["enterprise", "cohort", "joined_on", "state", "ended_on", "exit_reason"]

    def extra_context(self, request: HttpRequest, obj: ProgramMember) -> dict[str, Any]:
        from leasing.models import Lease

        today = timezone.localdate()
        records = obj.milestones.select_related("milestone", "recorded_by").order_by("due_on")
        open_ = obj.state == MembershipState.ACTIVE and can(request.user, "change", obj)
        program = obj.cohort.program
        lease = (
            Lease.objects.restrict(request.user)
            .filter(enterprise=obj.enterprise, state="active")
            .order_by("-start_on")
            .first()
        )
        may_move = (
            obj.state == MembershipState.GRADUATED
            and lease is not None
            and Move.policy.allows_role(request.user, "add")
        )
        return {
            "records": [(r, r.status(today)) for r in records],
            "may_act": open_,
            "gaps": growth.graduation_gaps(obj) if open_ else [],
            "today": today,
            "move_url": f"{reverse('programs:move_add')}?membership={obj.pk}"
            f"&from_lease={lease.pk}&to_park={program.next_park_id or ''}"
            if may_move and lease is not None
            else "",
            "can_change": False,
            "can_delete": False,
            "breadcrumbs": [
                (gettext_lazy("Program members"), reverse("programs:programmember_list")),
                (obj.cohort, reverse("programs:cohort_detail", args=[obj.cohort_id])),
                (obj.enterprise, None),
            ],
        }


class MemberAdd(generic.PrefilledEditView):
    model = ProgramMember
    prefill = ("cohort", "enterprise")
    form_class = forms.MemberForm
    create = growth.member_join
    update = growth.member_update


class MeetView(RecordAction):
    model = ProgramMember

    def perform(self, request: HttpRequest, row: ProgramMember) -> None:
        record = get_object_or_404(row.milestones, pk=request.POST.get("record") or 0)
        form = forms.MeetForm(request.POST)
        if not form.is_valid():
            messages.error(request, errors_as_text(form))
            return
        growth.milestone_meet(actor=request.user, record=record, **form.cleaned_data)
        messages.success(request, _("Milestone recorded as met."))


class EndView(RecordAction):
    """Graduate, or leave with a reason."""

    model = ProgramMember

    def perform(self, request: HttpRequest, row: ProgramMember) -> None:
        form = forms.EndForm(request.POST)
        if not form.is_valid():
            messages.error(request, errors_as_text(form))
            return
        on = form.cleaned_data["on"]
        if request.POST.get("action") == "graduate":
            growth.member_graduate(actor=request.user, member=row, on=on)
            messages.success(request, _("Graduated: the company's growth stage follows."))
        else:
            growth.member_exit(
                actor=request.user, member=row, on=on, reason=form.cleaned_data["reason"]
            )
            messages.success(request, _("The company has left the program."))


# moves between parks ------------------------------------------------------------------
class MoveList(ObjectListView):
    model = Move
    filterset_class = filters.MoveFilter
    default_order = "-move_on"
    select_related = ("enterprise", "to_park", "from_lease__park")
    columns = [
        Column("enterprise", link=True),
        Column("from_lease"),
        Column("to_park"),
        Column("move_on", sortable=True),
        Column("state"),
    ]


class MoveDetail(ObjectDetailView):
    model = Move
    template_name = "programs/move_detail.html"
    fields = [
        "enterprise",
        "from_lease",
        "to_park",
        "move_on",
        "area_min_m2",
        "area_max_m2",
        "clear_height_min_m",
        "rent_per_m2_day",
        "term_months",
        "new_lease",
        "notes",
    ]

    def extra_context(self, request: HttpRequest, obj: Move) -> dict[str, Any]:
        from spaces.selectors import Requirements, units_matching

        planned = obj.state == MoveState.PLANNED and can(request.user, "change", obj)
        matches = []
        if planned:
            needs = Requirements(
                area_range=(obj.area_min_m2, obj.area_max_m2),
                day=obj.move_on,
                operator_id=obj.to_park.operator_id,
                preferred_park_id=obj.to_park_id,
                clear_height_min_m=obj.clear_height_min_m,
            )
            matches = [
                m for m in units_matching(request.user, needs) if m.park.pk == obj.to_park_id
            ]
        chosen = list(obj.units.order_by("code"))
        return {
            "transitions": growth.move_moves(request.user, obj),
            "matches": matches,
            "planned": planned,
            "chosen": chosen,
            "term_end": term_end(obj.move_on, obj.term_months),
            "can_change": planned,
            "can_delete": False,
            "breadcrumbs": [
                (gettext_lazy("Moves between parks"), reverse("programs:move_list")),
                (obj, None),
            ],
        }


class MoveEdit(generic.PrefilledEditView):
    model = Move
    prefill = ("enterprise", "membership", "from_lease", "to_park")
    form_class = forms.MoveForm
    create = growth.move_plan
    update = growth.move_update

    def prefilled(self, instance: Any, name: str, row: Any) -> None:
        """A graduation's move starts from its company, the company's lease and the area it
        rents now."""
        setattr(instance, name, row)
        if name == "membership":
            instance.enterprise = row.enterprise
            if instance.to_park_id is None:
                instance.to_park_id = row.cohort.program.next_park_id
        if name == "from_lease":
            instance.enterprise = row.enterprise
            area = sum((s.area_m2 for s in row.lease_units.all()), start=0)
            if area:
                instance.area_min_m2, instance.area_max_m2 = area, area * 2
            if instance.move_on is None:  # a month on, within the lease
                instance.move_on = min(
                    timezone.localdate() + datetime.timedelta(days=30), row.end_on
                )


class MoveChoose(RecordAction):
    model = Move

    def perform(self, request: HttpRequest, row: Move) -> None:
        from spaces.models import Unit

        form = forms.ChooseUnitsForm(request.POST)
        if not form.is_valid():
            messages.error(request, errors_as_text(form))
            return
        ids = form.cleaned_data["units"]
        units = list(Unit.objects.restrict(request.user).filter(pk__in=ids))
        if len(units) != len(ids):
            messages.error(request, _("Choose units from the matches shown."))
            return
        growth.move_choose(
            actor=request.user,
            move=row,
            units=units,
            rent_per_m2_day=form.cleaned_data["rent_per_m2_day"],
            term_months=form.cleaned_data["term_months"],
        )
        messages.success(request, _("Units chosen; agree the move when the company has."))


class MoveAction(RecordAction):
    model = Move

    def perform(self, request: HttpRequest, row: Move) -> None:
        action = request.POST.get("action", "")
        growth.move_transition(
            actor=request.user,
            move=row,
            action=action,
            comment=request.POST.get("comment", "")[:2000],
        )
        row.refresh_from_db()
        if row.state == MoveState.COMPLETED:
            messages.success(request, _("Moved: the new lease runs and the old one has ended."))
        else:
            messages.success(
                request, _("Done: the move is now %(state)s.") % {"state": row.get_state_display()}
            )


# the growth funnel ----------------------------------------------------------------------
class FunnelView(LoginRequiredMixin, TemplateView):
    """成长漏斗: companies at each stage per park, conversion and time between stages, and
    each cohort's outcome, from the records the reader may see."""

    template_name = "programs/funnel.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        from enterprises.choices import GrowthStage

        user = self.request.user
        return {
            **super().get_context_data(**kwargs),
            "stages": GrowthStage.labels,
            "parks": funnel.stages_by_park(user),
            "steps": funnel.stage_steps(user),
            "cohorts": funnel.cohort_rows(user),
        }


def enterprise_path(request: HttpRequest, enterprise: Any) -> dict[str, Any]:
    return {"events": funnel.path_of(request.user, enterprise)}
