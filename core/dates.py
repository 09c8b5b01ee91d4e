"""Date arithmetic that knows month ends and 29 February (CONVENTIONS.md rule 13).

Never shift a user's date with ``date.replace(year=…)`` or ``replace(month=…)``: 29 February
and the 31st have no twin in most months. Use these instead.
"""

from __future__ import annotations

import calendar
import datetime

__all__ = ["add_months", "add_years", "term_end"]

DAY = datetime.timedelta(days=1)


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day ``months`` later (or earlier); the 31st becomes the last day of a shorter
    month, 29 February the 28th in a common year."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def add_years(day: datetime.date, years: int) -> datetime.date:
    return add_months(day, 12 * years)


def term_end(start: datetime.date, months: int) -> datetime.date:
    """The last day of a term of ``months`` months from ``start``, counted as the Civil Code
    counts months (art. 202): the day before day D of the month ``months`` later, D being the
    start day, or that month's last day where it has no day D (31 Jan + 1 month → 28 Feb)."""
    month_index = start.month - 1 + months
    year, month = start.year + month_index // 12, month_index % 12 + 1
    if start.day > calendar.monthrange(year, month)[1]:
        return datetime.date(year, month, calendar.monthrange(year, month)[1])
    return datetime.date(year, month, start.day) - DAY
