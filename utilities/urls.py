from django.urls import path

from core.views import object_urls
from core.views.imports import import_urls
from utilities import imports, views
from utilities.models import Reading

app_name = "utilities"

urlpatterns = [
    *object_urls(
        "tariffs",
        "tariff",
        list_view=views.TariffList,
        detail=views.TariffDetail,
        edit=views.TariffEdit,
        delete=views.TariffDelete,
    ),
    *object_urls(
        "rates",
        "tariffrate",
        list_view=views.RateList,
        detail=views.RateDetail,
        edit=views.RateEdit,
        delete=views.RateDelete,
    ),
    *object_urls(
        "meters",
        "meter",
        list_view=views.MeterList,
        detail=views.MeterDetail,
        edit=views.MeterEdit,
        delete=views.MeterDelete,
    ),
    *object_urls(
        "shares",
        "metershare",
        list_view=views.ShareList,
        detail=views.ShareDetail,
        edit=views.ShareEdit,
        delete=views.ShareDelete,
    ),
    *object_urls(
        "settings",
        "utilitysettings",
        list_view=views.SettingsList,
        detail=views.SettingsDetail,
        edit=views.SettingsEdit,
        delete=views.SettingsDelete,
    ),
    path("readings/", views.ReadingList.as_view(), name="reading_list"),
    path("readings/add/", views.ReadingEdit.as_view(), name="reading_add"),
    path("readings/<int:pk>/", views.ReadingDetail.as_view(), name="reading_detail"),
    path("walk/", views.WalkView.as_view(), name="walk"),
    *import_urls("readings", Reading, imports.TEMPLATE_KIND),
]
