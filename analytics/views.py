"""Pages of analytics: the park dashboard, the records behind a figure, statistics periods."""

from __future__ import annotations

import datetime
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from analytics import radar, reports, selectors
from analytics.kpis import KPIS, compute, kpi
from analytics.models import ParkFigures
from analytics.torch import INCUBATEE_COLUMNS, INCUBATOR_COLUMNS, TorchReturn, torch_workbook
from core import audit
from core.choices import AuditAction, Role
from core.documents import pdf_response, xlsx_response
from core.forms import ScopedModelForm
from core.permissions import can, get_restricted_or_404
from core.views.generic import ScopedView, _attach_errors
from enterprises import filings
from enterprises.choices import FilingState
from enterprises.models import Enterprise, StatFiling, StatPeriod
from enterprises.selectors import company_of
from spaces.choices import ParkKind

__all__ = [
    "CompanyFigures",
    "Dashboard",
    "GrowthRadar",
    "KpiDrill",
    "OperatingReportView",
    "PeriodAdd",
    "PeriodBoard",
    "PeriodList",
    "TorchReturnView",
    "Warnings",
]

GROUPS = [
    ("space", _("Space")),
    ("companies", _("Companies")),
    ("people", _("Talent")),
    ("labels", _("Qualified companies")),
    ("ip", _("Intellectual property")),
    ("economy", _("Economy")),
    ("growth", _("Growth path and services")),
    ("finance", _("Rent, arrears and the fund")),
]


def _as_of(request: HttpRequest) -> datetime.date:
    try:
        return datetime.date.fromisoformat(request.GET.get("as_of", ""))
    except ValueError:
        return timezone.localdate()


def _park(request: HttpRequest) -> str:
    """The park asked for: ?park=, else the park chosen in the top bar ('' for all)."""
    if "park" in request.GET:
        return request.GET["park"]
    return str(request.session.get("park", ""))


class Dashboard(ScopedView):
    """Every KPI of a park (or all the user's parks) on a day, grouped, with charts."""

    model = ParkFigures

    def get(self, request: HttpRequest) -> HttpResponse:
        as_of, park = _as_of(request), _park(request)
        scope = selectors.scope_for(request.user, park, as_of)
        values = compute(scope)
        query = f"park={park}&as_of={as_of.isoformat()}"
        groups = [
            (
                label,
                [
                    {
                        "kpi": k,
                        "value": values[k.key],
                        "url": f"{reverse('analytics:drill')}?key={k.key}&{query}",
                    }
                    for k in KPIS
                    if k.group == key
                ],
            )
            for key, label in GROUPS
        ]
        return render(
            request,
            "analytics/dashboard.html",
            {
                "scope": scope,
                "park": park,
                "as_of": as_of,
                "groups": groups,
                "parks": ParkFigures.objects.restrict(request.user).order_by("code"),
                "charts": selectors.charts(scope),
                "periods": [
                    (label, day, f"?{urlencode({'park': park, 'as_of': day.isoformat()})}")
                    for label, day in selectors.period_ends(timezone.localdate())
                ],
            },
        )


class KpiDrill(ScopedView):
    """The records behind one figure of the dashboard."""

    model = ParkFigures

    def get(self, request: HttpRequest) -> HttpResponse:
        try:
            figure = kpi(request.GET.get("key", KPIS[0].key))
        except KeyError as exc:
            raise Http404 from exc
        key = figure.key
        as_of, park = _as_of(request), _park(request)
        scope = selectors.scope_for(request.user, park, as_of)
        return render(
            request,
            "analytics/drill.html",
            {
                "scope": scope,
                "as_of": as_of,
                "kpi": figure,
                "value": compute(scope, [key])[key],
                "table": selectors.drill(scope, key, request.user),
                "back": reverse("analytics:dashboard")
                + "?"
                + urlencode({"park": park or "", "as_of": as_of.isoformat()}),
            },
        )


class _TenantList(ScopedView):
    """Tenants of a park (or all the user's parks) with the signals one rule found."""

    model = ParkFigures
    title: Any = ""
    radar = False  # growth signals (green, with a deal to open) or warnings (red)
    template_name = "analytics/tenant_signals.html"

    def rows(self, scope: Any) -> list[Any]:
        raise NotImplementedError

    def get(self, request: HttpRequest) -> HttpResponse:
        as_of, park = _as_of(request), _park(request)
        scope = selectors.scope_for(request.user, park, as_of)
        from fund.models import Deal

        return render(
            request,
            self.template_name,
            {
                "title": self.title,
                "scope": scope,
                "park": park,
                "as_of": as_of,
                "parks": ParkFigures.objects.restrict(request.user).order_by("code"),
                "tenants": self.rows(scope),
                "radar": self.radar,
                "can_add_deal": Deal.policy.allows_role(request.user, "add"),
            },
        )


