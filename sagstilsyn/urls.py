"""URL configuration: the start page and the rule catalogue live in the core app."""

from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("sagstilsyn.core.urls")),
    path("", include("sagstilsyn.cases.urls")),
    path("admin/", admin.site.urls),
    path("api/", include("sagstilsyn.api.urls")),
]
