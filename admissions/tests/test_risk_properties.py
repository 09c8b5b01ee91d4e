"""The risk score behaves: monotone in every factor, unknown data never rewarded, the points
shown add up to the score shown, and weights that sum to nothing are refused."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given, settings
from hypothesis import strategies as st

from admissions.models import DEFAULT_WEIGHTS, AdmissionSettings
from admissions.risk import RiskInputs, score

D = Decimal
money = st.integers(0, 10**9).map(D)
weights = st.fixed_dictionaries({k: st.integers(0, 50).map(D) for k in DEFAULT_WEIGHTS}).filter(
    lambda w: sum(w.values()) > 0
)


@st.composite
def inputs(draw):
    maybe = lambda s: draw(st.one_of(st.none(), s))  # noqa: E731
    return RiskInputs(
        years=maybe(st.integers(0, 40).map(D)),
        paid_in_capital_wan=maybe(st.integers(0, 10**5).map(D)),
        revenue_last=maybe(money),
        revenue_prev=maybe(money),
        debt_ratio_pct=maybe(st.integers(0, 200).map(D)),
        annual_rent=maybe(money),
        litigation=draw(st.booleans()),
        dishonest=draw(st.booleans()),
        arrears_count=draw(st.integers(0, 10)),
    )


@settings(max_examples=300, deadline=None)
@given(inputs(), weights)
def test_the_points_shown_add_up_to_the_score_shown(i, w):
    total, factors = score(i, w)
    assert sum((f.points for f in factors), D(0)) == total
    assert all(f.points >= 0 for f in factors) and 0 <= total <= 100


def _with(i, **changes):
    return RiskInputs(**{**i.__dict__, **changes})


@settings(max_examples=300, deadline=None)
@given(inputs(), weights, st.integers(1, 10**6).map(D))
def test_the_score_is_monotone_in_every_factor(i, w, more):
    base, _f = score(i, w)
    better = {
        "years": _with(i, years=(i.years or D(0)) + 1) if i.years is not None else None,
        "capital": _with(i, paid_in_capital_wan=i.paid_in_capital_wan + more)
        if i.paid_in_capital_wan is not None
        else None,
        "revenue": _with(i, revenue_last=i.revenue_last + more)
        if i.revenue_last is not None
        else None,
        "debt": _with(i, debt_ratio_pct=max(i.debt_ratio_pct - 10, D(0)))
        if i.debt_ratio_pct is not None
        else None,
        "rent": _with(i, annual_rent=max(i.annual_rent - more, D(0)))
        if i.annual_rent is not None
        else None,
        "litigation": _with(i, litigation=False),
        "arrears": _with(i, arrears_count=max(i.arrears_count - 1, 0)),
    }
    for name, case in better.items():
        if case is not None:
            assert score(case, w)[0] >= base, name


@settings(max_examples=200, deadline=None)
@given(inputs(), weights)
def test_leaving_data_out_never_pays(i, w):
    known_worst = _with(
        i, debt_ratio_pct=D(200), revenue_last=D(0), revenue_prev=D(10**9), annual_rent=D(10**9)
    )
    unknown = _with(i, debt_ratio_pct=None, revenue_last=None, revenue_prev=None, annual_rent=None)
    assert score(unknown, w)[0] <= score(known_worst, w)[0]


@pytest.mark.django_db
def test_weights_summing_to_nothing_are_refused(world):
    row = AdmissionSettings(operator=world.operators["A"], weights={k: 0 for k in DEFAULT_WEIGHTS})
    with pytest.raises(ValidationError) as exc:
        row.full_clean()
    assert "weights" in exc.value.message_dict
