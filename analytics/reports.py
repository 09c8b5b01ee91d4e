"""The park operating report (园区运营报告) for a year: every KPI of each park and of all of
them, from the one KPI registry, as .xlsx and as a Chinese PDF."""

from __future__ import annotations

import datetime
import functools
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from analytics.kpis import KPIS, Scope, compute
from core.documents import Chart, Sheet, pdf_document, xlsx_workbook
from core.templatetags.parkops import figure
from leasing.selectors import occupancy_series

__all__ = ["OperatingReport", "operating_report"]


class OperatingReport:
    """One year's figures of a set of parks, as of the year's last day (today for the
    current year)."""

    def __init__(self, parks: list[Any], year: int) -> None:
        today = timezone.localdate()
        self.year = year
        self.as_of = min(datetime.date(year, 12, 31), today)
        self.parks = parks
        self.scopes = [Scope([p], self.as_of) for p in parks]
        self.total = Scope(parks, self.as_of, label=_("All parks"))
        self.values = [compute(s) for s in (*self.scopes, self.total)]

    @property
    def title(self) -> str:
        return _("Park operating report %(year)s") % {"year": self.year}

    def kpi_sheet(self, raw: bool) -> Sheet:
        """KPIs down, parks across; ``raw`` numbers for the workbook, shown text for the PDF."""
        headers = [_("Figure"), *(p.name for p in self.parks), _("All parks"), _("How computed")]
        rows = []
        for k in KPIS:
            cells = [v[k.key] for v in self.values]
            shown = [_raw(c) if raw else figure(c, k.measure) for c in cells]
            rows.append([str(k.label), *shown, str(k.sentence)])
        return Sheet(_("Figures as of %(day)s") % {"day": self.as_of.isoformat()}, headers, rows)

    @functools.cached_property
    def occupancy(self) -> list[list[tuple[datetime.date, Any]]]:
        """Each park's occupancy at the end of the twelve months up to the report's day."""
        return [occupancy_series(s.units, 12, self.as_of) for s in self.scopes]

    def occupancy_sheet(self) -> Sheet:
        series = self.occupancy
        rows = []
        for i, (day, _o) in enumerate(series[0] if series else []):
            rows.append([day.strftime("%Y-%m"), *(f"{s[i][1].rate * 100:.1f}%" for s in series)])
        return Sheet(
            _("Occupancy by month (by area)"), [_("Month"), *(p.name for p in self.parks)], rows
        )

    def charts(self) -> list[Chart]:
        """The PDF's charts, from the same figures as its tables."""
        months = [day.strftime("%Y-%m") for day, _o in (self.occupancy[0] if self.parks else [])]
        occupancy = Chart(
            _("Occupancy by month (by area)"),
            "line",
            months,
            [
                (p.name, [float(o.rate) * 100 for _d, o in s])
                for p, s in zip(self.parks, self.occupancy, strict=True)
            ],
            unit="%",
        )
        money = {
            "output_value_yuan": _("Output value"),
            "revenue_yuan": _("Revenue"),
            "tax_paid_yuan": _("Tax paid"),
        }
        per_park = Chart(
            _("Output, revenue and tax by park"),
            "bar",
            [p.name for p in self.parks],
            [
                (str(name), [float(v[key] or 0) / 10_000 for v in self.values[:-1]])
                for key, name in money.items()
            ],
            unit=_("10,000 yuan"),
        )
        return [occupancy, per_park]


def _raw(value: Any) -> Any:
    return value if value is not None else "—"


def operating_report(parks: list[Any], year: int, kind: str) -> bytes:
    report = OperatingReport(parks, year)
    if kind == "xlsx":
        return xlsx_workbook(report.kpi_sheet(raw=True), report.occupancy_sheet())
    return pdf_document(
        report.title,
        [
            (_("Parks"), "、".join(p.name for p in parks)),
            (_("As of"), report.as_of.isoformat()),
            (_("Source"), _("Computed from the records of ParkOps; nothing typed in.")),
        ],
        [report.kpi_sheet(raw=False), report.occupancy_sheet()],
        wide=True,
        charts=report.charts(),
    )
