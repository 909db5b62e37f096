from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "sagstilsyn.core"
    label = "core"
    verbose_name = "Sagstilsyn"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.core import checks

        from sagstilsyn.core.checks import cpr_key_check, rule_catalogue_check
        from sagstilsyn.core.jobs.services import job_runs_fail_dead
        from sagstilsyn.core.queue.services import sweep_register

        checks.register(rule_catalogue_check, "sagstilsyn")
        # It reads the database: Django runs it with `migrate` and `check --database default`; the WSGI
        # and ASGI entries (runserver's too) run the same verification themselves (ADR 0017).
        checks.register(cpr_key_check, "sagstilsyn", checks.Tags.database)
        sweep_register("core.job_runs", job_runs_fail_dead)
