"""The administrator's page of API clients, under /administration/api-klienter/ (ADR 0022)."""

from django.urls import path

from sagstilsyn.api import views_admin

app_name = "admin-api"

urlpatterns = [
    path("", views_admin.api_clients, name="clients"),
    path("api-klienter.xlsx", views_admin.api_clients_xlsx, name="clients_xlsx"),
    path("<int:client_id>/tilbagekald/", views_admin.api_client_revoke_view, name="client_revoke"),
]
