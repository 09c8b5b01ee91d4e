"""Dates through one helper that knows month ends and 29 February (CONVENTIONS.md rule 13)."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from core.dates import add_months, add_years, term_end

day = datetime.date


@pytest.mark.parametrize(
    ("start", "months", "end"),
    [
        (day(2026, 1, 31), 1, day(2026, 2, 28)),  # no 31 February: the month's last day
        (day(2026, 1, 15), 1, day(2026, 2, 14)),
        (day(2026, 3, 1), 12, day(2027, 2, 28)),
        (day(2028, 2, 29), 36, day(2031, 2, 28)),
        (day(2028, 2, 29), 48, day(2032, 2, 28)),  # 2032 has a 29th: the day before it
        (day(2026, 12, 31), 2, day(2027, 2, 28)),
    ],
)
def test_term_end_counts_months_as_the_civil_code(start, months, end):
    assert term_end(start, months) == end


def test_add_months_and_years_on_29_february():
    assert add_years(day(2028, 2, 29), 1) == day(2029, 2, 28)
    assert add_years(day(2028, 2, 29), 4) == day(2032, 2, 29)
    assert add_months(day(2026, 3, 31), -1) == day(2026, 2, 28)


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    "today",
    [
        day(2028, 2, 29),
        day(2028, 2, 29) + datetime.timedelta(days=700),  # the first demo lease starts on 29 Feb
    ],
)
def test_demo_loads_whatever_the_day(monkeypatch, today):
    """The demo's dates are relative to the load day; a leap day must not break them."""
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: today)
    call_command("load_demo", stdout=io.StringIO())
    from leasing.models import Lease

    leases = Lease.objects.order_by("start_on")
    assert leases.count() >= 10
    assert all(lease.end_on > lease.start_on for lease in leases)
    assert Lease.objects.filter(start_on=day(2028, 2, 29)).exists() == (today != day(2028, 2, 29))
