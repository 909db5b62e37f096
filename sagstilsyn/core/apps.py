from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "sagstilsyn.core"
    label = "core"
    verbose_name = "Sagstilsyn"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.core import checks

        from sagstilsyn.core.checks import cpr_key_check, rule_catalogue_check

        checks.register(rule_catalogue_check, "sagstilsyn")
        # It reads the database: Django runs it with `migrate` and `check --database default`; the WSGI
        # and ASGI entries (runserver's too) run the same verification themselves (ADR 0017).
        checks.register(cpr_key_check, "sagstilsyn", checks.Tags.database)
