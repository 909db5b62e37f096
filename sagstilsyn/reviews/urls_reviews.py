"""URLs of the ledelsestilsyn: the reviewer's pages (ADR 0028) — Mine gennemgange, the review form and its
answers, the comparison of the levels, and calibration."""

from django.urls import path

from sagstilsyn.reviews.views import calibration, comparison, reviews

urlpatterns = [
    path("gennemgange/", reviews.review_list, name="mine"),
    path("gennemgange/<int:review_id>/", reviews.review_page, name="review"),
    path("gennemgange/<int:review_id>/svar/", reviews.review_answer, name="answer"),
    path("gennemgange/<int:review_id>/sammenligning/", comparison.review_comparison_page, name="comparison"),
    path("gennemgange/kalibrering/", calibration.calibration_list, name="calibration"),
    path("gennemgange/kalibrering/ny/", calibration.calibration_new, name="calibration_new"),
]
