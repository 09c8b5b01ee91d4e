"""Lease pages: the list, a lease with its units, rent schedule and bills, and the actions
on it (activate, bill, terminate, change units, renew, release the deposit)."""

from __future__ import annotations

import datetime
from decimal import Decimal, InvalidOperation
from typing import Any, ClassVar

from django import forms as django_forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.errors import ConflictError
from core.forms import errors_as_text
from core.permissions import can, get_restricted_or_404
from core.tables import Column
from core.views import ObjectDetailView, ObjectEditView, ObjectListView, Tab
from core.views.generic import ScopedView
from leasing import billing, filters, forms, selectors, services
from leasing.choices import LEASE_FLOW, LEASE_TRANSITIONS, LeaseState
from leasing.models import Lease, LeaseAmendment, LeaseAttachment
from spaces.models import Unit


def _schedule(request: HttpRequest, lease: Lease) -> dict[str, Any]:
    return {"schedule": services.lease_schedule(lease)}


def _bills(request: HttpRequest, lease: Lease) -> dict[str, Any]:
    return {
        "invoices": lease.invoices.order_by("due_on", "id"),
        "payments": lease.payments.order_by("received_on", "id"),
        "deposit_held": billing.deposit_held(lease),
        "deposit_release": getattr(lease, "deposit_release", None),
        "pending_charges": lease.charges.filter(invoice=None).order_by("period_end", "id"),
        "can_bill_charges": can(request.user, "change", lease),
    }


def _attachments(request: HttpRequest, lease: Lease) -> dict[str, Any]:
    return {
        "attachments": LeaseAttachment.objects.restrict(request.user).filter(lease=lease),
        "attachment_form": forms.AttachmentForm() if can(request.user, "change", lease) else None,
    }


def _timeline(request: HttpRequest, lease: Lease) -> dict[str, Any]:
    return {"events": selectors.lease_timeline(lease)}


