from django.apps import AppConfig


class ReportsConfig(AppConfig):
    """Lovoverholdelse og rapporter: compliance figures with honest uncertainty, dashboards, reports."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "sagstilsyn.reports"
    label = "reports"
    verbose_name = "Lovoverholdelse og rapporter"
