from django.templatetags.static import static
from django.urls import include, path
from django.views.generic import RedirectView

from config.api import api

urlpatterns = [
    path("favicon.ico", RedirectView.as_view(url=static("core/favicon.svg"), permanent=True)),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", api.urls),
    path("spaces/", include("spaces.urls")),
    path("", include("core.urls")),
]
