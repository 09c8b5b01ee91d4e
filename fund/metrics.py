"""Fund arithmetic, with no database: XIRR, a holding's figures, the fund's figures and the
European waterfall. ``fund.selectors`` loads the records into these plain inputs.

Conventions (shown on the fund page's notes and tested in fund/tests/test_metrics.py):
- A holding is the first investment in a company with its follow-ons. Its cost is cash plus
  rent given up for equity (以租代投). Until it is exited its value is the latest mark on or
  before the day, plus the cost of tranches made after that mark (at cost until marked); with
  no mark it is held at cost. An exit ends the holding: proceeds are realised, nothing remains.
- The fund's cash is called capital − cash invested − fees and expenses + exit proceeds −
  distributions; NAV is the holdings' value plus that cash. Rent given up is capital in kind:
  it is part of the cost and the value, never of the cash.
- Multiples divide by called capital (DPI, RVPI, TVPI) or by cost (MOIC); with nothing called
  or invested there is no multiple (None), never a division by zero.
- The waterfall is a liquidation on the day: distributed + NAV, tier by tier.
"""

from __future__ import annotations

import datetime
import itertools
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, localcontext

from core.money import largest_remainder

__all__ = [
    "Flow",
    "FundFigures",
    "FundInputs",
    "HoldingFigures",
    "HoldingInputs",
    "Slice",
    "Waterfall",
    "concentration",
    "fund_figures",
    "holding_figures",
    "largest_remainder",
    "ratio",
    "waterfall",
    "xirr",
    "xnpv",
]

CENT = Decimal("0.01")
Flow = tuple[datetime.date, Decimal]


# --- XIRR ------------------------------------------------------------------------------------

_DAYS_A_YEAR = 365.0
# the bracketing search works on ln(1 + rate), with no rounding of 1 + rate near a total
# loss: from keeping e^-1,000,000 of the money a year to multiplying it by e^700 (beyond that
# a rate is no longer a float)
_GRID = [
    -1e6,
    -1e4,
    -1000.0,
    -100.0,
    -20.0,
    -5.0,
    -1.0,
    -0.1,
    0.0,
    0.1,
    0.7,
    1.5,
    3.0,
    7.0,
    14.0,
    50.0,
    700.0,
]


def _prepared(
    cashflows: Iterable[tuple[datetime.date, object]],
) -> tuple[list[float], list[float]] | None:
    flows = [(day, float(amount)) for day, amount in cashflows]  # type: ignore[arg-type]
    if not any(a > 0 for _d, a in flows) or not any(a < 0 for _d, a in flows):
        return None  # empty, or one-signed: no rate makes the value zero
    first = min(day for day, _a in flows)
    years = [(day - first).days / _DAYS_A_YEAR for day, _a in flows]
    if max(years) == 0:  # all on one day: the value does not depend on the rate
        return None
    return years, [a for _d, a in flows]


def _sign_of_value(log_growth: float, years: list[float], amounts: list[float]) -> float:
    """The sign (and a scaled size) of the value where ln(1 + rate) = ``log_growth``, safe
    from overflow: every term is divided by the largest discount factor before it is added."""
    exponents = [-t * log_growth for t in years]
    top = max(exponents)
    return sum(a * math.exp(e - top) for a, e in zip(amounts, exponents, strict=True))


def xnpv(rate: float, cashflows: Iterable[tuple[datetime.date, object]]) -> float:
    """Value of dated flows at an annual rate (actual days / 365, from the earliest flow)."""
    flows = [(day, float(amount)) for day, amount in cashflows]  # type: ignore[arg-type]
    if not flows:
        return 0.0
    first = min(day for day, _a in flows)
    return sum(a / (1.0 + rate) ** ((day - first).days / _DAYS_A_YEAR) for day, a in flows)


def _newton(years: list[float], amounts: list[float], guess: float = 0.1) -> float | None:
    rate = guess
    scale = sum(abs(a) for a in amounts)
    for _ in range(50):
        if rate <= -1:
            return None
        try:
            value = sum(a * (1 + rate) ** -t for a, t in zip(amounts, years, strict=True))
            slope = sum(
                -t * a * (1 + rate) ** (-t - 1) for a, t in zip(amounts, years, strict=True)
            )
        except (OverflowError, ZeroDivisionError):
            return None
        if slope == 0 or not math.isfinite(value) or not math.isfinite(slope):
            return None
        step = value / slope
        rate -= step
        if abs(step) <= 1e-12 * max(1.0, abs(rate)) and abs(value) <= 1e-9 * scale:
            return rate if rate > -1 else None
    return None


