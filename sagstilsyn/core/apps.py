from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "sagstilsyn.core"
    label = "core"
    verbose_name = "Sagstilsyn"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.core import checks

        from sagstilsyn.core.checks import rule_catalogue_check
        from sagstilsyn.core.jobs.chain import AUDIT_CHAIN_JOB
        from sagstilsyn.core.jobs.registry import job_register

        checks.register(rule_catalogue_check, "sagstilsyn")
        job_register(AUDIT_CHAIN_JOB)  # core's own planlagte job (ADR 0018)
