from django.urls import path

from core.views import object_urls
from spaces import views, views_import

app_name = "spaces"

urlpatterns = [
    *object_urls(
        "parks",
        "park",
        list_view=views.ParkList,
        detail=views.ParkDetail,
        edit=views.ParkEdit,
        delete=views.ParkDelete,
    ),
    *object_urls(
        "buildings",
        "building",
        list_view=views.BuildingList,
        detail=views.BuildingDetail,
        edit=views.BuildingEdit,
        delete=views.BuildingDelete,
    ),
    *object_urls(
        "floors",
        "floor",
        list_view=views.FloorList,
        detail=views.FloorDetail,
        edit=views.FloorEdit,
        delete=views.FloorDelete,
    ),
    *object_urls(
        "units",
        "unit",
        list_view=views.UnitList,
        detail=views.UnitDetail,
        edit=views.UnitEdit,
        delete=views.UnitDelete,
    ),
    path("units/import/", views_import.UnitImport.as_view(), name="unit_import"),
    path(
        "units/import/template.xlsx",
        views_import.UnitTemplate.as_view(),
        name="unit_import_template",
    ),
    path("units/export.xlsx", views_import.UnitExport.as_view(), name="unit_export"),
]
