from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import ScopedModelForm
from enterprises.models import (
    FILING_FIGURES,
    Contact,
    Enterprise,
    FinancingRound,
    Qualification,
    StatFiling,
)

__all__ = ["ContactForm", "EnterpriseForm", "FilingForm", "FinancingForm", "QualificationForm"]


class EnterpriseForm(ScopedModelForm):
    class Meta:
        model = Enterprise
        fields = [
            "name",
            "credit_code",
            "industry",
            "tags",
            "stage",
            "established_on",
            "registered_capital_wan",
            "paid_in_capital_wan",
            "figures_year",
            "headcount",
            "revenue_wan",
            "rd_spend_wan",
            "legal_representative",
            "address",
            "description",
        ]

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, user=user, **kwargs)
        if self.instance.pk and not user.is_platform_admin:
            # the credit code identifies the company; only an admin corrects it
            self.fields["credit_code"].disabled = True
        if user.role == "tenant" and "tags" in self.fields:
            self.fields["tags"].disabled = True  # the park's catalogue is its staff's
            self.fields["tags"].help_text = _("Set by the park's staff.")


class QualificationForm(ScopedModelForm):
    class Meta:
        model = Qualification
        fields = ["enterprise", "kind", "level", "certificate_no", "issued_on", "expires_on"]


class ContactForm(ScopedModelForm):
    class Meta:
        model = Contact
        fields = ["enterprise", "name", "title", "phone", "email", "is_primary"]


class FinancingForm(ScopedModelForm):
    class Meta:
        model = FinancingRound
        fields = ["enterprise", "round", "closed_on", "amount_raised", "pre_money", "investors"]


class FilingForm(ScopedModelForm):
    """A period's figures; ``confirm`` answers the checks' warnings, ``reason`` says why staff
    correct figures already filed."""

    confirm = forms.BooleanField(label=_("I confirm the flagged figures are right"), required=False)
    reason = forms.CharField(label=_("Reason for the correction"), required=False, max_length=300)

    class Meta:
        model = StatFiling
        fields = list(FILING_FIGURES)

    def __init__(self, *args: Any, user: Any, correcting: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, user=user, **kwargs)
        if not correcting:
            del self.fields["reason"]
