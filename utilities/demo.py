"""Demo utilities: a time-of-use electricity tariff (its prices raised six months ago) and a
flat water tariff; electricity and water meters on the units of ZZGC and ZHZX leases running
for the whole year, with twelve monthly rounds of readings entered through the service (so
every amount is priced and billed as the walk page would), one water meter in ZHZX shared by
area, and one confirmed unusual reading."""

from __future__ import annotations

import datetime
import random
from decimal import Decimal
from typing import Any

from django.utils import timezone

from leasing.billing import BILLED_STATES
from leasing.models import LeaseUnit
from spaces.models import Unit
from utilities import services
from utilities.choices import Allocation, MeterKind, TariffStructure
from utilities.models import Meter, MeterShare, Reading, Tariff, TariffRate

__all__ = ["load"]

D = Decimal
MONTHS = 12


def _month_starts(today: datetime.date) -> list[datetime.date]:
    first = today.replace(day=1)
    starts = []
    for back in range(MONTHS, -1, -1):
        year, month = divmod(first.year * 12 + first.month - 1 - back, 12)
        starts.append(datetime.date(year, month + 1, 1))
    return starts


def _tariffs(
    actor: Any, operator: Any, since: datetime.date, change: datetime.date
) -> tuple[Tariff, Tariff]:
    power = services.record_create(
        actor=actor,
        instance=Tariff(
            operator=operator,
            name="一般工商业分时电价",
            kind=MeterKind.ELECTRICITY,
            structure=TariffStructure.TIME_OF_USE,
            peak_hours="10:00–15:00, 18:00–21:00",
            valley_hours="23:00–07:00",
            tax_rate_pct=D("13"),
        ),
    )
    for valid_from, peak, flat, valley in (
        (since, "1.2130", "0.7720", "0.3520"),
        (change, "1.2460", "0.7930", "0.3610"),
    ):
        services.record_create(
            actor=actor,
            instance=TariffRate(
                tariff=power,
                valid_from=valid_from,
                price=D(flat),
                peak_price=D(peak),
                valley_price=D(valley),
            ),
        )
    water = services.record_create(
        actor=actor,
        instance=Tariff(
            operator=operator, name="非居民用水", kind=MeterKind.WATER, tax_rate_pct=D("9")
        ),
    )
    services.record_create(
        actor=actor, instance=TariffRate(tariff=water, valid_from=since, price=D("9.5000"))
    )
    return power, water


def _leased_all_year(park: str, start: datetime.date, today: datetime.date) -> list[Unit]:
    """Units of the park leased from before the first reading to after today (one span)."""
    spans = LeaseUnit.objects.filter(
        unit__park__code=park,
        lease__state__in=BILLED_STATES,
        start_on__lte=start,
        end_on__gte=today,
    ).select_related("unit__building")
    return sorted({s.unit for s in spans}, key=lambda u: u.code)


def load(ctx: dict[str, Any]) -> None:
    if Tariff.objects.exists():
        return
    actor, today = ctx["users"]["operator"], timezone.localdate()
    starts = _month_starts(today)
    power, water = _tariffs(actor, ctx["operator"], starts[0], starts[MONTHS // 2])
    rng = random.Random(4754)
    meters: list[tuple[Meter, Decimal]] = []  # (meter, its usual monthly consumption)
    for park, count in (("ZZGC", 8), ("ZHZX", 4)):
        for unit in _leased_all_year(park, starts[0], today)[:count]:
            workshop = park == "ZZGC"
            meters.append(
                (
                    services.record_create(
                        actor=actor,
                        instance=Meter(
                            park=unit.park,
                            building=unit.building,
                            code=f"E-{unit.code}",
                            kind=MeterKind.ELECTRICITY,
                            tariff=power,
                            multiplier=D("40") if workshop else D("1"),
                            unit=unit,
                        ),
                    ),
                    D(rng.randint(300, 900)) if workshop else D(rng.randint(2500, 6000)),
                )
            )
            if workshop:
                meters.append(
                    (
                        services.record_create(
                            actor=actor,
                            instance=Meter(
                                park=unit.park,
                                building=unit.building,
                                code=f"W-{unit.code}",
                                kind=MeterKind.WATER,
                                tariff=water,
                                unit=unit,
                            ),
                        ),
                        D(rng.randint(20, 120)),
                    )
                )
    shared_units = list(
        Unit.objects.filter(park__code="ZHZX", building__code="T1").order_by("code")[:6]
    )
    if shared_units:
        shared = services.record_create(
            actor=actor,
            instance=Meter(
                park=shared_units[0].park,
                building=shared_units[0].building,
                code="W-T1-公共",
                kind=MeterKind.WATER,
                tariff=water,
                allocation=Allocation.AREA,
            ),
        )
        for unit in shared_units:
            services.record_create(actor=actor, instance=MeterShare(meter=shared, unit=unit))
        meters.append((shared, D(rng.randint(150, 300))))
    _read(actor, meters, starts, rng)


def _read(
    actor: Any, meters: list[tuple[Meter, Decimal]], starts: list[datetime.date], rng: random.Random
) -> None:
    """Twelve rounds of readings; the fourth meter's ninth month is an unusual one, confirmed.
    This month's round has not reached the water meters yet: the walk page has work."""
    for n, (meter, usual) in enumerate(meters):
        starts_read = starts[:-1] if meter.kind == MeterKind.WATER and not meter.shared else starts
        value = D(rng.randint(1000, 90000))
        tou = meter.tariff.structure == TariffStructure.TIME_OF_USE
        peak, valley = (value * D("0.3")).quantize(D(1)), (value * D("0.25")).quantize(D(1))
        for month, day in enumerate(starts_read):
            if month:
                used = usual * D(rng.randint(80, 125)) / 100
                if n == 3 and month == 9:
                    used *= 6
                counted = (used / meter.multiplier).quantize(D("0.1"))
                value += counted
                peak += (counted * D("0.32")).quantize(D("0.1"))
                valley += (counted * D("0.26")).quantize(D("0.1"))
            services.reading_add(
                actor=actor,
                reading=Reading(
                    meter=meter,
                    read_on=day,
                    value=value,
                    peak=peak if tou else None,
                    valley=valley if tou else None,
                ),
                confirm=n == 3 and month == 9,
            )
