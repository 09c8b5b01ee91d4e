"""Inputs of the utilities pages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import ScopedModelForm, html_date
from utilities.models import Meter, MeterShare, Reading, Tariff, TariffRate, UtilitySettings

__all__ = ["MeterForm", "ReadingForm", "SettingsForm", "ShareForm", "TariffForm", "TariffRateForm"]


class SettingsForm(ScopedModelForm):
    class Meta:
        model = UtilitySettings
        fields = ["operator", "bill_apart"]


class TariffForm(ScopedModelForm):
    class Meta:
        model = Tariff
        fields = [
            "operator",
            "name",
            "kind",
            "structure",
            "peak_hours",
            "valley_hours",
            "tax_rate_pct",
        ]


class TariffRateForm(ScopedModelForm):
    class Meta:
        model = TariffRate
        fields = [
            "tariff",
            "valid_from",
            "price",
            "peak_price",
            "valley_price",
            "tier1_upto",
            "tier2_price",
            "tier2_upto",
            "tier3_price",
        ]


class MeterForm(ScopedModelForm):
    class Meta:
        model = Meter
        fields = [
            "park",
            "building",
            "code",
            "kind",
            "tariff",
            "multiplier",
            "digits",
            "unit",
            "allocation",
            "parent",
            "anomaly_factor",
            "active",
        ]


class ShareForm(ScopedModelForm):
    class Meta:
        model = MeterShare
        fields = ["meter", "unit", "share_pct"]


class ReadingForm(ScopedModelForm):
    """One reading, with the confirmation an unusual consumption asks for."""

    confirm = forms.BooleanField(
        label=_("I checked it: the consumption is unusual but right"), required=False
    )

    class Meta:
        model = Reading
        fields = ["meter", "read_on", "value", "peak", "valley", "reason"]
        widgets = {"read_on": html_date(forms.DateInput())}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("value", "peak", "valley"):
            self.fields[name].widget.attrs.update({"inputmode": "decimal", "autocomplete": "off"})