def _bisect(years: list[float], amounts: list[float]) -> float | None:
    signs = [(g, _sign_of_value(g, years, amounts)) for g in _GRID]
    for (lo, f_lo), (hi, f_hi) in itertools.pairwise(signs):
        if f_lo == 0:
            return math.expm1(lo)
        if (f_lo < 0) != (f_hi < 0):
            for _ in range(400):
                mid = (lo + hi) / 2
                if mid in (lo, hi):
                    break
                f_mid = _sign_of_value(mid, years, amounts)
                if (f_mid < 0) == (f_lo < 0):
                    lo, f_lo = mid, f_mid
                else:
                    hi = mid
            return math.expm1((lo + hi) / 2)
    return None


def xirr(cashflows: Iterable[tuple[datetime.date, object]]) -> float | None:
    """The annual rate at which dated flows are worth zero (actual/365), or None where no
    rate exists (no flows, one flow, flows of one sign, all on one day).

    Newton's method from 10 %, checked; where it fails to settle (a far or steep root) a
    bisection over a bracket in which the value changes sign, so an answer always is a root.
    """
    prepared = _prepared(cashflows)
    if prepared is None:
        return None
    years, amounts = prepared
    rate = _newton(years, amounts)
    if rate is None:
        rate = _bisect(years, amounts)
    return rate


# --- holdings ---------------------------------------------------------------------------------


def ratio(numerator: Decimal, denominator: Decimal) -> Decimal | None:
    """numerator ÷ denominator at full precision, or None when there is nothing to divide by."""
    if not denominator:
        return None
    return numerator / denominator


@dataclass(frozen=True)
class Tranche:
    on: datetime.date
    cash: Decimal
    concession: Decimal
    pre_money: Decimal
    post_money: Decimal
    ownership_pct: Decimal

    @property
    def cost(self) -> Decimal:
        return self.cash + self.concession


@dataclass(frozen=True)
class HoldingInputs:
    """One holding as records say: tranches (first one first), marks (date, fair value), an
    exit (date, proceeds) or None."""

    key: int
    name: str
    tranches: Sequence[Tranche]
    marks: Sequence[Flow] = ()
    exit: Flow | None = None
    industry: str = ""
    park: str = ""


@dataclass(frozen=True)
class HoldingFigures:
    key: int
    name: str
    invested: Decimal
    cash_invested: Decimal
    realised: Decimal
    unrealised: Decimal
    moic: Decimal | None
    xirr: float | None
    stake_pct: Decimal
    exited: bool
    industry: str
    park: str

    @property
    def value(self) -> Decimal:
        return self.realised + self.unrealised


def holding_figures(holding: HoldingInputs, as_of: datetime.date) -> HoldingFigures | None:
    """The holding's figures on ``as_of``; None before its first tranche."""
    tranches = [t for t in holding.tranches if t.on <= as_of]
    if not tranches:
        return None
    exit_ = holding.exit if holding.exit is not None and holding.exit[0] <= as_of else None
    invested = sum((t.cost for t in tranches), Decimal(0))
    stake = Decimal(0)
    for t in tranches:  # earlier stakes are diluted by each later round, then this one adds
        stake = stake * t.pre_money / t.post_money + t.ownership_pct
    flows: list[Flow] = [(t.on, -t.cost) for t in tranches]
    if exit_ is not None:
        realised, unrealised = exit_[1], Decimal(0)
        flows.append(exit_)
    else:
        realised = Decimal(0)
        marks = [m for m in holding.marks if m[0] <= as_of]
        if marks:
            # the latest mark; of two on one day the one entered last (marks come in entry order)
            marked_on, value = sorted(marks, key=lambda m: m[0])[-1]
            unrealised = value + sum((t.cost for t in tranches if t.on > marked_on), Decimal(0))
        else:
            unrealised = invested
        flows.append((as_of, unrealised))
    return HoldingFigures(
        key=holding.key,
        name=holding.name,
        invested=invested,
        cash_invested=sum((t.cash for t in tranches), Decimal(0)),
        realised=realised,
        unrealised=unrealised,
        moic=ratio(realised + unrealised, invested),
        xirr=xirr(flows),
        stake_pct=stake,
        exited=exit_ is not None,
        industry=holding.industry,
        park=holding.park,
    )


# --- the fund --------------------------------------------------------------------------------


