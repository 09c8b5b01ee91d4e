"""Reads of the utilities app: the walk round, consumption by month, a tenant's usage."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import OuterRef, QuerySet, Subquery

from leasing.models import LeaseCharge
from utilities.models import Meter, Reading

__all__ = ["WalkRound", "monthly_consumption", "tenant_usage", "walk_round", "with_last_reading"]


def with_last_reading(meters: QuerySet[Meter]) -> QuerySet[Meter]:
    """Meters annotated with their last reading's date and value: one query for a list."""
    last = Reading.objects.filter(meter=OuterRef("pk")).order_by("-read_on")
    return meters.annotate(
        last_read_on=Subquery(last.values("read_on")[:1]),
        last_value=Subquery(last.values("value")[:1]),
    )


@dataclass
class WalkRound:
    """A round of readings in one building for one month: what is read, what comes next."""

    meters: list[Meter]
    month_start: datetime.date

    def read(self, meter: Meter) -> bool:
        return bool(meter.last_read_on and meter.last_read_on >= self.month_start)  # type: ignore[attr-defined]

    @property
    def done(self) -> int:
        return sum(1 for m in self.meters if self.read(m))

    @property
    def next(self) -> Meter | None:
        return next((m for m in self.meters if not self.read(m)), None)


def walk_round(user: Any, building_id: int, on: datetime.date) -> WalkRound:
    """The building's meters in use, in code order (the order one walks them), with the
    month of ``on`` as the round."""
    meters = with_last_reading(
        Meter.objects.restrict(user, "view")
        .filter(building_id=building_id, active=True)
        .select_related("tariff", "unit")
        .order_by("code")
    )
    rnd = WalkRound(list(meters), on.replace(day=1))
    for meter in rnd.meters:
        meter.is_read = rnd.read(meter)  # type: ignore[attr-defined]
    return rnd


def monthly_consumption(meter: Meter, months: int = 12) -> list[tuple[datetime.date, Decimal]]:
    """Consumption of the last ``months`` months with readings, by the month each interval
    was read in (a monthly round reads each meter once a month)."""
    by_month: dict[datetime.date, Decimal] = defaultdict(Decimal)
    for read_on, quantity in meter.readings.order_by("-read_on").values_list(
        "read_on", "consumption"
    )[: months * 2]:
        by_month[read_on.replace(day=1)] += quantity
    return sorted(by_month.items())[-months:]


def tenant_usage(user: Any, enterprise: Any) -> dict[str, list[tuple[datetime.date, Decimal]]]:
    """What the tenant was billed for by meter kind and month (quantities of its charge lines
    from readings, shared meters' shares included), as the user may see them."""
    charges = (
        LeaseCharge.objects.restrict(user)
        .filter(lease__enterprise=enterprise, source__startswith="utilities.reading:")
        .values_list("kind", "period_end", "quantity")
    )
    usage: dict[str, dict[datetime.date, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    for kind, period_end, quantity in charges:
        usage[kind][period_end.replace(day=1)] += quantity
    return {kind: sorted(months.items())[-12:] for kind, months in usage.items()}
