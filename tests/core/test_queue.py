"""The queue's core (ADR 0015): where a task runs with and without a broker, the heartbeat, whether a
job's worker is gone, the sweep, the worker command and the settings."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
from collections.abc import Callable

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.core.management.base import CommandError
from pytest_django.fixtures import Settings as SettingsWrapper

from sagstilsyn.core.management.commands.worker import NO_BROKER
from sagstilsyn.core.queue.app import app
from sagstilsyn.core.queue.services import (
    Fallback,
    queue_configured,
    queue_submit,
    queue_sweep,
    sweeps_registered,
)
from sagstilsyn.core.queue.workers import (
    WorkerCheck,
    heartbeat,
    heartbeat_beat,
    heartbeat_last,
    worker_gone,
    worker_identity,
)

HOST = socket.gethostname()
NOW = 1_000_000.0


def _dead_pid() -> int:
    """The id of a process of this machine that has ended."""
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


def _check(worker: str, last_beat: float | None = None, started: float = NOW - 10) -> WorkerCheck:
    return WorkerCheck(worker=worker, last_beat=last_beat, started=started)


def test_a_job_no_worker_has_taken_is_waiting_not_dead() -> None:
    assert not worker_gone(_check(""), now=NOW + 10_000, stale_seconds=1, shared_cache=True)


def test_a_worker_of_this_machine_whose_process_has_ended_is_gone_at_once() -> None:
    check = _check(f"{HOST}:{_dead_pid()}", last_beat=NOW)
    assert worker_gone(check, now=NOW, stale_seconds=60, shared_cache=False)
    assert worker_gone(check, now=NOW, stale_seconds=60, shared_cache=True)


def test_a_live_worker_of_this_machine_with_a_fresh_beat_is_alive() -> None:
    assert worker_identity() == f"{HOST}:{os.getpid()}"
    check = _check(worker_identity(), last_beat=NOW - 5)
    assert not worker_gone(check, now=NOW, stale_seconds=60, shared_cache=True)
    assert not worker_gone(check, now=NOW, stale_seconds=60, shared_cache=False)


def test_a_stale_heartbeat_in_a_shared_cache_means_gone() -> None:
    check = _check("another-host:4242", last_beat=NOW - 61)
    assert worker_gone(check, now=NOW, stale_seconds=60, shared_cache=True)
    assert not worker_gone(
        _check("another-host:4242", last_beat=NOW - 59), now=NOW, stale_seconds=60, shared_cache=True
    )


def test_without_a_beat_the_start_counts() -> None:
    assert not worker_gone(
        _check("another-host:1", started=NOW - 30), now=NOW, stale_seconds=60, shared_cache=True
    )
    assert worker_gone(
        _check("another-host:1", started=NOW - 90), now=NOW, stale_seconds=60, shared_cache=True
    )


def test_a_cache_of_one_process_cannot_judge_another_machines_worker() -> None:
    check = _check("another-host:4242", last_beat=NOW - 10_000)
    assert not worker_gone(check, now=NOW, stale_seconds=60, shared_cache=False)


def test_the_stale_limit_and_the_cache_kind_come_from_the_settings(settings: SettingsWrapper) -> None:
    settings.QUEUE_WORKER_STALE_SECONDS = 5
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://x"}
    }
    assert worker_gone(_check("another-host:1", last_beat=NOW - 6), now=NOW)
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    assert not worker_gone(_check("another-host:1", last_beat=NOW - 6), now=NOW)


def test_a_heartbeat_is_written_while_the_block_runs_and_removed_after() -> None:
    assert heartbeat_last(kind="test", job_id=7) is None
    with heartbeat(kind="test", job_id=7, every=0.01):
        beat = heartbeat_last(kind="test", job_id=7)
        assert beat is not None
    assert heartbeat_last(kind="test", job_id=7) is None
    heartbeat_beat(kind="test", job_id=8, at=NOW)
    assert heartbeat_last(kind="test", job_id=8) == NOW


def _record(into: list[dict[str, object]], done: threading.Event | None = None) -> Callable[..., None]:
    def run(**kwargs: object) -> None:
        into.append(kwargs)
        if done is not None:
            done.set()

    return run


def test_without_a_broker_a_task_runs_inline_or_in_a_thread(settings: SettingsWrapper) -> None:
    settings.QUEUE_BROKER_URL = ""
    assert not queue_configured()
    calls: list[dict[str, object]] = []
    task = app.task(name="tests.queue.inline")(_record(calls))
    assert queue_submit(task, kwargs={"job_id": 1}, fallback=Fallback.INLINE) == "inline"
    assert calls == [{"job_id": 1}]
    done = threading.Event()
    threaded: list[dict[str, object]] = []
    task = app.task(name="tests.queue.thread")(_record(threaded, done))
    assert queue_submit(task, kwargs={"job_id": 2}, fallback=Fallback.THREAD) == "thread"
    assert done.wait(30)
    assert threaded == [{"job_id": 2}]


def test_with_a_broker_a_task_is_sent_by_name_with_its_arguments(settings: SettingsWrapper) -> None:
    settings.QUEUE_BROKER_URL = "memory://"
    settings.QUEUE_NAME = "sagstilsyn-test-memory"
    assert queue_configured()
    calls: list[dict[str, object]] = []
    task = app.task(name="tests.queue.sent")(_record(calls))
    assert queue_submit(task, kwargs={"job_id": 3}, fallback=Fallback.INLINE) == "queue"
    assert calls == []  # not run here
    with app.connection_for_write("memory://") as connection:
        message = connection.SimpleQueue("sagstilsyn-test-memory").get(timeout=5)
        assert message.headers["task"] == "tests.queue.sent"
        assert message.decode()[1] == {"job_id": 3}
        message.ack()


def test_the_sweep_runs_every_sweep_and_survives_a_failing_one(caplog: pytest.LogCaptureFixture) -> None:
    ran: list[str] = []

    def good() -> int:
        ran.append("good")
        return 2

    def broken() -> int:
        ran.append("broken")
        raise RuntimeError("databasen er væk")

    assert queue_sweep(sweeps={"b": good, "a": broken}) == 2
    assert ran == ["broken", "good"]
    assert "Oprydningen a fejlede" in caplog.text


def test_the_cases_sweep_is_registered() -> None:
    assert "cases.import_jobs" in sweeps_registered()  # by CasesConfig.ready()


def test_the_worker_command_needs_a_broker(settings: SettingsWrapper) -> None:
    settings.QUEUE_BROKER_URL = ""
    with pytest.raises(CommandError) as failure:
        call_command("worker")
    assert str(failure.value) == NO_BROKER


def test_a_broker_needs_a_shared_cache(settings_from_env: Callable[..., dict[str, object]]) -> None:
    with pytest.raises(ImproperlyConfigured, match="SAGSTILSYN_BROKER_URL kræver SAGSTILSYN_CACHE_URL"):
        settings_from_env(SAGSTILSYN_BROKER_URL="redis://127.0.0.1:6379/0", SAGSTILSYN_CACHE_URL="")
    values = settings_from_env(
        SAGSTILSYN_BROKER_URL="redis://127.0.0.1:6379/0", SAGSTILSYN_CACHE_URL="redis://127.0.0.1:6379/1"
    )
    assert values["QUEUE_BROKER_URL"] == "redis://127.0.0.1:6379/0"
    assert values["QUEUE_NAME"] == "sagstilsyn"
    assert settings_from_env(SAGSTILSYN_BROKER_URL="")["QUEUE_BROKER_URL"] == ""
