from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.choices import Role
from core.forms import ScopedModelForm, html_date
from core.models import User
from enterprises.choices import GrowthStage
from enterprises.models import Enterprise
from programs.models import (
    Booking,
    Cohort,
    Equipment,
    Milestone,
    Move,
    PolicyApplication,
    Program,
    ProgramMember,
    Proposal,
    Scenario,
    ServiceKind,
    ServiceRequest,
    SupportPolicy,
)

__all__ = [
    "AssignForm",
    "BookingForm",
    "ChooseUnitsForm",
    "CohortForm",
    "EndForm",
    "EquipmentForm",
    "GrantApplicationForm",
    "KindForm",
    "MeetForm",
    "MemberForm",
    "MessageForm",
    "MilestoneForm",
    "MoveForm",
    "PolicyForm",
    "ProgramForm",
    "ProposalForm",
    "RateForm",
    "RequestForm",
    "ScenarioForm",
]


class KindForm(ScopedModelForm):
    class Meta:
        model = ServiceKind
        fields = ["operator", "name", "category", "sla_days", "manager", "description", "is_active"]


def tenant_parks(user: Any) -> Any:
    """The parks where the user's company rents (or has rented): where it asks for help."""
    from enterprises.selectors import company_of
    from leasing.models import Lease
    from spaces.models import Park

    company = company_of(user)
    rented = Lease.objects.filter(enterprise=company).exclude(state="draft").values("park_id")
    return Park.objects.filter(pk__in=rented).order_by("code")


class RequestForm(ScopedModelForm):
    """A company picks the service and the park; staff also pick the company."""

    class Meta:
        model = ServiceRequest
        fields = ["park", "enterprise", "kind", "subject", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, user=user, **kwargs)
        if "kind" in self.fields:
            self.fields["kind"].queryset = ServiceKind.objects.restrict(user).filter(  # type: ignore[attr-defined]
                is_active=True
            )
        if user.role == Role.TENANT:
            self.fields.pop("enterprise", None)  # a company asks for itself
            parks = tenant_parks(user)
            if "park" in self.fields:
                self.fields["park"].queryset = parks  # type: ignore[attr-defined]
                first = parks.first()
                if first is not None and not self.initial.get("park"):
                    self.initial["park"] = first.pk  # most companies rent in one park
        if self.instance.pk:
            for name in ("park", "enterprise", "kind"):
                self.fields.pop(name, None)


