"""Pages of the service desk: the catalogue, the request queue (with SLA flags) and the
request page with its messages, moves, assignment and rating."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.errors import ConflictError
from core.forms import errors_as_text
from core.permissions import can, get_restricted_or_404
from core.tables import Column
from core.views import ObjectDetailView, ObjectEditView, ObjectListView, Tab, generic
from core.views.generic import ScopedView, _attach_errors
from programs import filters, forms, services
from programs.choices import BookingState, RequestState
from programs.models import (
    Booking,
    Equipment,
    PolicyApplication,
    Proposal,
    RequestMessage,
    Scenario,
    ServiceKind,
    ServiceRequest,
    SupportPolicy,
)
from programs.policies import matches_for_policy
from programs.scenario_match import CompanyIndex
from programs.selectors import with_breach


def _due(row: ServiceRequest) -> Any:
    """The due day, red when past the SLA, with a mark when the holidays are not known yet."""
    day = row.due_on.isoformat() + ("*" if row.due_provisional else "")
    if getattr(row, "is_breached", False):
        return format_html('<span class="tag tag-red">{} · {}</span>', day, _("past the SLA"))
    if row.state == RequestState.WAITING:
        return format_html('{} <span class="tag">{}</span>', day, _("paused"))
    return day


KindList, KindDetail, KindEdit, KindDelete = generic.record_pages(
    ServiceKind,
    form_class=forms.KindForm,
    filterset=filters.KindFilter,
    columns=[
        Column("name", link=True),
        Column("category"),
        Column("sla_days", numeric=True),
        Column("manager"),
        Column("is_active"),
    ],
    fields=forms.KindForm.Meta.fields,
    create=services.kind_create,
    update=services.kind_update,
    delete=services.kind_delete,
    default_order="category",
)


class RequestList(ObjectListView):
    model = ServiceRequest
    filterset_class = filters.RequestFilter
    default_order = "due_on"
    select_related = ("kind", "enterprise", "park", "assignee")
    columns = [
        Column("subject", link=True),
        Column("enterprise"),
        Column("kind"),
        Column("state"),
        Column("assignee"),
        Column("due_on", sortable=True, render=_due),
        Column("created_at", sortable=True),
    ]

    def get_queryset(self, request: HttpRequest) -> Any:
        return with_breach(super().get_queryset(request), timezone.localdate())


class RequestDetail(ObjectDetailView):
    model = ServiceRequest
    template_name = "programs/request_detail.html"
    fields = [
        "enterprise",
        "park",
        "kind",
        "state",
        "opened_by",
        "assignee",
        "due_on",
        "paused_days",
        "resolved_on",
        "resolution",
        "rating",
        "rating_comment",
        "description",
    ]

    def extra_context(self, request: HttpRequest, obj: ServiceRequest) -> dict[str, Any]:
        user: Any = request.user
        today = timezone.localdate()
        staff = can(user, "change", obj) and user.role != "tenant"
        notes = RequestMessage.objects.restrict(user).filter(request=obj).select_related("author")
        return {
            "transitions": services.allowed_transitions(user, obj),
            "thread": notes,
            "message_form": forms.MessageForm(staff=staff)
            if obj.state not in (RequestState.CLOSED, RequestState.CANCELLED)
            else None,
            "staff": staff,
            "assign_form": forms.AssignForm(
                park_id=obj.park_id, initial={"assignee": obj.assignee_id}
            )
            if staff
            else None,
            "rate_form": forms.RateForm()
            if obj.state in (RequestState.RESOLVED, RequestState.CLOSED)
            and obj.rating is None
            and services.is_company_side(user, obj)
            else None,
            "breached": obj.breached(today),
            "can_change": services.may_edit(user, obj),
            "can_delete": False,
            "breadcrumbs": [
                (gettext_lazy("Service requests"), reverse("programs:servicerequest_list")),
                (obj, None),
            ],
        }


class RequestEdit(ObjectEditView):
    model = ServiceRequest
    form_class = forms.RequestForm
    create = services.request_open
    update = services.request_update


class RecordAction(ScopedView):
    """A POST endpoint of a record's page: find the row in the user's scope, call the app's
    service, and come back to the page, a refusal shown as a message on it."""

    action = "change"
    lookup = "change"  # the action the row itself must allow

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        row = get_restricted_or_404(self.model, request.user, self.lookup, pk=pk)
        try:
            self.perform(request, row)
        except ConflictError as exc:
            messages.error(request, exc.message)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        return redirect(reverse(f"programs:{self.model._meta.model_name}_detail", args=[pk]))

    def perform(self, request: HttpRequest, row: Any) -> None:
        raise NotImplementedError


def _decimal(request: HttpRequest, name: str) -> Decimal | None:
    """A decimal from the form, or None when it is empty or not a number."""
    raw = (request.POST.get(name) or "").strip()
    try:
        return Decimal(raw) if raw else None
    except ArithmeticError:
        return None


class RequestAction(RecordAction):
    model = ServiceRequest
    action = "view"
    lookup = "view"


class TransitionView(RequestAction):
    def perform(self, request: HttpRequest, row: ServiceRequest) -> None:
        services.request_transition(
            actor=request.user,
            request=row,
            action=request.POST.get("action", ""),
            comment=request.POST.get("comment", "")[:2000],
        )
        row.refresh_from_db()
        messages.success(
            request, _("Done: the request is now %(state)s.") % {"state": row.get_state_display()}
        )


class MessageView(RequestAction):
    def perform(self, request: HttpRequest, row: ServiceRequest) -> None:
        user: Any = request.user
        form = forms.MessageForm(request.POST, staff=user.role != "tenant")
        if not form.is_valid():
            messages.error(request, errors_as_text(form))
            return
        services.message_add(actor=request.user, request=row, **form.cleaned_data)
        messages.success(request, _("Message sent."))


class AssignView(RequestAction):
    action = "change"
    lookup = "change"

    def perform(self, request: HttpRequest, row: ServiceRequest) -> None:
        form = forms.AssignForm(request.POST, park_id=row.park_id)
        if not form.is_valid():
            messages.error(request, errors_as_text(form))
            return
        services.request_assign(
            actor=request.user, request=row, assignee=form.cleaned_data["assignee"]
        )
        messages.success(request, _("Assigned."))


class RateView(RequestAction):
    def perform(self, request: HttpRequest, row: ServiceRequest) -> None:
        form = forms.RateForm(request.POST)
        if not form.is_valid():
            messages.error(request, errors_as_text(form))
            return
        services.request_rate(
            actor=request.user,
            request=row,
            rating=form.cleaned_data["rating"],
            comment=form.cleaned_data["rating_comment"],
        )
        messages.success(request, _("Thank you for rating the service."))


# shared equipment and bookings ----------------------------------------------------------
def _bookings(request: HttpRequest, equipment: Equipment) -> dict[str, Any]:
    upcoming = (
        Booking.objects.restrict(request.user)
        .filter(equipment=equipment, ends_at__gte=timezone.now())
        .exclude(state=BookingState.CANCELLED)
        .select_related("enterprise")
        .order_by("starts_at")
    )
    return {"bookings": upcoming, "equipment": equipment}


class EquipmentDetail(ObjectDetailView):
    model = Equipment
    fields = forms.EquipmentForm.Meta.fields
    tabs = [
        Tab(
            "bookings",
            gettext_lazy("Bookings"),
            "programs/partials/equipment_bookings.html",
            context=_bookings,
        )
    ]


EquipmentList, _EquipmentDetail, EquipmentEdit, EquipmentDelete = generic.record_pages(
    Equipment,
    form_class=forms.EquipmentForm,
    filterset=filters.EquipmentFilter,
    columns=[
        Column("code", link=True),
        Column("name"),
        Column("park"),
        Column("hourly_rate", numeric=True),
        Column("opens_at"),
        Column("closes_at"),
        Column("is_active"),
    ],
    fields=forms.EquipmentForm.Meta.fields,
    create=services.equipment_create,
    update=services.equipment_update,
    delete=services.equipment_delete,
    default_order="code",
    select_related=("park",),
)


class BookingList(ObjectListView):
    model = Booking
    filterset_class = filters.BookingFilter
    default_order = "-starts_at"
    select_related = ("equipment", "enterprise")
    columns = [
        Column("equipment", link=True, render=lambda b: b),
        Column("enterprise"),
        Column("starts_at", sortable=True),
        Column("ends_at"),
        Column("state"),
        Column("fee", numeric=True),
    ]


class BookingDetail(ObjectDetailView):
    model = Booking
    template_name = "programs/booking_detail.html"
    fields = [
        "equipment",
        "enterprise",
        "booked_by",
        "starts_at",
        "ends_at",
        "purpose",
        "state",
        "fee",
    ]

    def extra_context(self, request: HttpRequest, obj: Booking) -> dict[str, Any]:
        user: Any = request.user
        open_ = obj.state == BookingState.BOOKED and can(user, "change", obj)
        return {
            "may_cancel": open_,
            "may_complete": open_ and user.role != "tenant",
            "can_change": False,
            "can_delete": False,
            "breadcrumbs": [
                (gettext_lazy("Bookings"), reverse("programs:booking_list")),
                (obj, None),
            ],
        }


class BookingAdd(ScopedView):
    model = Booking
    action = "add"
    template = "core/object_edit.html"

    def render_form(self, request: HttpRequest, form: Any) -> HttpResponse:
        return render(
            request,
            self.template,
            {
                "form": form,
                "verbose_name": Booking._meta.verbose_name,
                "cancel_url": reverse("programs:booking_list"),
            },
        )

    def get(self, request: HttpRequest) -> HttpResponse:
        initial = {"equipment": request.GET.get("equipment")}
        return self.render_form(request, forms.BookingForm(user=request.user, initial=initial))

    def post(self, request: HttpRequest) -> HttpResponse:
        form = forms.BookingForm(request.POST, user=request.user)
        if form.is_valid():
            try:
                booking = services.booking_create(actor=request.user, instance=form.booking())
            except ConflictError as exc:
                form.add_error(None, exc.message)
            except ValidationError as exc:
                _attach_errors(form, exc)
            else:
                messages.success(request, _("Booked: %(booking)s.") % {"booking": booking})
                return redirect(reverse("programs:booking_detail", args=[booking.pk]))
        return self.render_form(request, form)


class BookingAction(RecordAction):
    model = Booking

    def perform(self, request: HttpRequest, row: Booking) -> None:
        move = request.POST.get("action")
        if move == "complete":
            services.booking_complete(actor=request.user, booking=row)
            messages.success(request, _("The fee is on the company's next bill."))
        elif move == "cancel":
            services.booking_cancel(actor=request.user, booking=row)
            messages.success(request, _("The booking is cancelled."))


# support policies ------------------------------------------------------------------------
def _policy_matches(request: HttpRequest, policy: SupportPolicy) -> dict[str, Any]:
    from enterprises.models import Enterprise

    companies = Enterprise.objects.restrict(request.user)
    qualify, nearly = matches_for_policy(policy, companies, timezone.localdate())
    return {"qualify": qualify, "nearly": nearly}


class PolicyDetail(ObjectDetailView):
    model = SupportPolicy
    fields = [f for f in forms.PolicyForm.Meta.fields if f != "stages"]
    tabs = [
        Tab(
            "matches",
            gettext_lazy("Companies that qualify"),
            "programs/partials/policy_matches.html",
            context=_policy_matches,
            visible=lambda user: user.role in ("operator", "admin") or user.is_platform_admin,
        )
    ]


PolicyList, _PolicyDetail, PolicyEdit, PolicyDelete = generic.record_pages(
    SupportPolicy,
    form_class=forms.PolicyForm,
    filterset=filters.PolicyFilter,
    columns=[
        Column("title", link=True),
        Column("issuer"),
        Column("level"),
        Column("max_amount_wan", numeric=True),
        Column("valid_to", sortable=True),
    ],
    fields=forms.PolicyForm.Meta.fields,
    create=services.policy_create,
    update=services.policy_update,
    delete=services.policy_delete,
    default_order="-valid_to",
)


class GrantList(ObjectListView):
    model = PolicyApplication
    filterset_class = filters.GrantFilter
    default_order = "-created_at"
    select_related = ("support_policy", "enterprise")
    columns = [
        Column("support_policy", link=True),
        Column("enterprise"),
        Column("state"),
        Column("submitted_on"),
        Column("amount_granted_wan", numeric=True),
    ]


class GrantDetail(ObjectDetailView):
    model = PolicyApplication
    template_name = "programs/grant_detail.html"
    fields = [
        "support_policy",
        "enterprise",
        "state",
        "submitted_on",
        "decided_on",
        "amount_granted_wan",
        "note",
    ]

    def extra_context(self, request: HttpRequest, obj: PolicyApplication) -> dict[str, Any]:
        return {
            "transitions": services.grant_moves(request.user, obj),
            "can_delete": False,
            "can_change": obj.state == "draft" and can(request.user, "change", obj),
        }


class GrantEdit(generic.PrefilledEditView):
    model = PolicyApplication
    prefill = ("support_policy", "enterprise")
    form_class = forms.GrantApplicationForm
    create = services.grant_application_create
    update = services.grant_application_update


class GrantAction(RecordAction):
    model = PolicyApplication

    def perform(self, request: HttpRequest, row: PolicyApplication) -> None:
        services.grant_application_move(
            actor=request.user,
            application=row,
            action=request.POST.get("action", ""),
            amount_wan=_decimal(request, "amount"),
            note=request.POST.get("note", "")[:2000],
        )
        messages.success(request, _("Done."))


# application scenarios ---------------------------------------------------------------------
def _scenario_matches(request: HttpRequest, scenario: Scenario) -> dict[str, Any]:
    from enterprises.models import Enterprise

    index = CompanyIndex.of(Enterprise.objects.restrict(request.user))
    return {"ranked": index.rank(scenario, limit=15)}


def _scenario_proposals(request: HttpRequest, scenario: Scenario) -> dict[str, Any]:
    rows = (
        Proposal.objects.restrict(request.user)
        .filter(scenario=scenario)
        .select_related("enterprise")
    )
    return {"proposals": rows, "scenario": scenario, "may_propose": scenario.state == "open"}


def _staff_only(user: Any) -> bool:
    return user.role == "operator" or user.is_platform_admin


class ScenarioDetail(ObjectDetailView):
    model = Scenario
    fields = forms.ScenarioForm.Meta.fields
    tabs = [
        Tab(
            "matches",
            gettext_lazy("Companies that fit"),
            "programs/partials/scenario_matches.html",
            context=_scenario_matches,
            visible=_staff_only,
        ),
        Tab(
            "proposals",
            gettext_lazy("Proposals"),
            "programs/partials/scenario_proposals.html",
            context=_scenario_proposals,
        ),
    ]


ScenarioList, _ScenarioDetail, ScenarioEdit, ScenarioDelete = generic.record_pages(
    Scenario,
    form_class=forms.ScenarioForm,
    filterset=filters.ScenarioFilter,
    columns=[
        Column("title", link=True),
        Column("owner"),
        Column("budget_wan", numeric=True),
        Column("deadline", sortable=True),
        Column("state"),
    ],
    fields=forms.ScenarioForm.Meta.fields,
    create=services.scenario_create,
    update=services.scenario_update,
    delete=services.scenario_delete,
    default_order="-deadline",
)


class ProposalList(ObjectListView):
    model = Proposal
    filterset_class = filters.ProposalFilter
    default_order = "-created_at"
    select_related = ("scenario", "enterprise")
    columns = [
        Column("scenario", link=True),
        Column("enterprise"),
        Column("state"),
        Column("value_wan", numeric=True),
        Column("created_at", sortable=True),
    ]


class ProposalDetail(ObjectDetailView):
    model = Proposal
    template_name = "programs/proposal_detail.html"
    fields = ["scenario", "enterprise", "summary", "state", "outcome", "value_wan"]

    def extra_context(self, request: HttpRequest, obj: Proposal) -> dict[str, Any]:
        return {
            "transitions": services.proposal_moves(request.user, obj),
            "can_change": False,
            "can_delete": False,
        }


class ProposalAdd(generic.PrefilledEditView):
    model = Proposal
    form_class = forms.ProposalForm
    prefill = ("scenario",)
    create = services.proposal_create
    update = services.proposal_update


class ProposalAction(RecordAction):
    model = Proposal

    def perform(self, request: HttpRequest, row: Proposal) -> None:
        services.proposal_move(
            actor=request.user,
            proposal=row,
            action=request.POST.get("action", ""),
            outcome=request.POST.get("outcome", "")[:2000],
            value_wan=_decimal(request, "value"),
        )
        messages.success(request, _("Done."))