@dataclass(frozen=True)
class FundInputs:
    committed: Decimal
    hurdle_pct: Decimal
    carry_pct: Decimal
    calls: Sequence[tuple[int, datetime.date, Decimal]]  # (LP key, date, amount)
    distributions: Sequence[tuple[int, datetime.date, Decimal]]
    expenses: Sequence[Flow]
    holdings: Sequence[HoldingInputs]
    lps: Sequence[tuple[int, str]] = ()  # (key, name), for the waterfall per LP


@dataclass(frozen=True)
class Waterfall:
    """A liquidation on the day, tier by tier; ``per_lp`` maps an LP's key to its share."""

    distributable: Decimal
    return_of_capital: Decimal
    preferred_return: Decimal
    catch_up: Decimal
    lp_split: Decimal
    carry_split: Decimal
    per_lp: dict[int, Decimal] = field(default_factory=dict)

    @property
    def to_lps(self) -> Decimal:
        return self.return_of_capital + self.preferred_return + self.lp_split

    @property
    def to_manager(self) -> Decimal:
        return self.catch_up + self.carry_split


@dataclass(frozen=True)
class FundFigures:
    as_of: datetime.date
    committed: Decimal
    called: Decimal
    uncalled: Decimal
    invested: Decimal
    realised: Decimal
    holdings_value: Decimal
    cash: Decimal
    expenses: Decimal
    nav: Decimal
    distributed: Decimal
    moic: Decimal | None
    dpi: Decimal | None
    rvpi: Decimal | None
    tvpi: Decimal | None
    xirr: float | None
    gross_xirr: float | None
    net_tvpi: Decimal | None
    waterfall: Waterfall
    holdings: list[HoldingFigures]

    def report(self) -> dict[str, object]:
        """The ``fund_report`` / API keys (DESIGN.md → Contracts): money as 分 strings, ratios
        at full precision, no rate as null."""

        def money(value: Decimal) -> str:
            return str(value.quantize(CENT, ROUND_HALF_UP))

        def exact(value: Decimal | None) -> str | None:
            return None if value is None else str(value)

        return {
            "as_of": self.as_of.isoformat(),
            "committed": money(self.committed),
            "called": money(self.called),
            "uncalled": money(self.uncalled),
            "invested": money(self.invested),
            "realised": money(self.realised),
            "nav": money(self.nav),
            "distributed": money(self.distributed),
            "moic": exact(self.moic),
            "tvpi": exact(self.tvpi),
            "dpi": exact(self.dpi),
            "rvpi": exact(self.rvpi),
            "xirr": self.xirr,
            "gross_xirr": self.gross_xirr,
            "net_tvpi": exact(self.net_tvpi),
            "carry": money(self.waterfall.to_manager),
        }


def _upto(
    rows: Iterable[tuple[int, datetime.date, Decimal]], day: datetime.date
) -> list[tuple[int, datetime.date, Decimal]]:
    return [r for r in rows if r[1] <= day]


def _grown(amount: Decimal, since: datetime.date, day: datetime.date, rate_pct: Decimal) -> Decimal:
    """``amount`` compounded at ``rate_pct`` a year from ``since`` to ``day`` (actual/365)."""
    with localcontext() as ctx:
        ctx.prec = 34
        years = Decimal((day - since).days) / Decimal(365)
        return amount * (1 + rate_pct / 100) ** years