def _units(request: HttpRequest, lease: Lease) -> dict[str, Any]:
    return {
        "lease_units": lease.lease_units.select_related("unit__building"),
        "rent_free": lease.rent_free.all(),
        # a tenant reads its lease, not the park's unit pages: no link that would 404
        "units_open": Unit.policy.allows_role(request.user, "view"),
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
    template_name = "leasing/lease_form.html"
    help_link = (_("Billing rules"), "leasing:rules")
    create = _create
    update = services.lease_update
    refusal = services.lease_edit_refusal

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
            elif action == "issue":
                issued = billing.invoices_issue(
                    actor=request.user, lease=lease, on=timezone.localdate()
                )
                messages.success(request, _("%(count)d bills issued.") % {"count": len(issued)})
            elif action == "release_deposit":
                release = billing.deposit_release(
                    actor=request.user, lease=lease, on=timezone.localdate()
                )
                messages.success(
                    request,
                    _(
                        "Deposit released: %(offset)s offset against arrears, %(refunded)s "
                        "refunded; credit refunded: %(credit)s."
                    )
                    % {
                        "offset": release.offset,
                        "refunded": release.refunded,
                        "credit": release.credit_refunded,
                    },
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


class LeaseFormAction(ScopedView):
    """POST-only: a form of the lease page run through a service; a refusal (the form's or
    the service's) comes back as a message on the page, never as an error page."""

    model = Lease
    action = "change"
    tab: ClassVar[str] = "overview"

    def make_form(self, request: HttpRequest, lease: Lease) -> Any:
        raise NotImplementedError

    def perform(self, request: HttpRequest, lease: Lease, data: dict[str, Any]) -> tuple[str, int]:
        """Do it; answer the success message and the lease to show next."""
        raise NotImplementedError

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        lease = get_restricted_or_404(Lease, request.user, "change", pk=pk)
        form = self.make_form(request, lease)
        target, tab = pk, self.tab
        try:
            if not form.is_valid():
                raise ConflictError(errors_as_text(form))
            message, target = self.perform(request, lease, form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        except ConflictError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, message)
            tab = self.tab if target == pk else "overview"
        return redirect(reverse("leasing:lease_detail", args=[target]) + f"?tab={tab}")


class LeaseChangeUnits(LeaseFormAction):
    """Expansion or contraction of an active lease from a date."""

    tab = "units"

    def make_form(self, request: HttpRequest, lease: Lease) -> Any:
        return forms.ChangeUnitsForm(request.POST, lease=lease, user=request.user)

    def perform(self, request: HttpRequest, lease: Lease, data: dict[str, Any]) -> tuple[str, int]:
        services.lease_change_units(
            actor=request.user,
            lease=lease,
            on=data["on"],
            add=list(data["add"]),
            remove=list(data["remove"]),
        )
        return _("Units changed; bills already issued are corrected."), lease.pk


class LeaseRentFree(LeaseFormAction):
    """A rent-free period granted on a signed lease."""

    tab = "units"

    def make_form(self, request: HttpRequest, lease: Lease) -> Any:
        return forms.RentFreeForm(request.POST)

    def perform(self, request: HttpRequest, lease: Lease, data: dict[str, Any]) -> tuple[str, int]:
        services.lease_add_rent_free(
            actor=request.user,
            lease=lease,
            start=data["start"],
            end=data["end"],
            reason=data["reason"],
        )
        return _("Rent-free period granted; issued bills are credited."), lease.pk


class LeaseAmend(LeaseFormAction):
    """A supplementary agreement changing the rent or the fee from a date."""

    tab = "timeline"

    def make_form(self, request: HttpRequest, lease: Lease) -> Any:
        return forms.AmendForm(request.POST)

    def perform(self, request: HttpRequest, lease: Lease, data: dict[str, Any]) -> tuple[str, int]:
        services.lease_amend(
            actor=request.user,
            lease=lease,
            amendment=LeaseAmendment(
                effective_on=data["effective_on"],
                rent_per_m2_day=data["rent_per_m2_day"],
                fee_per_m2_month=data["fee_per_m2_month"],
                reason=data["reason"],
            ),
        )
        return _("Amendment recorded; billed periods it changes are corrected."), lease.pk


class LeaseChargeAdd(LeaseFormAction):
    """Another charge (electricity, water, equipment…) for the lease's next bill."""

    tab = "bills"

    def make_form(self, request: HttpRequest, lease: Lease) -> Any:
        return forms.ChargeForm(request.POST)

    def perform(self, request: HttpRequest, lease: Lease, data: dict[str, Any]) -> tuple[str, int]:
        billing.charge_add(actor=request.user, lease=lease, **data)
        return _("Charge recorded; it will be a line of the next bill."), lease.pk


class LeaseChargesBill(LeaseFormAction):
    """The pending charges (utilities, equipment…) billed at once on a bill of their own,
    for an operator who bills them apart from rent."""

    tab = "bills"

    def make_form(self, request: HttpRequest, lease: Lease) -> Any:
        return django_forms.Form(request.POST)

    def perform(self, request: HttpRequest, lease: Lease, data: dict[str, Any]) -> tuple[str, int]:
        bill = billing.charges_bill_now(actor=request.user, lease=lease, on=timezone.localdate())
        return _("Bill %(number)s issued for the pending charges.") % {
            "number": bill.number
        }, lease.pk


class LeaseRenew(LeaseFormAction):
    """Draft the renewal (续签) of a lease and open it."""

    def make_form(self, request: HttpRequest, lease: Lease) -> Any:
        return forms.RenewForm(request.POST)

    def perform(self, request: HttpRequest, lease: Lease, data: dict[str, Any]) -> tuple[str, int]:
        successor = services.lease_renew(
            actor=request.user, lease=lease, successor=forms.RenewForm.successor(lease, data)
        )
        return _("Renewal drafted; check it and activate it."), successor.pk


class LeaseDetail(ObjectDetailView):
    model = Lease
    template_name = "leasing/lease_detail.html"
    fields = [*forms.TERMS, "state", "terminated_on", "termination_reason", "notes"]
    tabs = [
        Tab("units", gettext_lazy("Units"), "leasing/partials/units.html", context=_units),
        Tab(
            "schedule",
            gettext_lazy("Rent schedule"),
            "leasing/partials/schedule.html",
            context=_schedule,
        ),
        Tab("bills", gettext_lazy("Bills and payments"), "leasing/partials/bills.html", _bills),
        Tab("timeline", gettext_lazy("Timeline"), "leasing/partials/timeline.html", _timeline),
        Tab(
            "attachments",
            gettext_lazy("Attachments"),
            "leasing/partials/attachments.html",
            _attachments,
        ),
    ]

    def extra_context(self, request: HttpRequest, obj: Lease) -> dict[str, Any]:
        may_change = can(request.user, "change", obj)
        actions = [t.action for t in LEASE_FLOW.allowed(request.user, obj)]
        ended = timezone.localdate() > obj.end_on
        actions = [a for a in actions if a != "renew" and (a != "expire" or ended)]
        actions = actions if may_change else []
        successor = Lease.objects.filter(predecessor=obj).first()
        finished = obj.state in (LeaseState.TERMINATED, LeaseState.EXPIRED, LeaseState.RENEWED)
        return {
            "can_change": may_change and obj.state == LeaseState.DRAFT,
            "can_delete": False,
            "may_change": may_change,
            "lease_actions": actions,
            "can_bill": may_change and obj.state in billing.BILLED_STATES,
            "successor": successor,
            "can_renew": may_change
            and obj.state in LEASE_TRANSITIONS["renew"].sources
            and successor is None,
            "can_release_deposit": may_change and finished and not hasattr(obj, "deposit_release"),
            "terminate_form": forms.TerminateForm(),
            "units_form": forms.ChangeUnitsForm(lease=obj, user=request.user)
            if may_change and obj.state == LeaseState.ACTIVE
            else None,
            "renew_form": forms.RenewForm(),
            "rent_free_form": forms.RentFreeForm()
            if may_change and obj.state in billing.BILLED_STATES
            else None,
            "amend_form": forms.AmendForm()
            if may_change and obj.state == LeaseState.ACTIVE
            else None,
            "charge_form": forms.ChargeForm()
            if may_change and obj.state in billing.BILLED_STATES
            else None,
            "breadcrumbs": [(_("Leases"), reverse("leasing:lease_list")), (obj, None)],
        }


class AttachmentUpload(LeaseFormAction):
    """Keep a file with a lease (operator staff who may change the lease)."""

    tab = "attachments"

    def make_form(self, request: HttpRequest, lease: Lease) -> Any:
        return forms.AttachmentForm(request.POST, request.FILES)

    def perform(self, request: HttpRequest, lease: Lease, data: dict[str, Any]) -> tuple[str, int]:
        attachment = LeaseAttachment(lease=lease, title=data["title"], file=data["file"])
        services.attachment_add(actor=request.user, attachment=attachment)
        return _("File attached."), lease.pk


class AttachmentDownload(ScopedView):
    """The file, to whoever may see the lease (the tenant its own); never a public URL."""

    model = LeaseAttachment

    def get(self, request: HttpRequest, pk: int) -> FileResponse:
        attachment = get_restricted_or_404(LeaseAttachment, request.user, "view", pk=pk)
        name = attachment.file.name.rsplit("/", 1)[-1]
        return FileResponse(attachment.file.open("rb"), as_attachment=True, filename=name)


def _date_param(value: str | None) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(value or "")
    except ValueError:
        return None


def _bound_param(value: str | None) -> Decimal | None:
    try:
        number = Decimal((value or "").strip())
    except InvalidOperation:
        return None
    return number if number.is_finite() and 0 <= number <= 10**6 else None


class UnitPicker(ScopedView):
    """The units of a park for a lease's dates, with their size and height and any lease that
    holds them then: the lease and expansion forms pick from here (htmx fragment)."""

    model = Lease
    action = "add"

    def get(self, request: HttpRequest) -> HttpResponse:
        params = request.GET
        field = "add" if params.get("field") == "add" else "units"
        park_id = params.get("park", "")
        units = Unit.objects.restrict(request.user, "view").filter(
            park_id=int(park_id) if park_id.isdigit() else 0
        )
        if params.get("q"):
            units = units.filter(code__icontains=params["q"].strip())
        for name, lookup in (("area_min", "area_m2__gte"), ("height_min", "clear_height_m__gte")):
            bound = _bound_param(params.get(name))
            if bound is not None:  # a filter that does not read as a size is left out
                units = units.filter(**{lookup: bound})
        lease = params.get("lease", "")
        start = _date_param(params.get("start_on") or params.get("on"))
        end = _date_param(params.get("end_on"))
        rows = selectors.units_for_lease(
            units, start, end, exclude_lease=int(lease) if lease.isdigit() else None
        )
        selected = set(params.getlist(field))
        return render(
            request,
            "leasing/partials/unit_picker.html",
            {
                "rows": rows,
                "field": field,
                "selected": selected,
                "park_chosen": park_id.isdigit(),
                "dates_known": bool(start and end),
            },
        )
