"""One filter definition per list, for the UI filter bar and the API query alike."""

from __future__ import annotations

import django_filters as df
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from fund.choices import DealSource, DealStage, ExpenseKind, FlowKind, MarkMethod
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

__all__ = [
    "DealFilter",
    "DocumentFilter",
    "ExitFilter",
    "ExpenseFilter",
    "FundFilter",
    "InvestmentFilter",
    "LedgerFilter",
    "LpFilter",
    "ValuationFilter",
]


def _funds(request: object) -> QuerySet[Fund]:
    user = getattr(request, "user", None)
    return Fund.objects.restrict(user) if user is not None else Fund.objects.none()


class FundFilter(df.FilterSet):
    q = df.CharFilter(label=_("Code or name"), method="search")

    class Meta:
        model = Fund
        fields: list[str] = []

    def search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(Q(code__iexact=value) | Q(name__icontains=value))


class _InFund(df.FilterSet):
    fund = df.ModelChoiceFilter(label=_("Fund"), queryset=_funds)


class LpFilter(_InFund):
    class Meta:
        model = LimitedPartner
        fields: list[str] = []


class LedgerFilter(_InFund):
    kind = df.ChoiceFilter(label=_("Kind"), choices=FlowKind.choices)
    lp = df.NumberFilter(label=_("Limited partner id"), field_name="lp_id")

    class Meta:
        model = LedgerEntry
        fields: list[str] = []


class ExpenseFilter(_InFund):
    kind = df.ChoiceFilter(label=_("Kind"), choices=ExpenseKind.choices)

    class Meta:
        model = FundExpense
        fields: list[str] = []


class DealFilter(_InFund):
    q = df.CharFilter(label=_("Company"), method="search")
    stage = df.ChoiceFilter(label=_("Stage"), choices=DealStage.choices)
    source = df.ChoiceFilter(label=_("Source"), choices=DealSource.choices)

    class Meta:
        model = Deal
        fields: list[str] = []

    def search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(enterprise__name__icontains=value)


class InvestmentFilter(_InFund):
    q = df.CharFilter(label=_("Company"), method="search")
    enterprise = df.NumberFilter(label=_("Enterprise id"), field_name="enterprise_id")
    holdings = df.BooleanFilter(
        label=_("First investments only"), field_name="follow_on_of", lookup_expr="isnull"
    )

    class Meta:
        model = Investment
        fields: list[str] = []

    def search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(enterprise__name__icontains=value)


class ValuationFilter(_InFund):
    method = df.ChoiceFilter(label=_("Method"), choices=MarkMethod.choices)
    investment = df.NumberFilter(label=_("Investment id"), field_name="investment_id")

    class Meta:
        model = Valuation
        fields: list[str] = []


class ExitFilter(_InFund):
    class Meta:
        model = Exit
        fields: list[str] = []


class DocumentFilter(df.FilterSet):
    deal = df.NumberFilter(label=_("Deal id"), field_name="deal_id")

    class Meta:
        model = DealDocument
        fields: list[str] = []