class GrowthRadar(_TenantList):
    """High-growth tenants (瞪羚 criterion, people, IP, financing): the fund's next deals."""

    title = _("Growth radar")
    radar = True

    def rows(self, scope: Any) -> list[Any]:
        return radar.growth_radar(scope)


class Warnings(_TenantList):
    """Tenants at risk: arrears, shrinking, leases ending, qualifications expiring."""

    title = _("Early warning")

    def rows(self, scope: Any) -> list[Any]:
        return radar.warnings(scope)


class OperatingReportView(ScopedView):
    """园区运营报告 for a year: a preview of its figures, .xlsx and PDF downloads."""

    model = ParkFigures

    def get(self, request: HttpRequest) -> HttpResponse:
        today = timezone.localdate()
        try:
            year = int(request.GET.get("year", today.year - 1))
        except ValueError:
            year = today.year - 1
        year = min(max(year, 2000), today.year)
        park = _park(request)
        parks = list(selectors.scope_for(request.user, park, today).parks)
        kind = request.GET.get("format", "")
        if kind in ("xlsx", "pdf"):
            content = reports.operating_report(parks, year, kind)
            audit.request_event(
                request,
                action=AuditAction.EXPORT,
                model=ParkFigures,
                object_repr=str(_("Park operating report")),
                comment=f"year={year} park={park or '*'} format={kind}",
            )
            name = f"operating-report-{year}.{kind}"
            return xlsx_response(content, name) if kind == "xlsx" else pdf_response(content, name)
        report = reports.OperatingReport(parks, year)
        return render(
            request,
            "analytics/report.html",
            {
                "report": report,
                "sheet": report.kpi_sheet(raw=False),
                "park": park,
                "year": year,
                "years": list(range(today.year, today.year - 6, -1)),
                "parks": ParkFigures.objects.restrict(request.user).order_by("code"),
            },
        )


def _company_cells(torch: TorchReturn) -> list[tuple[str, list[tuple[Any, bool, bool]]]]:
    """The 在孵企业 table as (link, [(value, numeric, is the name)]) a row: laid out here
    rather than by a template lookup a cell (a park of 1,000 companies is 15,000 cells; the
    page went from 800 to 610 ms, measured under load)."""
    return [
        (
            reverse("enterprises:enterprise_detail", args=[row["_pk"]]),
            [(row[c.key], bool(c.unit), c.key == "name") for c in INCUBATEE_COLUMNS],
        )
        for row in torch.rows
    ]


class TorchReturnView(ScopedView):
    """火炬统计 of an incubator for a year: both tables, their checks, and the .xlsx."""

    model = ParkFigures

    def get(self, request: HttpRequest) -> HttpResponse:
        today = timezone.localdate()
        try:
            year = min(max(int(request.GET.get("year", today.year - 1)), 2000), today.year)
        except ValueError:
            year = today.year - 1
        parks = ParkFigures.objects.restrict(request.user).order_by("code")
        code = request.GET.get("park") or next(
            (p.code for p in parks if p.kind == ParkKind.INCUBATOR), ""
        )
        park = get_restricted_or_404(ParkFigures, request.user, "view", code=code) if code else None
        # a reviewer reads the incubator's table; the companies' own figures are not theirs
        companies = request.user.role != Role.GOV  # type: ignore[union-attr]
        torch = TorchReturn(park, year) if park else None
        if torch and request.GET.get("format") == "xlsx":
            audit.request_event(
                request,
                action=AuditAction.EXPORT,
                model=ParkFigures,
                object_repr=str(_("Torch statistics returns")),
                comment=f"year={year} park={park.code} companies={companies}",  # type: ignore[union-attr]
            )
            name = f"torch-returns-{park.code}-{year}.xlsx"  # type: ignore[union-attr]
            return xlsx_response(torch_workbook(torch, with_companies=companies), name)
        return render(
            request,
            "analytics/torch.html",
            {
                "torch": torch,
                "park": park.code if park else "",
                "parks": parks,
                "year": year,
                "years": list(range(today.year, today.year - 6, -1)),
                "companies": companies,
                "company_rows": _company_cells(torch) if torch and companies else [],
                "incubator_columns": INCUBATOR_COLUMNS,
                "incubatee_columns": INCUBATEE_COLUMNS,
            },
        )


