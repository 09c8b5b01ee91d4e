"""The fund page's chart: LP cash flows a quarter, the cumulative net flow (the J-curve) and
NAV at each quarter's end, from the same figures as everything else (fund.metrics)."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from core.charts import flow_chart
from core.dates import add_months
from fund.metrics import FundInputs, fund_figures

__all__ = ["cash_flow_chart", "quarter_ends"]


def quarter_ends(first: datetime.date, last: datetime.date) -> list[datetime.date]:
    """The last day of each calendar quarter from ``first``'s to ``last``'s (``last`` itself
    for its unfinished quarter)."""
    start = datetime.date(first.year, (first.month - 1) // 3 * 3 + 1, 1)
    ends = []
    while start <= last:
        end = add_months(start, 3) - datetime.timedelta(days=1)
        ends.append(min(end, last))
        start = add_months(start, 3)
    return ends


def _label(day: datetime.date) -> str:
    return f"{day.year % 100:02d}Q{(day.month - 1) // 3 + 1}"


def cash_flow_chart(inputs: FundInputs, as_of: datetime.date) -> dict[str, Any] | None:
    days = [d for _lp, d, _a in [*inputs.calls, *inputs.distributions] if d <= as_of]
    if not days:
        return None
    ends = quarter_ends(min(days), as_of)
    net, cumulative, nav = [], [], []
    running = Decimal(0)
    previous = datetime.date.min
    for end in ends:
        flow = sum(
            (a for _lp, d, a in inputs.distributions if previous < d <= end), Decimal(0)
        ) - sum((a for _lp, d, a in inputs.calls if previous < d <= end), Decimal(0))
        running += flow
        net.append(flow)
        cumulative.append(running)
        nav.append(fund_figures(inputs, end).nav)
        previous = end
    return flow_chart(
        [_label(e) for e in ends], net, [("line-cumulative", cumulative), ("line-nav", nav)]
    )
