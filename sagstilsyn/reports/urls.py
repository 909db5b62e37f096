"""URLs of the reports: the sample-size planner and the committee report (compliance dashboards follow)."""

from django.urls import path

from sagstilsyn.reports import views, views_committee

app_name = "reports"

urlpatterns = [
    path("rapporter/stikproevestoerrelse/", views.sample_size, name="sample_size"),
    path("rapporter/udvalgsrapport/", views_committee.committee_report, name="committee_report"),
    path("rapporter/udvalgsrapporter/", views_committee.committee_reports, name="committee_reports"),
]
