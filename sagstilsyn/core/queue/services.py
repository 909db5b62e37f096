"""Submit background work, and sweep for work whose worker died (ADR 0015).

`queue_submit` sends a task to the broker when SAGSTILSYN_BROKER_URL is set. Without a broker (the demo,
`make run`, most tests) the task runs in this process: in a background thread of the web process (the
upload page keeps showing progress, as before) or at once (a command, or tests with
SAGSTILSYN_IMPORT_INLINE=1).

`queue_sweep` runs every sweep the apps registered (`sweep_register`): each finds its own running jobs
whose worker has died and marks them failed. It runs when a worker starts, every minute in the worker's
scheduler (beat), in `sagstilsyn jobs run-due`, and an app may run its own sweep when its job page is
viewed.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Mapping
from enum import StrEnum
from typing import Any

from celery import Task
from django.conf import settings
from django.db import connections

from sagstilsyn.core.queue.app import app

logger = logging.getLogger(__name__)

#: A sweep: marks its app's jobs whose worker died as failed and returns how many it marked.
Sweep = Callable[[], int]
_SWEEPS: dict[str, Sweep] = {}


class Fallback(StrEnum):
    """How a task runs without a broker."""

    THREAD = "thread"  # in a background thread of this process (the web process)
    INLINE = "inline"  # at once, before queue_submit returns (a command; tests)


def queue_configured() -> bool:
    """Whether a broker is configured, so tasks run on `sagstilsyn worker`."""
    return bool(settings.QUEUE_BROKER_URL)


def queue_submit(task: Task[Any, Any], *, kwargs: dict[str, Any], fallback: Fallback) -> str:
    """Run `task` with `kwargs` (JSON values: ids, codes, dates as text; never file contents or CPR
    numbers, which stay in the database): on the queue when a broker is configured, else in this process
    as `fallback` says. Returns where it went: "queue", "thread" or "inline"."""
    if queue_configured():
        with app.connection_for_write(settings.QUEUE_BROKER_URL) as connection:
            app.send_task(task.name, kwargs=kwargs, queue=settings.QUEUE_NAME, connection=connection)
        return "queue"
    if fallback == Fallback.INLINE:
        task.run(**kwargs)
        return "inline"

    def run() -> None:
        try:
            task.run(**kwargs)
        except Exception:
            logger.exception("Baggrundsopgaven %s fejlede", task.name)
        finally:
            connections.close_all()

    threading.Thread(target=run, name=f"task-{task.name}", daemon=True).start()
    return "thread"


def tasks_registered() -> tuple[str, ...]:
    """The names of Sagstilsyn's tasks, from every installed app's ``tasks`` module, sorted."""
    app.loader.import_default_modules()
    return tuple(sorted(name for name in app.tasks if name.startswith("sagstilsyn.")))


def sweep_register(name: str, sweep: Sweep) -> None:
    """Register an app's sweep under a name (call it from the app's `AppConfig.ready()`)."""
    _SWEEPS[name] = sweep


def sweeps_registered() -> tuple[str, ...]:
    """The names of the registered sweeps, in order."""
    return tuple(sorted(_SWEEPS))


def queue_sweep(*, sweeps: Mapping[str, Sweep] | None = None) -> int:
    """Run every sweep (default: the registered ones) by name; the number of jobs marked failed. A sweep
    that fails is logged and the others still run."""
    marked = 0
    for name, sweep in sorted((_SWEEPS if sweeps is None else sweeps).items()):
        try:
            marked += sweep()
        except Exception:
            logger.exception("Oprydningen %s fejlede", name)
    return marked
