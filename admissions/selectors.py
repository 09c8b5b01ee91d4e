"""Reads of the admission workflow: the pipeline board, each reviewer's inbox, and the
units that meet an application's space requirements."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from admissions.choices import AppState
from admissions.models import Application, Review
from core.choices import Role
from spaces.filters import available_on
from spaces.models import Unit

__all__ = ["Match", "board", "inbox", "match_units"]


def board(user: Any) -> list[tuple[Any, list[Application]]]:
    """Applications the user may see, in columns by state (the newest 30 of each)."""
    qs = Application.objects.restrict(user).select_related("enterprise", "park")
    return [
        (label, list(qs.filter(state=value).order_by("-updated_at")[:30]))
        for value, label in AppState.choices
    ]


def inbox(user: Any) -> QuerySet[Application]:
    """What waits for this user now."""
    qs = Application.objects.restrict(user).select_related("enterprise", "park")
    mine = Review.objects.filter(application=OuterRef("pk"), reviewer=user)
    if user.role == Role.GOV:
        return qs.filter(state=AppState.REVIEW).exclude(Exists(mine))
    if user.role in (Role.OPERATOR, Role.ADMIN) or user.is_platform_admin:
        return qs.filter(
            Q(state__in=[AppState.SUBMITTED, AppState.SCREENING, AppState.RISK])
            | (Q(state=AppState.REVIEW) & ~Q(Exists(mine)))
        )
    asked = Review.objects.filter(application=OuterRef("pk"), decision="request_info")
    return qs.filter(Q(state=AppState.DRAFT) | Q(Exists(asked), state=AppState.REVIEW))


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


def _unit_fits(app: Application, unit: Unit) -> bool:
    checks = [
        (app.clear_height_min_m, unit.clear_height_m),
        (app.floor_load_min_kn_m2, unit.floor_load_kn_m2),
    ]
    if any(need is not None and have < need for need, have in checks):
        return False
    return app.budget_rent is None or unit.list_rent <= app.budget_rent


def match_units(app: Application, *, limit: int = 10) -> list[Match]:
    """Units, or runs of two or three neighbouring units on one floor, in the operator's
    parks that meet the requirements now or by the move-in date, best first.

    Neighbours are units next to each other in code order on the same floor (the stacking
    plan's order). Ranking: the target park first, then the area closest to the minimum,
    then the lower rent.
    """
    low, high = app.area_range
    day = app.move_in_on or timezone.localdate()
    units = Unit.objects.filter(park__operator=app.park.operator_id)
    free = set(available_on(units, day).values_list("id", flat=True))
    by_floor: dict[int, list[Unit]] = {}
    for unit in units.select_related("park", "building", "floor").order_by("floor_id", "code"):
        by_floor.setdefault(unit.floor_id, []).append(unit)
    matches = []
    for floor_units in by_floor.values():
        usable = [u.pk in free and _unit_fits(app, u) for u in floor_units]
        for size in (1, 2, 3):
            for start in range(len(floor_units) - size + 1):
                if not all(usable[start : start + size]):
                    continue  # a run is of neighbours that all qualify
                run = floor_units[start : start + size]
                area = sum((u.area_m2 for u in run), Decimal(0))
                power = sum((u.power_kva for u in run), Decimal(0))
                if not (low <= area <= high):
                    continue
                if app.power_min_kva is not None and power < app.power_min_kva:
                    continue
                matches.append(_match(app, run, area, power))
    matches.sort(key=lambda m: m.rank_key)
    return matches[:limit]


def _match(app: Application, run: list[Unit], area: Decimal, power: Decimal) -> Match:
    rent = max(u.list_rent for u in run)
    low, high = app.area_range
    reasons = [
        _("area %(area)s m² (needed %(low)s–%(high)s)")
        % {"area": f"{area:,.0f}", "low": f"{low:,.0f}", "high": f"{high:,.0f}"}
    ]
    height = min(u.clear_height_m for u in run)
    if app.clear_height_min_m is not None:
        reasons.append(
            _("clear height %(h)s m ≥ %(need)s m") % {"h": height, "need": app.clear_height_min_m}
        )
    if app.power_min_kva is not None:
        reasons.append(_("power %(p)s kVA") % {"p": power})
    if app.budget_rent is not None:
        reasons.append(_("rent %(r)s ≤ budget %(b)s 元/m²/day") % {"r": rent, "b": app.budget_rent})
    if len(run) > 1:
        reasons.append(_("%(n)d neighbouring units on one floor") % {"n": len(run)})
    other_park = run[0].park_id != app.park_id
    if other_park:
        reasons.append(_("in another park of the operator"))
    closeness = abs(area - low) / low
    return Match(run, area, rent, reasons, (other_park, len(run), closeness, rent, run[0].code))
