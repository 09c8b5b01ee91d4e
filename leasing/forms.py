from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import ScopedModelForm, html_date
from enterprises.models import Enterprise
from leasing.billing import BILLED_STATES
from leasing.choices import ChargeKind, FapiaoKind, PaymentMethod
from leasing.models import Lease, LeaseAttachment, Payment
from spaces.choices import UnitStatus
from spaces.models import Unit

__all__ = [
    "AmendForm",
    "AttachmentForm",
    "ChangeUnitsForm",
    "ChargeForm",
    "FapiaoForm",
    "LeaseForm",
    "PaymentForm",
    "RenewForm",
    "RentFreeForm",
    "TerminateForm",
    "TransferForm",
]

TERMS = [
    "contract_no",
    "enterprise",
    "park",
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
]


def _date_field(label: Any) -> forms.DateField:
    # ISO in the value, whatever the locale's date format: a date input reads nothing else
    return forms.DateField(
        label=label, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )


FREE_FIELDS = ("free_from", "free_to", "free2_from", "free2_to")


class LeaseForm(ScopedModelForm):
    """A new lease: its terms, the units, and up to two rent-free periods (more can be added
    through the API: the model and the schedule take any number)."""

    units = forms.ModelMultipleChoiceField(
        label=_("Units"), queryset=Unit.objects.none(), help_text=_("Units of the chosen park.")
    )
    free_from = forms.DateField(label=_("Rent-free from"), required=False)
    free_to = forms.DateField(label=_("Rent-free to"), required=False)
    free2_from = forms.DateField(label=_("Second rent-free period from"), required=False)
    free2_to = forms.DateField(label=_("Second rent-free period to"), required=False)

    class Meta:
        model = Lease
        fields = TERMS

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, user=user, **kwargs)
        self.fields["units"].queryset = (  # type: ignore[attr-defined]
            Unit.objects.restrict(user, "view")
            .exclude(status=UnitStatus.NOT_LEASABLE)
            .select_related("park")
            .order_by("park__code", "code")
        )
        self.fields["units"].label_from_instance = (  # type: ignore[attr-defined]
            lambda u: f"{u.park.code} · {u.code} · {u.area_m2:,.0f} ㎡"
        )
        for name in FREE_FIELDS:
            html_date(self.fields[name].widget)
        if self.instance.pk:  # units and rent-free periods are set when the lease is made
            for name in ("units", *FREE_FIELDS):
                self.fields.pop(name)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        lease_start, lease_end = data.get("start_on"), data.get("end_on")
        for prefix in ("free", "free2"):
            start, end = data.get(f"{prefix}_from"), data.get(f"{prefix}_to")
            if bool(start) != bool(end):
                self.add_error(
                    f"{prefix}_to", _("Give both ends of the rent-free period, or neither.")
                )
            elif start and end and end < start:
                self.add_error(f"{prefix}_to", _("The end date is before the start date."))
            elif (
                start
                and lease_start
                and lease_end
                and not (lease_start <= start and end <= lease_end)
            ):
                self.add_error(
                    f"{prefix}_from", _("A rent-free period must lie within the lease term.")
                )
        return data

    def rent_free(self) -> list[tuple[Any, Any]]:
        periods = []
        for prefix in ("free", "free2"):
            start, end = (
                self.cleaned_data.get(f"{prefix}_from"),
                self.cleaned_data.get(f"{prefix}_to"),
            )
            if start and end:
                periods.append((start, end))
        return periods


class TerminateForm(forms.Form):
    on = _date_field(_("terminated on"))
    on.help_text = _("The first day without rent: no rent is charged from this day on.")
    reason = forms.CharField(label=_("termination reason"), max_length=300)


class FapiaoForm(forms.Form):
    """The tax invoice issued for a bill; an empty number clears it."""

    fapiao_no = forms.CharField(
        label=_("fapiao number"),
        max_length=20,
        required=False,
        help_text=_("8 or 20 digits as printed on the fapiao; leave empty to clear."),
    )
    fapiao_on = _date_field(_("fapiao date"))
    fapiao_kind = forms.ChoiceField(
        label=_("fapiao type"), choices=[("", "—"), *FapiaoKind.choices], required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["fapiao_on"].required = False


class PaymentForm(ScopedModelForm):
    """Money received: the lease, the day it arrived (may be in the past), the amount."""

    class Meta:
        model = Payment
        fields = ["lease", "received_on", "amount", "method", "reference"]

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, user=user, **kwargs)
        self.fields["lease"].queryset = (  # type: ignore[attr-defined]
            Lease.objects.restrict(user, "change")
            .filter(state__in=BILLED_STATES)
            .select_related("enterprise")
        )
        self.fields["lease"].label_from_instance = (  # type: ignore[attr-defined]
            lambda lease: f"{lease.contract_no} · {lease.enterprise.name}"
        )


