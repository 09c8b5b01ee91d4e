"""Customer risk assessment (客户风险评估): an explainable score from 0 to 100.

Each factor is scored from 0 (high risk) to 1 (low risk) on the scale below; the score is
100 × Σ wᵢ·sᵢ / Σ wᵢ with the operator's weights, so each factor's contribution in points is
100 × wᵢ·sᵢ / Σ wᵢ. Grade: A ≥ 80, B ≥ 65, C ≥ 50, else D; a dishonest-debtor listing is
always D.

| factor | input | scale (s) |
|---|---|---|
| years | years since establishment | min(years / 5, 1) |
| capital | paid-in capital, 万元 | ≥5000: 1, ≥1000: 0.8, ≥500: 0.6, ≥100: 0.4, >0: 0.2, none: 0 |
| revenue_trend | last vs previous year revenue | ≥+20 %: 1, ≥0: 0.7, ≥−10 %: 0.4, lower: 0.1, unknown: 0.1 |
| debt_ratio | liabilities / assets, % | ≤40: 1, ≤60: 0.7, ≤80: 0.4, higher: 0.1, unknown: 0.1 |
| rent_to_revenue | requested area × rent budget × 365 / last revenue | ≤5 %: 1, ≤10 %: 0.7, ≤20 %: 0.4, higher: 0.1, unknown: 0.1 |
| litigation | pending litigation | no: 1, yes: 0.3 |
| dishonest | on the dishonest-debtor list | no: 1, yes: 0 |
| arrears | times > 30 days behind in our parks | 0: 1, 1–2: 0.5, ≥3: 0 |

Unknown data is never rewarded: it scores as the worst band, so leaving data out never pays,
and the score is monotone in every factor. A revenue of 0 is known (not unknown): growth from
0 is the best band, rent against 0 revenue the worst. The factor points are shown to 0.1 and
add up exactly to the score shown (the exact score rounded once, its tenths shared out by
largest remainder).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal
from typing import Any

from django.utils.translation import gettext_lazy as _

__all__ = ["FACTOR_LABELS", "YES_NO", "Factor", "RiskInputs", "grade", "score"]

D = Decimal
YES_NO = {"yes": _("yes"), "no": _("no")}
FACTOR_LABELS = {
    "years": _("Years in operation"),
    "capital": _("Paid-in capital"),
    "revenue_trend": _("Revenue trend"),
    "debt_ratio": _("Debt ratio"),
    "rent_to_revenue": _("Rent to revenue"),
    "litigation": _("Litigation"),
    "dishonest": _("Dishonest debtor"),
    "arrears": _("Arrears history"),
}


@dataclass(frozen=True)
class RiskInputs:
    years: Decimal | None
    paid_in_capital_wan: Decimal | None
    revenue_last: Decimal | None
    revenue_prev: Decimal | None
    debt_ratio_pct: Decimal | None
    annual_rent: Decimal | None
    litigation: bool
    dishonest: bool
    arrears_count: int


@dataclass(frozen=True)
class Factor:
    key: str
    value: str  # the input as shown
    scale: Decimal  # 0..1
    weight: Decimal
    points: Decimal  # contribution to the 0..100 score

    def as_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "value": self.value,
            "scale": str(self.scale),
            "weight": str(self.weight),
            "points": str(self.points),
        }


def _steps(value: Decimal, steps: list[tuple[Decimal, Decimal]], otherwise: Decimal) -> Decimal:
    for limit, scale in steps:
        if value <= limit:
            return scale
    return otherwise


def _scales(i: RiskInputs) -> dict[str, tuple[str, Decimal]]:
    out: dict[str, tuple[str, Decimal]] = {}
    out["years"] = ("—", D(0)) if i.years is None else (f"{i.years}", min(i.years / 5, D(1)))
    cap = i.paid_in_capital_wan
    if cap is None or cap <= 0:
        out["capital"] = ("—" if cap is None else "0", D(0))
    else:
        out["capital"] = (
            f"{cap} 万元",
            next(
                s
                for lim, s in [
                    (D(5000), D(1)),
                    (D(1000), D("0.8")),
                    (D(500), D("0.6")),
                    (D(100), D("0.4")),
                    (D(0), D("0.2")),
                ]
                if cap >= lim
            ),
        )
    if i.revenue_last is None or i.revenue_prev is None:
        out["revenue_trend"] = ("—", D("0.1"))
    elif i.revenue_prev <= 0:  # growth from nothing: the best band if anything was earned
        out["revenue_trend"] = (f"0 → {i.revenue_last}", D(1) if i.revenue_last > 0 else D("0.7"))
    else:
        growth = (i.revenue_last - i.revenue_prev) / i.revenue_prev
        scale = (
            D(1)
            if growth >= D("0.2")
            else D("0.7")
            if growth >= 0
            else D("0.4")
            if growth >= D("-0.1")
            else D("0.1")
        )
        out["revenue_trend"] = (f"{growth * 100:+.1f}%", scale)
    if i.debt_ratio_pct is None:
        out["debt_ratio"] = ("—", D("0.1"))
    else:
        out["debt_ratio"] = (
            f"{i.debt_ratio_pct}%",
            _steps(
                i.debt_ratio_pct, [(D(40), D(1)), (D(60), D("0.7")), (D(80), D("0.4"))], D("0.1")
            ),
        )
    if i.annual_rent is None or i.revenue_last is None:
        out["rent_to_revenue"] = ("—", D("0.1"))
    elif i.revenue_last <= 0:  # rent against no revenue at all: the worst band
        out["rent_to_revenue"] = ("∞", D("0.1"))
    else:
        ratio = i.annual_rent / i.revenue_last * 100
        out["rent_to_revenue"] = (
            f"{ratio:.1f}%",
            _steps(ratio, [(D(5), D(1)), (D(10), D("0.7")), (D(20), D("0.4"))], D("0.1")),
        )
    out["litigation"] = (
        str(_("yes")) if i.litigation else str(_("no")),
        D("0.3") if i.litigation else D(1),
    )
    out["dishonest"] = (
        str(_("yes")) if i.dishonest else str(_("no")),
        D(0) if i.dishonest else D(1),
    )
    out["arrears"] = (
        str(i.arrears_count),
        D(1) if i.arrears_count == 0 else D("0.5") if i.arrears_count <= 2 else D(0),
    )
    return out


TENTH = D("0.1")


def score(inputs: RiskInputs, weights: dict[str, Decimal]) -> tuple[Decimal, list[Factor]]:
    """The 0..100 score (one decimal) and each factor's contribution in points, which add up
    to the score exactly as shown."""
    total_weight = sum(weights.values())
    if total_weight <= 0:
        raise ValueError("the weights must add up to a positive total")
    found = _scales(inputs)
    scales = {k: s.quantize(D("0.0001"), ROUND_HALF_UP) for k, (_v, s) in found.items()}
    exact = {k: D(100) * weights[k] * s / total_weight for k, s in scales.items()}
    total = sum(exact.values(), D(0)).quantize(TENTH, ROUND_HALF_UP)
    # each factor's points floored to 0.1, then the tenths left go to the largest remainders
    floors = {
        k: (v / TENTH).to_integral_value(rounding=ROUND_FLOOR) * TENTH for k, v in exact.items()
    }
    left = int((total - sum(floors.values(), D(0))) / TENTH)
    order = sorted(exact, key=lambda k: (exact[k] - floors[k], k), reverse=True)
    points = {k: floors[k] + (TENTH if n < left else 0) for n, k in enumerate(order)}
    return total, [Factor(k, found[k][0], scales[k], weights[k], points[k]) for k in scales]


def grade(value: Decimal, *, dishonest: bool) -> str:
    if dishonest:
        return "D"
    return "A" if value >= 80 else "B" if value >= 65 else "C" if value >= 50 else "D"
