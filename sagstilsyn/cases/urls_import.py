"""The upload page for the events, organisation and staff files, its column description and its jobs."""

from django.urls import URLPattern, URLResolver, path

from sagstilsyn.cases import views_import

urlpatterns: list[URLPattern | URLResolver] = [
    path("indlaes/", views_import.import_upload, name="import_upload"),
    path("indlaes/kolonner/", views_import.import_columns, name="import_columns"),
    path("indlaes/<int:job_id>/", views_import.import_job, name="import_job"),
    path("indlaes/<int:job_id>/status/", views_import.import_job_status, name="import_job_status"),
    path("indlaes/<int:job_id>/fejlrapport.xlsx", views_import.import_job_report, name="import_job_report"),
]
