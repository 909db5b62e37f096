from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "sagstilsyn.cases"
    label = "cases"
    verbose_name = "Sager"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from sagstilsyn.cases.jobs import JOBS
        from sagstilsyn.core.jobs.registry import job_register

        for job in JOBS:
            job_register(job)
