from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "sagstilsyn.core"
    label = "core"
    verbose_name = "Sagstilsyn"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.core import checks

        from sagstilsyn.core.checks import rule_catalogue_check

        checks.register(rule_catalogue_check, "sagstilsyn")
