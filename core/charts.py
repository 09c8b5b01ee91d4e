"""Charts drawn as SVG on the server: geometry here, markup in core/partials/*_chart.html.

SVG with attributes (no inline styles, no script) keeps the pages' strict
Content-Security-Policy and needs no asset from the network. A packaged chart library can
take over behind these same helpers where a chart needs interaction.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

__all__ = ["column_chart"]

CHART_HEIGHT, BAR_WIDTH, BAR_GAP, TOP = 160, 36, 14, 20


def column_chart(points: Sequence[tuple[Any, Decimal]]) -> dict[str, Any]:
    """Columns for shares (0–1), one per (label, share): what
    ``core/partials/column_chart.html`` draws."""
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
            }
        )
    width = BAR_GAP + len(points) * (BAR_WIDTH + BAR_GAP)
    return {"columns": columns, "width": width, "bar": BAR_WIDTH, "base": TOP + CHART_HEIGHT}
