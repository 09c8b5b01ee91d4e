"""Fund arithmetic (fund.metrics) on hand-worked cases, and XIRR against a reference library."""

from __future__ import annotations

import datetime
import math
from decimal import Decimal

import pytest
import pyxirr
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from fund.metrics import (
    FundInputs,
    HoldingInputs,
    Tranche,
    fund_figures,
    holding_figures,
    largest_remainder,
    xirr,
)

D = Decimal
DAY0 = datetime.date(2021, 1, 1)
YEAR = datetime.date(2022, 1, 1)  # 365 days later


def small_fund() -> FundInputs:
    """The worked example (a year of 365 days, 2021):

    - committed 1,000,000; LP 1 commits 600,000 and LP 2 400,000; hurdle 8 %, carry 20 %;
    - 2021-01-01 calls 300,000 (LP 1) and 200,000 (LP 2): called 500,000;
    - 2021-01-01 buys 20 % of a company for 400,000 (pre 1,600,000, post 2,000,000);
    - 2021-12-31 management fee 10,000;
    - 2022-01-01 sells it for 800,000 and distributes 600,000 (360,000 and 240,000).

    On 2022-01-01: cash = 500,000 − 400,000 − 10,000 + 800,000 − 600,000 = 290,000 = NAV.
    DPI 600/500 = 1.2; RVPI 290/500 = 0.58; TVPI 1.78; MOIC 800/400 = 2.
    Gross XIRR: −400,000 then +800,000 a year later: 100 %. Net XIRR: −500,000 then
    600,000 + 290,000 a year later: 78 %.
    Waterfall of 890,000: capital 500,000; hurdle 8 % of 500,000 for a year = 40,000;
    catch-up 40,000 × 20/80 = 10,000; the remaining 340,000 splits 272,000 / 68,000.
    LPs 812,000, manager 78,000 (20 % of the 390,000 profit). Net TVPI (890 − 78)/500 = 1.624.
    Per LP (3 : 2): capital and split 772,000 → 463,200 / 308,800, hurdle 24,000 / 16,000:
    LP 1 487,200, LP 2 324,800.
    """
    return FundInputs(
        committed=D(1_000_000),
        hurdle_pct=D(8),
        carry_pct=D(20),
        calls=[(1, DAY0, D(300_000)), (2, DAY0, D(200_000))],
        distributions=[(1, YEAR, D(360_000)), (2, YEAR, D(240_000))],
        expenses=[(datetime.date(2021, 12, 31), D(10_000))],
        holdings=[
            HoldingInputs(
                key=1,
                name="甲",
                tranches=[Tranche(DAY0, D(400_000), D(0), D(1_600_000), D(2_000_000), D(20))],
                exit=(YEAR, D(800_000)),
            )
        ],
        lps=[(1, "LP 1"), (2, "LP 2")],
    )


def test_the_worked_fund():
    figures = fund_figures(small_fund(), YEAR)
    assert (figures.called, figures.distributed, figures.invested) == (
        D(500_000),
        D(600_000),
        D(400_000),
    )
    assert (figures.realised, figures.holdings_value, figures.cash) == (
        D(800_000),
        D(0),
        D(290_000),
    )
    assert figures.nav == D(290_000)
    assert (figures.dpi, figures.rvpi, figures.tvpi, figures.moic) == (
        D("1.2"),
        D("0.58"),
        D("1.78"),
        D(2),
    )
    assert figures.gross_xirr == pytest.approx(1.0, rel=1e-9)
    assert figures.xirr == pytest.approx(0.78, rel=1e-9)
    w = figures.waterfall
    assert (w.return_of_capital, w.catch_up, w.lp_split, w.carry_split) == (
        D(500_000),
        D(10_000),
        D(272_000),
        D(68_000),
    )
    assert w.preferred_return == pytest.approx(D(40_000), abs=D("0.000001"))
    assert round(w.to_manager, 2) == D(78_000)
    assert w.per_lp == {1: D("487200.00"), 2: D("324800.00")}
    assert round(figures.net_tvpi, 6) == D("1.624")


def test_before_anything_is_called_there_is_no_multiple_and_no_rate():
    figures = fund_figures(small_fund(), datetime.date(2020, 12, 31))
    assert (figures.called, figures.nav, figures.tvpi, figures.dpi, figures.moic) == (
        0,
        0,
        None,
        None,
        None,
    )
    assert figures.xirr is None and figures.gross_xirr is None


def test_a_day_before_the_exit_the_holding_is_at_cost():
    figures = fund_figures(small_fund(), datetime.date(2021, 12, 31))
    assert figures.holdings_value == D(400_000)
    assert figures.cash == D(500_000 - 400_000 - 10_000)
    assert figures.tvpi == D(490_000) / D(500_000)


