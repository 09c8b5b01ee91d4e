"""The rent schedule under the money conventions (DESIGN → "Money conventions").

The property test compares the schedule with an oracle written here, independently of
``leasing.schedule``: it walks the lease day by day with exact fractions, finds month ends with
``calendar`` as the Civil Code counts them, decides whole or broken month unit by unit, and
rounds each line once. The named tests pin one convention each, with figures worked by hand.
"""

from __future__ import annotations

import calendar
import datetime
import math
from decimal import Decimal
from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from leasing.schedule import Terms, build_schedule, lease_month_end

D = Decimal
DAY = datetime.timedelta(days=1)


# --- the oracle ---------------------------------------------------------------------------
def oracle_month_end(start: datetime.date, n: int) -> datetime.date:
    """Art. 202: n months from ``start`` end the day before day D of the month n later, or on
    that month's last day when it has no day D."""
    month0 = start.month - 1 + n
    year, month = start.year + month0 // 12, month0 % 12 + 1
    last = calendar.monthrange(year, month)[1]
    if start.day > last:
        return datetime.date(year, month, last)
    return datetime.date(year, month, start.day) - DAY


def oracle_month_start(start: datetime.date, n: int) -> datetime.date:
    return start if n == 0 else oracle_month_end(start, n) + DAY


def half_up(x: Fraction) -> Decimal:
    n = math.floor(abs(x) * 100 + Fraction(1, 2))
    return D(n if x >= 0 else -n) / 100


