"""Report pages: one view for every report definition (core.reports), with its downloads."""

from __future__ import annotations

from typing import Any, ClassVar

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path, reverse

from core.documents import pdf_response, xlsx_response, xlsx_workbook
from core.reports import Report
from core.views.generic import ScopedView

__all__ = ["ReportView", "report_urls"]


class ReportView(ScopedView):
    """The filter bar, the report's template with its rows and totals, the tabs of the app's
    other reports, and ``?format=xlsx`` / ``?format=pdf`` for the same figures."""

    report: ClassVar[Report]
    siblings: ClassVar[list[Report]] = []

    def get(self, request: HttpRequest) -> HttpResponse:
        report = self.report
        data = request.GET.copy()
        if "park" not in data and request.session.get("park"):
            data["park"] = request.session["park"]
        form, query = report.query(data, request.user)
        result = report.run(query)
        sheet = report.sheet(query, result)
        name = f"{report.title}-{query.park.code if query.park else 'ALL'}-{query.day:%Y%m%d}"
        fmt = request.GET.get("format")
        if fmt == "xlsx":
            return xlsx_response(xlsx_workbook(sheet), f"{name}.xlsx")
        if fmt == "pdf":
            return pdf_response(report.pdf(query, result), f"{name}.pdf")
        user: Any = request.user
        context = {
            "report_tabs": [
                (r.title, reverse(f"{r.app_label}:report_{r.key}"))
                for r in self.siblings
                if r.model.policy.allows_role(user, "view")  # type: ignore[attr-defined]
            ],
            "form": form,
            "title": report.title,
            "park": query.park,
            "day": query.day,
            "rows": result.rows,
            "items": result.items,
            "sheet": sheet,
            "totals": sheet.totals,
            **query.params,
            **result.context,
        }
        return render(request, report.template, context)


def report_urls(reports: list[Report]) -> list[Any]:
    """``reports/<key>/`` pages named ``report_<key>``, one per report, in tab order."""
    urls = []
    for report in reports:
        view: Any = type(
            f"{type(report).__name__}View",
            (ReportView,),
            {"report": report, "siblings": reports, "model": report.model},
        )
        urls.append(
            path(
                f"reports/{report.key.replace('_', '-')}/",
                view.as_view(),
                name=f"report_{report.key}",
            )
        )
    return urls