class CompanyFigures(ScopedView):
    """A company's quarterly figures against its park's median: a tenant sees its own; staff
    and fund managers pick a company whose filings they read."""

    model = StatFiling

    def get(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        choices = Enterprise.objects.filter(
            pk__in=StatFiling.objects.restrict(user).values("enterprise_id")
        ).order_by("name")
        if user.role == Role.TENANT:  # type: ignore[union-attr]
            company = company_of(user)
        else:
            wanted = request.GET.get("enterprise", "")
            company = choices.filter(pk=int(wanted)).first() if wanted.isdigit() else None
            company = company or choices.first()
        rows = selectors.benchmark(company) if company is not None else []
        chart = {
            "labels": [str(r["period"]) for r in rows],
            "series": [
                {
                    "name": str(_("Own revenue (万元)")),
                    "values": [_num(r["own"]["revenue_wan"]) for r in rows],
                },
                {
                    "name": str(_("Park median (万元)")),
                    "values": [_num(r["median"]["revenue_wan"]) for r in rows],
                },
            ],
        }
        return render(
            request,
            "analytics/company_figures.html",
            {
                "company": company,
                "choices": choices if user.role != Role.TENANT else None,  # type: ignore[union-attr]
                "rows": rows,
                "chart": chart,
            },
        )


def _num(value: Any) -> float | None:
    return None if value is None else float(value)


class PeriodForm(ScopedModelForm):
    class Meta:
        model = StatPeriod
        fields = ["operator", "kind", "year", "number", "due_on", "jump_factor"]

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, user=user, **kwargs)
        if not user.is_platform_admin:
            del self.fields["operator"]  # staff open periods of their own operator


class PeriodList(ScopedView):
    """The statistics periods with how many companies have filed."""

    model = StatPeriod

    def get(self, request: HttpRequest) -> HttpResponse:
        periods = selectors.period_progress(StatPeriod.objects.restrict(request.user))
        return render(
            request,
            "analytics/period_list.html",
            {
                "periods": periods,
                "can_add": StatPeriod.policy.allows_role(request.user, "add"),
                "today": timezone.localdate(),
            },
        )


class PeriodAdd(ScopedView):
    """Open a period: the operator's tenants over it are asked to file."""

    model = StatPeriod
    action = "add"

    def _page(self, request: HttpRequest, form: Any) -> HttpResponse:
        return render(
            request,
            "core/object_edit.html",
            {
                **self.base_context(),
                "form": form,
                "cancel_url": reverse("analytics:period_list"),
            },
        )

    def get(self, request: HttpRequest) -> HttpResponse:
        return self._page(request, PeriodForm(user=request.user))

    def post(self, request: HttpRequest) -> HttpResponse:
        period = StatPeriod()
        period.operator_id = getattr(request.user, "operator_id", None)  # type: ignore[assignment]
        form = PeriodForm(request.POST, instance=period, user=request.user)
        if form.is_valid():
            try:
                period = form.save(commit=False)
                period.derive()
                filings.period_open(
                    actor=request.user, period=period, filers=selectors.filers_for(period)
                )
            except ValidationError as exc:
                _attach_errors(form, exc)
            else:
                messages.success(
                    request,
                    _("Period opened: %(n)s companies are asked to file.")
                    % {"n": period.filings.count()},
                )
                return redirect("analytics:period_board", pk=period.pk)
        return self._page(request, form)


class PeriodBoard(ScopedView):
    """Who has filed a period, who is late; reminders and late-coming tenants."""

    model = StatPeriod

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        period = get_restricted_or_404(StatPeriod, request.user, "view", pk=pk)
        rows = period.filings.select_related("enterprise", "filed_by").order_by(
            "state", "enterprise__name"
        )
        filed = sum(1 for f in rows if f.state == FilingState.FILED)
        return render(
            request,
            "analytics/period_board.html",
            {
                "period": period,
                "filings": rows,
                "filed": filed,
                "total": len(rows),
                "late": period.is_late(),
                "can_change": can(request.user, "change", period),
            },
        )

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        period = get_restricted_or_404(StatPeriod, request.user, "change", pk=pk)
        if request.POST.get("do") == "remind":
            n = filings.period_remind(actor=request.user, period=period)
            messages.success(request, _("%(n)s companies reminded to file.") % {"n": n})
        else:
            n = filings.period_add_filers(
                actor=request.user, period=period, filers=selectors.filers_for(period)
            )
            messages.success(request, _("%(n)s more companies asked to file.") % {"n": n})
        return redirect("analytics:period_board", pk=pk)
