"""Pages of the service desk: the catalogue, the request queue (with SLA flags) and the
request page with its messages, moves, assignment and rating."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.errors import ConflictError
from core.forms import errors_as_text
from core.permissions import can, get_restricted_or_404
from core.tables import Column
from core.views import ObjectDetailView, ObjectEditView, ObjectListView, generic
from core.views.generic import ScopedView
from programs import filters, forms, services
from programs.choices import RequestState
from programs.models import RequestMessage, ServiceKind, ServiceRequest
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


class RequestAction(ScopedView):
    """POST endpoints of the request page; a refusal comes back as a message on the page."""

    model = ServiceRequest
    action = "view"

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        row = get_restricted_or_404(ServiceRequest, request.user, "view", pk=pk)
        try:
            self.perform(request, row)
        except ConflictError as exc:
            messages.error(request, exc.message)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        return redirect(reverse("programs:servicerequest_detail", args=[pk]))

    def perform(self, request: HttpRequest, row: ServiceRequest) -> None:
        raise NotImplementedError


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
        form = forms.MessageForm(request.POST, staff=request.user.role != "tenant")
        if not form.is_valid():
            messages.error(request, errors_as_text(form))
            return
        services.message_add(actor=request.user, request=row, **form.cleaned_data)
        messages.success(request, _("Message sent."))


class AssignView(RequestAction):
    action = "change"

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
