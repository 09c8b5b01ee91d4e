from core.views import object_urls
from core.views.imports import import_urls
from spaces import imports, views
from spaces.models import Unit

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
    *import_urls("units", Unit, imports.TEMPLATE_KIND),
]