def test_a_follow_on_dilutes_the_first_stake_and_adds_its_own():
    """20 % bought at a post-money of 2,000,000; the next round raises at a pre-money of
    4,000,000 and post-money of 5,000,000, the fund putting in 1,000,000 (20 %): the first 20 %
    becomes 20 × 4/5 = 16 %, plus 20 %: 36 %. Marked at 3,000,000 before the follow-on, the
    holding is worth the mark plus the follow-on at cost: 4,000,000; MOIC 4/1.4."""
    holding = HoldingInputs(
        key=1,
        name="甲",
        tranches=[
            Tranche(DAY0, D(400_000), D(0), D(1_600_000), D(2_000_000), D(20)),
            Tranche(
                datetime.date(2021, 7, 1), D(1_000_000), D(0), D(4_000_000), D(5_000_000), D(20)
            ),
        ],
        marks=[(datetime.date(2021, 6, 30), D(3_000_000))],
    )
    figures = holding_figures(holding, YEAR)
    assert figures is not None
    assert figures.stake_pct == D(36)
    assert figures.unrealised == D(4_000_000)
    assert figures.moic == D(4_000_000) / D(1_400_000)
    assert holding_figures(holding, datetime.date(2020, 1, 1)) is None


def test_rent_given_for_equity_is_cost_but_not_cash():
    """1,000,000 cash and 200,000 of rent given up: the cost is 1,200,000, the fund's cash
    falls by 1,000,000 only."""
    inputs = FundInputs(
        committed=D(5_000_000),
        hurdle_pct=D(8),
        carry_pct=D(20),
        calls=[(1, DAY0, D(2_000_000))],
        distributions=[],
        expenses=[],
        holdings=[
            HoldingInputs(
                1,
                "乙",
                [Tranche(DAY0, D(1_000_000), D(200_000), D(10_800_000), D(12_000_000), D(10))],
            )
        ],
        lps=[(1, "LP")],
    )
    figures = fund_figures(inputs, YEAR)
    assert figures.invested == D(1_200_000)
    assert figures.cash == D(1_000_000)
    assert figures.nav == D(2_200_000)


def test_largest_remainder_adds_up_to_the_cent():
    shares = largest_remainder(D("100.00"), {1: D(1), 2: D(1), 3: D(1)})
    assert shares == {1: D("33.34"), 2: D("33.33"), 3: D("33.33")}
    assert sum(shares.values()) == D("100.00")


@given(
    total=st.decimals(min_value=0, max_value=10**9, places=2),
    weights=st.lists(st.integers(min_value=1, max_value=10**6), min_size=1, max_size=8),
)
def test_largest_remainder_always_sums_exactly(total: Decimal, weights: list[int]):
    shares = largest_remainder(total, {n: D(w) for n, w in enumerate(weights)})
    assert sum(shares.values()) == total
    assert all(s >= 0 for s in shares.values())


# --- XIRR ------------------------------------------------------------------------------------


def reference(flows: list[tuple[datetime.date, float]]) -> float | None:
    return pyxirr.xirr([d for d, _a in flows], [a for _d, a in flows])


@settings(max_examples=300, deadline=None)
@given(
    outlay=st.floats(min_value=1, max_value=1e9),
    returns=st.lists(
        st.tuples(
            st.integers(min_value=1, max_value=3650), st.floats(min_value=0.01, max_value=1e9)
        ),
        min_size=1,
        max_size=30,
    ),
)
def test_xirr_agrees_with_the_reference(outlay: float, returns: list[tuple[int, float]]):
    """One outlay, then inflows: the value falls as the rate rises, so there is exactly one
    root, and both must find it."""
    flows = [(DAY0, -outlay)] + [(DAY0 + datetime.timedelta(days=d), a) for d, a in returns]
    expected = reference(flows)
    # a rate beyond e^700 a year is no float (the reference says inf, fund.metrics None)
    assume(expected is not None and math.isfinite(expected))
    got = xirr(flows)
    assert got is not None
    assert got == pytest.approx(expected, rel=1e-6, abs=1e-9)


@pytest.mark.parametrize(
    "flows",
    [
        [],
        [(DAY0, -100)],
        [(DAY0, -100), (YEAR, -50)],
        [(DAY0, 100), (YEAR, 50)],
        [(DAY0, -100), (DAY0, 150)],  # one day: no rate changes the value
    ],
    ids=["empty", "single", "all-out", "all-in", "same-day"],
)
def test_no_rate_where_none_exists(flows):
    assert xirr(flows) is None


def test_a_near_total_loss_is_found_by_the_bracket():
    flows = [(DAY0, -1_000_000.0), (YEAR, 0.5)]
    assert xirr(flows) == pytest.approx(reference(flows), rel=1e-6)


def test_a_thousandfold_gain_is_found():
    flows = [(DAY0, -1.0), (datetime.date(2021, 2, 1), 1000.0)]
    assert xirr(flows) == pytest.approx(reference(flows), rel=1e-6)


def test_a_very_long_series():
    """Forty years of monthly outlays and a final inflow: 481 flows over 14,600 days."""
    flows = [(DAY0 + datetime.timedelta(days=30 * n), -1000.0) for n in range(480)]
    flows.append((DAY0 + datetime.timedelta(days=30 * 480 + 30), 2_000_000.0))
    assert xirr(flows) == pytest.approx(reference(flows), rel=1e-6)


def test_decimals_are_accepted():
    assert xirr([(DAY0, D("-100.00")), (YEAR, D("110.00"))]) == pytest.approx(0.1, rel=1e-9)
