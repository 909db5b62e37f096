from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "sagstilsyn.web"
    label = "web"
    verbose_name = "Sagstilsyn (forside og menu)"
