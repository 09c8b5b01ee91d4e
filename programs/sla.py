"""Working days for service-level agreements (SLA), after the State Council's holiday schedule.

Holidays and 调休 make-up working days come from the maintained ``chinesecalendar`` library
(package ``chinese_calendar``), which knows each year once the schedule is published. For a
year it does not cover yet, a day is a working day when it is Monday to Friday, and every
date computed from such a day is marked provisional, so pages can say so.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from functools import lru_cache

import chinese_calendar

__all__ = ["Due", "add_workdays", "is_workday", "workdays_between"]

ONE_DAY = datetime.timedelta(days=1)


@dataclass(frozen=True)
class Due:
    day: datetime.date
    provisional: bool  # a day of the count lies in a year the holiday schedule does not cover


@lru_cache(maxsize=4096)
def is_workday(day: datetime.date) -> tuple[bool, bool]:
    """(is it a working day, is that a guess): a guess outside the library's years."""
    try:
        return bool(chinese_calendar.is_workday(day)), False
    except NotImplementedError:
        return day.weekday() < 5, True


def add_workdays(start: datetime.date, days: int) -> Due:
    """The day ``days`` working days after ``start`` (the start itself not counted): a
    request opened on Friday with an SLA of 1 day is due on Monday, or on the 调休 Sunday
    when that Sunday is a working day."""
    day, left, provisional = start, days, False
    while left > 0:
        day += ONE_DAY
        work, guess = is_workday(day)
        provisional = provisional or guess
        left -= work
    return Due(day, provisional)


def workdays_between(start: datetime.date, end: datetime.date) -> int:
    """Working days after ``start`` up to and including ``end`` (0 when ``end`` ≤ ``start``)."""
    count, day = 0, start
    while day < end:
        day += ONE_DAY
        count += is_workday(day)[0]
    return count
