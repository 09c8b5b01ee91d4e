"""Parks, buildings, floors and units with their physical attributes."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.db.models.signals import m2m_changed
from django.dispatch import receiver
from django.utils.translation import gettext_lazy as _

from core.choices import Role
from core.models import Jurisdiction, Operator, TimeStampedModel
from core.permissions import ALL_ACTIONS, READ, Policy, RestrictedQuerySet
from spaces.choices import ParkKind, UnitStatus, UnitUse

__all__ = ["HIGH_CLEAR_HEIGHT_M", "Building", "Floor", "Park", "Unit"]

# The source report's measure of a renovated factory: share of area with clear height > 6.5 m.
HIGH_CLEAR_HEIGHT_M = Decimal("6.5")

_SPACE_GRANTS: dict[str, frozenset[str]] = {Role.OPERATOR: ALL_ACTIONS, Role.GOV: READ}


class Park(TimeStampedModel):
    """A park run by one operator in one jurisdiction; staff are the operator users assigned."""

    code = models.CharField(
        _("park code"),
        max_length=20,
        unique=True,
        help_text=_("Short code in capital letters, e.g. ZZGC."),
    )
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=20, choices=ParkKind.choices)
    address = models.CharField(_("address"), max_length=200, blank=True)
    operator = models.ForeignKey(
        Operator, verbose_name=_("operator"), on_delete=models.PROTECT, related_name="parks"
    )
    jurisdiction = models.ForeignKey(
        Jurisdiction,
        verbose_name=_("jurisdiction"),
        on_delete=models.PROTECT,
        related_name="parks",
    )
    staff = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned staff"),
        blank=True,
        related_name="assigned_parks",
        limit_choices_to={"role": Role.OPERATOR},
    )

    objects = RestrictedQuerySet.as_manager()
    # A park's public facts (name, code, district, address, the space it offers) are read by
    # every signed-in role: a tenant finds the park it applies to, a fund manager the parks
    # its portfolio sits in. Who staffs it is the operator's and the reviewers' business.
    policy = Policy(
        grants={
            Role.OPERATOR: frozenset({"view", "change"}),
            Role.GOV: READ,
            Role.TENANT: READ,
            Role.FUND: READ,
        },
        park="",
        unscoped_roles=frozenset({Role.TENANT, Role.FUND}),
        hidden={Role.TENANT: frozenset({"staff"}), Role.FUND: frozenset({"staff"})},
    )

    class Meta:
        verbose_name = _("park")
        verbose_name_plural = _("parks")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        self.code = (self.code or "").strip().upper()


class Building(TimeStampedModel):
    """A building of a park, with the facts of its renovation (original use, years)."""

    park = models.ForeignKey(
        Park, verbose_name=_("park"), on_delete=models.PROTECT, related_name="buildings"
    )
    code = models.CharField(_("building code"), max_length=20)
    name = models.CharField(_("name"), max_length=100)
    floors_above = models.PositiveSmallIntegerField(
        _("floors above ground"),
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(200)],
    )
    floors_below = models.PositiveSmallIntegerField(
        _("floors below ground"), default=0, validators=[MaxValueValidator(10)]
    )
    original_use = models.CharField(
        _("original use"),
        max_length=100,
        blank=True,
        help_text=_("For a renovated building, what it was built for, e.g. furniture factory."),
    )
    year_built = models.PositiveSmallIntegerField(
        _("year built"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1900), MaxValueValidator(2100)],
    )
    year_renovated = models.PositiveSmallIntegerField(
        _("year renovated"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1900), MaxValueValidator(2100)],
    )

    objects = RestrictedQuerySet.as_manager()
    policy = Policy(grants=_SPACE_GRANTS, park="park")

    class Meta:
        verbose_name = _("building")
        verbose_name_plural = _("buildings")
        ordering = ["park__code", "code"]
        constraints = [
            models.UniqueConstraint(fields=["park", "code"], name="building_code_unique_in_park"),
            models.CheckConstraint(
                condition=Q(year_renovated__isnull=True)
                | Q(year_built__isnull=True)
                | Q(year_renovated__gte=models.F("year_built")),
                name="building_renovated_after_built",
            ),
        ]

    str_related = ("park",)  # the relations __str__ reads: lists join them

    def __str__(self) -> str:
        return f"{self.park.code}-{self.code} {self.name}" if self.park_id else self.name

    def clean(self) -> None:
        self.code = (self.code or "").strip().upper()
        if self.year_built and self.year_renovated and self.year_renovated < self.year_built:
            raise ValidationError(
                {
                    "year_renovated": _(
                        "The year renovated cannot be before the year built (%(year)s)."
                    )
                    % {"year": self.year_built}
                }
            )

    def floor_numbers(self) -> list[int]:
        """Floor numbers this building can have, top down: 5, 4, …, 1, -1, -2."""
        above = list(range(self.floors_above, 0, -1))
        return above + [-n for n in range(1, self.floors_below + 1)]


class Floor(TimeStampedModel):
    """A storey of a building: 1, 2, … above ground, -1, -2, … below."""

    building = models.ForeignKey(
        Building, verbose_name=_("building"), on_delete=models.PROTECT, related_name="floors"
    )
    number = models.SmallIntegerField(_("floor number"))
    name = models.CharField(_("name"), max_length=50, blank=True)

    objects = RestrictedQuerySet.as_manager()
    policy = Policy(grants=_SPACE_GRANTS, park="building__park")

    class Meta:
        verbose_name = _("floor")
        verbose_name_plural = _("floors")
        ordering = ["building_id", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["building", "number"], name="floor_unique_number"),
            models.CheckConstraint(condition=~Q(number=0), name="floor_number_not_zero"),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return self.name or (f"{self.number}F" if self.number > 0 else f"B{-self.number}")

    def clean(self) -> None:
        if self.building_id is None or self.number is None:
            return
        if self.number not in self.building.floor_numbers():
            raise ValidationError(
                {
                    "number": _(
                        "Floor %(number)s is outside this building, which has floors "
                        "%(low)s to %(high)s (no floor 0)."
                    )
                    % {
                        "number": self.number,
                        "low": -self.building.floors_below or 1,
                        "high": self.building.floors_above,
                    }
                }
            )


class Unit(TimeStampedModel):
    """A leasable space on one floor, with the attributes a tenant chooses by.

    ``building`` and ``park`` repeat the floor's: they carry the unique code per building and
    let the unit search filter by park on an index without joins.
    """

    floor = models.ForeignKey(
        Floor, verbose_name=_("floor"), on_delete=models.PROTECT, related_name="units"
    )
    # no index of their own: the unique (building, code) and the (park, code) index lead with
    # them, and each index less makes a big import's insert shorter (bench/imports.py)
    building = models.ForeignKey(
        Building,
        verbose_name=_("building"),
        on_delete=models.PROTECT,
        related_name="units",
        editable=False,
        db_index=False,
    )
    park = models.ForeignKey(
        Park,
        verbose_name=_("park"),
        on_delete=models.PROTECT,
        related_name="units",
        editable=False,
        db_index=False,
    )
    code = models.CharField(_("unit code"), max_length=30)
    use = models.CharField(_("use"), max_length=20, choices=UnitUse.choices)
    area_m2 = models.DecimalField(
        _("building area (m²)"),
        max_digits=10,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    clear_height_m = models.DecimalField(
        _("clear height (m)"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("2")), MaxValueValidator(Decimal("30"))],
    )
    floor_load_kn_m2 = models.DecimalField(
        _("floor load (kN/m²)"),
        max_digits=6,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    power_kva = models.DecimalField(
        _("power (kVA)"),
        max_digits=8,
        decimal_places=1,
        validators=[MinValueValidator(Decimal("0"))],
    )
    list_rent = models.DecimalField(
        _("list rent (元/m²/day)"),
        max_digits=8,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0"))],
    )
    status = models.CharField(
        _("status"), max_length=20, choices=UnitStatus.choices, default=UnitStatus.VACANT
    )
    available_from = models.DateField(
        _("available from"),
        null=True,
        blank=True,
        help_text=_("First day the unit can be let; empty means now, if it is vacant."),
    )

    objects = RestrictedQuerySet.as_manager()
    policy = Policy(grants=_SPACE_GRANTS, park="park")

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        ordering = ["code", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["building", "code"], name="unit_code_unique_in_building"
            ),
            models.CheckConstraint(condition=Q(area_m2__gt=0), name="unit_area_positive"),
            models.CheckConstraint(
                condition=Q(clear_height_m__gte=2) & Q(clear_height_m__lte=30),
                name="unit_clear_height_2_30",
            ),
            models.CheckConstraint(condition=Q(floor_load_kn_m2__gt=0), name="unit_load_positive"),
            models.CheckConstraint(condition=Q(power_kva__gte=0), name="unit_power_not_negative"),
            models.CheckConstraint(condition=Q(list_rent__gte=0), name="unit_rent_not_negative"),
        ]
        indexes = [
            # A search walks units in list order and stops at a page: these keep that walk
            # short whatever the portfolio's size (bench/unit_search.py).
            models.Index(fields=["park", "code"], name="unit_park_code"),
            models.Index(fields=["park", "status", "code"], name="unit_park_status"),
            # (code, id) is the list's order: the first page of 200,000 units reads it in
            # order instead of sorting them (API list at scale 1: 23 → 13 ms, bench/scale.py)
            models.Index(fields=["code", "id"], name="unit_code_id"),
            models.Index(fields=["area_m2"], name="unit_area"),
            models.Index(fields=["clear_height_m"], name="unit_height"),
        ]

    def __str__(self) -> str:
        return self.code

    def derive(self) -> None:
        """Copy building and park from the floor: they must never disagree with it."""
        if self.floor_id is not None:
            self.building = self.floor.building
            self.park_id = self.floor.building.park_id

    def clean_fields(self, exclude: Any = None) -> None:
        self.code = (self.code or "").strip().upper()
        self.derive()
        super().clean_fields(exclude=exclude)

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.derive()
        super().save(*args, **kwargs)


@receiver(m2m_changed, sender=Park.staff.through)
def _staff_of_the_parks_operator(
    sender: Any, instance: Any, action: str, pk_set: set[int] | None, reverse: bool, **kwargs: Any
) -> None:
    """Park staff belong to the park's operator: staff of another operator put on a park would
    review its applications as its operator side."""
    if action != "pre_add" or not pk_set:
        return
    from django.contrib.auth import get_user_model

    users = get_user_model().objects.filter(pk__in=pk_set)
    if not reverse:  # park.staff.add(users)
        strangers = users.exclude(operator_id=instance.operator_id)
    else:  # user.assigned_parks.add(parks)
        parks = Park.objects.filter(pk__in=pk_set).exclude(operator_id=instance.operator_id)
        strangers = (
            users.none() if not parks.exists() else get_user_model().objects.filter(pk=instance.pk)
        )
    if strangers.exists():
        raise ValidationError(
            {
                "staff": _(
                    "%(names)s work for another operator: park staff are the park operator's."
                )
                % {"names": "、".join(str(u) for u in strangers)}
            }
        )
