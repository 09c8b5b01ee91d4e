"""Amounts as people write them on Chinese finance documents."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import TypeVar

import cn2an

__all__ = ["CENT", "in_capitals", "largest_remainder"]

CENT = Decimal("0.01")
K = TypeVar("K")


def in_capitals(amount: Decimal) -> str:
    """大写金额 of an amount in 元 (cn2an's RMB mode): 30048.63 → 叁万零肆拾捌元陆角叁分; a
    negative amount (a credit note) is written 负…; zero is 零元整."""
    value = Decimal(amount).quantize(Decimal("0.01"))
    if value == 0:
        return "零元整"
    words = cn2an.an2cn(str(abs(value)), "rmb")
    return f"负{words}" if value < 0 else words


def largest_remainder(
    total: Decimal, weights: dict[K, Decimal], step: Decimal = CENT
) -> dict[K, Decimal]:
    """Split ``total`` (whole 分, or whole ``step``s) in proportion to ``weights``: each share
    rounded down to the step, the steps left over to the largest remainders, so the shares add
    up to the total."""
    cents = int((total / step).to_integral_value(ROUND_HALF_UP))
    weight_sum = sum(weights.values(), Decimal(0))
    if not weights or weight_sum <= 0:
        return {k: Decimal(0) for k in weights}
    exact = {k: Decimal(cents) * w / weight_sum for k, w in weights.items()}
    floors = {k: int(v) for k, v in exact.items()}
    left = cents - sum(floors.values())
    for k in sorted(exact, key=lambda k: -(exact[k] - floors[k]))[:left]:
        floors[k] += 1
    return {k: Decimal(v) * step for k, v in floors.items()}
