"""The Celery app: broker, queue and task defaults from Django's settings (ADR 0015).

The web process only sends tasks when SAGSTILSYN_BROKER_URL is set; the worker (`sagstilsyn worker`)
finds the tasks in every installed app's ``tasks`` module. Tasks acknowledge their message when they end
(`acks_late`), one message at a time per worker process (prefetch 1), so a message a dead worker held
but never started is delivered again; one it started is not run twice, because each task claims its job
in the database first (see `sagstilsyn.cases.importing.jobs`).
"""

from __future__ import annotations

from typing import Any

from celery import Celery
from celery.signals import setup_logging
from django.conf import settings


@setup_logging.connect
def _logging_is_djangos(**_: Any) -> None:
    """The worker logs through Django's LOGGING (settings.py), whose every handler masks CPR numbers.

    Celery configures logging of its own unless a receiver of `setup_logging` exists; its handlers
    (``celery.task``'s stderr among them) would write without the CPR filter.
    """


#: How often the worker's embedded scheduler (beat) asks for due planlagte job and sweeps for dead work.
BEAT_SECONDS = 60.0

app = Celery("sagstilsyn")
app.conf.update(
    broker_url=settings.QUEUE_BROKER_URL or "memory://",
    broker_connection_retry_on_startup=True,
    task_default_queue=settings.QUEUE_NAME,
    task_serializer="json",
    accept_content=["json"],
    task_ignore_result=True,
    task_acks_late=True,
    task_reject_on_worker_lost=False,
    worker_prefetch_multiplier=1,
    worker_hijack_root_logger=False,
    timezone=settings.TIME_ZONE,
    beat_schedule={  # the tasks of sagstilsyn/core/tasks.py
        "planlagte-job": {"task": "sagstilsyn.core.jobs_run_due", "schedule": BEAT_SECONDS},
        "doede-job": {"task": "sagstilsyn.core.queue_sweep", "schedule": BEAT_SECONDS},
    },
)
app.autodiscover_tasks(lambda: list(settings.INSTALLED_APPS), related_name="tasks")
