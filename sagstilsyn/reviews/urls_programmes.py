"""URLs of the ledelsestilsyn: programmes and samples (tilsyn, stikprøver)."""

from django.urls import path

from sagstilsyn.reviews import views_programmes, views_samples

urlpatterns = [
    path("tilsyn/", views_programmes.programmes, name="programmes"),
    path("tilsyn/delprogrammer.xlsx", views_programmes.programmes_parts_xlsx, name="programmes_parts_xlsx"),
    path(
        "tilsyn/bedoemmere.xlsx", views_programmes.programmes_reviewers_xlsx, name="programmes_reviewers_xlsx"
    ),
    path("tilsyn/start/", views_programmes.period_start, name="period_start"),
    path("tilsyn/delprogram/<int:part_id>/", views_programmes.part_edit, name="part_edit"),
    path("tilsyn/enkeltstaaende/", views_programmes.adhoc_new, name="adhoc_new"),
    path("stikproever/<int:sample_id>/", views_samples.sample_detail, name="sample_detail"),
    path("stikproever/<int:sample_id>/raekker.xlsx", views_samples.sample_rows_xlsx, name="sample_rows_xlsx"),
    path("stikproever/<int:sample_id>/haandpluk/", views_samples.sample_hand_pick, name="sample_hand_pick"),
    path("stikproever/<int:sample_id>/luk/", views_samples.sample_close, name="sample_close"),
]
