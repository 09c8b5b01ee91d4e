from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import ScopedModelForm
from leasing.models import Lease
from spaces.choices import UnitStatus
from spaces.models import Unit

__all__ = ["LeaseForm", "TerminateForm"]

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


class LeaseForm(ScopedModelForm):
    """A new lease: its terms, the units, and one rent-free period if there is one."""

    units = forms.ModelMultipleChoiceField(
        label=_("Units"), queryset=Unit.objects.none(), help_text=_("Units of the chosen park.")
    )
    free_from = forms.DateField(label=_("Rent-free from"), required=False)
    free_to = forms.DateField(label=_("Rent-free to"), required=False)

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
        for name in ("free_from", "free_to"):
            self.fields[name].widget.input_type = "date"  # type: ignore[attr-defined]
        if self.instance.pk:  # units and rent-free periods are set when the lease is made
            for name in ("units", "free_from", "free_to"):
                self.fields.pop(name)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("free_from"), data.get("free_to")
        if bool(start) != bool(end):
            self.add_error("free_to", _("Give both ends of the rent-free period, or neither."))
        elif start and end and end < start:
            self.add_error("free_to", _("The end date is before the start date."))
        return data

    def rent_free(self) -> list[tuple[Any, Any]]:
        start, end = self.cleaned_data.get("free_from"), self.cleaned_data.get("free_to")
        return [(start, end)] if start and end else []


class TerminateForm(forms.Form):
    on = forms.DateField(label=_("terminated on"))
    reason = forms.CharField(label=_("termination reason"), max_length=300)
