"""The start page and its unit table as Excel."""

from django.urls import path

from sagstilsyn.web import views

app_name = "web"

urlpatterns = [
    path("", views.home, name="home"),
    path("enheder.xlsx", views.units_xlsx, name="units_xlsx"),
]
