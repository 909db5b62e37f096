from django.urls import path

from sagstilsyn.core import views

app_name = "core"

urlpatterns = [
    path("", views.home, name="home"),
    path("regler/regelkatalog.xlsx", views.catalogue_xlsx, name="catalogue_xlsx"),
    path("regler/<slug:rule_id>/", views.rule_page, name="rule"),
]
