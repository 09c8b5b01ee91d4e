from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from admissions.choices import Decision
from admissions.models import AdmissionSettings, Application, ThresholdRule
from core.choices import Role
from core.forms import ScopedModelForm
from enterprises.models import Enterprise
from enterprises.validators import validate_credit_code

__all__ = [
    "AnswerForm",
    "ApplicationForm",
    "ConvertForm",
    "ReviewForm",
    "RiskForm",
    "SettingsForm",
    "ThresholdForm",
]

REQUIREMENTS = [
    "area_min_m2",
    "area_max_m2",
    "clear_height_min_m",
    "floor_load_min_kn_m2",
    "power_min_kva",
    "budget_rent",
    "move_in_on",
]
COMMITMENTS = ["rd_intensity_pct", "output_per_m2", "headcount", "talent_share_pct"]


class ApplicationForm(ScopedModelForm):
    """An existing company from the registry, or a new one by name and credit code."""

    new_name = forms.CharField(label=_("Or a new company: name"), required=False, max_length=200)
    new_credit_code = forms.CharField(
        label=_("New company: credit code"), required=False, max_length=40
    )

    class Meta:
        model = Application
        fields = ["enterprise", "park", "description", *REQUIREMENTS, *COMMITMENTS]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    field_order = ["enterprise", "new_name", "new_credit_code", "park"]

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, user=user, **kwargs)
        self.fields["enterprise"].required = False
        if user.role == Role.TENANT or self.instance.pk:
            for name in ("enterprise", "new_name", "new_credit_code"):
                self.fields.pop(name)
        if self.instance.pk:
            self.fields.pop("park")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if "enterprise" not in self.fields:
            return data
        name, code = data.get("new_name"), data.get("new_credit_code")
        if data.get("enterprise") is None and not (name and code):
            raise forms.ValidationError(
                _(
                    "Choose a company from the registry, or give the new "
                    "company's name and credit code."
                )
            )
        if code and data.get("enterprise") is None:
            try:
                validate_credit_code(code)
            except forms.ValidationError as exc:
                self.add_error("new_credit_code", exc)
        return data

    def new_enterprise(self) -> Enterprise | None:
        if "enterprise" not in self.fields or self.cleaned_data.get("enterprise") is not None:
            return None
        return Enterprise(
            name=self.cleaned_data["new_name"], credit_code=self.cleaned_data["new_credit_code"]
        )


class RiskForm(forms.Form):
    revenue_last_year = forms.DecimalField(
        label=_("revenue last year (元)"),
        required=False,
        min_value=0,
        max_digits=16,
        decimal_places=2,
    )
    revenue_prev_year = forms.DecimalField(
        label=_("revenue the year before (元)"),
        required=False,
        min_value=0,
        max_digits=16,
        decimal_places=2,
    )
    debt_ratio_pct = forms.DecimalField(
        label=_("debt ratio (%)"),
        required=False,
        min_value=0,
        max_value=100,
        max_digits=5,
        decimal_places=2,
    )
    litigation = forms.BooleanField(label=_("pending litigation"), required=False)
    dishonest_debtor = forms.BooleanField(label=_("listed as dishonest debtor"), required=False)


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(label=_("decision"), choices=Decision.choices)
    conditions = forms.CharField(
        label=_("conditions"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    comment = forms.CharField(
        label=_("comment"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    exception_reason = forms.CharField(
        label=_("exception reason"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Needed to approve when a hard threshold failed; both sides must give one."),
    )


class AnswerForm(forms.Form):
    review = forms.IntegerField(widget=forms.HiddenInput)
    answer = forms.CharField(
        label=_("answer"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class ThresholdForm(ScopedModelForm):
    class Meta:
        model = ThresholdRule
        fields = ["park", "kind", "items", "value", "is_hard", "is_active"]


class SettingsForm(ScopedModelForm):
    class Meta:
        model = AdmissionSettings
        fields = [
            "weights",
            "gov_approvals_required",
            "operator_approvals_required",
            "separation_of_duties",
        ]

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, user=user, **kwargs)
        if not user.is_platform_admin:  # rules binding both sides: the platform admin's
            for name in (
                "gov_approvals_required",
                "operator_approvals_required",
                "separation_of_duties",
            ):
                self.fields[name].disabled = True
                self.fields[name].help_text = _("Set by the platform admin: it binds both sides.")


class ConvertForm(forms.Form):
    units = forms.CharField(widget=forms.HiddenInput)
    start_on = forms.DateField(label=_("start date"))
    end_on = forms.DateField(label=_("end date"))
    rent_per_m2_day = forms.DecimalField(
        label=_("rent (元/m²/day)"), min_value=0, max_digits=8, decimal_places=2
    )
    deviation_reason = forms.CharField(
        label=_("reason for units that miss the requirements"),
        required=False,
        max_length=500,
        help_text=_("Only when the units miss what the application asked for; kept on the lease."),
    )

    def clean_units(self) -> list[int]:
        raw = self.cleaned_data["units"]
        try:
            ids = [int(x) for x in raw.split(",") if x]
        except ValueError:
            raise forms.ValidationError(_("Choose units from the matches shown.")) from None
        if not ids:
            raise forms.ValidationError(_("Choose units from the matches shown."))
        return ids

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("start_on") and data.get("end_on") and data["end_on"] < data["start_on"]:
            self.add_error("end_on", _("The end date is before the start date."))
        return data
