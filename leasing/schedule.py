"""The rent schedule (租金计划) of a lease, exact to the 分.

Everything is computed in exact Decimals from the terms and rounded (ROUND_HALF_UP) only when
an amount becomes an invoice line. Lines are rounded cumulatively: a line is the rounded total
up to its period minus the rounded total before it, so every line is whole 分 and the sum of
the lines equals the exact total rounded once — for the by-days convention, the sum over
every day of that day's rent.

- Daily rent on a day = price (元/㎡/天) × escalation factor × contracted area that day, or 0 on a
  rent-free day. The factor is (1 + p)^n, n = lease years reached from the escalation year on.
- Convention "daily": a period's rent is the sum of its daily rents.
- Convention "monthly": a full lease month (same area and factor all month, no free day)
  costs price × factor × area × 365 ÷ 12; any other month costs the sum of its daily rents.
- Management fee: 元/㎡/月 per full lease month; a broken month by days at fee × 12 ÷ 365.
- Deposit: deposit months × price × area on the first day × 365 ÷ 12.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from core.dates import add_months

__all__ = [
    "Period",
    "Schedule",
    "Terms",
    "add_months",
    "build_schedule",
    "daily_rent",
    "period_starts",
]

CENT = Decimal("0.01")
DAY = datetime.timedelta(days=1)
YEAR_DAYS = Decimal(365)


def cents(value: Decimal) -> Decimal:
    return value.quantize(CENT, ROUND_HALF_UP)


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
    spans: Sequence[tuple[datetime.date, datetime.date, Decimal]] = field(default_factory=list)
    free: Sequence[tuple[datetime.date, datetime.date]] = field(default_factory=list)

    def lease_year(self, day: datetime.date) -> int:
        year = max(1, day.year - self.start.year + 1)
        while year > 1 and add_months(self.start, 12 * (year - 1)) > day:
            year -= 1
        while add_months(self.start, 12 * year) <= day:
            year += 1
        return year

    def factor(self, day: datetime.date) -> Decimal:
        if not self.escalation_pct:
            return Decimal(1)
        steps = self.lease_year(day) - self.escalation_from_year + 1
        if steps <= 0:
            return Decimal(1)
        return (1 + self.escalation_pct / 100) ** steps

    def area(self, day: datetime.date) -> Decimal:
        return sum((a for s, e, a in self.spans if s <= day <= e), Decimal(0))

    def is_free(self, day: datetime.date) -> bool:
        return any(s <= day <= e for s, e in self.free)


def daily_rent(terms: Terms, day: datetime.date) -> Decimal:
    if terms.is_free(day):
        return Decimal(0)
    return terms.price * terms.factor(day) * terms.area(day)


def _days(start: datetime.date, end: datetime.date) -> Iterator[datetime.date]:
    day = start
    while day <= end:
        yield day
        day += DAY


def _month_amounts(
    terms: Terms, start: datetime.date, end: datetime.date, full: bool
) -> tuple[Decimal, Decimal]:
    """Exact rent and fee of one lease month (or the broken part of one)."""
    days = list(_days(start, end))
    by_days_rent = sum((daily_rent(terms, d) for d in days), Decimal(0))
    by_days_fee = sum((terms.fee * 12 / YEAR_DAYS * terms.area(d) for d in days), Decimal(0))
    uniform = full and len({(terms.area(d), terms.factor(d)) for d in days}) == 1
    fee = terms.fee * terms.area(start) if uniform else by_days_fee
    if terms.convention == "monthly" and uniform and not any(terms.is_free(d) for d in days):
        rent = terms.price * terms.factor(start) * terms.area(start) * YEAR_DAYS / 12
    else:
        rent = by_days_rent
    return rent, fee


@dataclass(frozen=True)
class Period:
    index: int
    start: datetime.date
    end: datetime.date
    bill_on: datetime.date  # issued this many days ahead of the period …
    due_on: datetime.date  # … and due on its first day (rent is paid in advance)
    rent: Decimal  # 元, whole 分
    fee: Decimal
    exact_rent: Decimal


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
    while (day := add_months(start, index * cycle_months)) <= last_day:
        yield day
        index += 1


def build_schedule(terms: Terms) -> Schedule:
    periods = []
    cum_rent = cum_fee = Decimal(0)
    paid_rent = paid_fee = Decimal(0)
    for index, start in enumerate(period_starts(terms.start, terms.last_day, terms.cycle_months)):
        end = min(add_months(terms.start, (index + 1) * terms.cycle_months) - DAY, terms.last_day)
        exact_rent = exact_fee = Decimal(0)
        for month in range(index * terms.cycle_months, (index + 1) * terms.cycle_months):
            m_start = add_months(terms.start, month)
            if m_start > end:
                break
            m_full_end = add_months(terms.start, month + 1) - DAY
            m_end = min(m_full_end, end)
            rent, fee = _month_amounts(terms, m_start, m_end, full=m_end == m_full_end)
            exact_rent += rent
            exact_fee += fee
        cum_rent += exact_rent
        cum_fee += exact_fee
        rent_line, fee_line = cents(cum_rent) - paid_rent, cents(cum_fee) - paid_fee
        paid_rent += rent_line
        paid_fee += fee_line
        periods.append(
            Period(
                index + 1,
                start,
                end,
                start - datetime.timedelta(days=terms.bill_days_ahead),
                start,
                rent_line,
                fee_line,
                exact_rent,
            )
        )
    deposit = cents(terms.deposit_months * terms.price * terms.area(terms.start) * YEAR_DAYS / 12)
    return Schedule(periods, deposit)
