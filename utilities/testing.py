"""Test records of utilities (core.testing.world): per side a flat electricity tariff with a
rate, a meter on the side's unit with two readings, and a water meter shared by that unit."""

from __future__ import annotations

import datetime
from decimal import Decimal

from core.testing.world import World
from spaces.models import Unit
from utilities.choices import Allocation, MeterKind
from utilities.models import Meter, MeterShare, Reading, Tariff, TariffRate, UtilitySettings

__all__ = ["build"]


def build(world: World) -> None:
    rows: dict[type, list[object]] = {}
    for side in "AB":
        unit = world.sample(Unit, side)
        tariff = Tariff.objects.create(
            operator=world.operators[side], name=f"电价{side}", kind=MeterKind.ELECTRICITY
        )
        rate = TariffRate.objects.create(
            tariff=tariff, valid_from=datetime.date(2020, 1, 1), price=Decimal("0.8")
        )
        meter = Meter.objects.create(
            park=unit.park,
            building=unit.building,
            code=f"E-{side}",
            kind=MeterKind.ELECTRICITY,
            tariff=tariff,
            unit=unit,
        )
        shared = Meter.objects.create(
            park=unit.park,
            building=unit.building,
            code=f"E-{side}-SHARED",
            kind=MeterKind.ELECTRICITY,
            tariff=tariff,
            allocation=Allocation.AREA,
        )
        share = MeterShare.objects.create(meter=shared, unit=unit)
        Reading.objects.create(meter=meter, read_on=datetime.date(2026, 1, 1), value=Decimal(100))
        reading = Reading.objects.create(
            meter=meter,
            read_on=datetime.date(2026, 2, 1),
            value=Decimal(300),
            consumption=Decimal(200),
            amount=Decimal("160.00"),
        )
        setting = UtilitySettings.objects.create(operator=world.operators[side])
        for row in (tariff, rate, meter, share, reading, setting):
            rows.setdefault(type(row), []).append(row)
    for pair in rows.values():
        world.add(pair[0], pair[1])  # type: ignore[arg-type]
