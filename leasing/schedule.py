"""The rent schedule (租金计划) of a lease, exact to the 分, under the money conventions
(DESIGN → "Money conventions"; the product's 计租规则 page says the same in words).

- Months are counted from the start day as the Civil Code counts them (art. 202): month n ends
  the day before day D of the month n months later (D = the start day), or on that month's last
  day when it has no day D. So 31 Jan – 28 Feb is one whole month; a lease of whole months has
  no stub period.
- Every amount is an exact fraction (``fractions.Fraction``: no 28-digit Decimal in between);
  each bill line is its exact amount rounded half-up to 分 once. Identical whole periods bill
  identical amounts, and a period whose own terms did not change bills the same after a
  re-plan.
- Rent per unit span and lease month: price × escalation factor × area × 365 ÷ 12 for a whole
  month under the monthly convention; × the days otherwise (a broken month: the unit's own span,
  a rent-free span or a change cuts it). Whole and broken are decided per unit, so another
  unit's change never re-prices it. The daily convention is always by days.
- Management fee (元/㎡/月): a whole month of the unit is the fee × area; a broken one is
  fee × 12 ÷ 365 × area per day. Rent-free days free the rent, not the fee.
- Escalation is compound from the lease's anniversaries: factor (1 + p)^n, n = lease years
  reached from the escalation year on; the escalated price is kept exact.
- Deposit: months × price × starting area × 365 ÷ 12 (rent only).
- Amendments (补充协议) change the price or the fee from a date: the amended price is the price
  in force from that day and later anniversaries escalate it; a month an amendment cuts is
  broken for every unit (each part at its own price).
"""

from __future__ import annotations

import datetime
import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from core.dates import add_months

__all__ = [
    "Period",
    "Schedule",
    "Terms",
    "build_schedule",
    "cents",
    "lease_month_end",
    "lease_month_start",
    "period_starts",
    "shown_price",
]

CENT = Decimal("0.01")
DAY = datetime.timedelta(days=1)
YEAR_DAYS = 365


def cents(value: Fraction | Decimal | int) -> Decimal:
    """An exact amount rounded half-up (away from zero at a tie) to whole 分, once."""
    if isinstance(value, Decimal):  # exact already: the same rounding, without fractions
        return value.quantize(CENT, rounding=ROUND_HALF_UP)
    hundredths = Fraction(value) * 100
    whole = math.floor(abs(hundredths) + Fraction(1, 2))
    return (Decimal(whole if hundredths >= 0 else -whole) / 100).quantize(CENT)


