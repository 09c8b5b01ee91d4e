from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from core.registry import ParkOpsApp


class LeasingConfig(ParkOpsApp):
    name = "leasing"
    verbose_name = _("Leasing")
    urls = "leasing.views"
    # the fapiao spreadsheet template and the batch-issue task, known to the worker
    registers = ("leasing.imports", "leasing.tasks")
    nav = [
        {"label": _("Leases"), "url": "leasing:lease_list", "model": "leasing.Lease"},
        {"label": _("Invoices"), "url": "leasing:invoice_list", "model": "leasing.Invoice"},
        {"label": _("Payments"), "url": "leasing:payment_list", "model": "leasing.Payment"},
        {"label": _("Rent roll"), "url": "leasing:report_rent_roll", "model": "leasing.Lease"},
        {"label": _("Arrears aging"), "url": "leasing:report_aging", "model": "leasing.Invoice"},
        {"label": _("Collections"), "url": "leasing:collections", "model": "leasing.Reminder"},
        {
            "label": _("Expiries and renewals"),
            "url": "leasing:report_expiries",
            "model": "leasing.Lease",
        },
        {"label": _("Vacant units"), "url": "leasing:report_vacancy", "model": "spaces.Unit"},
        {"label": _("Occupancy"), "url": "leasing:report_occupancy", "model": "spaces.Unit"},
    ]

    @staticmethod
    def home_cards(user: Any, park_code: str | None) -> list[dict[str, Any]]:
        """Dashboard cards: occupancy today of the parks the user may see and, for those who
        may see bills, what is overdue."""
        from django.urls import reverse
        from django.utils import timezone

        from core.templatetags.parkops import big_number, percent
        from leasing.models import Invoice
        from leasing.selectors import occupancy, overdue_total
        from spaces.models import Park, Unit

        if user.role == "tenant":
            return LeasingConfig._tenant_cards(user)
        if not Unit.policy.allows_role(user, "view"):  # parks are public, their figures not
            return []
        units = Unit.objects.filter(park__in=Park.objects.restrict(user))
        if park_code:
            units = units.filter(park__code=park_code)
        figures = occupancy(units, timezone.localdate())
        url = reverse("leasing:lease_list") if user.role != "gov" else reverse("spaces:park_list")
        cards = [
            {"label": _("Occupancy today (by area)"), "value": percent(figures.rate), "url": url}
        ]
        if Invoice.policy.allows_role(user, "view"):  # type: ignore[attr-defined]
            invoices = Invoice.objects.restrict(user)
            if park_code:
                invoices = invoices.filter(park__code=park_code)
            overdue = overdue_total(invoices, timezone.localdate())
            cards.append(
                {
                    "label": _("Overdue (元)"),
                    "value": big_number(overdue),
                    "url": reverse("leasing:report_aging"),
                }
            )
        return cards

    @staticmethod
    def home_todos(user: Any, park_code: str | None) -> list[dict[str, Any]]:
        """Staff's money and lease to-dos: bills to issue, tenants overdue, leases expiring
        within 90 days (each links to the page where it is done)."""
        from django.urls import reverse
        from django.utils import timezone

        from leasing import billing
        from leasing.collections import collection_rows
        from leasing.models import Invoice, Lease
        from leasing.selectors import expiring_leases

        if user.role not in ("operator", "admin") or not Lease.policy.allows_role(user, "change"):
            return []
        today = timezone.localdate()
        leases = Lease.objects.restrict(user, "change")
        invoices = Invoice.objects.restrict(user)
        if park_code:
            leases, invoices = (
                leases.filter(park__code=park_code),
                invoices.filter(park__code=park_code),
            )
        expiring = expiring_leases(leases, today, months=3)
        return [
            {
                "label": _("Leases with bills to issue"),
                "count": len(billing.leases_to_bill(leases, today)),
                "url": reverse("leasing:invoice_batch"),
            },
            {
                "label": _("Tenants with overdue bills"),
                "count": len(collection_rows(invoices, today)),
                "url": reverse("leasing:collections"),
            },
            {
                "label": _("Leases ending within 3 months"),
                "count": expiring.count(),
                "url": reverse("leasing:report_expiries"),
            },
        ]

    @staticmethod
    def _tenant_cards(user: Any) -> list[dict[str, Any]]:
        """A tenant's own money: what it owes, what is overdue, and when the next bill is due."""
        from django.db.models import F, Min, Sum
        from django.urls import reverse
        from django.utils import timezone

        from core.templatetags.parkops import big_number
        from leasing.choices import InvoiceKind
        from leasing.models import Invoice, overdue_q

        today = timezone.localdate()
        open_bills = (
            Invoice.objects.restrict(user)
            .exclude(kind=InvoiceKind.CREDIT)
            .filter(settled__lt=F("amount"))
        )
        owed = open_bills.aggregate(s=Sum(F("amount") - F("settled")))["s"] or 0
        overdue = (
            open_bills.filter(overdue_q(today)).aggregate(s=Sum(F("amount") - F("settled")))["s"]
            or 0
        )
        next_due = open_bills.filter(due_on__gte=today).aggregate(d=Min("due_on"))["d"]
        bills = reverse("leasing:invoice_list") + "?status=open"
        return [
            {"label": _("Open bills (元)"), "value": big_number(owed), "url": bills},
            {
                "label": _("Overdue (元)"),
                "value": big_number(overdue),
                "url": reverse("leasing:invoice_list") + "?status=overdue",
            },
            {
                "label": _("Next bill due"),
                "value": next_due.isoformat() if next_due else "—",
                "url": bills,
            },
        ]

    def ready(self) -> None:
        super().ready()
        from core.pickers import register_picker
        from core.views import Tab, register_context, register_tab
        from leasing.models import Lease

        # forms choose a lease by its contract number or its tenant's name
        register_picker(Lease, ("contract_no", "enterprise__name"), order="-start_on")

        register_context("spaces.building", _unit_leases)
        # a lower app's pages show leasing facts through tabs the higher app adds
        register_tab(
            "spaces.park",
            Tab(
                "leases",
                _("Leases"),
                "leasing/partials/park_leases.html",
                context=_park_leases,
                visible=lambda user: _lease_policy().allows_role(user, "view"),
            ),
        )
        register_tab(
            "enterprises.enterprise",
            Tab(
                "leases",
                _("Leases"),
                "leasing/partials/park_leases.html",
                context=_enterprise_leases,
                visible=lambda user: _lease_policy().allows_role(user, "view"),
            ),
        )


