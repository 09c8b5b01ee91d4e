"""One filter definition per list, used by the UI filter bar and the API query alike."""

from __future__ import annotations

import datetime
from typing import Any

import django_filters as df
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from core.forms import html_date
from spaces.choices import ParkKind, UnitStatus, UnitUse
from spaces.models import Building, Floor, Park, Unit

__all__ = ["BuildingFilter", "FloorFilter", "ParkFilter", "UnitFilter", "available_on"]


def available_on(queryset: QuerySet[Unit], day: datetime.date) -> QuerySet[Unit]:
    """Units that can be let on ``day``: vacant now, or free from that day on."""
    return queryset.filter(
        Q(status=UnitStatus.VACANT, available_from__isnull=True)
        | Q(status__in=[UnitStatus.VACANT, UnitStatus.LEASED], available_from__lte=day)
    )


def filter_park_code(queryset: QuerySet, name: str, value: str) -> QuerySet:
    """By park code, resolved to ids first so the database walks the unit's own park index
    instead of joining parks for every unit."""
    ids = list(Park.objects.filter(code__iexact=value.strip()).values_list("id", flat=True))
    return queryset.filter(**{f"{name}__in": ids})


def buildings_in_scope(request: Any) -> QuerySet[Building]:
    """Choices for the building filter: the buildings the user may see."""
    if request is None:
        return Building.objects.none()
    return Building.objects.restrict(request.user).select_related("park")


class ParkFilter(df.FilterSet):
    q = df.CharFilter(label=_("Search"), method="search")
    kind = df.ChoiceFilter(label=_("Kind"), choices=ParkKind.choices)

    class Meta:
        model = Park
        fields: list[str] = []

    def search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(Q(code__icontains=value) | Q(name__icontains=value))


class BuildingFilter(df.FilterSet):
    park = df.CharFilter(label=_("Park code"), field_name="park_id", method=filter_park_code)
    q = df.CharFilter(label=_("Search"), method="search")

    class Meta:
        model = Building
        fields: list[str] = []

    def search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(Q(code__icontains=value) | Q(name__icontains=value))


class FloorFilter(df.FilterSet):
    park = df.CharFilter(
        label=_("Park code"), field_name="building__park_id", method=filter_park_code
    )
    building = df.ModelChoiceFilter(label=_("Building"), queryset=buildings_in_scope)

    class Meta:
        model = Floor
        fields: list[str] = []


class UnitFilter(df.FilterSet):
    """Unit search: the filters a tenant's space requirements translate into."""

    park = df.CharFilter(label=_("Park code"), field_name="park_id", method=filter_park_code)
    building = df.ModelChoiceFilter(label=_("Building"), queryset=buildings_in_scope)
    q = df.CharFilter(label=_("Unit code"), field_name="code", lookup_expr="icontains")
    use = df.ChoiceFilter(label=_("Use"), choices=UnitUse.choices)
    status = df.ChoiceFilter(label=_("Status"), choices=UnitStatus.choices)
    area_min = df.NumberFilter(label=_("Area from (m²)"), field_name="area_m2", lookup_expr="gte")
    area_max = df.NumberFilter(label=_("Area to (m²)"), field_name="area_m2", lookup_expr="lte")
    clear_height_min = df.NumberFilter(
        label=_("Min clear height (m)"), field_name="clear_height_m", lookup_expr="gte"
    )
    floor_load_min = df.NumberFilter(
        label=_("Min floor load (kN/m²)"), field_name="floor_load_kn_m2", lookup_expr="gte"
    )
    power_min = df.NumberFilter(
        label=_("Min power (kVA)"), field_name="power_kva", lookup_expr="gte"
    )
    available_on = df.DateFilter(label=_("Available on"), method="filter_available")

    class Meta:
        model = Unit
        fields: list[str] = []

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        html_date(self.form.fields["available_on"].widget)

    def filter_available(self, queryset: QuerySet, name: str, value: datetime.date) -> QuerySet:
        return available_on(queryset, value)
