"""Leasing reports: arrears aging, rent roll, expiries and renewals, vacancies, and occupancy
by month. Each takes a park (default: the park chosen in the top bar; empty: every park the
user sees) and a date (default: today); the aging and the rent roll also download as .xlsx."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any, ClassVar

from django import forms
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.documents import xlsx_response, xlsx_workbook
from core.views.generic import ScopedView
from leasing import documents, selectors
from leasing.models import Invoice, Lease
from spaces.models import Building, Park, Unit

__all__ = ["AgingReport", "ExpiryReport", "OccupancyReport", "RentRollReport", "VacancyReport"]


class ReportForm(forms.Form):
    park = forms.ModelChoiceField(
        label=gettext_lazy("Park"),
        queryset=Park.objects.none(),
        required=False,
        to_field_name="code",
        empty_label=gettext_lazy("All my parks"),
    )
    on = forms.DateField(label=gettext_lazy("As of"), required=False)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["park"].queryset = Park.objects.restrict(user).order_by("code")  # type: ignore[attr-defined]
        self.fields["on"].widget.input_type = "date"  # type: ignore[attr-defined]


class ReportView(ScopedView):
    """A report page: the filter form, then ``figures`` for the template."""

    template_name: ClassVar[str]
    title: ClassVar[Any]
    form_class: ClassVar[type[ReportForm]] = ReportForm

    def get(self, request: HttpRequest) -> HttpResponse:
        data = request.GET.copy()
        if "park" not in data and request.session.get("park"):
            data["park"] = request.session["park"]
        data.setdefault("on", timezone.localdate().isoformat())  # shown in the date box
        form = self.form_class(data, user=request.user)
        form.is_valid()  # a bad park or date falls back to the default, with the error shown
        cleaned = getattr(form, "cleaned_data", {})
        park: Park | None = cleaned.get("park")
        day: datetime.date = cleaned.get("on") or timezone.localdate()
        context = {
            "report_tabs": [
                (cls.title, reverse(f"leasing:report_{name}"))
                for name, cls in REPORTS.items()
                if cls.model.policy.allows_role(request.user, "view")  # type: ignore[attr-defined]
            ],
            "form": form,
            "title": self.title,
            "park": park,
            "day": day,
            **self.figures(request, park, day, cleaned),
        }
        if request.GET.get("format") == "xlsx" and "sheet" in context:
            name = f"{self.title}-{park.code if park else 'ALL'}-{day:%Y%m%d}.xlsx"
            return xlsx_response(xlsx_workbook(context["sheet"]), name)
        return render(request, self.template_name, context)

    def figures(
        self, request: HttpRequest, park: Park | None, day: datetime.date, data: dict[str, Any]
    ) -> dict[str, Any]:
        raise NotImplementedError

    def in_parks(self, qs: Any, request: HttpRequest, park: Park | None) -> QuerySet:
        qs = qs.restrict(request.user, "view")  # type: ignore[attr-defined]
        return qs.filter(park=park) if park else qs


class AgingForm(ReportForm):
    by = forms.ChoiceField(
        label=gettext_lazy("Group by"),
        required=False,
        choices=[("enterprise", gettext_lazy("Tenant")), ("park", gettext_lazy("Park"))],
    )


class AgingReport(ReportView):
    model = Invoice
    template_name = "leasing/report_aging.html"
    title = gettext_lazy("Arrears aging")
    form_class = AgingForm

    def figures(
        self, request: HttpRequest, park: Park | None, day: datetime.date, data: dict[str, Any]
    ) -> dict[str, Any]:
        by = data.get("by") or "enterprise"
        rows = selectors.arrears_aging(self.in_parks(Invoice.objects, request, park), day, by)
        sheet = documents.aging_sheet(rows, by, day)
        peak = max((r["total"] for r in rows), default=Decimal(0))
        return {"rows": rows, "by": by, "sheet": sheet, "totals": sheet.totals, "peak": peak}


class RentRollReport(ReportView):
    model = Lease
    template_name = "leasing/report_rent_roll.html"
    title = gettext_lazy("Rent roll")

    def figures(
        self, request: HttpRequest, park: Park | None, day: datetime.date, data: dict[str, Any]
    ) -> dict[str, Any]:
        rows = selectors.rent_roll(self.in_parks(Lease.objects, request, park), day)
        sheet = documents.rent_roll_sheet(rows, park.name if park else _("All my parks"), day)
        return {"rows": rows, "sheet": sheet, "totals": sheet.totals}


class ExpiryReport(ReportView):
    model = Lease
    template_name = "leasing/report_expiries.html"
    title = gettext_lazy("Expiries and renewals")

    def figures(
        self, request: HttpRequest, park: Park | None, day: datetime.date, data: dict[str, Any]
    ) -> dict[str, Any]:
        leases = list(
            selectors.expiring_leases(self.in_parks(Lease.objects, request, park), day, 12)
        )
        bands: list[tuple[Any, list[Lease]]] = [
            (_("Within 3 months"), []),
            (_("In 3 to 6 months"), []),
            (_("In 6 to 12 months"), []),
        ]
        for lease in leases:
            months = selectors.months_between(day, lease.end_on)
            bands[0 if months < 3 else 1 if months < 6 else 2][1].append(lease)
        return {"bands": bands, "count": len(leases)}


class VacancyReport(ReportView):
    model = Park  # no rents here: whoever sees the park sees its vacancies
    template_name = "leasing/report_vacancy.html"
    title = gettext_lazy("Vacant units")

    def figures(
        self, request: HttpRequest, park: Park | None, day: datetime.date, data: dict[str, Any]
    ) -> dict[str, Any]:
        units = self.in_parks(Unit.objects, request, park)
        vacant = list(selectors.vacant_units(units, day)[:500])
        for unit in vacant:
            unit.days_vacant = selectors.days_vacant(unit, day)  # type: ignore[attr-defined]
        area = sum((u.area_m2 for u in vacant), Decimal(0))
        return {"units": vacant, "area": area}


class OccupancyForm(ReportForm):
    building = forms.ModelChoiceField(
        label=gettext_lazy("Building"),
        queryset=Building.objects.none(),
        required=False,
        empty_label=gettext_lazy("All buildings"),
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, user=user, **kwargs)
        self.fields["building"].queryset = (  # type: ignore[attr-defined]
            Building.objects.restrict(user).select_related("park").order_by("park__code", "code")
        )


class OccupancyReport(ReportView):
    model = Park
    template_name = "leasing/report_occupancy.html"
    title = gettext_lazy("Occupancy by month")
    form_class = OccupancyForm

    def figures(
        self, request: HttpRequest, park: Park | None, day: datetime.date, data: dict[str, Any]
    ) -> dict[str, Any]:
        units = self.in_parks(Unit.objects, request, park)
        if data.get("building"):
            units = units.filter(building=data["building"])
        series = selectors.occupancy_series(units, 12, day)
        return {"series": series, "bars": column_chart([(d, o.rate) for d, o in series])}


CHART_HEIGHT, BAR_WIDTH, BAR_GAP = 160, 36, 14


def column_chart(points: list[tuple[datetime.date, Decimal]]) -> dict[str, Any]:
    """SVG geometry for a column chart of shares (0–1): drawn with attributes, not inline
    styles, so the page keeps its strict Content-Security-Policy."""
    columns = []
    for n, (day, share) in enumerate(points):
        height = int(Decimal(CHART_HEIGHT) * min(share, Decimal(1)))
        x = BAR_GAP + n * (BAR_WIDTH + BAR_GAP)
        columns.append(
            {
                "x": x,
                "mid": x + BAR_WIDTH // 2,
                "y": 20 + CHART_HEIGHT - height,
                "height": height,
                "day": day,
                "share": share,
            }
        )
    width = BAR_GAP + len(points) * (BAR_WIDTH + BAR_GAP)
    return {"columns": columns, "width": width, "bar": BAR_WIDTH, "base": 20 + CHART_HEIGHT}


# URL name suffix → report, in the order of the tabs
REPORTS: dict[str, type[ReportView]] = {
    "rent_roll": RentRollReport,
    "aging": AgingReport,
    "expiries": ExpiryReport,
    "vacancy": VacancyReport,
    "occupancy": OccupancyReport,
}