class TransferForm(forms.Form):
    """One transfer paying several leases of a tenant: split oldest due first, or by hand
    (one amount per lease, shown once the tenant is chosen)."""

    enterprise = forms.ModelChoiceField(label=_("Tenant"), queryset=Enterprise.objects.none())
    received_on = _date_field(_("received on"))
    amount = forms.DecimalField(
        label=_("amount (元)"), max_digits=14, decimal_places=2, min_value=Decimal("0.01")
    )
    method = forms.ChoiceField(label=_("method"), choices=PaymentMethod.choices)
    reference = forms.CharField(label=_("bank reference"), max_length=80, required=False)
    split = forms.ChoiceField(
        label=_("Split"),
        choices=[
            ("oldest", _("Oldest due bills first, across the leases")),
            ("manual", _("As entered for each lease below")),
        ],
        initial="oldest",
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.leases_by_tenant = (
            Lease.objects.restrict(user, "change")
            .filter(state__in=BILLED_STATES)
            .select_related("park")
            .order_by("contract_no")
        )
        tenants = Enterprise.objects.filter(
            pk__in=self.leases_by_tenant.values("enterprise_id")
        ).order_by("name")
        self.fields["enterprise"].queryset = tenants  # type: ignore[attr-defined]
        self.leases: list[Lease] = []
        chosen = self.data.get("enterprise") or self.initial.get("enterprise")
        if chosen and str(chosen).isdigit():
            self.leases = list(self.leases_by_tenant.filter(enterprise_id=int(chosen)))
        for lease in self.leases:
            self.fields[f"share_{lease.pk}"] = forms.DecimalField(
                label=f"{lease.contract_no} · {lease.park.name}",
                max_digits=14,
                decimal_places=2,
                min_value=Decimal("0"),
                required=False,
            )

    def share_fields(self) -> list[Any]:
        return [self[f"share_{lease.pk}"] for lease in self.leases]

    def shares(self) -> dict[int, Decimal] | None:
        if self.cleaned_data.get("split") != "manual":
            return None
        return {
            lease.pk: self.cleaned_data[f"share_{lease.pk}"]
            for lease in self.leases
            if self.cleaned_data.get(f"share_{lease.pk}")
        }


class ChangeUnitsForm(forms.Form):
    """Expansion or contraction from a date."""

    on = _date_field(_("From"))
    add = forms.ModelMultipleChoiceField(
        label=_("Units to add"), queryset=Unit.objects.none(), required=False
    )
    remove = forms.ModelMultipleChoiceField(
        label=_("Units to give back"), queryset=Unit.objects.none(), required=False
    )

    def __init__(self, *args: Any, lease: Lease, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["add"].queryset = (  # type: ignore[attr-defined]
            Unit.objects.restrict(user, "view")
            .filter(park_id=lease.park_id)
            .exclude(status=UnitStatus.NOT_LEASABLE)
            .exclude(lease_units__lease=lease)
            .order_by("code")
        )
        self.fields["remove"].queryset = (  # type: ignore[attr-defined]
            Unit.objects.filter(lease_units__lease=lease).distinct().order_by("code")
        )


class RenewForm(forms.Form):
    """A renewal: the new contract number, end date and rent; the rest follows the lease."""

    contract_no = forms.CharField(label=_("contract number"), max_length=40)
    end_on = _date_field(_("end date"))
    rent_per_m2_day = forms.DecimalField(
        label=_("rent (元/m²/day)"), max_digits=8, decimal_places=2, min_value=Decimal("0")
    )

    @staticmethod
    def successor(lease: Lease, data: dict[str, Any]) -> Lease:
        """A copy of ``lease``'s terms with the new number, end and rent from ``data``."""
        return Lease(
            contract_no=data["contract_no"],
            end_on=data["end_on"],
            rent_per_m2_day=data["rent_per_m2_day"],
            **{name: getattr(lease, name) for name in RENEWED_TERMS},
        )


# Terms a renewal keeps from the lease it renews (the form sets number, end and rent).
RENEWED_TERMS = (
    "fee_per_m2_month",
    "convention",
    "escalation_pct",
    "escalation_from_year",
    "deposit_months",
    "payment_cycle_months",
    "bill_days_ahead",
)


class AttachmentForm(forms.ModelForm):
    class Meta:
        model = LeaseAttachment
        fields = ["title", "file"]


class RentFreeForm(forms.Form):
    """A rent-free period granted on a signed lease."""

    start = _date_field(_("Rent-free from"))
    end = _date_field(_("Rent-free to"))
    reason = forms.CharField(label=_("Reason"), max_length=200)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            self.add_error("end", _("The end date is before the start date."))
        return data


class AmendForm(forms.Form):
    """A supplementary agreement (补充协议): a new rent and/or management fee from a date."""

    effective_on = _date_field(_("effective from"))
    rent_per_m2_day = forms.DecimalField(
        label=_("new rent (元/m²/day)"), max_digits=8, decimal_places=2, min_value=0, required=False
    )
    fee_per_m2_month = forms.DecimalField(
        label=_("new management fee (元/m²/month)"),
        max_digits=8,
        decimal_places=2,
        min_value=0,
        required=False,
    )
    reason = forms.CharField(label=_("Reason"), max_length=300)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("rent_per_m2_day") is None and data.get("fee_per_m2_month") is None:
            self.add_error(
                "rent_per_m2_day", _("Give the new rent, the new management fee or both.")
            )
        return data


class ChargeForm(forms.Form):
    """Another charge on a lease: billed as a line of its next bill."""

    kind = forms.ChoiceField(label=_("kind"), choices=ChargeKind.choices)
    description = forms.CharField(label=_("description"), max_length=200)
    period_start = _date_field(_("period from"))
    period_end = _date_field(_("period to"))
    quantity = forms.DecimalField(label=_("quantity"), max_digits=14, decimal_places=3, min_value=0)
    quantity_unit = forms.CharField(label=_("unit of measure"), max_length=20, required=False)
    unit_price = forms.DecimalField(
        label=_("unit price (元)"), max_digits=12, decimal_places=4, min_value=0
    )
    tax_rate_pct = forms.DecimalField(
        label=_("tax rate (%)"),
        max_digits=5,
        decimal_places=2,
        min_value=0,
        max_value=20,
        initial=0,
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("period_start"), data.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", _("The end date is before the start date."))
        return data
