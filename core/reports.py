"""One report definition serves the page, the API, the .xlsx and the PDF.

A :class:`Report` names its parameters (a form: park and date, and its own), its scope (the
model whose policy decides who may run it; rows come through ``restrict``), its columns and
how it computes its rows. From that:

- the page (:class:`core.views.reports.ReportView`) shows the filter bar, the app's template
  with the rows, and the downloads;
- ``?format=xlsx`` and ``?format=pdf`` give the same rows and totals as a workbook or an A4
  PDF (:meth:`Report.sheet`);
- the API operation (:func:`core.api.reports.register_report`) answers
  ``{"items": [...], "totals": {...}, "next": null}``, one item per row with the columns'
  keys (a report is one page: ``next`` is always null).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, ClassVar

from django import forms
from django.apps import apps
from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.documents import Sheet
from core.forms import html_date

__all__ = ["Report", "ReportColumn", "ReportForm", "ReportQuery", "ReportResult"]

# what a column holds: how the API types it and which ones a totals row adds up
KINDS = ("text", "int", "date", "money", "area", "decimal", "ratio")


@dataclass(frozen=True)
class ReportColumn:
    key: str  # the item's key in the API, and the column of the sheet
    label: Any
    kind: str = "text"
    total: bool = False  # added up in the totals row
    description: str = ""  # for the API's documentation
    in_sheet: bool = True  # False: an id for the API and links, not a column to print


@dataclass(frozen=True)
class ReportQuery:
    user: Any
    park: Any | None  # the park chosen (None: every park the user sees)
    day: datetime.date
    params: dict[str, Any] = field(default_factory=dict)  # the report's own parameters

    def scoped(self, queryset: Any, park_path: str = "park") -> Any:
        """``queryset`` through the permission layer, narrowed to the chosen park."""
        qs = queryset.restrict(self.user, "view")
        return qs.filter(**{park_path: self.park}) if self.park is not None else qs


@dataclass
class ReportResult:
    rows: list[Any]  # what the page's template lists (model rows, selector rows)
    items: list[dict[str, Any]]  # one dict per row, by column key: the API and the sheet
    context: dict[str, Any] = field(default_factory=dict)  # more for the page (a chart)


def park_model() -> Any:
    return apps.get_model(settings.PARKOPS_PARK_MODEL)


class ReportForm(forms.Form):
    """Park (by code; empty: every park the user sees) and date (default today)."""

    park: forms.ModelChoiceField = forms.ModelChoiceField(
        label=gettext_lazy("Park"),
        queryset=None,
        required=False,
        to_field_name="code",
        empty_label=gettext_lazy("All my parks"),
    )
    on = forms.DateField(label=gettext_lazy("As of"), required=False)

    # a report looks at most a few years around its date: months before the first and after
    # the last are counted, so the calendar's ends are out of reach
    EARLIEST, LATEST = datetime.date(1990, 1, 1), datetime.date(2199, 12, 31)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        parks = park_model().objects.restrict(user).order_by("code")
        self.fields["park"].queryset = parks  # type: ignore[attr-defined]
        html_date(self.fields["on"].widget)

    def clean_on(self) -> datetime.date | None:
        day: datetime.date | None = self.cleaned_data.get("on")
        if day is not None and not (self.EARLIEST <= day <= self.LATEST):
            raise forms.ValidationError(
                _("Choose a date from %(first)s to %(last)s.")
                % {"first": self.EARLIEST.isoformat(), "last": self.LATEST.isoformat()}
            )
        return day


class Report:
    """A report: subclass, set the class attributes, write :meth:`run`."""

    key: ClassVar[str]  # "aging": the URL name suffix and the API path
    title: ClassVar[Any]
    model: ClassVar[type[models.Model]]  # whose policy gates the report
    columns: ClassVar[list[ReportColumn]]
    template: ClassVar[str]
    form_class: ClassVar[type[ReportForm]] = ReportForm
    description: ClassVar[str] = ""

    def run(self, query: ReportQuery) -> ReportResult:
        raise NotImplementedError

    @property
    def app_label(self) -> str:
        """The app whose pages list this report (its URL namespace)."""
        return type(self).__module__.split(".")[0]

    def column_list(self, query: ReportQuery) -> list[ReportColumn]:
        """The columns for this query (a report grouped by tenant or park relabels one)."""
        return self.columns

    # -- parameters -------------------------------------------------------------------------
    def query(self, data: Any, user: Any) -> tuple[ReportForm, ReportQuery]:
        """The filter form and the query it gives; a bad park or date falls back to the
        default, and the form keeps the error to show."""
        data = data.copy()
        data.setdefault("on", timezone.localdate().isoformat())  # shown in the date box
        form = self.form_class(data, user=user)
        form.is_valid()
        cleaned = dict(getattr(form, "cleaned_data", {}))
        park, day = cleaned.pop("park", None), cleaned.pop("on", None)
        return form, ReportQuery(user, park, day or timezone.localdate(), cleaned)

    # -- outputs ----------------------------------------------------------------------------
    def totals(self, query: ReportQuery, items: list[dict[str, Any]]) -> dict[str, Any]:
        return {
            c.key: sum((item[c.key] or 0 for item in items), Decimal(0))
            for c in self.column_list(query)
            if c.total
        }

    def sheet(self, query: ReportQuery, result: ReportResult) -> Sheet:
        columns = [c for c in self.column_list(query) if c.in_sheet]
        totals = self.totals(query, result.items)
        where = query.park.name if query.park is not None else _("All my parks")
        return Sheet(
            title=str(self.title),
            headers=[str(c.label) for c in columns],
            rows=[[item.get(c.key) for c in columns] for item in result.items],
            totals=[_("Total"), *(totals.get(c.key, "") for c in columns[1:])] if totals else None,
            notes=[f"{self.title} · {where} · {query.day.isoformat()}"],
        )

    def pdf(self, query: ReportQuery, result: ReportResult) -> bytes:
        from core.documents import pdf_document

        where = query.park.name if query.park is not None else _("All my parks")
        sheet = self.sheet(query, result)
        facts = [(_("Park"), where), (_("As of"), query.day.isoformat())]
        return pdf_document(str(self.title), facts, [sheet], wide=len(sheet.headers) > 7)
