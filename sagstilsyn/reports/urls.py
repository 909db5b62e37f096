"""URLs of the reports: the compliance dashboards (Lovoverholdelse), the målsætning, the committee report
(udvalgsrapport) and the sample-size planner."""

from django.urls import path

from sagstilsyn.reports import views, views_committee, views_dashboard

app_name = "reports"

urlpatterns = [
    path("rapporter/", views_dashboard.dashboard, name="dashboard"),
    path("rapporter/krav/<str:requirement>/", views_dashboard.requirement, name="requirement"),
    path("rapporter/handleplan/", views_dashboard.risk_plan, name="risk_plan"),
    path("rapporter/maalsaetning/", views_dashboard.standard, name="standard"),
    path("rapporter/stikproevestoerrelse/", views.sample_size, name="sample_size"),
    path("rapporter/udvalgsrapport/", views_committee.committee_report, name="committee_report"),
    path("rapporter/udvalgsrapporter/", views_committee.committee_reports, name="committee_reports"),
]
