"""Lease pages: the list (rent roll order) and a lease with its units and rent schedule."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from core.tables import Column
from core.views import ObjectDetailView, ObjectListView, Tab
from leasing import filters
from leasing.models import Lease
from leasing.services import lease_schedule


def _schedule(request: HttpRequest, lease: Lease) -> dict[str, Any]:
    return {"schedule": lease_schedule(lease)}


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
        Tab("units", _("Units"), "leasing/partials/units.html", context=_units),
        Tab("schedule", _("Rent schedule"), "leasing/partials/schedule.html", context=_schedule),
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
    path("leases/<int:pk>/", LeaseDetail.as_view(), name="lease_detail"),
]