def waterfall(inputs: FundInputs, distributable: Decimal, day: datetime.date) -> Waterfall:
    """European (whole-fund) waterfall of ``distributable`` on ``day``:
    1. return of capital: LPs get back what they paid in;
    2. preferred return: the hurdle on each call, compounded from its date to the day;
    3. catch-up: all to the manager until it has ``carry`` of the profit paid so far;
    4. the rest split: ``1 − carry`` to the LPs, ``carry`` to the manager.
    Each LP's share follows its capital paid (tiers 1 and 4) and its own hurdle (tier 2)."""
    calls = _upto(inputs.calls, day)
    called = sum((c[2] for c in calls), Decimal(0))
    carry = inputs.carry_pct / 100
    left = max(distributable, Decimal(0))
    roc = min(left, called)
    left -= roc
    pref_by_lp: dict[int, Decimal] = {}
    growth: dict[datetime.date, Decimal] = {}  # one power a call date, not one a call
    for lp, on, amount in calls:
        if on not in growth:
            growth[on] = _grown(Decimal(1), on, day, inputs.hurdle_pct) - 1
        pref_by_lp[lp] = pref_by_lp.get(lp, Decimal(0)) + amount * growth[on]
    pref_due = sum(pref_by_lp.values(), Decimal(0))
    pref = min(left, pref_due)
    left -= pref
    catch_up_due = pref * carry / (1 - carry) if carry < 1 else left
    catch_up = min(left, catch_up_due)
    left -= catch_up
    carry_split = left * carry
    lp_split = left - carry_split
    paid_by_lp: dict[int, Decimal] = {}
    for lp, _on, amount in calls:
        paid_by_lp[lp] = paid_by_lp.get(lp, Decimal(0)) + amount
    per_lp: dict[int, Decimal] = {k: Decimal(0) for k, _n in inputs.lps}
    for share_of, amount in ((paid_by_lp, roc + lp_split), (pref_by_lp, pref)):
        for k, v in largest_remainder(amount.quantize(CENT, ROUND_HALF_UP), share_of).items():
            per_lp[k] = per_lp.get(k, Decimal(0)) + v
    return Waterfall(
        distributable=distributable,
        return_of_capital=roc,
        preferred_return=pref,
        catch_up=catch_up,
        lp_split=lp_split,
        carry_split=carry_split,
        per_lp=per_lp,
    )


def fund_figures(inputs: FundInputs, as_of: datetime.date) -> FundFigures:
    holdings = [h for h in (holding_figures(h, as_of) for h in inputs.holdings) if h is not None]
    calls = _upto(inputs.calls, as_of)
    distributions = _upto(inputs.distributions, as_of)
    called = sum((c[2] for c in calls), Decimal(0))
    distributed = sum((d[2] for d in distributions), Decimal(0))
    expenses = sum((e[1] for e in inputs.expenses if e[0] <= as_of), Decimal(0))
    invested = sum((h.invested for h in holdings), Decimal(0))
    realised = sum((h.realised for h in holdings), Decimal(0))
    holdings_value = sum((h.unrealised for h in holdings), Decimal(0))
    cash = (
        called
        - sum((h.cash_invested for h in holdings), Decimal(0))
        - expenses
        + realised
        - distributed
    )
    nav = holdings_value + cash
    lp_flows: list[Flow] = [(c[1], -c[2]) for c in calls] + [(d[1], d[2]) for d in distributions]
    gross_flows: list[Flow] = []
    by_key = {h.key: h for h in holdings}
    for source in inputs.holdings:
        figures = by_key.get(source.key)
        if figures is None:
            continue
        gross_flows += [(t.on, -t.cost) for t in source.tranches if t.on <= as_of]
        if figures.exited and source.exit is not None:
            gross_flows.append(source.exit)
    gross_flows.append((as_of, holdings_value))
    split = waterfall(inputs, distributed + nav, as_of)
    return FundFigures(
        as_of=as_of,
        committed=inputs.committed,
        called=called,
        uncalled=inputs.committed - called,
        invested=invested,
        realised=realised,
        holdings_value=holdings_value,
        cash=cash,
        expenses=expenses,
        nav=nav,
        distributed=distributed,
        moic=ratio(realised + holdings_value, invested),
        dpi=ratio(distributed, called),
        rvpi=ratio(nav, called),
        tvpi=ratio(distributed + nav, called),
        xirr=xirr([*lp_flows, (as_of, nav)]),
        gross_xirr=xirr(gross_flows),
        net_tvpi=ratio(distributed + nav - split.to_manager, called),
        waterfall=split,
        holdings=holdings,
    )


@dataclass(frozen=True)
class Slice:
    label: str
    cost: Decimal
    share: Decimal  # of the fund's commitments


def concentration(
    holdings: Sequence[HoldingFigures], committed: Decimal, top: int = 5
) -> dict[str, list[Slice]]:
    """The cost of the live holdings by company (the largest ``top``), by industry and by
    park, each as a share of commitments: what the concentration limits are checked on."""
    live = [h for h in holdings if not h.exited]
    result = {}
    for kind in ("name", "industry", "park"):
        totals: dict[str, Decimal] = {}
        for h in live:
            label = getattr(h, kind) or "—"
            totals[label] = totals.get(label, Decimal(0)) + h.invested
        ranked = sorted(totals.items(), key=lambda item: (-item[1], item[0]))
        result[kind] = [
            Slice(label, cost, cost / committed if committed else Decimal(0))
            for label, cost in ranked[: top if kind == "name" else None]
        ]
    return result
