"""Reads of the spaces module: park figures and the stacking plan."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, DecimalField, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from spaces.choices import UnitStatus, UnitUse
from spaces.filters import available_on
from spaces.models import HIGH_CLEAR_HEIGHT_M, Building, Floor, Unit

__all__ = [
    "AreaFigures",
    "Match",
    "Requirements",
    "Slice",
    "area_breakdown",
    "area_figures",
    "offered_space",
    "stacking_plan",
    "units_matching",
]

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


@dataclass(frozen=True)
class OfferedSpace:
    """What a park offers an applicant today: its public facts, read by every role."""

    units: int
    area_m2: Decimal
    uses: list[str]

    @property
    def use_labels(self) -> list[str]:
        return [str(UnitUse(use).label) for use in self.uses]


def offered_space(park: Any, day: Any) -> OfferedSpace:
    """Units of ``park`` that can be let on ``day`` (whoever asks: these are public facts)."""
    return offered_spaces([park.pk], day)[park.pk]


def offered_spaces(park_ids: list[int], day: Any) -> dict[int, OfferedSpace]:
    """``offered_space`` of several parks, in one query grouped by park and use."""
    units = available_on(Unit.objects.filter(park__in=park_ids), day)
    rows = units.values("park_id", "use").annotate(area=Sum("area_m2"), count=Count("id"))
    found: dict[int, list[Any]] = {pk: [0, Decimal(0), []] for pk in park_ids}
    for row in rows.order_by("park_id", "use"):
        total = found[row["park_id"]]
        total[0] += row["count"]
        total[1] += Decimal(row["area"])
        total[2].append(row["use"])
    return {
        pk: OfferedSpace(count, Decimal(area).quantize(Decimal("0.01")), sorted(set(uses)))
        for pk, (count, area, uses) in found.items()
    }


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


@dataclass(frozen=True)
class Requirements:
    """What a company needs: admissions' applications and programs' moves ask the same way."""

    area_range: tuple[Decimal, Decimal]
    day: Any  # datetime.date: free on or before this day
    operator_id: int
    preferred_park_id: int | None = None
    clear_height_min_m: Decimal | None = None
    floor_load_min_kn_m2: Decimal | None = None
    power_min_kva: Decimal | None = None
    max_rent: Decimal | None = None
    rent_limit_shown: bool = True  # False: the limit filters, but no reason names it
    # units already promised (to a draft lease): the app that knows leases says which
    promised: frozenset[int] = frozenset()


@dataclass(frozen=True)
class Match:
    units: list[Unit]
    area_m2: Decimal
    rent: Decimal
    reasons: list[str]
    rank_key: tuple[Any, ...]

    @property
    def park(self) -> Any:
        return self.units[0].park

    @property
    def codes(self) -> str:
        return " + ".join(u.code for u in self.units)


def _unit_fits(needs: Requirements, unit: Unit) -> bool:
    checks = [
        (needs.clear_height_min_m, unit.clear_height_m),
        (needs.floor_load_min_kn_m2, unit.floor_load_kn_m2),
    ]
    if any(need is not None and have < need for need, have in checks):
        return False
    return needs.max_rent is None or unit.list_rent <= needs.max_rent


def units_matching(user: Any, needs: Requirements, *, limit: int = 10) -> list[Match]:
    """Units, or runs of two or three neighbouring units on one floor, among those ``user``
    may see in the operator's parks, that meet ``needs`` now or by its day, best first.

    Neighbours are units next to each other in code order on the same floor (the stacking
    plan's order). Ranking: the preferred park first, then the area closest to the minimum,
    then the lower rent.
    """
    low, high = needs.area_range
    units = (
        Unit.objects.restrict(user, "view")
        .filter(park__operator=needs.operator_id)
        .exclude(pk__in=needs.promised)
    )
    free = set(available_on(units, needs.day).values_list("id", flat=True))
    by_floor: dict[int, list[Unit]] = {}
    for unit in units.select_related("park", "building", "floor").order_by("floor_id", "code"):
        by_floor.setdefault(unit.floor_id, []).append(unit)
    matches = []
    for floor_units in by_floor.values():
        usable = [u.pk in free and _unit_fits(needs, u) for u in floor_units]
        for size in (1, 2, 3):
            for start in range(len(floor_units) - size + 1):
                if not all(usable[start : start + size]):
                    continue  # a run is of neighbours that all qualify
                run = floor_units[start : start + size]
                area = sum((u.area_m2 for u in run), Decimal(0))
                power = sum((u.power_kva for u in run), Decimal(0))
                if not (low <= area <= high):
                    continue
                if needs.power_min_kva is not None and power < needs.power_min_kva:
                    continue
                matches.append(_match(needs, run, area, power))
    matches.sort(key=lambda m: m.rank_key)
    return matches[:limit]


def _match(needs: Requirements, run: list[Unit], area: Decimal, power: Decimal) -> Match:
    rent = max(u.list_rent for u in run)
    low, high = needs.area_range
    reasons = [
        _("area %(area)s m² (needed %(low)s–%(high)s)")
        % {"area": f"{area:,.0f}", "low": f"{low:,.0f}", "high": f"{high:,.0f}"}
    ]
    height = min(u.clear_height_m for u in run)
    if needs.clear_height_min_m is not None:
        reasons.append(
            _("clear height %(h)s m ≥ %(need)s m") % {"h": height, "need": needs.clear_height_min_m}
        )
    if needs.power_min_kva is not None:
        reasons.append(_("power %(p)s kVA") % {"p": power})
    if needs.max_rent is not None and needs.rent_limit_shown:
        reasons.append(_("rent %(r)s ≤ budget %(b)s 元/m²/day") % {"r": rent, "b": needs.max_rent})
    if len(run) > 1:
        reasons.append(_("%(n)d neighbouring units on one floor") % {"n": len(run)})
    other_park = needs.preferred_park_id is not None and run[0].park_id != needs.preferred_park_id
    if other_park:
        reasons.append(_("in another park of the operator"))
    closeness = abs(area - low) / low
    return Match(run, area, rent, reasons, (other_park, len(run), closeness, rent, run[0].code))
