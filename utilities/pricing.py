"""The arithmetic of utility bills, without the database: consumption from two readings,
priced lines for flat, time-of-use and tiered tariffs, proration over a change of rate, and
the split of a shared meter's amount that adds up to the 分.

Quantities keep three decimals (kWh, m³); every line's amount is rounded half-up to the 分
once, from the exact product; a bill's total is the sum of its lines.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import TypeVar

from core.money import CENT, largest_remainder

__all__ = [
    "Line",
    "Rate",
    "Usage",
    "allocate",
    "consumption",
    "period_lines",
    "price_lines",
]

MILLI = Decimal("0.001")
K = TypeVar("K")
ZERO = Decimal(0)


@dataclass(frozen=True)
class Rate:
    valid_from: datetime.date
    price: Decimal
    peak_price: Decimal | None = None
    valley_price: Decimal | None = None
    tier1_upto: Decimal | None = None
    tier2_price: Decimal | None = None
    tier2_upto: Decimal | None = None
    tier3_price: Decimal | None = None


@dataclass(frozen=True)
class Usage:
    """Consumption of an interval; ``peak`` and ``valley`` are parts of ``total`` (time of use)."""

    total: Decimal
    peak: Decimal = ZERO
    valley: Decimal = ZERO

    @property
    def flat(self) -> Decimal:
        return self.total - self.peak - self.valley


@dataclass(frozen=True)
class Line:
    label: str  # 峰 / 平 / 谷 / 第一档…, "" for a flat tariff
    quantity: Decimal
    unit_price: Decimal
    amount: Decimal

    @classmethod
    def of(cls, label: str, quantity: Decimal, unit_price: Decimal) -> Line:
        amount = (quantity * unit_price).quantize(CENT, ROUND_HALF_UP)
        return cls(label, quantity, unit_price, amount)


def consumption(
    previous: Decimal, current: Decimal, *, multiplier: Decimal, reason: str, digits: int
) -> Decimal:
    """What the meter counted between two register values, × its multiplier.

    A lower value is a new meter started from 0 (``replaced``: the new register is the
    consumption) or a register that passed 99…9 (``rollover``)."""
    if reason == "replaced":
        counted = current
    elif reason == "rollover" and current < previous:
        counted = Decimal(10) ** digits - previous + current
    else:
        counted = current - previous
    return (counted * multiplier).quantize(MILLI, ROUND_HALF_UP)


def price_lines(
    structure: str, rate: Rate, usage: Usage, *, share: Decimal = Decimal(1)
) -> list[Line]:
    """The priced lines of ``usage`` at one rate. ``share`` (of the interval's days) scales a
    tiered tariff's limits when the interval is split by a change of rate."""
    if structure == "tou":
        assert rate.peak_price is not None and rate.valley_price is not None
        return [
            Line.of("峰", usage.peak, rate.peak_price),
            Line.of("平", usage.flat, rate.price),
            Line.of("谷", usage.valley, rate.valley_price),
        ]
    if structure == "tiered":
        assert rate.tier1_upto is not None and rate.tier2_upto is not None
        assert rate.tier2_price is not None and rate.tier3_price is not None
        first = (rate.tier1_upto * share).quantize(MILLI, ROUND_HALF_UP)
        second = (rate.tier2_upto * share).quantize(MILLI, ROUND_HALF_UP)
        total = usage.total
        lines = [Line.of("第一档", min(total, first), rate.price)]
        if total > first:
            lines.append(Line.of("第二档", min(total, second) - first, rate.tier2_price))
        if total > second:
            lines.append(Line.of("第三档", total - second, rate.tier3_price))
        return lines
    return [Line.of("", usage.total, rate.price)]


def _split(quantity: Decimal, weights: Sequence[int]) -> list[Decimal]:
    shares = largest_remainder(quantity, dict(enumerate(Decimal(w) for w in weights)), MILLI)
    return [shares[i] for i in range(len(weights))]


def period_lines(
    structure: str,
    rates: Sequence[Rate],
    usage: Usage,
    start: datetime.date,
    end: datetime.date,
) -> list[Line]:
    """Price the interval after the reading of ``start`` up to the reading of ``end``.

    Where the rate changes inside the interval, consumption is split by days (the days after
    ``start`` up to and including ``end``) and each part priced at its own rate; a tiered
    tariff's limits are split the same way. Parts add up exactly to the consumption."""
    ordered = sorted(rates, key=lambda r: r.valid_from)
    in_force = [r for r in ordered if r.valid_from <= start + datetime.timedelta(days=1)][-1:]
    later = [r for r in ordered if start + datetime.timedelta(days=1) < r.valid_from <= end]
    if not in_force:
        raise LookupError("no rate in force on the interval's first day")
    segments = in_force + later
    bounds = [max(r.valid_from - datetime.timedelta(days=1), start) for r in segments] + [end]
    days = [(bounds[i + 1] - bounds[i]).days for i in range(len(segments))]
    total_days = (end - start).days
    if len(segments) == 1:
        return price_lines(structure, segments[0], usage)
    totals = _split(usage.total, days)
    peaks = _split(usage.peak, days)
    valleys = _split(usage.valley, days)
    lines: list[Line] = []
    for i, rate in enumerate(segments):
        part = Usage(totals[i], peaks[i], valleys[i])
        share = Decimal(days[i]) / Decimal(total_days)
        for line in price_lines(structure, rate, part, share=share):
            label = f"{line.label}（{rate.valid_from:%Y-%m-%d}起）".lstrip()
            lines.append(Line(label, line.quantity, line.unit_price, line.amount))
    return lines


def allocate(amount: Decimal, weights: dict[K, Decimal]) -> dict[K, Decimal]:
    """A shared amount split by ``weights`` (areas, shares), adding up to it to the 分."""
    return largest_remainder(amount, weights)


def allocate_quantity(quantity: Decimal, weights: dict[K, Decimal]) -> dict[K, Decimal]:
    """A shared consumption split the same way, to the thousandth."""
    return largest_remainder(quantity, weights, MILLI)
