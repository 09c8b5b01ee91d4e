"""Reads of the spaces module: park figures and the stacking plan."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, DecimalField, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce

from spaces.choices import UnitStatus, UnitUse
from spaces.models import HIGH_CLEAR_HEIGHT_M, Building, Floor, Unit

__all__ = ["AreaFigures", "Slice", "area_breakdown", "area_figures", "stacking_plan"]

ZERO = Value(Decimal("0"), output_field=DecimalField(max_digits=14, decimal_places=2))


@dataclass(frozen=True)
class AreaFigures:
    total_area_m2: Decimal
    leasable_area_m2: Decimal
    high_clear_height_area_m2: Decimal
    units: int

    @property
    def high_clear_height_share(self) -> Decimal:
        """Share of area with clear height over 6.5 m (the source report's 85 %)."""
        if not self.total_area_m2:
            return Decimal("0")
        return (self.high_clear_height_area_m2 / self.total_area_m2).quantize(Decimal("0.0001"))


def area_figures(units: QuerySet[Unit]) -> AreaFigures:
    """Areas of a set of units, summed in the database (one query)."""
    row = units.aggregate(
        total=Coalesce(Sum("area_m2"), ZERO),
        leasable=Coalesce(Sum("area_m2", filter=~Q(status=UnitStatus.NOT_LEASABLE)), ZERO),
        high=Coalesce(Sum("area_m2", filter=Q(clear_height_m__gt=HIGH_CLEAR_HEIGHT_M)), ZERO),
        count=Count("id"),
    )
    return AreaFigures(row["total"], row["leasable"], row["high"], row["count"])


def stacking_plan(building: Building) -> list[dict[str, Any]]:
    """Floors top down, each with its units in code order (two queries)."""
    floors = list(Floor.objects.filter(building=building).order_by("-number"))
    by_floor: dict[int, list[Unit]] = {f.pk: [] for f in floors}
    for unit in Unit.objects.filter(building=building).order_by("code"):
        by_floor[unit.floor_id].append(unit)
    return [{"floor": f, "units": by_floor[f.pk]} for f in floors]


@dataclass(frozen=True)
class Slice:
    label: Any
    area_m2: Decimal
    share: Decimal


HEIGHT_BANDS: list[tuple[Any, Decimal | None, Decimal | None]] = [
    ("< 4 m", None, Decimal("4")),
    ("4 – 6.5 m", Decimal("4"), HIGH_CLEAR_HEIGHT_M),
    ("6.5 – 10 m", HIGH_CLEAR_HEIGHT_M, Decimal("10")),
    ("> 10 m", Decimal("10"), None),
]


def area_breakdown(units: QuerySet[Unit]) -> dict[str, list[Slice]]:
    """Area by use and by clear-height band, for the park page's bars (two queries)."""
    total = units.aggregate(t=Coalesce(Sum("area_m2"), ZERO))["t"] or Decimal("0")

    def share(area: Decimal) -> Decimal:
        return (area / total).quantize(Decimal("0.0001")) if total else Decimal("0")

    labels = dict(UnitUse.choices)
    by_use = [
        Slice(labels.get(row["use"], row["use"]), row["area"], share(row["area"]))
        for row in units.values("use").annotate(area=Sum("area_m2")).order_by("-area")
    ]
    sums = {}
    for i, (_label, low, high) in enumerate(HEIGHT_BANDS):
        condition = Q()
        if low is not None:
            condition &= Q(clear_height_m__gt=low) if i > 0 else Q(clear_height_m__gte=low)
        if high is not None:
            condition &= Q(clear_height_m__lte=high)
        sums[f"b{i}"] = Coalesce(Sum("area_m2", filter=condition), ZERO)
    row = units.aggregate(**sums)
    by_height = [
        Slice(label, row[f"b{i}"], share(row[f"b{i}"]))
        for i, (label, _low, _high) in enumerate(HEIGHT_BANDS)
    ]
    return {"by_use": by_use, "by_height": by_height}
