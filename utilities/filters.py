"""One filter definition per list, for the UI filter bar and the API query alike."""

from __future__ import annotations

import django_filters as df
from django.utils.translation import gettext_lazy as _

from spaces.filters import buildings_in_scope, filter_park_code
from utilities.choices import MeterKind
from utilities.models import Meter, MeterShare, Reading, Tariff, TariffRate, UtilitySettings

__all__ = [
    "MeterFilter",
    "ReadingFilter",
    "SettingsFilter",
    "ShareFilter",
    "TariffFilter",
    "TariffRateFilter",
]


class TariffFilter(df.FilterSet):
    kind = df.ChoiceFilter(label=_("Kind"), choices=MeterKind.choices)

    class Meta:
        model = Tariff
        fields: list[str] = []


class TariffRateFilter(df.FilterSet):
    tariff = df.NumberFilter(label=_("Tariff id"), field_name="tariff_id")

    class Meta:
        model = TariffRate
        fields: list[str] = []


class MeterFilter(df.FilterSet):
    park = df.CharFilter(label=_("Park code"), field_name="park_id", method=filter_park_code)
    building = df.ModelChoiceFilter(label=_("Building"), queryset=buildings_in_scope)
    kind = df.ChoiceFilter(label=_("Kind"), choices=MeterKind.choices)
    code = df.CharFilter(label=_("Meter number"), lookup_expr="icontains")
    active = df.BooleanFilter(label=_("In use"))

    class Meta:
        model = Meter
        fields: list[str] = []


class ShareFilter(df.FilterSet):
    meter = df.NumberFilter(label=_("Meter id"), field_name="meter_id")

    class Meta:
        model = MeterShare
        fields: list[str] = []


class ReadingFilter(df.FilterSet):
    park = df.CharFilter(label=_("Park code"), field_name="meter__park_id", method=filter_park_code)
    meter = df.NumberFilter(label=_("Meter id"), field_name="meter_id")
    anomaly = df.BooleanFilter(label=_("Unusual"))
    read_from = df.DateFilter(label=_("Read from"), field_name="read_on", lookup_expr="gte")
    read_to = df.DateFilter(label=_("Read to"), field_name="read_on", lookup_expr="lte")

    class Meta:
        model = Reading
        fields: list[str] = []


class SettingsFilter(df.FilterSet):
    operator = df.NumberFilter(label=_("Operator id"), field_name="operator_id")

    class Meta:
        model = UtilitySettings
        fields: list[str] = []
