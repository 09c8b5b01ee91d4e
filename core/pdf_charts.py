"""Charts drawn into a PDF with reportlab's own graphics (no image library, no browser): a
line chart for a series over time, grouped bars to compare parks. Labels use the PDF's CID
font, so Chinese park names print as they read on screen."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

__all__ = ["Chart", "chart_drawing"]

# the product's chart palette (core/static/core/charts.js), so print and screen agree
PALETTE = ["#1677FF", "#52C41A", "#FAAD14", "#F5222D", "#722ED1", "#13C2C2", "#EB2F96"]


@dataclass(frozen=True)
class Chart:
    """``series``: (name, one value per category); ``unit`` labels the value axis."""

    title: str
    kind: str  # "line" or "bar"
    categories: Sequence[str]
    series: Sequence[tuple[str, Sequence[float]]]
    unit: str = ""


def chart_drawing(chart: Chart, width: float, height: float, font: str) -> Any:
    from reportlab.graphics.charts.barcharts import VerticalBarChart
    from reportlab.graphics.charts.legends import Legend
    from reportlab.graphics.charts.linecharts import HorizontalLineChart
    from reportlab.graphics.shapes import Drawing, String
    from reportlab.lib import colors

    drawing = Drawing(width, height)
    plot: Any = HorizontalLineChart() if chart.kind == "line" else VerticalBarChart()
    legend_width = 110
    plot.x, plot.y = 45, 25
    plot.width, plot.height = width - plot.x - legend_width - 10, height - 45
    plot.data = [tuple(float(v or 0) for v in values) for _name, values in chart.series] or [(0,)]
    plot.categoryAxis.categoryNames = [str(c) for c in chart.categories]
    for axis in (plot.categoryAxis, plot.valueAxis):
        axis.labels.fontName, axis.labels.fontSize = font, 7
    plot.valueAxis.valueMin = 0
    plot.valueAxis.visibleGrid = True
    plot.valueAxis.gridStrokeColor = colors.HexColor("#E8E8E8")
    palette = [colors.HexColor(c) for c in PALETTE]
    for i in range(len(plot.data)):
        colour = palette[i % len(palette)]
        if chart.kind == "line":
            plot.lines[i].strokeColor, plot.lines[i].strokeWidth = colour, 1.5
        else:
            plot.bars[i].fillColor, plot.bars[i].strokeColor = colour, colour
    drawing.add(plot)
    if chart.unit:
        drawing.add(String(plot.x, height - 12, chart.unit, fontName=font, fontSize=7))
    legend = Legend()
    legend.x, legend.y = width - legend_width, height - 20
    legend.fontName, legend.fontSize = font, 7
    legend.alignment = "right"
    legend.colorNamePairs = [
        (palette[i % len(palette)], str(name)[:14]) for i, (name, _v) in enumerate(chart.series)
    ]
    drawing.add(legend)
    return drawing
