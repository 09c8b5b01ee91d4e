"""Charts drawn as SVG on the server: geometry here, markup in core/partials/*_chart.html.

SVG with attributes (no inline styles, no script) keeps the pages' strict
Content-Security-Policy and needs no asset from the network. A packaged chart library can
take over behind these same helpers where a chart needs interaction.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

__all__ = ["column_chart", "flow_chart"]

CHART_HEIGHT, BAR_WIDTH, BAR_GAP, TOP = 160, 36, 14, 20


def column_chart(
    points: Sequence[tuple[Any, Decimal]], values: Sequence[Any] | None = None
) -> dict[str, Any]:
    """Columns for shares (0–1), one per (label, share): what
    ``core/partials/column_chart.html`` draws. ``values``, one per point, are what a chart of
    quantities prints on its columns instead of the share."""
    columns = []
    for n, (label, share) in enumerate(points):
        height = int(Decimal(CHART_HEIGHT) * max(min(share, Decimal(1)), Decimal(0)))
        x = BAR_GAP + n * (BAR_WIDTH + BAR_GAP)
        columns.append(
            {
                "x": x,
                "mid": x + BAR_WIDTH // 2,
                "y": TOP + CHART_HEIGHT - height,
                "height": height,
                "label": label,
                "share": share,
                "value": values[n] if values is not None else None,
            }
        )
    width = BAR_GAP + len(points) * (BAR_WIDTH + BAR_GAP)
    return {"columns": columns, "width": width, "bar": BAR_WIDTH, "base": TOP + CHART_HEIGHT}


FLOW_HEIGHT, FLOW_STEP = 200, 44


def flow_chart(
    labels: Sequence[Any],
    bars: Sequence[Decimal],
    lines: Sequence[tuple[str, Sequence[Decimal]]],
) -> dict[str, Any]:
    """Signed columns (money in below the axis, out above) and lines over the same periods,
    on one scale with the zero axis where it falls: a fund's cash flows and its J-curve.
    ``lines`` are (css class, values); what ``core/partials/flow_chart.html`` draws."""
    values = [*bars, *(v for _c, series in lines for v in series), Decimal(0)]
    top, bottom = max(values), min(values)
    span = (top - bottom) or Decimal(1)

    def y(value: Decimal) -> int:
        return TOP + int((top - value) * FLOW_HEIGHT / span)

    zero = y(Decimal(0))
    columns = []
    for n, (label, value) in enumerate(zip(labels, bars, strict=True)):
        x = BAR_GAP + n * FLOW_STEP
        columns.append(
            {
                "x": x,
                "mid": x + (FLOW_STEP - BAR_GAP) // 2,
                "y": min(y(value), zero),
                "height": max(abs(y(value) - zero), 1),
                "label": label,
                "value": value,
                "negative": value < 0,
            }
        )
    polylines = [
        {
            "css": css,
            "points": " ".join(f"{c['mid']},{y(v)}" for c, v in zip(columns, series, strict=True)),
        }
        for css, series in lines
    ]
    return {
        "columns": columns,
        "lines": polylines,
        "width": BAR_GAP + len(columns) * FLOW_STEP,
        "bar": FLOW_STEP - BAR_GAP,
        "zero": zero,
        "base": TOP + FLOW_HEIGHT,
    }