def _lease_policy() -> Any:
    from leasing.models import Lease

    return Lease.policy


def _park_leases(request: Any, park: Any) -> dict[str, Any]:
    from django.utils import timezone

    from leasing.models import Lease
    from leasing.selectors import occupancy
    from spaces.models import Unit

    return {
        "occupancy": occupancy(Unit.objects.filter(park=park), timezone.localdate()),
        "leases": Lease.objects.restrict(request.user)
        .filter(park=park)
        .select_related("enterprise")
        .order_by("end_on"),
    }


def _enterprise_leases(request: Any, enterprise: Any) -> dict[str, Any]:
    from leasing.models import Lease

    return {
        "leases": Lease.objects.restrict(request.user)
        .filter(enterprise=enterprise)
        .select_related("park")
        .order_by("end_on")
    }


def _unit_leases(request: Any, building: Any) -> dict[str, Any]:
    """For the stacking plan: who leases each unit today and how many months are left."""
    from django.utils import timezone

    from leasing.models import LeaseUnit
    from leasing.selectors import LIVE

    today = timezone.localdate()
    spans = (
        LeaseUnit.objects.restrict(request.user)
        .filter(
            unit__building=building, start_on__lte=today, end_on__gte=today, lease__state__in=LIVE
        )
        .select_related("lease__enterprise")
    )
    leases = {}
    for span in spans:
        months = (span.end_on - today).days // 30  # whole months left, roughly
        band = "exp-3" if months < 3 else "exp-6" if months < 6 else "exp-12" if months < 12 else ""
        leases[span.unit_id] = {
            "tenant": span.lease.enterprise.name,
            "months": months,
            "band": band,
        }
    return {"unit_leases": leases}
