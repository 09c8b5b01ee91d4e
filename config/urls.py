from django.urls import include, path

from config.api import api
from core.registry import url_patterns
from core.views.account import favicon

urlpatterns = [
    path("favicon.ico", favicon),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", api.urls),
    *url_patterns(),  # every app's pages under /<label>/, core's at the root
]
