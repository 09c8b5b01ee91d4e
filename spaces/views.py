"""Pages of the spaces module: thin configurations of the generic views, plus the stacking
plan and the unit import/export."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.tables import Column
from core.views import ObjectDeleteView, ObjectDetailView, ObjectEditView, ObjectListView, Tab
from spaces import filters, forms, services
from spaces.choices import UnitStatus
from spaces.models import Building, Floor, Park, Unit
from spaces.selectors import area_breakdown, area_figures, offered_space, stacking_plan


def _crumbs(*pairs: tuple[Any, str | None]) -> list[tuple[Any, str | None]]:
    return [(_("Spaces"), None), *pairs]


# Parks ---------------------------------------------------------------------------------------
class ParkList(ObjectListView):
    model = Park
    filterset_class = filters.ParkFilter
    default_order = "code"
    select_related = ("operator", "jurisdiction")
    columns = [
        Column("code", sortable=True, link=True),
        Column("name", sortable=True, link=True),
        Column("kind"),
        Column("operator"),
        Column("jurisdiction"),
    ]


class ParkDetail(ObjectDetailView):
    model = Park
    template_name = "spaces/park_detail.html"
    fields = ["code", "name", "kind", "address", "operator", "jurisdiction"]
    tabs = [
        Tab(
            "buildings",
            _("Buildings"),
            "spaces/partials/park_buildings.html",
            visible=lambda user: Building.policy.allows_role(user, "view"),
        )
    ]

    def extra_context(self, request: HttpRequest, obj: Park) -> dict[str, Any]:
        crumbs = _crumbs((_("Parks"), reverse("spaces:park_list")), (obj, None))
        if not Unit.policy.allows_role(request.user, "view"):
            # a tenant or fund manager reads the park's public facts: what it offers today
            offered = offered_space(obj, timezone.localdate())
            return {"offered": offered, "breadcrumbs": crumbs}
        return {
            "figures": area_figures(obj.units.all()),
            "breakdown": area_breakdown(obj.units.all()),
            "buildings": obj.buildings.all(),
            "breadcrumbs": _crumbs((_("Parks"), reverse("spaces:park_list")), (obj, None)),
        }


class ParkEdit(ObjectEditView):
    model = Park
    form_class = forms.ParkForm
    create = services.park_create
    update = services.park_update


class ParkDelete(ObjectDeleteView):
    model = Park
    delete = services.park_delete


# Buildings -----------------------------------------------------------------------------------
class BuildingList(ObjectListView):
    model = Building
    filterset_class = filters.BuildingFilter
    default_order = "code"
    select_related = ("park",)
    columns = [
        Column("code", sortable=True, link=True),
        Column("name", sortable=True, link=True),
        Column("park"),
        Column("floors_above", numeric=True),
        Column("original_use"),
        Column("year_renovated", numeric=True),
    ]


class BuildingDetail(ObjectDetailView):
    model = Building
    fields = forms.BuildingForm.Meta.fields
    tabs = [Tab("stacking", _("Stacking plan"), "spaces/partials/stacking_plan.html")]
    default_tab = "stacking"  # the plan is what people open a building for

    def extra_context(self, request: HttpRequest, obj: Building) -> dict[str, Any]:
        return {
            "plan": stacking_plan(obj),
            "statuses": UnitStatus.choices,
            "figures": area_figures(obj.units.all()),
            "breadcrumbs": _crumbs(
                (_("Buildings"), reverse("spaces:building_list")),
                (obj.park, reverse("spaces:park_detail", args=[obj.park_id])),
                (obj.name, None),
            ),
        }


class BuildingEdit(ObjectEditView):
    model = Building
    form_class = forms.BuildingForm
    create = services.building_create
    update = services.building_update

    def initial_instance(self, request: HttpRequest) -> Building:
        park = Park.objects.restrict(request.user).filter(pk=request.GET.get("park") or 0).first()
        return Building(park=park) if park else Building()


class BuildingDelete(ObjectDeleteView):
    model = Building
    delete = services.building_delete


# Floors --------------------------------------------------------------------------------------
class FloorList(ObjectListView):
    model = Floor
    filterset_class = filters.FloorFilter
    default_order = "number"
    select_related = ("building__park",)
    columns = [
        Column("building"),
        Column("number", sortable=True, link=True, numeric=True),
        Column("name"),
    ]


class FloorDetail(ObjectDetailView):
    model = Floor
    fields = ["building", "number", "name"]
    tabs = [Tab("units", _("Units"), "spaces/partials/floor_units.html")]

    def extra_context(self, request: HttpRequest, obj: Floor) -> dict[str, Any]:
        return {
            "units": obj.units.order_by("code"),
            "breadcrumbs": _crumbs(
                (obj.building, reverse("spaces:building_detail", args=[obj.building_id])),
                (obj.label, None),
            ),
        }


class FloorEdit(ObjectEditView):
    model = Floor
    form_class = forms.FloorForm
    create = services.floor_create
    update = services.floor_update


class FloorDelete(ObjectDeleteView):
    model = Floor
    delete = services.floor_delete


# Units ---------------------------------------------------------------------------------------
class UnitList(ObjectListView):
    model = Unit
    filterset_class = filters.UnitFilter
    default_order = "code"
    select_related = ("park", "building", "floor")
    columns = [
        Column("code", sortable=True, link=True),
        Column("status"),  # first after the code: free or not is what people look for
        Column("park.name", label=_("Park")),
        Column("building.name", label=_("Building")),
        Column("floor.label", label=_("Floor")),
        Column("use"),
        Column("area_m2", sortable=True, numeric=True),
        Column("clear_height_m", sortable=True, numeric=True),
        Column("floor_load_kn_m2", sortable=True, numeric=True),
        Column("power_kva", sortable=True, numeric=True),
        Column("list_rent", sortable=True, numeric=True),
    ]
    extra_actions = [(_("Import / export"), "spaces:unit_import")]


class UnitDetail(ObjectDetailView):
    model = Unit
    fields = [
        "code",
        "park",
        "building",
        "floor",
        "use",
        "area_m2",
        "clear_height_m",
        "floor_load_kn_m2",
        "power_kva",
        "list_rent",
        "status",
        "available_from",
    ]

    def extra_context(self, request: HttpRequest, obj: Unit) -> dict[str, Any]:
        return {
            "breadcrumbs": _crumbs(
                (_("Units"), reverse("spaces:unit_list")),
                (obj.building, reverse("spaces:building_detail", args=[obj.building_id])),
                (obj.code, None),
            )
        }


class UnitEdit(ObjectEditView):
    model = Unit
    form_class = forms.UnitForm
    create = services.unit_create
    update = services.unit_update


class UnitDelete(ObjectDeleteView):
    model = Unit
    delete = services.unit_delete
