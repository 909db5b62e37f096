"""URL configuration: the start page (web), log-in, the rule catalogue and the jobs page (core), the
case pages (cases), the admin and the API."""

from django.contrib import admin
from django.urls import include, path

from sagstilsyn.core.views import AdminLoginForm

admin.site.login_form = AdminLoginForm  # a CPR number typed as user name is refused, not recorded

urlpatterns = [
    path("", include("sagstilsyn.web.urls")),
    path("", include("sagstilsyn.core.urls")),
    path("", include("sagstilsyn.cases.urls")),
    path("admin/", admin.site.urls),
    path("api/", include("sagstilsyn.api.urls")),
]
