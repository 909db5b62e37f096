from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "sagstilsyn.api"
    label = "api"
    verbose_name = "API for fagsystemer"
