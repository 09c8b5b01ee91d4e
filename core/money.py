"""Amounts as people write them on Chinese finance documents."""

from __future__ import annotations

from decimal import Decimal

import cn2an

__all__ = ["in_capitals"]


def in_capitals(amount: Decimal) -> str:
    """大写金额 of an amount in 元 (cn2an's RMB mode): 30048.63 → 叁万零肆拾捌元陆角叁分; a
    negative amount (a credit note) is written 负…; zero is 零元整."""
    value = Decimal(amount).quantize(Decimal("0.01"))
    if value == 0:
        return "零元整"
    words = cn2an.an2cn(str(abs(value)), "rmb")
    return f"负{words}" if value < 0 else words
