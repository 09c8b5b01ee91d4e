"""Reads of the admission workflow: the pipeline board, each reviewer's inbox, and the
units that meet an application's space requirements (spaces' matching, through the layer)."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from admissions.choices import AppState
from admissions.models import Application, Review, plain_number
from core.choices import Role
from core.permissions import SHOW, field_access
from spaces.selectors import Match, Requirements, units_matching

__all__ = ["Match", "board", "inbox", "match_units", "requirement_misses"]


BOARD_CARDS = 10  # a column shows its newest cards; the list filtered by state shows all


def board(user: Any) -> list[tuple[str, Any, list[Application], int]]:
    """Applications the user may see, in columns by state: (state, label, the newest
    BOARD_CARDS, how many there are)."""
    qs = Application.objects.restrict(user)
    totals = dict(qs.order_by().values_list("state").annotate(n=Count("id")))
    cards = qs.select_related("enterprise", "park").order_by("-updated_at")
    return [
        (
            value,
            label,
            list(cards.filter(state=value)[:BOARD_CARDS]) if totals.get(value) else [],
            totals.get(value, 0),
        )
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
    asked = Review.objects.filter(
        application=OuterRef("pk"),
        decision="request_info",
        answered_at__isnull=True,
        withdrawn_at__isnull=True,
    )
    return qs.filter(Q(state=AppState.DRAFT) | Q(Exists(asked), state=AppState.REVIEW))


def _promised_units(day: Any) -> frozenset[int]:
    """Units a draft lease (an earlier conversion not yet signed) holds on or after ``day``:
    offering them again would end in an overlap when the second lease is made."""
    from leasing.choices import LeaseState
    from leasing.models import LeaseUnit

    spans = LeaseUnit.objects.filter(lease__state=LeaseState.DRAFT, end_on__gte=day)
    return frozenset(spans.values_list("unit_id", flat=True))


def match_units(app: Application, user: Any, *, limit: int = 10) -> list[Match]:
    """Units (or runs of neighbours) that meet ``app``'s space requirements, among the units
    ``user`` may see in the operator's parks, best first; the application's own park first.

    The rent budget filters the units, but the reasons name it only to users who may read it.
    """
    needs = Requirements(
        area_range=app.area_range,
        clear_height_min_m=app.clear_height_min_m,
        floor_load_min_kn_m2=app.floor_load_min_kn_m2,
        power_min_kva=app.power_min_kva,
        max_rent=app.budget_rent,
        day=app.move_in_on or timezone.localdate(),
        operator_id=app.park.operator_id,
        preferred_park_id=app.park_id,
        rent_limit_shown=field_access(user, app, "budget_rent") == SHOW,
        promised=_promised_units(app.move_in_on or timezone.localdate()),
    )
    return units_matching(user, needs, limit=limit)


def requirement_misses(app: Application, units: list[Any]) -> list[str]:
    """How the chosen units fall short of what the application asked for, in words
    (“U-101: clear height 4 m < 8 m”); empty when they meet every requirement."""
    misses = []
    per_unit = [
        ("clear_height_m", app.clear_height_min_m, _("clear height"), "m"),
        ("floor_load_kn_m2", app.floor_load_min_kn_m2, _("floor load"), "kN/m²"),
    ]
    for unit in units:
        for field, wanted, label, sign in per_unit:
            have = getattr(unit, field)
            if wanted is not None and have is not None and have < wanted:
                misses.append(
                    f"{unit.code}: {label} {plain_number(have)} {sign} < {plain_number(wanted)} {sign}"
                )
    area = sum((u.area_m2 for u in units), start=0)
    if area < app.area_min_m2:
        misses.append(f"{_('area')} {plain_number(area)} m² < {plain_number(app.area_min_m2)} m²")
    power = sum((u.power_kva or 0 for u in units), start=0)
    if app.power_min_kva is not None and power < app.power_min_kva:
        misses.append(
            f"{_('power')} {plain_number(power)} kVA < {plain_number(app.power_min_kva)} kVA"
        )
    return misses
