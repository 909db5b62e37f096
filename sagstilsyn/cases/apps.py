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
        from sagstilsyn.cases.selectors.cases import child_cpr_cipher_sample
        from sagstilsyn.core.jobs.registry import job_register
        from sagstilsyn.core.queue.services import sweep_register
        from sagstilsyn.core.services.cpr_key import cpr_cipher_sample_register

        for job in JOBS:
            job_register(job)
        sweep_register("cases.import_jobs", import_jobs_fail_dead)
        cpr_cipher_sample_register(child_cpr_cipher_sample)  # the CPR key check reads one (ADR 0017)
        keyword_commands_register(self.name)
