"""URLs of the reports: the sample-size planner (compliance dashboards and the committee report follow)."""

from django.urls import path

from sagstilsyn.reports import views

app_name = "reports"

urlpatterns = [
    path("rapporter/stikproevestoerrelse/", views.sample_size, name="sample_size"),
]
