"""One filter definition per list, for the UI filter bar and the API query alike."""

from __future__ import annotations

import django_filters as df
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from admissions.choices import AppState, Channel, RuleKind
from admissions.models import AdmissionSettings, Application, ThresholdRule
from spaces.filters import filter_park_code

__all__ = ["ApplicationFilter", "SettingsFilter", "ThresholdFilter"]


class ApplicationFilter(df.FilterSet):
    q = df.CharFilter(label=_("Company"), method="search")
    park = df.CharFilter(label=_("Park code"), field_name="park_id", method=filter_park_code)
    state = df.ChoiceFilter(label=_("State"), choices=AppState.choices)
    channel = df.ChoiceFilter(label=_("Channel"), choices=Channel.choices)

    class Meta:
        model = Application
        fields: list[str] = []

    def search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(
            Q(enterprise__name__icontains=value)
            | Q(enterprise__credit_code__startswith=value.upper())
        )


class ThresholdFilter(df.FilterSet):
    park = df.CharFilter(label=_("Park code"), field_name="park_id", method=filter_park_code)
    kind = df.ChoiceFilter(label=_("Rule"), choices=RuleKind.choices)

    class Meta:
        model = ThresholdRule
        fields: list[str] = []


class SettingsFilter(df.FilterSet):
    operator = df.CharFilter(
        label=_("Operator code"), field_name="operator__code", lookup_expr="iexact"
    )

    class Meta:
        model = AdmissionSettings
        fields: list[str] = []
