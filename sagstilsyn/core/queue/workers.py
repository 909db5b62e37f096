"""Who runs a job, its heartbeat, and whether that worker is still alive (ADR 0015).

A job that starts records its worker as ``host:pid`` (the process running it: a Celery worker, or the
web process when there is no broker). While it runs, a thread writes a heartbeat (the time, in seconds)
to the cache every HEARTBEAT_SECONDS. A worker has died when

- it ran on this machine and its process no longer exists (known at once, e.g. after ``kill -9`` or a
  restart of the web process), or
- the cache is shared between processes (Redis) and the heartbeat is older than
  ``settings.QUEUE_WORKER_STALE_SECONDS`` (a worker on another machine).

In a cache of one process's local memory another process's heartbeat is invisible, so there only the
first rule is used.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache

logger = logging.getLogger(__name__)
#: How often a running job writes its heartbeat.
HEARTBEAT_SECONDS = 5.0


def worker_identity() -> str:
    """This process as a worker: ``host:pid``."""
    return f"{socket.gethostname()}:{os.getpid()}"


def _heartbeat_key(kind: str, job_id: int) -> str:
    return f"sagstilsyn:heartbeat:{kind}:{job_id}"


def heartbeat_last(*, kind: str, job_id: int) -> float | None:
    """The time (seconds since the epoch) of the job's latest heartbeat, or None."""
    value = cache.get(_heartbeat_key(kind, job_id))
    return float(value) if value is not None else None


def heartbeat_beat(*, kind: str, job_id: int, at: float | None = None) -> None:
    """Write one heartbeat for the job (kept a day; a finished job's beat is deleted)."""
    cache.set(_heartbeat_key(kind, job_id), time.time() if at is None else at, timeout=86400)


@contextmanager
def heartbeat(*, kind: str, job_id: int, every: float = HEARTBEAT_SECONDS) -> Iterator[None]:
    """Beat for the job while the block runs, from a thread of its own."""
    stop = threading.Event()

    def beat() -> None:
        while True:
            try:
                heartbeat_beat(kind=kind, job_id=job_id)
            except Exception:  # a cache hiccup must not stop the job; the next beat tries again
                logger.warning("Hjerteslaget for %s %s kunne ikke skrives", kind, job_id, exc_info=True)
            if stop.wait(every):
                return

    thread = threading.Thread(target=beat, name=f"heartbeat-{kind}-{job_id}", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()
        cache.delete(_heartbeat_key(kind, job_id))


def cache_is_shared() -> bool:
    """Whether every process sees the same cache (not one process's local memory)."""
    backend = str(settings.CACHES["default"]["BACKEND"])
    return not backend.endswith(("LocMemCache", "DummyCache"))


def _process_exists(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # it exists, under another user
    return True


@dataclass(frozen=True)
class WorkerCheck:
    """What is known about a job's worker: its identity, the latest heartbeat and when the job started."""

    worker: str
    last_beat: float | None
    started: float


def worker_gone(
    check: WorkerCheck,
    *,
    now: float | None = None,
    stale_seconds: float | None = None,
    shared_cache: bool | None = None,
    host: str | None = None,
) -> bool:
    """Whether the worker that runs a job has died (see the module's rules). A job that no worker has
    taken yet (an empty `worker`) waits in the queue and is not judged."""
    if not check.worker:
        return False
    worker_host, _, pid = check.worker.rpartition(":")
    if worker_host == (host or socket.gethostname()) and pid.isdigit() and not _process_exists(int(pid)):
        return True
    if not (cache_is_shared() if shared_cache is None else shared_cache):
        return False
    limit = settings.QUEUE_WORKER_STALE_SECONDS if stale_seconds is None else stale_seconds
    latest = check.last_beat if check.last_beat is not None else check.started
    return (time.time() if now is None else now) - latest > limit
