"""URL configuration: the start page (web), log-in, the rule catalogue and the jobs page (core), the
case pages (cases), the admin and the API."""

from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("sagstilsyn.web.urls")),
    path("", include("sagstilsyn.core.urls")),
    path("", include("sagstilsyn.cases.urls")),
    path("admin/", admin.site.urls),
    path("api/", include("sagstilsyn.api.urls")),
]

# A refused query parameter (core/query_params.py: BadQuery) is shown with its Danish message.
handler400 = "sagstilsyn.web.views.bad_request"
