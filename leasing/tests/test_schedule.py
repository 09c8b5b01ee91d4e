"""Rent schedule arithmetic: exact to the 分 (property-based), proration, rent-free periods,
escalation anniversaries, the monthly 365/12 convention."""

from __future__ import annotations

import datetime
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from leasing.schedule import Terms, add_months, build_schedule, cents, daily_rent

D = Decimal
DAY = datetime.timedelta(days=1)


def days(start, end):
    while start <= end:
        yield start
        start += DAY


@st.composite
def leases(draw):
    start = draw(
        st.dates(min_value=datetime.date(2020, 1, 1), max_value=datetime.date(2030, 12, 31))
    )
    length = draw(st.integers(min_value=0, max_value=3 * 365))
    last = start + datetime.timedelta(days=length)
    price = D(draw(st.integers(min_value=1, max_value=1500))) / 100
    area = D(draw(st.integers(min_value=100, max_value=500000))) / 100
    spans = [(start, last, area)]
    if draw(st.booleans()) and length > 10:  # an expansion from some day on
        extra_from = start + datetime.timedelta(days=draw(st.integers(1, length)))
        spans.append((extra_from, last, D(draw(st.integers(100, 100000))) / 100))
    free = []
    for _ in range(draw(st.integers(0, 3))):
        a = start + datetime.timedelta(days=draw(st.integers(0, length)))
        b = a + datetime.timedelta(days=draw(st.integers(0, 90)))
        free.append((a, b))
    return Terms(
        start=start,
        last_day=last,
        price=price,
        spans=spans,
        free=free,
        escalation_pct=D(draw(st.integers(0, 800))) / 100,
        escalation_from_year=draw(st.integers(2, 3)),
        cycle_months=draw(st.sampled_from([1, 3, 6, 12])),
    )


@settings(max_examples=150, deadline=None)
@given(leases())
def test_daily_schedule_total_is_the_sum_of_daily_rents_to_the_fen(terms):
    schedule = build_schedule(terms)
    exact = sum((daily_rent(terms, d) for d in days(terms.start, terms.last_day)), D(0))
    assert schedule.total_rent == cents(exact)
    assert all(p.rent == p.rent.quantize(D("0.01")) and p.rent >= 0 for p in schedule.periods)
    # periods tile the lease with no gap and no overlap
    assert schedule.periods[0].start == terms.start
    assert schedule.periods[-1].end == terms.last_day
    for before, after in zip(schedule.periods, schedule.periods[1:], strict=False):
        assert after.start == before.end + DAY


def test_a_partial_period_is_prorated_by_days():
    terms = Terms(
        start=datetime.date(2026, 1, 1),
        last_day=datetime.date(2026, 2, 10),
        price=D("3.20"),
        spans=[(datetime.date(2026, 1, 1), datetime.date(2026, 2, 10), D(1000))],
        cycle_months=3,
    )
    (only,) = build_schedule(terms).periods
    assert only.rent == D("3.20") * 1000 * 41  # 31 + 10 days


def test_rent_free_days_charge_nothing_else_does():
    start = datetime.date(2026, 3, 1)
    terms = Terms(
        start=start,
        last_day=datetime.date(2026, 5, 31),
        price=D("4"),
        spans=[(start, datetime.date(2026, 5, 31), D(100))],
        free=[(start, datetime.date(2026, 3, 31))],
        cycle_months=1,
    )
    assert [p.rent for p in build_schedule(terms).periods] == [D(0), D(12000), D(12400)]


def test_escalation_starts_on_the_anniversary():
    start = datetime.date(2025, 7, 15)
    terms = Terms(
        start=start,
        last_day=datetime.date(2028, 7, 14),
        price=D(3),
        spans=[(start, datetime.date(2028, 7, 14), D(1))],
        escalation_pct=D(5),
        escalation_from_year=2,
    )
    assert daily_rent(terms, datetime.date(2026, 7, 14)) == D(3)
    assert daily_rent(terms, datetime.date(2026, 7, 15)) == D("3.15")
    assert daily_rent(terms, datetime.date(2027, 7, 15)) == D("3.3075")
    later = Terms(**{**terms.__dict__, "escalation_from_year": 3})
    assert daily_rent(later, datetime.date(2026, 7, 15)) == D(3)
    assert daily_rent(later, datetime.date(2027, 7, 15)) == D("3.15")


def test_monthly_convention_full_months_and_broken_month():
    start = datetime.date(2026, 2, 1)
    terms = Terms(
        start=start,
        last_day=datetime.date(2026, 4, 10),
        price=D("3.00"),
        spans=[(start, datetime.date(2026, 4, 10), D(1000))],
        convention="monthly",
        cycle_months=3,
        fee=D(12),
    )
    (period,) = build_schedule(terms).periods
    # February and March: 3 × 1000 × 365 / 12 = 91,250 each; 10 days of April by days
    assert period.rent == D(91250) * 2 + D(3) * 1000 * 10
    # fee: two full months at 12 元/㎡/月, 10 days at 12 × 12 / 365
    assert period.fee == cents(D(12) * 1000 * 2 + D(12) * 12 / 365 * 1000 * 10)


def test_month_ends_clip_to_shorter_months():
    assert add_months(datetime.date(2026, 1, 31), 1) == datetime.date(2026, 2, 28)
    assert add_months(datetime.date(2024, 1, 31), 1) == datetime.date(2024, 2, 29)
    assert add_months(datetime.date(2026, 11, 30), 3) == datetime.date(2027, 2, 28)


def test_deposit_is_months_of_rent_at_the_start():
    start = datetime.date(2026, 1, 1)
    terms = Terms(
        start=start,
        last_day=datetime.date(2026, 12, 31),
        price=D("3.30"),
        spans=[(start, datetime.date(2026, 12, 31), D(1500))],
        deposit_months=1,
    )
    assert build_schedule(terms).deposit == D("150562.50")  # 3.3 × 1500 × 365 / 12
