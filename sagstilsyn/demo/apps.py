from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo data and its command, `sagstilsyn demo load`; no models."""

    name = "sagstilsyn.demo"
    label = "demo"
    verbose_name = "Demodata"
