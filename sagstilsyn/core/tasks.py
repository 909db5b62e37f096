"""Core's Celery tasks (ADR 0015): the planlagte job and the sweep for work whose worker died. The
worker's scheduler (beat) sends both every minute; each is safe to run any number of times (a job's slot
is claimed in the database, ADR 0006; a dead job is marked failed once). A worker that starts sweeps at
once (a restart after a crash)."""

from __future__ import annotations

from typing import Any

from celery.signals import worker_ready

from sagstilsyn.core.jobs.services import jobs_run_due
from sagstilsyn.core.queue.app import app
from sagstilsyn.core.queue.services import queue_sweep


def _jobs_run_due() -> int:
    return len(jobs_run_due())


def _queue_sweep() -> int:
    return queue_sweep()


@worker_ready.connect
def _sweep_on_start(**_: Any) -> None:
    queue_sweep()


jobs_run_due_task = app.task(name="sagstilsyn.core.jobs_run_due")(_jobs_run_due)
queue_sweep_task = app.task(name="sagstilsyn.core.queue_sweep")(_queue_sweep)
