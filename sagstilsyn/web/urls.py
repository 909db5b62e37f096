"""The start page and its unit table as Excel, and the administrator's page Administration."""

from django.urls import path

from sagstilsyn.web import views

app_name = "web"

urlpatterns = [
    path("", views.home, name="home"),
    path("enheder.xlsx", views.units_xlsx, name="units_xlsx"),
    path("administration/", views.administration, name="administration"),
]
