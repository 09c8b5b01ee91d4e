"""Leases of units to enterprises, with the terms the rent schedule follows from."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from core.choices import Role
from core.models import TimeStampedModel
from core.permissions import ALL_ACTIONS, READ, Policy, RestrictedQuerySet
from enterprises.models import Enterprise
from leasing.choices import Convention, LeaseState
from spaces.models import Park, Unit

__all__ = ["Lease", "LeaseUnit", "RentFree"]

MONEY = [MinValueValidator(Decimal("0"))]
# Operator staff run leases; the company reads its own; government reviewers and fund
# managers never see one tenant's rent (DESIGN.md).
_LEASE_POLICY = dict(grants={Role.OPERATOR: ALL_ACTIONS, Role.TENANT: READ})


class Lease(TimeStampedModel):
    """A contract letting one or more units of a park to one enterprise."""

    contract_no = models.CharField(_("contract number"), max_length=40, unique=True)
    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("tenant"), on_delete=models.PROTECT, related_name="leases"
    )
    park = models.ForeignKey(
        Park, verbose_name=_("park"), on_delete=models.PROTECT, related_name="leases"
    )
    state = models.CharField(
        _("state"),
        max_length=12,
        choices=LeaseState.choices,
        default=LeaseState.DRAFT,
        db_index=True,
    )
    start_on = models.DateField(_("start date"))
    end_on = models.DateField(_("end date"))
    signed_on = models.DateField(_("signed on"), null=True, blank=True)
    rent_per_m2_day = models.DecimalField(
        _("rent (元/m²/day)"), max_digits=8, decimal_places=2, validators=MONEY
    )
    fee_per_m2_month = models.DecimalField(
        _("management fee (元/m²/month)"),
        max_digits=8,
        decimal_places=2,
        default=Decimal("0"),
        validators=MONEY,
    )
    convention = models.CharField(
        _("monthly rent convention"),
        max_length=10,
        choices=Convention.choices,
        default=Convention.DAILY,
    )
    escalation_pct = models.DecimalField(
        _("yearly escalation (%)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("50"))],
    )
    escalation_from_year = models.PositiveSmallIntegerField(
        _("escalation from lease year"),
        default=2,
        validators=[MinValueValidator(2)],
        help_text=_("The first lease year that pays the increase; 2 = from the first anniversary."),
    )
    deposit_months = models.PositiveSmallIntegerField(_("deposit (months of rent)"), default=1)
    payment_cycle_months = models.PositiveSmallIntegerField(
        _("payment cycle (months)"),
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(12)],
        help_text=_("押一付三: deposit one month, pay every three."),
    )
    bill_days_ahead = models.PositiveSmallIntegerField(
        _("bill days ahead"), default=15, validators=[MaxValueValidator(90)]
    )
    terminated_on = models.DateField(_("terminated on"), null=True, blank=True)
    termination_reason = models.CharField(_("termination reason"), max_length=300, blank=True)
    predecessor = models.OneToOneField(
        "self",
        verbose_name=_("renews"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="successor",
    )

    objects = RestrictedQuerySet.as_manager()
    policy = Policy(**_LEASE_POLICY, park="park", enterprise="enterprise")  # type: ignore[arg-type]

    class Meta:
        verbose_name = _("lease")
        verbose_name_plural = _("leases")
        ordering = ["-start_on", "contract_no"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_on__gte=F("start_on")), name="lease_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return self.contract_no

    def clean(self) -> None:
        if self.start_on and self.end_on and self.end_on < self.start_on:
            raise ValidationError({"end_on": _("The end date is before the start date.")})

    @property
    def last_day(self):  # type: ignore[no-untyped-def]
        """The last day rent runs: the end date, or the day before an early termination."""
        import datetime

        if self.terminated_on is not None:
            return self.terminated_on - datetime.timedelta(days=1)
        return self.end_on


class LeaseUnit(models.Model):
    """A unit in a lease for a span of dates (an expansion or contraction changes spans).

    No unit is ever in two spans that overlap: a database constraint (PostgreSQL exclusion
    over a date range, SQLite trigger) refuses it, whoever saves at the same moment.
    """

    lease = models.ForeignKey(Lease, on_delete=models.CASCADE, related_name="lease_units")
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="lease_units"
    )
    area_m2 = models.DecimalField(
        _("contracted area (m²)"),
        max_digits=10,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    start_on = models.DateField(_("from"))
    end_on = models.DateField(_("to"))

    objects = RestrictedQuerySet.as_manager()
    policy = Policy(**_LEASE_POLICY, park="lease__park", enterprise="lease__enterprise")  # type: ignore[arg-type]

    class Meta:
        verbose_name = _("leased unit")
        verbose_name_plural = _("leased units")
        ordering = ["unit__code", "start_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_on__gte=F("start_on")), name="leaseunit_ends_after_start"
            ),
            models.CheckConstraint(condition=Q(area_m2__gt=0), name="leaseunit_area_positive"),
        ]
        indexes = [models.Index(fields=["unit", "start_on", "end_on"], name="leaseunit_span")]

    def __str__(self) -> str:
        return f"{self.unit} {self.start_on}–{self.end_on}"


class RentFree(models.Model):
    """A rent-free period (免租期): no rent on these days (the management fee still runs)."""

    lease = models.ForeignKey(Lease, on_delete=models.CASCADE, related_name="rent_free")
    start_on = models.DateField(_("from"))
    end_on = models.DateField(_("to"))

    class Meta:
        verbose_name = _("rent-free period")
        verbose_name_plural = _("rent-free periods")
        ordering = ["start_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_on__gte=F("start_on")), name="rentfree_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return f"{self.start_on}–{self.end_on}"
