"""URL configuration: the start page (web), log-in, the rule catalogue and the jobs page (core), the
case pages (cases), the ledelsestilsyn (reviews), the reports and the API. There is no /admin/ (ADR
0016): the administrator's screens are our own."""

from django.urls import include, path

urlpatterns = [
    path("", include("sagstilsyn.web.urls")),
    path("", include("sagstilsyn.core.urls")),
    path("", include("sagstilsyn.cases.urls")),
    path("", include("sagstilsyn.reviews.urls")),
    path("", include("sagstilsyn.reports.urls")),
    path("api/", include("sagstilsyn.api.urls")),
    path("administration/api-klienter/", include("sagstilsyn.api.urls_admin")),
]

# A refused query parameter (core/query_params.py: BadQuery) is shown with its Danish message.
handler400 = "sagstilsyn.web.views.bad_request"
