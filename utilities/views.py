"""Pages of utilities: tariffs and their rates, meters (with readings, a consumption chart
and their shares), readings and the unusual ones, and the walk page for a round of readings
on a phone."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.forms import HiddenInput
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.charts import column_chart
from core.errors import ConflictError
from core.permissions import can
from core.tables import Column, status_tag
from core.templatetags.parkops import shown_money
from core.views import ObjectDetailView, ObjectListView, generic
from core.views.generic import ScopedView, _attach_errors
from spaces.models import Building
from utilities import filters, forms, services
from utilities.choices import UNIT_OF, TariffStructure
from utilities.models import Meter, MeterShare, Reading, Tariff, TariffRate, UtilitySettings
from utilities.selectors import monthly_consumption, walk_round, with_last_reading


def record_pages(
    model: Any,
    form_class: Any,
    filterset: Any,
    columns: list[Column],
    fields: list[str],
    **extra: Any,
) -> tuple[type, type, type, type]:
    """List, detail, edit and delete pages of one kind of record, through the services."""
    return generic.record_pages(
        model,
        form_class=form_class,
        filterset=filterset,
        columns=columns,
        fields=fields,
        create=services.record_create,
        update=services.record_update,
        delete=services.record_delete,
        edit_base=_Prefilled,
        **extra,
    )


class _Prefilled(generic.PrefilledEditView):
    """A new record starts with the tariff, meter or building named in the query."""

    prefill = ("tariff", "meter", "building")

    def prefilled(self, instance: Any, name: str, row: Any) -> None:
        super().prefilled(instance, name, row)
        if name == "building":
            instance.park = row.park


TariffList, _TariffDetail, TariffEdit, TariffDelete = record_pages(
    Tariff,
    forms.TariffForm,
    filters.TariffFilter,
    [
        Column("name", link=True),
        Column("kind"),
        Column("structure"),
        Column("tax_rate_pct", numeric=True),
    ],
    forms.TariffForm.Meta.fields,
    default_order="name",
)


class TariffDetail(_TariffDetail):  # type: ignore[valid-type,misc]
    """The tariff and its prices over time, the one in force marked."""

    template_name = "utilities/tariff_detail.html"

    def extra_context(self, request: HttpRequest, obj: Tariff) -> dict[str, Any]:
        rates = list(obj.rates.order_by("-valid_from"))
        today = timezone.localdate()
        current = next((r for r in rates if r.valid_from <= today), None)
        return {
            "rates": rates,
            "current_rate": current,
            "can_price": can(request.user, "change", obj),
        }


RateList, RateDetail, RateEdit, RateDelete = record_pages(
    TariffRate,
    forms.TariffRateForm,
    filters.TariffRateFilter,
    [
        Column("valid_from", link=True, sortable=True),
        Column("tariff"),
        Column("price", numeric=True),
        Column("peak_price", numeric=True),
        Column("valley_price", numeric=True),
        Column("tier2_price", numeric=True),
        Column("tier3_price", numeric=True),
    ],
    forms.TariffRateForm.Meta.fields,
    default_order="-valid_from",
    select_related=("tariff",),
)
SettingsList, SettingsDetail, SettingsEdit, SettingsDelete = record_pages(
    UtilitySettings,
    forms.SettingsForm,
    filters.SettingsFilter,
    [Column("operator", link=True), Column("bill_apart")],
    forms.SettingsForm.Meta.fields,
)
ShareList, ShareDetail, ShareEdit, ShareDelete = record_pages(
    MeterShare,
    forms.ShareForm,
    filters.ShareFilter,
    [Column("unit", link=True), Column("meter"), Column("share_pct", numeric=True)],
    forms.ShareForm.Meta.fields,
    select_related=("unit", "meter"),
)
_MeterList, MeterDetailBase, MeterEdit, MeterDelete = record_pages(
    Meter,
    forms.MeterForm,
    filters.MeterFilter,
    [
        Column("code", link=True, sortable=True),
        Column("building"),
        Column("kind"),
        Column("unit"),
        Column("allocation"),
        Column("multiplier", numeric=True),
        Column("last_read_on", label=gettext_lazy("Last read")),
        Column("last_value", numeric=True, label=gettext_lazy("Last reading")),
    ],
    [f for f in forms.MeterForm.Meta.fields],
    default_order="code",
    select_related=("building", "unit"),
)


class MeterList(_MeterList):  # type: ignore[valid-type,misc]
    extra_actions = [
        (gettext_lazy("Read meters"), "utilities:walk", "add"),
        (gettext_lazy("Tariffs"), "utilities:tariff_list"),
        (gettext_lazy("Billing setting"), "utilities:utilitysettings_list"),
    ]

    def get_queryset(self, request: HttpRequest) -> Any:
        return with_last_reading(super().get_queryset(request))


class MeterDetail(MeterDetailBase):  # type: ignore[valid-type,misc]
    template_name = "utilities/meter_detail.html"

    def extra_context(self, request: HttpRequest, obj: Meter) -> dict[str, Any]:
        months = monthly_consumption(obj)
        top = max((q for _m, q in months), default=0) or 1
        return {
            "readings": obj.readings.order_by("-read_on")[:24],
            "chart": column_chart([(m, q / top) for m, q in months], [q for _m, q in months])
            if months
            else None,
            "unit_label": UNIT_OF[obj.kind],
            "shares": obj.shares.select_related("unit"),
            "submeters": obj.submeters.select_related("unit"),
            "can_read": can(request.user, "change", obj),
        }


def _quantity(attr: str) -> Any:
    """A register or a consumption without trailing zeros: 87,746.1, not 87,746.100."""
    return lambda obj: f"{getattr(obj, attr).normalize():,f}"


def _unusual(reading: Reading) -> Any:
    return status_tag("pending", _("Unusual")) if reading.anomaly else ""


class ReadingList(ObjectListView):
    model = Reading
    filterset_class = filters.ReadingFilter
    default_order = "-read_on"
    select_related = ("meter",)
    extra_actions = [
        (gettext_lazy("Read meters"), "utilities:walk", "add"),
        (gettext_lazy("Import / export"), "utilities:reading_import", "add"),
    ]
    columns = [
        Column("read_on", link=True, sortable=True),
        Column("meter"),
        Column("value", numeric=True, render=_quantity("value")),
        Column("consumption", numeric=True, render=_quantity("consumption")),
        Column("amount", numeric=True, render=lambda r: shown_money(r.amount)),
        Column("anomaly", render=_unusual),
        Column("billed_note"),
    ]


class ReadingDetail(ObjectDetailView):
    model = Reading
    fields = [
        "meter",
        "read_on",
        "value",
        "peak",
        "valley",
        "reason",
        "consumption",
        "amount",
        "anomaly",
        "billed_note",
    ]


class ReadingEdit(_Prefilled):
    """A reading is added, never changed: the interval it closed is billed."""

    model = Reading
    form_class = forms.ReadingForm
    create = staticmethod(services.reading_add)
    update = staticmethod(services.record_update)

    def create_kwargs(self, form: Any) -> dict[str, Any]:
        return {"confirm": form.cleaned_data.get("confirm", False)}


class WalkView(ScopedView):
    """A round of readings on a phone: one meter at a time, in the order one walks them."""

    model = Reading
    action = "add"

    def _round(self, request: HttpRequest) -> tuple[Any, Any, Any]:
        buildings = (
            Building.objects.restrict(request.user)
            .select_related("park")
            .order_by("park__code", "code")
        )
        chosen = request.GET.get("building") or request.POST.get("building") or ""
        building = buildings.filter(pk=chosen).first() if chosen.isdigit() else None
        rnd = walk_round(request.user, building.pk, timezone.localdate()) if building else None
        return buildings, building, rnd

    def _page(self, request: HttpRequest, form: Any = None, meter: Any = None) -> HttpResponse:
        buildings, building, rnd = self._round(request)
        if meter is not None and rnd is not None:  # the same meter, with its last reading
            meter = next((m for m in rnd.meters if m.pk == meter.pk), meter)
        meter = meter or (rnd.next if rnd else None)
        if meter is not None and form is None:
            form = forms.ReadingForm(
                user=request.user,
                initial={"meter": meter.pk, "read_on": timezone.localdate()},
            )
        if form is not None:  # the page names the meter; the form carries it
            form.fields["meter"].widget = HiddenInput()
            if meter is not None and meter.tariff.structure != TariffStructure.TIME_OF_USE:
                del form.fields["peak"], form.fields["valley"]
        return render(
            request,
            "utilities/walk.html",
            {
                **self.base_context(),
                "buildings": buildings,
                "building": building,
                "round": rnd,
                "meter": meter,
                "form": form,
                "unit_label": UNIT_OF[meter.kind] if meter else "",
            },
        )

    def get(self, request: HttpRequest) -> HttpResponse:
        return self._page(request)

    def post(self, request: HttpRequest) -> HttpResponse:
        form = forms.ReadingForm(request.POST, user=request.user)
        meter = None
        if form.is_valid():
            reading = form.save(commit=False)
            meter = reading.meter
            try:
                services.reading_add(
                    actor=request.user, reading=reading, confirm=form.cleaned_data["confirm"]
                )
            except ValidationError as exc:
                _attach_errors(form, exc)
            except ConflictError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(
                    request,
                    _("%(meter)s read: %(qty)s, %(amount)s 元.")
                    % {"meter": meter, "qty": reading.consumption, "amount": reading.amount},
                )
                building = request.POST.get("building", "")
                return redirect(f"{reverse('utilities:walk')}?building={building}")
        return self._page(request, form, meter)
