"""One filter definition per list, for the UI filter bar and the API query alike."""

from __future__ import annotations

import django_filters as df
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from leasing.choices import LeaseState
from leasing.models import Lease
from spaces.filters import filter_park_code

__all__ = ["LeaseFilter"]


class LeaseFilter(df.FilterSet):
    q = df.CharFilter(label=_("Contract or tenant"), method="search")
    park = df.CharFilter(label=_("Park code"), field_name="park_id", method=filter_park_code)
    state = df.ChoiceFilter(label=_("State"), choices=LeaseState.choices)
    ends_before = df.DateFilter(
        label=_("Ends on or before"), field_name="end_on", lookup_expr="lte"
    )

    class Meta:
        model = Lease
        fields: list[str] = []

    def search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(
            Q(contract_no__icontains=value) | Q(enterprise__name__icontains=value)
        )
