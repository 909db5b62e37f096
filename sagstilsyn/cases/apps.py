from django.apps import AppConfig

from sagstilsyn.cases.management import keyword_commands_register


class CasesConfig(AppConfig):
    name = "sagstilsyn.cases"
    label = "cases"
    verbose_name = "Sager"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from sagstilsyn.cases.importing.jobs import import_jobs_fail_dead
        from sagstilsyn.cases.jobs import JOBS
        from sagstilsyn.core.jobs.registry import job_register
        from sagstilsyn.core.queue.services import sweep_register

        for job in JOBS:
            job_register(job)
        sweep_register("cases.import_jobs", import_jobs_fail_dead)
        keyword_commands_register(self.name)
