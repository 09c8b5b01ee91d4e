"""Occupancy (出租率) by leased area over leasable area, at any date."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import DecimalField, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce

from leasing.choices import LeaseState
from leasing.models import LeaseUnit
from spaces.choices import UnitStatus
from spaces.models import Unit

__all__ = ["Occupancy", "leased_spans_on", "occupancy"]

ZERO = Value(Decimal("0"), output_field=DecimalField(max_digits=16, decimal_places=2))
LIVE = (LeaseState.ACTIVE, LeaseState.TERMINATED, LeaseState.EXPIRED, LeaseState.RENEWED)


@dataclass(frozen=True)
class Occupancy:
    leasable_area_m2: Decimal
    leased_area_m2: Decimal

    @property
    def rate(self) -> Decimal:
        if not self.leasable_area_m2:
            return Decimal("0")
        return (self.leased_area_m2 / self.leasable_area_m2).quantize(Decimal("0.0001"))


def leased_spans_on(day: datetime.date) -> QuerySet[LeaseUnit]:
    """Unit spans of signed leases that cover ``day`` (a draft is not an occupancy)."""
    return LeaseUnit.objects.filter(start_on__lte=day, end_on__gte=day, lease__state__in=LIVE)


def occupancy(units: QuerySet[Unit], day: datetime.date) -> Occupancy:
    """Over leasable units (not 'not leasable'); leased area counts the unit's own area, so
    the rate never exceeds 1 whatever area a contract states (two queries)."""
    leasable = units.exclude(status=UnitStatus.NOT_LEASABLE)
    total = leasable.aggregate(a=Coalesce(Sum("area_m2"), ZERO))["a"]
    leased = leasable.filter(Q(id__in=leased_spans_on(day).values("unit_id"))).aggregate(
        a=Coalesce(Sum("area_m2"), ZERO)
    )["a"]
    area = Decimal("0.01")  # the same figures on SQLite and PostgreSQL
    return Occupancy(Decimal(total).quantize(area), Decimal(leased).quantize(area))
