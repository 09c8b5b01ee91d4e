"""Inputs of the fund's pages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import ScopedModelForm
from core.models import User
from fund.models import (
    Deal,
    DealDocument,
    Exit,
    Fund,
    FundExpense,
    Investment,
    LedgerEntry,
    LimitedPartner,
    Valuation,
)
from leasing.models import RentFree

__all__ = [
    "DealForm",
    "DocumentForm",
    "ExitForm",
    "ExpenseForm",
    "FundForm",
    "InvestmentForm",
    "LedgerForm",
    "LpForm",
    "PassForm",
    "ValuationForm",
]


def _choices(form: forms.BaseForm, name: str) -> Any:
    """A form's choice field, typed for setting its queryset."""
    return form.fields[name]


class FundForm(ScopedModelForm):
    class Meta:
        model = Fund
        fields = [
            "code",
            "name",
            "operator",
            "vintage",
            "first_close_on",
            "committed",
            "term_years",
            "extension_years",
            "fee_basis",
            "fee_rate_pct",
            "hurdle_pct",
            "carry_pct",
            "company_limit_pct",
            "industry_limit_pct",
            "managers",
        ]

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, user=user, **kwargs)
        # managers: fund managers and staff of the fund's operator (the admin: anyone's)
        people = User.objects.filter(role__in=["fund", "operator"], is_active=True)
        if not user.is_platform_admin:
            people = people.filter(operator_id=user.operator_id)
            self.fields.pop("operator", None)
        _choices(self, "managers").queryset = people.order_by("username")


class _InFund(ScopedModelForm):
    """A record of one fund: the fund chosen among those the user manages."""


class LpForm(_InFund):
    class Meta:
        model = LimitedPartner
        fields = ["fund", "name", "kind", "commitment"]


class LedgerForm(_InFund):
    class Meta:
        model = LedgerEntry
        fields = ["lp", "kind", "on", "amount", "note"]


class ExpenseForm(_InFund):
    class Meta:
        model = FundExpense
        fields = ["fund", "kind", "on", "amount", "note"]


class DealForm(_InFund):
    class Meta:
        model = Deal
        fields = [
            "fund",
            "enterprise",
            "source",
            "owner",
            "amount_sought",
            "next_step",
            "next_step_on",
            "notes",
        ]


class InvestmentForm(_InFund):
    override_reason = forms.CharField(
        label=_("Reason to exceed a concentration limit"),
        required=False,
        max_length=300,
        help_text=_(
            "Only needed when the investment would break a limit; it is kept in the change log."
        ),
    )

    class Meta:
        model = Investment
        fields = [
            "fund",
            "enterprise",
            "deal",
            "follow_on_of",
            "round",
            "instrument",
            "invested_on",
            "amount",
            "pre_money",
            "post_money",
            "ownership_pct",
            "rent_free",
            "note",
        ]

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, user=user, **kwargs)
        # rent-free periods are the lease's (an operator grants them); offered by lease and
        # dates only, for the company chosen, and not one already given for equity
        rent_free = RentFree.objects.filter(
            investment__isnull=True, lease__park__operator_id=user.operator_id
        ).select_related("lease__enterprise")
        if user.is_platform_admin:
            rent_free = RentFree.objects.filter(investment__isnull=True).select_related(
                "lease__enterprise"
            )
        if self.instance.pk and self.instance.rent_free_id:
            rent_free = RentFree.objects.filter(pk=self.instance.rent_free_id) | rent_free
        _choices(self, "rent_free").queryset = rent_free
        _choices(self, "rent_free").label_from_instance = lambda r: (
            f"{r.lease.contract_no} · {r.lease.enterprise} · {r.start_on:%Y-%m-%d}～{r.end_on:%Y-%m-%d}"
        )
        _choices(self, "follow_on_of").queryset = Investment.objects.restrict(user).filter(
            follow_on_of__isnull=True
        )


class ValuationForm(_InFund):
    class Meta:
        model = Valuation
        fields = ["investment", "on", "method", "fair_value", "note"]

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, user=user, **kwargs)
        _choices(self, "investment").queryset = Investment.objects.restrict(user).filter(
            follow_on_of__isnull=True
        )


class ExitForm(_InFund):
    class Meta:
        model = Exit
        fields = ["investment", "kind", "on", "proceeds", "note"]

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, user=user, **kwargs)
        _choices(self, "investment").queryset = Investment.objects.restrict(user).filter(
            follow_on_of__isnull=True
        )


class PassForm(forms.Form):
    reason = forms.CharField(label=_("Reason for passing"), max_length=300)


class DocumentForm(forms.ModelForm):
    class Meta:
        model = DealDocument
        fields = ["title", "file"]