def oracle(terms: Terms) -> list[tuple[datetime.date, datetime.date, Decimal, Decimal]]:
    """(start, end, rent, fee) of each period, day by day."""
    free_days = {
        s + datetime.timedelta(days=i) for s, e in terms.free for i in range((e - s).days + 1)
    }
    pct = Fraction(terms.escalation_pct) / 100

    def month_index(d):
        n = 0
        while oracle_month_start(terms.start, n + 1) <= d:
            n += 1
        return n

    def steps(d):
        return max(0, month_index(d) // 12 + 1 - terms.escalation_from_year + 1)

    def price_on(d):
        base, since = Fraction(terms.price), terms.start
        for effective, price, _fee in terms.changes:
            if effective <= d and price is not None:
                base, since = Fraction(price), effective
        return base * (1 + pct) ** (steps(d) - steps(since))

    def fee_on(d):
        fee = Fraction(terms.fee)
        for effective, _price, new_fee in terms.changes:
            if effective <= d and new_fee is not None:
                fee = Fraction(new_fee)
        return fee

    out = []
    n = 0
    while (p_start := oracle_month_start(terms.start, n)) <= terms.last_day:
        p_end = min(oracle_month_end(terms.start, n + terms.cycle_months), terms.last_day)
        rent = fee = Fraction(0)
        for m in range(n, n + terms.cycle_months):
            m_start, m_end = (
                oracle_month_start(terms.start, m),
                oracle_month_end(terms.start, m + 1),
            )
            if m_start > p_end:
                break
            cut = any(m_start < d <= m_end for d, _p, _f in terms.changes)
            month = [
                m_start + datetime.timedelta(days=i) for i in range((m_end - m_start).days + 1)
            ]
            for s, e, area in terms.spans:
                held = [d for d in month if s <= d <= e and d <= p_end]
                if not held:
                    continue
                whole = len(held) == len(month) and not cut
                paying = [d for d in held if d not in free_days]
                a = Fraction(area)
                if terms.convention == "monthly" and whole and len(paying) == len(held):
                    rent += price_on(m_start) * a * 365 / 12
                else:
                    rent += sum((price_on(d) * a for d in paying), Fraction(0))
                if whole:
                    fee += fee_on(m_start) * a
                else:
                    fee += sum((fee_on(d) * 12 / 365 * a for d in held), Fraction(0))
        out.append((p_start, p_end, half_up(rent), half_up(fee)))
        n += terms.cycle_months
    return out


@st.composite
def leases(draw):
    start = draw(
        st.dates(min_value=datetime.date(2020, 1, 1), max_value=datetime.date(2030, 12, 31))
    )
    if draw(st.booleans()):  # whole months, often from a month end or 29 February
        last = oracle_month_end(start, draw(st.integers(1, 40)))
    else:
        last = start + datetime.timedelta(days=draw(st.integers(0, 3 * 365)))
    length = (last - start).days
    area = D(draw(st.integers(min_value=100, max_value=500000))) / 100
    spans = [(start, last, area)]
    if draw(st.booleans()) and length > 10:  # another unit, added later, maybe given back
        first = start + datetime.timedelta(days=draw(st.integers(1, length)))
        end = first + datetime.timedelta(days=draw(st.integers(0, (last - first).days)))
        spans.append((first, end, D(draw(st.integers(100, 100000))) / 100))
    free = []
    for _ in range(draw(st.integers(0, 3))):  # rent-free spans, possibly overlapping
        a = start + datetime.timedelta(days=draw(st.integers(0, length)))
        free.append((a, min(last, a + datetime.timedelta(days=draw(st.integers(0, 90))))))
    changes = []
    if draw(st.booleans()) and length > 30:  # an amendment of the price, the fee or both
        effective = start + datetime.timedelta(days=draw(st.integers(1, length)))
        new_price = draw(st.one_of(st.none(), st.integers(1, 1500)))
        new_fee = draw(st.one_of(st.none(), st.integers(0, 3000)))
        if new_price is not None or new_fee is not None:
            changes.append(
                (
                    effective,
                    None if new_price is None else D(new_price) / 100,
                    None if new_fee is None else D(new_fee) / 100,
                )
            )
    return Terms(
        start=start,
        last_day=last,
        changes=changes,
        price=D(draw(st.integers(min_value=1, max_value=1500))) / 100,
        fee=D(draw(st.integers(min_value=0, max_value=3000))) / 100,
        convention=draw(st.sampled_from(["daily", "monthly"])),
        spans=spans,
        free=free,
        escalation_pct=D(draw(st.integers(0, 800))) / 100,
        escalation_from_year=draw(st.integers(2, 3)),
        cycle_months=draw(st.sampled_from([1, 3, 6, 12])),
    )


@settings(max_examples=300, deadline=None)
@given(leases())
def test_the_schedule_is_the_oracle_line_by_line(terms):
    schedule = build_schedule(terms)
    got = [(p.start, p.end, p.rent, p.fee) for p in schedule.periods]
    assert got == oracle(terms)
    assert schedule.total_rent == sum((p.rent for p in schedule.periods), D(0))


# --- one convention each ------------------------------------------------------------------
def _terms(start, last, price="3.00", area="1000", **kw):
    spans = kw.pop("spans", None) or [(start, last, D(area))]
    return Terms(start=start, last_day=last, price=D(price), spans=spans, **kw)


def test_months_are_counted_as_the_civil_code_counts_them():
    jan31 = datetime.date(2026, 1, 31)
    assert lease_month_end(jan31, 1) == datetime.date(2026, 2, 28)  # Feb has no 31st
    assert lease_month_end(jan31, 2) == datetime.date(2026, 3, 30)
    assert lease_month_end(datetime.date(2028, 2, 29), 12) == datetime.date(2029, 2, 28)
    assert lease_month_end(datetime.date(2028, 2, 29), 1) == datetime.date(2028, 3, 28)


def test_31_january_to_28_february_is_one_whole_month_without_a_stub():
    terms = _terms(
        datetime.date(2026, 1, 31), datetime.date(2026, 2, 28), convention="monthly", cycle_months=1
    )
    (only,) = build_schedule(terms).periods
    assert only.rent == D("91250.00")  # 3 × 1000 × 365 ÷ 12, not 28 days + a 1-day bill


def test_a_year_from_29_february_is_twelve_equal_months():
    start = datetime.date(2028, 2, 29)
    terms = _terms(start, lease_month_end(start, 12), convention="monthly", cycle_months=1)
    periods = build_schedule(terms).periods
    assert len(periods) == 12 and {p.rent for p in periods} == {D("91250.00")}
    assert periods[-1].end == datetime.date(2029, 2, 28)


def test_an_expansion_on_the_16th_leaves_the_other_units_month_whole():
    start, last = datetime.date(2026, 3, 1), datetime.date(2026, 3, 31)
    mid = datetime.date(2026, 3, 16)
    terms = _terms(
        start,
        last,
        spans=[(start, last, D(1000)), (mid, last, D(200))],
        convention="monthly",
        fee=D(10),
        cycle_months=1,
    )
    (march,) = build_schedule(terms).periods
    # unit 1: a whole month (91,250); unit 2: 16 days by days (3 × 200 × 16 = 9,600)
    assert march.rent == D("100850.00")
    # fee: 10 × 1000 for the whole month; 10 × 12 ÷ 365 × 200 × 16 for the broken one
    assert march.fee == D("10000.00") + D("1052.05")


def test_each_line_is_its_exact_amount_rounded_half_up_once():
    start = datetime.date(2026, 4, 1)
    terms = _terms(
        start,
        datetime.date(2026, 4, 30),
        price="3.00",
        area="329.30",
        convention="monthly",
        cycle_months=1,
    )
    (april,) = build_schedule(terms).periods
    assert april.rent == D("30048.63")  # exactly 30,048.625 owed: the tie goes up


def test_identical_whole_months_bill_identical_amounts():
    start = datetime.date(2026, 1, 1)
    terms = _terms(
        start, datetime.date(2026, 3, 31), price="3.29", convention="monthly", cycle_months=1
    )
    rents = [p.rent for p in build_schedule(terms).periods]
    assert rents == [D("100070.83")] * 3  # 3.29 × 1000 × 365 ÷ 12 = 100,070.833…


def test_escalation_is_compound_from_the_anniversaries_and_kept_exact():
    start = datetime.date(2025, 7, 15)
    terms = _terms(
        start,
        datetime.date(2028, 7, 14),
        price="3",
        area="1",
        escalation_pct=D(5),
        cycle_months=12,
    )
    assert terms.price_on(datetime.date(2026, 7, 14)) == 3
    assert terms.price_on(datetime.date(2026, 7, 15)) == Fraction("3.15")
    assert terms.price_on(datetime.date(2027, 7, 15)) == Fraction("3.3075")
    years = build_schedule(terms).periods
    # the third year has 29 February 2028: 366 × 3.3075 = 1,210.545
    assert [p.rent for p in years] == [D(3 * 365), D("1149.75"), D("1210.55")]


def test_rent_free_days_free_the_rent_not_the_fee():
    start = datetime.date(2026, 3, 1)
    terms = _terms(
        start,
        datetime.date(2026, 5, 31),
        price="4",
        area="100",
        fee=D(10),
        free=[(start, datetime.date(2026, 3, 31))],
        cycle_months=1,
    )
    periods = build_schedule(terms).periods
    assert [p.rent for p in periods] == [D(0), D(12000), D(12400)]
    assert [p.fee for p in periods] == [D(1000)] * 3


def test_deposit_is_months_of_rent_at_the_start():
    start = datetime.date(2026, 1, 1)
    terms = _terms(start, datetime.date(2026, 12, 31), price="3.30", area="1500", deposit_months=1)
    assert build_schedule(terms).deposit == D("150562.50")  # 3.3 × 1500 × 365 ÷ 12
