from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "sagstilsyn.core"
    label = "core"
    verbose_name = "Sagstilsyn"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.core import checks

        from sagstilsyn.core.checks import rule_catalogue_check
        from sagstilsyn.core.jobs.services import job_runs_fail_dead
        from sagstilsyn.core.queue.services import sweep_register

        checks.register(rule_catalogue_check, "sagstilsyn")
        sweep_register("core.job_runs", job_runs_fail_dead)
