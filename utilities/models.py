"""Meters, their readings and the tariffs that price them (水电费).

A reading closes the interval since the meter's previous reading: its consumption (× the
meter's multiplier) is priced by the tariff in force on each day of the interval and becomes
charge lines on the tenant's next bill, through leasing's one charge service. A meter serves
one unit, or is shared by several (allocated by area, by fixed shares, or as a master meter
whose sub-meters bill their own units and whose loss is split by area).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.choices import Role
from core.models import Operator, TimeStampedModel
from core.permissions import ALL_ACTIONS, Policy, RestrictedQuerySet
from spaces.models import Building, Park, Unit
from utilities.choices import Allocation, MeterKind, ReadingReason, TariffStructure

__all__ = ["Meter", "MeterShare", "Reading", "Tariff", "TariffRate", "UtilitySettings"]

# Operator staff read meters and bill through them; tenants see the charge lines on their
# bills (leasing), government reviewers and fund managers none of it.
_GRANTS: dict[str, frozenset[str]] = {Role.OPERATOR: ALL_ACTIONS}
PRICE: dict[str, Any] = {
    "max_digits": 10,
    "decimal_places": 4,
    "validators": [MinValueValidator(Decimal("0"))],
}
QUANTITY: dict[str, Any] = {
    "max_digits": 14,
    "decimal_places": 3,
    "validators": [MinValueValidator(Decimal("0"))],
}


class UtilitySettings(TimeStampedModel):
    """How one operator bills utilities: on the next rent bill (the default, without a row
    here), or on a bill of their own at each billing run."""

    operator = models.OneToOneField(
        Operator,
        verbose_name=_("operator"),
        on_delete=models.CASCADE,
        related_name="utility_settings",
    )
    bill_apart = models.BooleanField(
        _("bill utilities apart from rent"),
        default=False,
        help_text=_(
            "On: each billing run issues a utilities bill of its own. Off: utilities ride on "
            "the next rent bill."
        ),
    )

    objects = RestrictedQuerySet.as_manager()
    policy = Policy(grants=_GRANTS, operator="operator")

    class Meta:
        verbose_name = _("utility billing setting")
        verbose_name_plural = _("utility billing settings")
        ordering = ["operator"]

    str_related = ("operator",)  # the relations __str__ reads: lists join them

    def __str__(self) -> str:
        return str(self.operator)


class Tariff(TimeStampedModel):
    """A price list of one operator for one kind of meter; its rates change from a date."""

    operator = models.ForeignKey(
        Operator, verbose_name=_("operator"), on_delete=models.PROTECT, related_name="tariffs"
    )
    name = models.CharField(_("name"), max_length=60)
    kind = models.CharField(_("kind"), max_length=12, choices=MeterKind.choices)
    structure = models.CharField(
        _("structure"), max_length=8, choices=TariffStructure.choices, default="flat"
    )
    peak_hours = models.CharField(
        _("peak hours"), max_length=60, blank=True, help_text=_("e.g. 08:00–11:00, 18:00–23:00")
    )
    valley_hours = models.CharField(
        _("valley hours"), max_length=60, blank=True, help_text=_("e.g. 23:00–07:00")
    )
    tax_rate_pct = models.DecimalField(
        _("tax rate (%)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("13"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("20"))],
        help_text=_("Included in the prices; printed for the fapiao (electricity 13, water 9)."),
    )

    objects = RestrictedQuerySet.as_manager()
    policy = Policy(grants=_GRANTS, operator="operator")

    class Meta:
        verbose_name = _("tariff")
        verbose_name_plural = _("tariffs")
        ordering = ["kind", "name"]
        constraints = [
            models.UniqueConstraint(fields=["operator", "name"], name="tariff_name_unique")
        ]

    def __str__(self) -> str:
        return self.name


class TariffRate(TimeStampedModel):
    """The tariff's prices from ``valid_from`` until the next rate's date. Which prices are
    used depends on the structure: flat uses ``price``; time of use ``peak_price``, ``price``
    (the flat period) and ``valley_price``; tiered ``price`` up to ``tier1_upto`` a billing
    period, ``tier2_price`` up to ``tier2_upto`` and ``tier3_price`` above."""

    tariff = models.ForeignKey(
        Tariff, verbose_name=_("tariff"), on_delete=models.CASCADE, related_name="rates"
    )
    valid_from = models.DateField(_("valid from"))
    price = models.DecimalField(_("price (元 a unit)"), **PRICE)
    peak_price = models.DecimalField(_("peak price"), null=True, blank=True, **PRICE)
    valley_price = models.DecimalField(_("valley price"), null=True, blank=True, **PRICE)
    tier1_upto = models.DecimalField(_("tier 1 up to"), null=True, blank=True, **QUANTITY)
    tier2_price = models.DecimalField(_("tier 2 price"), null=True, blank=True, **PRICE)
    tier2_upto = models.DecimalField(_("tier 2 up to"), null=True, blank=True, **QUANTITY)
    tier3_price = models.DecimalField(_("tier 3 price"), null=True, blank=True, **PRICE)

    objects = RestrictedQuerySet.as_manager()
    policy = Policy(grants=_GRANTS, operator="tariff__operator")

    class Meta:
        verbose_name = _("tariff rate")
        verbose_name_plural = _("tariff rates")
        ordering = ["tariff", "valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["tariff", "valid_from"], name="tariff_rate_once_a_day")
        ]

    str_related = ("tariff",)  # the relations __str__ reads: lists join them

    def __str__(self) -> str:
        return f"{self.tariff} {self.valid_from}"

    def clean(self) -> None:
        structure = self.tariff.structure if self.tariff_id else TariffStructure.FLAT
        needed: list[str] = []
        if structure == TariffStructure.TIME_OF_USE:
            needed = ["peak_price", "valley_price"]
        elif structure == TariffStructure.TIERED:
            needed = ["tier1_upto", "tier2_price", "tier2_upto", "tier3_price"]
        errors = {
            name: _("A %(structure)s tariff needs this price or limit.")
            % {"structure": TariffStructure(structure).label}
            for name in needed
            if getattr(self, name) is None
        }
        if (
            structure == TariffStructure.TIERED
            and self.tier1_upto is not None
            and self.tier2_upto is not None
            and self.tier2_upto <= self.tier1_upto
        ):
            errors["tier2_upto"] = _("Tier 2 must end above tier 1 (%(upto)s).") % {
                "upto": self.tier1_upto
            }
        if errors:
            raise ValidationError(errors)


class Meter(TimeStampedModel):
    """An electricity, water or gas meter in a building.

    ``unit`` is the one unit it bills (through the unit's lease on the reading's interval). A
    shared meter has no unit: its ``allocation`` says how its amount is split between the
    units of its shares. A sub-meter names its master in ``parent`` and bills its own unit.
    """

    park = models.ForeignKey(
        Park, verbose_name=_("park"), on_delete=models.PROTECT, related_name="meters"
    )
    building = models.ForeignKey(
        Building, verbose_name=_("building"), on_delete=models.PROTECT, related_name="meters"
    )
    code = models.CharField(_("meter number"), max_length=30)
    kind = models.CharField(_("kind"), max_length=12, choices=MeterKind.choices)
    tariff = models.ForeignKey(
        Tariff, verbose_name=_("tariff"), on_delete=models.PROTECT, related_name="meters"
    )
    multiplier = models.DecimalField(
        _("multiplier (倍率)"),
        max_digits=10,
        decimal_places=2,
        default=Decimal("1"),
        validators=[MinValueValidator(Decimal("0.01"))],
        help_text=_("The current-transformer ratio: consumption = register difference × it."),
    )
    digits = models.PositiveSmallIntegerField(
        _("register digits"),
        default=8,
        validators=[MinValueValidator(3), MaxValueValidator(10)],
        help_text=_("Whole digits of the register: it rolls over to 0 after 99…9."),
    )
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("unit served"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="meters",
    )
    allocation = models.CharField(
        _("shared by"), max_length=10, choices=Allocation.choices, blank=True, default=""
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("master meter"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="submeters",
    )
    anomaly_factor = models.DecimalField(
        _("anomaly factor"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("3"),
        validators=[MinValueValidator(Decimal("1"))],
        help_text=_(
            "A daily consumption above this multiple of the meter's median asks for a confirmation."
        ),
    )
    active = models.BooleanField(_("in use"), default=True)

    objects = RestrictedQuerySet.as_manager()
    policy = Policy(grants=_GRANTS, park="park")

    class Meta:
        verbose_name = _("meter")
        verbose_name_plural = _("meters")
        ordering = ["park", "building", "code"]
        constraints = [
            models.UniqueConstraint(fields=["park", "code"], name="meter_code_unique"),
            # one unit, or shared: never both, never neither
            models.CheckConstraint(
                condition=(Q(unit__isnull=False) & Q(allocation=""))
                | (Q(unit__isnull=True) & ~Q(allocation="")),
                name="meter_unit_or_shared",
            ),
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def shared(self) -> bool:
        return bool(self.allocation)

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        if self.unit_id and self.allocation:
            errors["allocation"] = _("A meter of one unit is not shared: clear this field.")
        if not self.unit_id and not self.allocation:
            errors["unit"] = _("Choose the unit the meter serves, or how it is shared.")
        if self.building_id and self.park_id and self.building.park_id != self.park_id:
            errors["building"] = _("The building is in another park.")
        if self.unit is not None and self.building_id and self.unit.building_id != self.building_id:
            errors["unit"] = _("The unit is in another building.")
        if self.tariff_id and self.kind and self.tariff.kind != self.kind:
            errors["tariff"] = _("The tariff is for %(kind)s.") % {
                "kind": MeterKind(self.tariff.kind).label
            }
        if self.parent is not None:
            if self.parent.allocation != Allocation.SUBMETERS:
                errors["parent"] = _("The master meter must be shared by sub-meters.")
            elif self.parent.kind != self.kind:
                errors["parent"] = _("The master meter measures something else.")
            if not self.unit_id:
                errors["unit"] = _("A sub-meter serves one unit.")
        if errors:
            raise ValidationError(errors)


class MeterShare(TimeStampedModel):
    """A unit served by a shared meter, with its fixed share where the meter splits so."""

    meter = models.ForeignKey(
        Meter, verbose_name=_("meter"), on_delete=models.CASCADE, related_name="shares"
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="meter_shares"
    )
    share_pct = models.DecimalField(
        _("fixed share (%)"),
        max_digits=6,
        decimal_places=3,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
    )

    objects = RestrictedQuerySet.as_manager()
    policy = Policy(grants=_GRANTS, park="meter__park")

    class Meta:
        verbose_name = _("meter share")
        verbose_name_plural = _("meter shares")
        ordering = ["meter", "unit"]
        constraints = [
            models.UniqueConstraint(fields=["meter", "unit"], name="meter_share_unit_once")
        ]

    str_related = ("meter", "unit")  # the relations __str__ reads: lists join them

    def __str__(self) -> str:
        return f"{self.meter} → {self.unit}"

    def clean(self) -> None:
        if not self.meter_id or not self.unit_id:
            return
        if self.unit.park_id != self.meter.park_id:
            raise ValidationError({"unit": _("The unit is in another park.")})
        if self.meter.allocation == Allocation.FIXED and self.share_pct is None:
            raise ValidationError({"share_pct": _("The meter splits by fixed shares: give one.")})


class Reading(TimeStampedModel):
    """A meter's register on a day; it closes the interval since the previous reading.
    ``consumption`` and ``amount`` are computed when it is recorded (services.reading_add)."""

    meter = models.ForeignKey(
        Meter, verbose_name=_("meter"), on_delete=models.PROTECT, related_name="readings"
    )
    read_on = models.DateField(_("read on"))
    value = models.DecimalField(_("reading"), **QUANTITY)
    peak = models.DecimalField(_("peak register"), null=True, blank=True, **QUANTITY)
    valley = models.DecimalField(_("valley register"), null=True, blank=True, **QUANTITY)
    reason = models.CharField(
        _("lower because"), max_length=10, choices=ReadingReason.choices, blank=True, default=""
    )
    consumption = models.DecimalField(_("consumption"), default=Decimal("0"), **QUANTITY)
    amount = models.DecimalField(
        _("amount (元)"), max_digits=14, decimal_places=2, default=Decimal("0")
    )
    anomaly = models.BooleanField(_("unusual, confirmed"), default=False)
    billed_note = models.CharField(_("billing"), max_length=200, blank=True)

    objects = RestrictedQuerySet.as_manager()
    policy = Policy(grants=_GRANTS, park="meter__park")

    class Meta:
        verbose_name = _("reading")
        verbose_name_plural = _("readings")
        ordering = ["meter", "-read_on"]
        constraints = [
            models.UniqueConstraint(fields=["meter", "read_on"], name="reading_once_a_day")
        ]

    str_related = ("meter",)  # the relations __str__ reads: lists join them

    def __str__(self) -> str:
        return f"{self.meter} {self.read_on}"