def shown_price(price: Fraction) -> Decimal:
    """An escalated price as pages show it: to the 分 when it is whole 分, else to 4 decimals
    (the exact price stays in the arithmetic)."""
    if (price * 100).denominator == 1:
        return Decimal(price.numerator * 100 // price.denominator) / 100
    four = math.floor(price * 10000 + Fraction(1, 2))
    return Decimal(four) / 10000


def lease_month_end(start: datetime.date, months: int) -> datetime.date:
    """Last day of ``months`` lease months from ``start`` (Civil Code art. 202): the day before
    the start day of the month ``months`` later, or that month's last day if it has no such
    day (31 Jan + 1 month ends 28 Feb)."""
    day = add_months(start, months)  # clamped to the month's last day
    return day if day.day != start.day else day - DAY


def lease_month_start(start: datetime.date, months: int) -> datetime.date:
    """First day of lease month ``months`` (0-based)."""
    return start if months == 0 else lease_month_end(start, months) + DAY


def _overlap(a: datetime.date, b: datetime.date, c: datetime.date, d: datetime.date) -> int:
    """Days in both [a, b] and [c, d]."""
    return max(0, (min(b, d) - max(a, c)).days + 1)


@dataclass(frozen=True)
class Terms:
    start: datetime.date
    last_day: datetime.date  # the last day rent runs (end date, or the day before termination)
    price: Decimal  # 元/㎡/天
    fee: Decimal = Decimal(0)  # 元/㎡/月
    convention: str = "daily"
    escalation_pct: Decimal = Decimal(0)
    escalation_from_year: int = 2
    cycle_months: int = 3
    deposit_months: int = 0
    bill_days_ahead: int = 0
    # one (first day, last day, area) per unit span: a unit is never in two spans at once
    spans: Sequence[tuple[datetime.date, datetime.date, Decimal]] = field(default_factory=list)
    free: Sequence[tuple[datetime.date, datetime.date]] = field(default_factory=list)
    # amendments: (effective from, new price or None, new fee or None), by date
    changes: Sequence[tuple[datetime.date, Decimal | None, Decimal | None]] = field(
        default_factory=list
    )

    def lease_year(self, day: datetime.date) -> int:
        year = max(1, day.year - self.start.year + 1)
        while year > 1 and lease_month_start(self.start, 12 * (year - 1)) > day:
            year -= 1
        while lease_month_start(self.start, 12 * year) <= day:
            year += 1
        return year

    def steps(self, day: datetime.date) -> int:
        """Anniversaries whose increase is in force on ``day``."""
        return max(0, self.lease_year(day) - self.escalation_from_year + 1)

    def factor(self, day: datetime.date) -> Fraction:
        """The escalation factor in force on ``day``, exact."""
        if not self.escalation_pct:
            return Fraction(1)
        return (1 + Fraction(self.escalation_pct) / 100) ** self.steps(day)

    def price_on(self, day: datetime.date) -> Fraction:
        """The price in force on ``day``: the contract's, or the last amendment's from its
        date, escalated by the anniversaries since."""
        base, since = Fraction(self.price), self.start
        for effective, price, _fee in self.changes:
            if effective <= day and price is not None:
                base, since = Fraction(price), effective
        if not self.escalation_pct:
            return base
        rate = 1 + Fraction(self.escalation_pct) / 100
        return base * rate ** (self.steps(day) - self.steps(since))

    def fee_on(self, day: datetime.date) -> Fraction:
        fee = Fraction(self.fee)
        for effective, _price, new_fee in self.changes:
            if effective <= day and new_fee is not None:
                fee = Fraction(new_fee)
        return fee

    def area(self, day: datetime.date) -> Decimal:
        return sum((a for s, e, a in self.spans if s <= day <= e), Decimal(0))

    def free_days(self, first: datetime.date, last: datetime.date) -> int:
        """Rent-free days in [first, last], each day once however many spans name it."""
        days, reach = 0, first
        for s, e in sorted(self.free):
            s = max(s, reach)
            days += _overlap(first, last, s, e)
            reach = max(reach, e + DAY)
        return days


def _month_amounts(
    terms: Terms, m_start: datetime.date, m_end: datetime.date, cut: datetime.date
) -> tuple[Fraction, Fraction]:
    """Exact rent and fee of one lease month [m_start, m_end], counted up to ``cut`` (the
    lease's last day or the period's end), unit span by unit span."""
    month_days = (m_end - m_start).days + 1
    # an amendment dated inside the month cuts it: each part by days at its own terms
    cuts = sorted({d for d, _p, _f in terms.changes if m_start < d <= m_end})
    parts = list(zip([m_start, *cuts], [*(d - DAY for d in cuts), m_end], strict=True))
    rent = fee = Fraction(0)
    for s, e, area in terms.spans:
        a = Fraction(area)
        for p_start, p_end in parts:
            first, last = max(s, p_start), min(e, p_end, cut)
            if first > last:
                continue
            # anniversaries fall on month starts: one price and fee for the part
            price, monthly_fee = terms.price_on(p_start), terms.fee_on(p_start)
            days = (last - first).days + 1
            free = terms.free_days(first, last)
            whole = days == month_days  # the unit holds the whole lease month, uncut
            if terms.convention == "monthly" and whole and not free:
                rent += price * a * YEAR_DAYS / 12
            else:
                rent += price * a * (days - free)
            fee += monthly_fee * a if whole else monthly_fee * 12 / YEAR_DAYS * a * days
    return rent, fee


@dataclass(frozen=True)
class Period:
    index: int
    start: datetime.date
    end: datetime.date
    bill_on: datetime.date  # issued this many days ahead of the period …
    due_on: datetime.date  # … and due on its first day (rent is paid in advance)
    rent: Decimal  # 元, whole 分: the exact rent rounded once
    fee: Decimal
    exact_rent: Fraction
    exact_fee: Fraction


@dataclass(frozen=True)
class Schedule:
    periods: list[Period]
    deposit: Decimal

    @property
    def total_rent(self) -> Decimal:
        return sum((p.rent for p in self.periods), Decimal(0))

    @property
    def total_fee(self) -> Decimal:
        return sum((p.fee for p in self.periods), Decimal(0))


def period_starts(
    start: datetime.date, last_day: datetime.date, cycle_months: int
) -> Iterator[datetime.date]:
    """The first day of each payment period of a term."""
    index = 0
    while (day := lease_month_start(start, index * cycle_months)) <= last_day:
        yield day
        index += 1


def deposit_for(terms: Terms, area: Decimal) -> Decimal:
    """The deposit of ``area`` m² at the starting price: months × the monthly rent (365÷12)."""
    return cents(terms.deposit_months * Fraction(terms.price) * Fraction(area) * YEAR_DAYS / 12)


def build_schedule(terms: Terms) -> Schedule:
    periods = []
    cycle = terms.cycle_months
    for index, start in enumerate(period_starts(terms.start, terms.last_day, cycle)):
        end = min(lease_month_end(terms.start, (index + 1) * cycle), terms.last_day)
        rent = fee = Fraction(0)
        for month in range(index * cycle, (index + 1) * cycle):
            m_start = lease_month_start(terms.start, month)
            if m_start > end:
                break
            m_rent, m_fee = _month_amounts(
                terms, m_start, lease_month_end(terms.start, month + 1), end
            )
            rent += m_rent
            fee += m_fee
        periods.append(
            Period(
                index + 1,
                start,
                end,
                start - datetime.timedelta(days=terms.bill_days_ahead),
                start,
                cents(rent),
                cents(fee),
                rent,
                fee,
            )
        )
    return Schedule(periods, deposit_for(terms, terms.area(terms.start)))
