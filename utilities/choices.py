"""Choices of the utilities app: what a meter measures, how its tariff prices, how a shared
meter is split, and why a reading may be lower than the last."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

__all__ = ["UNIT_OF", "Allocation", "MeterKind", "ReadingReason", "TariffStructure"]


class MeterKind(models.TextChoices):
    ELECTRICITY = "electricity", _("Electricity")
    WATER = "water", _("Water")
    GAS = "gas", _("Gas")


# what the consumption is counted in, printed on the bill line
UNIT_OF: dict[str, str] = {MeterKind.ELECTRICITY: "kWh", MeterKind.WATER: "m³", MeterKind.GAS: "m³"}


class TariffStructure(models.TextChoices):
    FLAT = "flat", _("Flat")
    TIME_OF_USE = "tou", _("Time of use (peak / flat / valley)")
    TIERED = "tiered", _("Tiered")


class Allocation(models.TextChoices):
    """How a shared meter's amount is split between the units it serves."""

    NONE = "", _("Not shared (one unit)")
    AREA = "area", _("By area")
    SUBMETERS = "submeters", _("By sub-meters, loss by area")
    FIXED = "fixed", _("By fixed shares")


class ReadingReason(models.TextChoices):
    """Why a reading is lower than the one before: without one it is refused."""

    NONE = "", _("Not lower than the last")
    REPLACED = "replaced", _("Meter replaced (new meter started from 0)")
    ROLLOVER = "rollover", _("Register rolled over")
