"""URLs of the cases app: case list and case pages (urls_cases), deadline follow-up and the
oversigtsskema (urls_followup), the upload page for imports (urls_import), the databeskyttelsesrådgiver's
page Usædvanlig adgang (urls_access_review), the begrundelse for overskridelse of an overrun deadline
(urls_overrun)."""

from django.urls import include, path

app_name = "cases"

urlpatterns = [
    path("", include("sagstilsyn.cases.urls_cases")),
    path("", include("sagstilsyn.cases.urls_followup")),
    path("", include("sagstilsyn.cases.urls_import")),
    path("", include("sagstilsyn.cases.urls_access_review")),
    path("", include("sagstilsyn.cases.urls_overrun")),
]
