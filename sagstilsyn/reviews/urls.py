"""URLs of the ledelsestilsyn: the reviews and their forms (urls_reviews), programmes and samples
(urls_programmes), findings, case repairs, learning points and action plans (urls_findings)."""

from django.urls import include, path

app_name = "reviews"

urlpatterns = [
    path("", include("sagstilsyn.reviews.urls_reviews")),
    path("", include("sagstilsyn.reviews.urls_programmes")),
    path("", include("sagstilsyn.reviews.urls_findings")),
]
