"""Kinds of park, uses and statuses of units."""

from django.db import models
from django.utils.translation import gettext_lazy as _

__all__ = ["ParkKind", "UnitStatus", "UnitUse"]


class ParkKind(models.TextChoices):
    INCUBATOR = "incubator", _("Incubator")
    INNOVATION_CENTRE = "innovation", _("Innovation centre")
    MANUFACTURING = "manufacturing", _("Manufacturing park")


class UnitUse(models.TextChoices):
    OFFICE = "office", _("Office")
    LAB = "lab", _("Laboratory")
    WORKSHOP = "workshop", _("Workshop")
    WAREHOUSE = "warehouse", _("Warehouse")


class UnitStatus(models.TextChoices):
    VACANT = "vacant", _("Vacant")
    RESERVED = "reserved", _("Reserved")
    LEASED = "leased", _("Leased")
    NOT_LEASABLE = "not_leasable", _("Not leasable")
