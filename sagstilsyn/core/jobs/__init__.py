"""Planlagte job (scheduled jobs) run inside Sagstilsyn, without a broker: the registry of jobs and their
schedules (`registry`), the service that runs every due job once (`services.jobs_run_due`), the reads for
the administrator's page and the command (`selectors`) and the page itself (`views`). See ADR 0006."""
