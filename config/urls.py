from django.urls import include, path

from config.api import api
from core.views.account import favicon

urlpatterns = [
    path("favicon.ico", favicon),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", api.urls),
    path("spaces/", include("spaces.urls")),
    path("enterprises/", include("enterprises.urls")),
    path("leasing/", include("leasing.views")),
    path("admissions/", include("admissions.urls")),
    path("", include("core.urls")),
]
