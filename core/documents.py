"""Downloadable documents: a table as an .xlsx workbook (openpyxl) and a printable A4 PDF
(reportlab) with Chinese text.

The PDF uses reportlab's built-in CID font STSong-Light (Adobe-GB1): nothing is downloaded or
bundled, and every PDF reader (Acrobat, Chrome, Edge, pdf.js, Preview, poppler with a CJK
font) renders it as 宋体.
"""

from __future__ import annotations

import functools
import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any
from urllib.parse import quote
from xml.sax.saxutils import escape

from django.http import HttpResponse
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from core.pdf_charts import Chart, chart_drawing

__all__ = [
    "FORMULA_PREFIXES",
    "Chart",
    "Sheet",
    "append_row",
    "pdf_document",
    "pdf_response",
    "workbook_bytes",
    "xlsx_response",
    "xlsx_workbook",
]

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FONT = "STSong-Light"
MONEY_FORMAT = "#,##0.00"


@dataclass
class Sheet:
    """A titled table: header row, body rows, an optional totals row, notes above it."""

    title: str
    headers: Sequence[str]
    rows: Sequence[Sequence[Any]]
    totals: Sequence[Any] | None = None
    notes: Sequence[str] = field(default_factory=list)


def _cell(value: Any) -> Any:
    return float(value) if isinstance(value, Decimal) else value  # Excel stores doubles


# what a spreadsheet program would read as the start of a formula (or a DDE command)
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "\n")


def append_row(ws: Any, values: Sequence[Any]) -> None:
    """Append ``values`` to a worksheet with every text written as text: one starting like a
    formula (a company named "=HYPERLINK(…)") is stored as a string with Excel's quote prefix,
    never as a formula (CSV/formula injection)."""
    ws.append(list(values))
    for cell, value in zip(ws[ws.max_row], values, strict=False):
        if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
            cell.value = value
            cell.data_type = "s"
            cell.quotePrefix = True


def xlsx_workbook(*sheets: Sheet) -> bytes:
    """One worksheet per sheet: notes, bold frozen header, money as #,##0.00, totals in bold."""
    workbook = Workbook()
    workbook.remove(workbook.active)  # type: ignore[arg-type]
    for spec in sheets:
        ws = workbook.create_sheet(spec.title[:31])
        for note in spec.notes:
            append_row(ws, [note])
        header_row = len(spec.notes) + 1
        append_row(ws, list(spec.headers))
        for cell in ws[header_row]:
            cell.font = Font(bold=True)
            cell.fill = PatternFill("solid", fgColor="F0F0F0")
            cell.alignment = Alignment(horizontal="center")
        for row in spec.rows:
            append_row(ws, [_cell(v) for v in row])
        if spec.totals is not None:
            append_row(ws, [_cell(v) for v in spec.totals])
            for cell in ws[ws.max_row]:
                cell.font = Font(bold=True)
        for column in ws.iter_cols(min_row=header_row + 1):
            for cell in column:
                if isinstance(cell.value, float):
                    cell.number_format = MONEY_FORMAT
        for index, title in enumerate(spec.headers, start=1):
            width = max([len(str(title)) * 2] + [len(str(r[index - 1])) + 2 for r in spec.rows])
            ws.column_dimensions[get_column_letter(index)].width = min(max(width, 10), 40)
        ws.freeze_panes = ws.cell(row=header_row + 1, column=1)
    return workbook_bytes(workbook)


def workbook_bytes(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _text(value: Any) -> str:
    if isinstance(value, Decimal):
        return f"{value:,.2f}"
    if value is None:
        return ""
    return str(value)


@functools.cache
def _register_font() -> None:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont

    pdfmetrics.registerFont(UnicodeCIDFont(FONT))


def pdf_document(
    title: str,
    facts: Sequence[tuple[str, Any]],
    sheets: Sequence[Sheet],
    footer: str = "",
    wide: bool = False,
    charts: Sequence[Chart] = (),
) -> bytes:
    """A4 (landscape when ``wide``): a title, a two-column block of facts, the charts, then
    the tables."""
    # reportlab is loaded on the first PDF, not when the site starts (imports use this module)
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import (
        KeepTogether,
        Paragraph,
        SimpleDocTemplate,
        Spacer,
        Table,
        TableStyle,
    )

    _register_font()
    buffer = io.BytesIO()
    size = landscape(A4) if wide else A4
    doc = SimpleDocTemplate(
        buffer, pagesize=size, leftMargin=15 * mm, rightMargin=15 * mm, title=title
    )
    h1 = ParagraphStyle("h1", fontName=FONT, fontSize=16, leading=22, spaceAfter=6)
    h2 = ParagraphStyle("h2", fontName=FONT, fontSize=12, leading=18, spaceBefore=8)
    body = ParagraphStyle("body", fontName=FONT, fontSize=9, leading=13)
    # text is data, never markup: a company named "<img src=…>" must not make reportlab
    # read a file (CONVENTIONS.md rule 12); table cells are plain strings already
    story: list[Any] = [Paragraph(escape(title), h1)]
    if facts:
        pairs = [[Paragraph(escape(k), body), Paragraph(escape(_text(v)), body)] for k, v in facts]
        block = Table(pairs, colWidths=[35 * mm, None], hAlign="LEFT")
        block.setStyle(TableStyle([("TEXTCOLOR", (0, 0), (0, -1), colors.grey)]))
        story.append(block)
    for chart in charts:
        drawing = chart_drawing(chart, size[0] - 30 * mm, 62 * mm, FONT)
        story.append(KeepTogether([Paragraph(escape(chart.title), h2), drawing]))
    for sheet in sheets:
        story.append(Paragraph(escape(sheet.title), h2))
        data = [list(sheet.headers), *[[_text(v) for v in r] for r in sheet.rows]]
        if sheet.totals is not None:
            data.append([_text(v) for v in sheet.totals])
        table = Table(data, repeatRows=1, hAlign="LEFT")
        style: list[Any] = [
            ("FONT", (0, 0), (-1, -1), FONT, 8),
            ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#F0F0F0")),
            ("GRID", (0, 0), (-1, -1), 0.25, colors.HexColor("#D9D9D9")),
        ]
        body_rows = [*sheet.rows, *([sheet.totals] if sheet.totals is not None else [])]
        for y, row in enumerate(body_rows, start=1):  # amounts line up on the right
            style += [
                ("ALIGN", (x, y), (x, y), "RIGHT")
                for x, v in enumerate(row)
                if isinstance(v, (Decimal, int))
            ]
        table.setStyle(TableStyle(style))
        story.append(table)
    if footer:
        story += [Spacer(1, 8 * mm), Paragraph(escape(footer), body)]
    doc.build(story)
    return buffer.getvalue()


def xlsx_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{_quote(filename)}"
    return response


def pdf_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f"inline; filename*=UTF-8''{_quote(filename)}"
    return response


def _quote(filename: str) -> str:
    return quote(filename)  # RFC 6266: a Chinese file name survives every browser
