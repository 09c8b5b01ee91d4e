"""The arithmetic of utility bills on hand-worked cases (no database)."""

from __future__ import annotations

import datetime
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from utilities.pricing import Rate, Usage, allocate, consumption, period_lines, price_lines

D = Decimal
day = datetime.date


def test_consumption_is_the_register_difference_times_the_multiplier():
    assert consumption(D("1000.5"), D("1100.5"), multiplier=D(40), reason="", digits=8) == D("4000")


def test_a_rolled_over_register_counts_through_zero():
    # a five-digit register: 99950 → 99999 → 0 → 30 is 80 units
    assert consumption(D(99950), D(30), multiplier=D(1), reason="rollover", digits=5) == D(80)


def test_a_replaced_meter_counts_from_zero():
    assert consumption(D(5000), D(120), multiplier=D(2), reason="replaced", digits=8) == D(240)


def test_time_of_use_prices_each_period_and_rounds_each_line_once():
    rate = Rate(day(2026, 1, 1), D("0.7720"), peak_price=D("1.2130"), valley_price=D("0.3520"))
    lines = price_lines("tou", rate, Usage(D(1000), peak=D(300), valley=D(250)))
    # 300 × 1.213 = 363.90; 450 × 0.772 = 347.40; 250 × 0.352 = 88.00
    assert [(x.label, x.quantity, x.amount) for x in lines] == [
        ("峰", D(300), D("363.90")),
        ("平", D(450), D("347.40")),
        ("谷", D(250), D("88.00")),
    ]
    assert sum(x.amount for x in lines) == D("799.30")


def test_tiered_prices_each_tier():
    rate = Rate(
        day(2026, 1, 1),
        D("0.5"),
        tier1_upto=D(100),
        tier2_price=D("0.8"),
        tier2_upto=D(300),
        tier3_price=D("1.2"),
    )
    lines = price_lines("tiered", rate, Usage(D(450)))
    # 100 × 0.5 + 200 × 0.8 + 150 × 1.2 = 50 + 160 + 180
    assert [x.amount for x in lines] == [D("50.00"), D("160.00"), D("180.00")]
    assert [x.amount for x in price_lines("tiered", rate, Usage(D(80)))] == [D("40.00")]


def test_a_change_of_rate_inside_the_interval_prorates_by_days():
    rates = [Rate(day(2025, 1, 1), D("0.80")), Rate(day(2026, 2, 15), D("1.00"))]
    # read on 31 January and 28 February: 14 days at each rate, 140 units at each
    lines = period_lines("flat", rates, Usage(D(280)), day(2026, 1, 31), day(2026, 2, 28))
    assert [(x.quantity, x.unit_price, x.amount) for x in lines] == [
        (D(140), D("0.80"), D("112.00")),
        (D(140), D("1.00"), D("140.00")),
    ]
    assert "2026-02-15" in lines[1].label
    odd = period_lines("flat", rates, Usage(D("100.001")), day(2026, 1, 31), day(2026, 2, 28))
    assert sum(x.quantity for x in odd) == D("100.001")


def test_tiers_are_prorated_with_the_days():
    rates = [
        Rate(
            day(2025, 1, 1),
            D("0.5"),
            tier1_upto=D(100),
            tier2_price=D(1),
            tier2_upto=D(200),
            tier3_price=D(2),
        ),
        Rate(
            day(2026, 2, 15),
            D("0.5"),
            tier1_upto=D(100),
            tier2_price=D(1),
            tier2_upto=D(200),
            tier3_price=D(2),
        ),
    ]
    # 120 units a half: each half's first tier is 50, its second 50 more
    lines = period_lines("tiered", rates, Usage(D(240)), day(2026, 1, 31), day(2026, 2, 28))
    assert [x.quantity for x in lines] == [D(50), D(50), D(20), D(50), D(50), D(20)]


def test_no_rate_in_force_is_refused():
    try:
        period_lines(
            "flat", [Rate(day(2026, 3, 1), D(1))], Usage(D(1)), day(2026, 1, 1), day(2026, 2, 1)
        )
    except LookupError:
        return
    raise AssertionError("a period before the first rate was priced")


def test_allocation_hand_worked():
    assert allocate(D("100.00"), {1: D(1), 2: D(1), 3: D(1)}) == {
        1: D("33.34"),
        2: D("33.33"),
        3: D("33.33"),
    }


@given(
    cents=st.integers(min_value=0, max_value=10**9),
    weights=st.lists(st.integers(min_value=1, max_value=10**6), min_size=1, max_size=30),
)
def test_allocation_always_sums_to_the_amount_to_the_cent(cents, weights):
    amount = D(cents) / 100
    shares = allocate(amount, {n: D(w) for n, w in enumerate(weights)})
    assert sum(shares.values()) == amount
    assert all(s >= 0 for s in shares.values())
