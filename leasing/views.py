"""Lease pages: the list (rent roll order) and a lease with its units and rent schedule."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.errors import ConflictError
from core.permissions import get_restricted_or_404
from core.tables import Column
from core.views import ObjectDetailView, ObjectEditView, ObjectListView, Tab
from core.views.generic import ScopedView
from leasing import filters, forms, services
from leasing.models import Lease


def _schedule(request: HttpRequest, lease: Lease) -> dict[str, Any]:
    return {"schedule": services.lease_schedule(lease)}


def _units(request: HttpRequest, lease: Lease) -> dict[str, Any]:
    return {
        "lease_units": lease.lease_units.select_related("unit__building"),
        "rent_free": lease.rent_free.all(),
    }


class LeaseList(ObjectListView):
    model = Lease
    filterset_class = filters.LeaseFilter
    default_order = "end_on"
    select_related = ("enterprise", "park")
    columns = [
        Column("contract_no", sortable=True, link=True),
        Column("enterprise"),
        Column("park"),
        Column("state"),
        Column("start_on", sortable=True),
        Column("end_on", sortable=True),
        Column("rent_per_m2_day", numeric=True),
    ]


def _create(*, actor: Any, instance: Lease, units: Any, rent_free: Any) -> Lease:
    return services.lease_create(
        actor=actor, lease=instance, units=list(units), rent_free=rent_free
    )


class LeaseEdit(ObjectEditView):
    model = Lease
    form_class = forms.LeaseForm
    create = _create
    update = services.lease_update

    def create_kwargs(self, form: Any) -> dict[str, Any]:
        return {"units": form.cleaned_data["units"], "rent_free": form.rent_free()}


class LeaseAction(ScopedView):
    """POST-only: activate, expire or terminate a lease; refusals come back as messages."""

    model = Lease
    action = "change"

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        lease = get_restricted_or_404(Lease, request.user, "change", pk=pk)
        action = request.POST.get("action", "")
        try:
            if action == "terminate":
                form = forms.TerminateForm(request.POST)
                if not form.is_valid():
                    raise ConflictError(_("Give the termination date and the reason."))
                services.lease_terminate(
                    actor=request.user,
                    lease=lease,
                    on=form.cleaned_data["on"],
                    reason=form.cleaned_data["reason"],
                )
            else:
                services.lease_transition(actor=request.user, lease=lease, action=action)
            messages.success(
                request,
                _("Done: the lease is now %(state)s.")
                % {"state": Lease.objects.get(pk=pk).get_state_display()},
            )
        except ConflictError as exc:
            messages.error(request, exc.message)
        return redirect("leasing:lease_detail", pk)


class LeaseDetail(ObjectDetailView):
    model = Lease
    fields = [
        "contract_no",
        "enterprise",
        "park",
        "state",
        "start_on",
        "end_on",
        "signed_on",
        "rent_per_m2_day",
        "fee_per_m2_month",
        "convention",
        "escalation_pct",
        "escalation_from_year",
        "deposit_months",
        "payment_cycle_months",
        "bill_days_ahead",
        "terminated_on",
        "termination_reason",
    ]
    tabs = [
        Tab("units", gettext_lazy("Units"), "leasing/partials/units.html", context=_units),
        Tab(
            "schedule",
            gettext_lazy("Rent schedule"),
            "leasing/partials/schedule.html",
            context=_schedule,
        ),
    ]

    def extra_context(self, request: HttpRequest, obj: Lease) -> dict[str, Any]:
        return {
            "can_change": False,
            "can_delete": False,
            "breadcrumbs": [(_("Leases"), reverse("leasing:lease_list")), (obj, None)],
        }


app_name = "leasing"
urlpatterns = [
    path("leases/", LeaseList.as_view(), name="lease_list"),
    path("leases/add/", LeaseEdit.as_view(), name="lease_add"),
    path("leases/<int:pk>/", LeaseDetail.as_view(), name="lease_detail"),
    path("leases/<int:pk>/edit/", LeaseEdit.as_view(), name="lease_edit"),
    path("leases/<int:pk>/action/", LeaseAction.as_view(), name="lease_action"),
]