class MessageForm(forms.Form):
    body = forms.CharField(
        label=_("message"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )
    internal = forms.BooleanField(
        label=_("internal note"), required=False, help_text=_("Only the park's staff see it.")
    )

    def __init__(self, *args: Any, staff: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not staff:  # a company writes replies only
            self.fields.pop("internal")


class AssignForm(forms.Form):
    assignee = forms.ModelChoiceField(
        label=_("assignee"), queryset=User.objects.none(), required=False
    )

    def __init__(self, *args: Any, park_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = User.objects.filter(  # type: ignore[attr-defined]
            role=Role.OPERATOR, assigned_parks=park_id, is_active=True
        ).order_by("username")


class RateForm(forms.Form):
    rating = forms.TypedChoiceField(
        label=_("rating"),
        coerce=int,
        choices=[(n, "★" * n) for n in range(5, 0, -1)],
    )
    rating_comment = forms.CharField(label=_("rating comment"), max_length=300, required=False)


class EquipmentForm(ScopedModelForm):
    class Meta:
        model = Equipment
        fields = [
            "park",
            "code",
            "name",
            "description",
            "hourly_rate",
            "opens_at",
            "closes_at",
            "is_active",
        ]


class BookingForm(forms.Form):
    """A booking by day and half-hours; staff also name the company."""

    equipment = forms.ModelChoiceField(label=_("equipment"), queryset=Equipment.objects.none())
    enterprise = forms.ModelChoiceField(label=_("enterprise"), queryset=Enterprise.objects.none())
    day = forms.DateField(label=_("day"), widget=forms.DateInput(attrs={"type": "date"}))
    start = forms.TimeField(
        label=_("from"), widget=forms.TimeInput(attrs={"type": "time", "step": 1800})
    )
    end = forms.TimeField(
        label=_("to"), widget=forms.TimeInput(attrs={"type": "time", "step": 1800})
    )
    purpose = forms.CharField(label=_("purpose"), max_length=200, required=False)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["equipment"].queryset = (  # type: ignore[attr-defined]
            Equipment.objects.restrict(user).filter(is_active=True).select_related("park")
        )
        if user.role == Role.TENANT:
            self.fields.pop("enterprise")  # a company books for itself
        else:
            self.fields["enterprise"].queryset = Enterprise.objects.restrict(user)  # type: ignore[attr-defined]

    def booking(self) -> Booking:
        data = self.cleaned_data
        zone = timezone.get_current_timezone()
        return Booking(
            equipment=data["equipment"],
            enterprise=data.get("enterprise"),
            starts_at=datetime.datetime.combine(data["day"], data["start"], tzinfo=zone),
            ends_at=datetime.datetime.combine(data["day"], data["end"], tzinfo=zone),
            purpose=data.get("purpose", ""),
        )


class PolicyForm(ScopedModelForm):
    stages = forms.MultipleChoiceField(
        label=_("growth stages"),
        choices=GrowthStage.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Empty: any stage."),
    )

    class Meta:
        model = SupportPolicy
        fields = [
            "operator",
            "title",
            "issuer",
            "level",
            "benefit",
            "max_amount_wan",
            "valid_from",
            "valid_to",
            "qualification",
            "qualification_level",
            "industry_codes",
            "stages",
            "parks",
            "min_age_years",
            "max_age_years",
            "min_paid_in_capital_wan",
            "min_headcount",
            "min_revenue_wan",
            "min_rd_intensity_pct",
        ]
        widgets = {"benefit": forms.Textarea(attrs={"rows": 3})}


class GrantApplicationForm(ScopedModelForm):
    class Meta:
        model = PolicyApplication
        fields = ["support_policy", "enterprise", "note"]
        widgets = {"note": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, user=user, **kwargs)
        if user.role == Role.TENANT:
            self.fields.pop("enterprise", None)
        if self.instance.pk:
            for name in ("support_policy", "enterprise"):
                self.fields.pop(name, None)


class ScenarioForm(ScopedModelForm):
    class Meta:
        model = Scenario
        fields = [
            "operator",
            "title",
            "owner",
            "setting",
            "tags",
            "industry_codes",
            "budget_wan",
            "deadline",
            "contact",
            "state",
        ]
        widgets = {"setting": forms.Textarea(attrs={"rows": 4})}


class ProposalForm(ScopedModelForm):
    class Meta:
        model = Proposal
        fields = ["scenario", "enterprise", "summary"]
        widgets = {"summary": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, user=user, **kwargs)
        if "scenario" in self.fields:
            self.fields["scenario"].queryset = Scenario.objects.restrict(user).filter(  # type: ignore[attr-defined]
                state="open", deadline__gte=timezone.localdate()
            )
        if user.role == Role.TENANT:
            self.fields.pop("enterprise", None)
        if self.instance.pk:
            for name in ("scenario", "enterprise"):
                self.fields.pop(name, None)


# growth path ---------------------------------------------------------------------------
class ProgramForm(ScopedModelForm):
    class Meta:
        model = Program
        fields = [
            "park",
            "name",
            "kind",
            "stage",
            "graduate_stage",
            "next_park",
            "graduation_criteria",
            "description",
        ]
        widgets = {
            "graduation_criteria": forms.Textarea(attrs={"rows": 3}),
            "description": forms.Textarea(attrs={"rows": 3}),
        }


class CohortForm(ScopedModelForm):
    class Meta:
        model = Cohort
        fields = [
            "program",
            "name",
            "starts_on",
            "ends_on",
            "capacity",
            "entry_criteria",
            "mentors",
        ]
        widgets = {
            "entry_criteria": forms.Textarea(attrs={"rows": 3}),
            "mentors": forms.Textarea(attrs={"rows": 3}),
        }


class MilestoneForm(ScopedModelForm):
    class Meta:
        model = Milestone
        fields = ["program", "name", "kind", "due_months", "required"]


class MemberForm(ScopedModelForm):
    """Staff add a company of their parks to a cohort that has room."""

    class Meta:
        model = ProgramMember
        fields = ["cohort", "enterprise", "joined_on"]

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, user=user, **kwargs)
        if not self.initial.get("joined_on"):
            self.initial["joined_on"] = timezone.localdate()


class MeetForm(forms.Form):
    met_on = forms.DateField(label=_("met on"), widget=html_date(forms.DateInput()))
    evidence = forms.CharField(
        label=_("evidence"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class EndForm(forms.Form):
    """Graduation (no reason) or leaving (a reason)."""

    on = forms.DateField(label=_("on"), widget=html_date(forms.DateInput()))
    reason = forms.CharField(label=_("reason for leaving"), max_length=300, required=False)


class MoveForm(ScopedModelForm):
    class Meta:
        model = Move
        fields = [
            "enterprise",
            "from_lease",
            "to_park",
            "move_on",
            "area_min_m2",
            "area_max_m2",
            "clear_height_min_m",
            "notes",
        ]
        widgets = {"notes": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        from leasing.choices import LeaseState

        super().__init__(*args, user=user, **kwargs)
        if "from_lease" in self.fields:
            field: Any = self.fields["from_lease"]
            field.queryset = field.queryset.filter(state=LeaseState.ACTIVE).select_related(
                "enterprise", "park"
            )
            if self.instance.enterprise_id:  # the company's own leases only
                field.queryset = field.queryset.filter(enterprise=self.instance.enterprise_id)


class ChooseUnitsForm(forms.Form):
    units = forms.CharField(widget=forms.HiddenInput)
    rent_per_m2_day = forms.DecimalField(
        label=_("rent (元/m²/day)"), min_value=0, max_digits=8, decimal_places=2
    )
    term_months = forms.IntegerField(label=_("term (months)"), min_value=1, max_value=240)

    def clean_units(self) -> list[int]:
        raw = self.cleaned_data["units"]
        try:
            ids = [int(x) for x in raw.split(",") if x.strip()]
        except ValueError:
            raise forms.ValidationError(_("Choose units from the matches shown.")) from None
        if not ids:
            raise forms.ValidationError(_("Choose at least one unit."))
        return ids
