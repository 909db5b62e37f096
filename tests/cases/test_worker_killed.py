"""A Celery worker killed with SIGKILL in the middle of an import (issue 11, point 2; ADR 0015).

A real worker (`sagstilsyn worker --pool solo`) runs against Redis and the PostgreSQL test database. The
test holds a lock on the audit table, so the worker's import stops at its first audit event (the new
rule versions', before the obligations): the file's cases and events inserted, nothing committed. Then
the worker is killed (`kill -9`), and:

- nothing of the import is in the database (its transaction died with the process);
- a new worker, as it starts, marks the job failed with the Danish message, and the job page shows it;
- the file imported again on the new worker is all there, and a third import changes nothing.

Needs PostgreSQL (SQLite's test database is one process's memory) and Redis on 127.0.0.1:6379; skips
with the reason otherwise.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import psycopg
import pytest
import redis
from django.conf import settings
from django.db import connection
from django.test import Client
from pytest_django.fixtures import Settings as SettingsWrapper

from sagstilsyn.cases.importing.jobs import WORKER_LOST, import_job_start
from sagstilsyn.cases.models import Case, CaseEvent, ImportJob, ImportJobStatus, Obligation
from sagstilsyn.core.models import AuditEvent, Municipality, Role, User
from tests.cases.data.helpers import EVENTS_CSV
from tests.factories import make_municipality, make_unit, make_user

pytestmark = pytest.mark.django_db(transaction=True)

ROOT = Path(__file__).resolve().parents[2]
REDIS = ("127.0.0.1", 6379)
BROKER_DB = 14
CACHE_DB = 13
#: Bounds on waiting for another process (never asserted as durations).
WAIT_SECONDS = 120.0


def _redis_reachable() -> bool:
    try:
        with socket.create_connection(REDIS, timeout=0.5):
            return True
    except OSError:
        return False


def _needs_postgresql_and_redis() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: a worker process cannot see SQLite's in-memory test database")
    if not _redis_reachable():
        pytest.skip("needs Redis on 127.0.0.1:6379 as the broker")


def _dsn() -> str:
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{db['USER']}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture
def queue(settings: SettingsWrapper) -> Iterator[str]:
    """A broker and a queue of this test's own; the queue's name."""
    _needs_postgresql_and_redis()
    name = f"sagstilsyn-test-{uuid.uuid4().hex[:12]}"
    settings.QUEUE_BROKER_URL = f"redis://{REDIS[0]}:{REDIS[1]}/{BROKER_DB}"
    settings.QUEUE_NAME = name
    settings.IMPORT_INLINE = False
    yield name
    client = redis.Redis(host=REDIS[0], port=REDIS[1], db=BROKER_DB)
    try:  # leave nothing of this queue in the shared Redis: the queue, its bindings, its unacked messages
        client.delete(name, f"_kombu.binding.{name}", f"_kombu.binding_permanent.{name}")
        for tag, value in client.hgetall("unacked").items():
            if json.loads(value)[-1] == name:
                client.hdel("unacked", tag)
                client.zrem("unacked_index", tag)
    finally:
        client.close()


@pytest.fixture
def start_worker(queue: str, tmp_path: Path) -> Iterator[Callable[[], subprocess.Popen[bytes]]]:
    """Starts `sagstilsyn worker --pool solo` on the test database and queue; stops them all after."""
    workers: list[subprocess.Popen[bytes]] = []
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "DATABASE_URL": _dsn(),
        "SAGSTILSYN_BROKER_URL": settings.QUEUE_BROKER_URL,
        "SAGSTILSYN_CACHE_URL": f"redis://{REDIS[0]}:{REDIS[1]}/{CACHE_DB}",
        "SAGSTILSYN_QUEUE_NAME": queue,
        "SAGSTILSYN_CPR_KEY": settings.CPR_KEY,
        "DJANGO_SECRET_KEY": settings.SECRET_KEY,
        "DJANGO_DEBUG": "1",
    }

    def start() -> subprocess.Popen[bytes]:
        log = (tmp_path / f"worker-{len(workers)}.log").open("wb")
        worker = subprocess.Popen(
            [sys.executable, "manage.py", "worker", "--pool", "solo", "--no-beat", "--loglevel", "INFO"],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        workers.append(worker)
        return worker

    yield start
    for worker in workers:
        if worker.poll() is None:
            worker.kill()
        worker.wait()


def _wait_for(what: str, check: Callable[[], bool], logs: Path) -> None:
    deadline = time.monotonic() + WAIT_SECONDS
    while not check():
        if time.monotonic() > deadline:
            output = "\n".join(
                p.read_text(errors="replace")[-3000:] for p in sorted(logs.glob("worker-*.log"))
            )
            pytest.fail(f"waited in vain for {what}; the workers wrote:\n{output}")
        time.sleep(0.2)


def _waiting_on_a_lock(lock: psycopg.Connection[tuple[object, ...]]) -> bool:
    row = lock.execute(
        "SELECT count(*) FROM pg_locks WHERE NOT granted AND relation = 'core_auditevent'::regclass"
    ).fetchone()
    return bool(row and row[0])


def _tables_written_by_waiter(lock: psycopg.Connection[tuple[object, ...]]) -> set[str]:
    """The tables the session waiting for the audit table has written to (holds RowExclusiveLock on)."""
    rows = lock.execute(
        "SELECT held.relation::regclass::text FROM pg_locks held JOIN pg_locks waiting"
        " ON waiting.pid = held.pid AND NOT waiting.granted"
        " WHERE held.granted AND held.mode = 'RowExclusiveLock' AND held.relation IS NOT NULL"
    ).fetchall()
    return {str(row[0]) for row in rows}


def _other_backends(lock: psycopg.Connection[tuple[object, ...]], own: set[int]) -> int:
    row = lock.execute(
        "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> ALL(%s)"
        " AND backend_type = 'client backend'",
        (sorted(own),),
    ).fetchone()
    count = row[0] if row else 0
    assert isinstance(count, int)
    return count


def _written(municipality: Municipality) -> tuple[int, int, int]:
    return (
        Case.objects.filter(municipality=municipality).count(),
        CaseEvent.objects.filter(case__municipality=municipality).count(),
        Obligation.objects.filter(case__municipality=municipality).count(),
    )


def _start_import(municipality: Municipality, admin: User) -> ImportJob:
    return import_job_start(
        municipality=municipality, actor=admin, data=EVENTS_CSV.read_bytes(), filename="haendelser.csv"
    )


def _status(job: ImportJob) -> str:
    job.refresh_from_db()
    return job.status


def test_a_worker_killed_mid_import_leaves_nothing_and_the_job_fails_in_danish(
    start_worker: Callable[[], subprocess.Popen[bytes]], tmp_path: Path
) -> None:
    municipality = make_municipality()
    make_unit(municipality, "BFE-NORD")
    make_unit(municipality, "BFE-SYD")
    admin = make_user(municipality, Role.ADMINISTRATOR, username="admin")
    job = _start_import(municipality, admin)
    assert job.status == ImportJobStatus.RUNNING
    assert job.worker == ""  # waiting in the queue

    with psycopg.connect(_dsn()) as lock:
        lock.execute("LOCK TABLE core_auditevent IN SHARE ROW EXCLUSIVE MODE")
        worker = start_worker()
        _wait_for("the import to reach its last write", lambda: _waiting_on_a_lock(lock), tmp_path)
        assert _status(job) == ImportJobStatus.RUNNING
        # Mid-write: the worker's open transaction has inserted the file's cases and events.
        assert {"cases_case", "cases_caseevent"} <= _tables_written_by_waiter(lock)
        assert job.worker.endswith(f":{worker.pid}")
        os.kill(worker.pid, signal.SIGKILL)
        worker.wait()
        lock.rollback()  # the dead worker's server process goes on, finds its client gone, rolls back
        own = {lock.info.backend_pid, connection.connection.info.backend_pid}
        _wait_for(
            "the dead worker's database session to end", lambda: _other_backends(lock, own) == 0, tmp_path
        )

    assert _written(municipality) == (0, 0, 0)
    assert _status(job) == ImportJobStatus.RUNNING  # nobody has noticed yet

    second = start_worker()  # marks the dead worker's job failed as it starts
    _wait_for(
        "the new worker to mark the job failed", lambda: _status(job) != ImportJobStatus.RUNNING, tmp_path
    )
    assert job.status == ImportJobStatus.FAILED
    assert job.errors == [[0, "", "", WORKER_LOST]]
    assert bytes(job.payload) == b""
    assert AuditEvent.objects.filter(action="import.worker_lost", target_id=str(job.pk)).count() == 1
    client = Client()
    client.force_login(admin)
    page = client.get(f"/indlaes/{job.pk}/").content.decode()
    assert "Arbejdsprocessen, der indlæste filen, stoppede undervejs" in page
    assert "Intet er indlæst." in page

    again = _start_import(municipality, admin)
    _wait_for("the import to run again", lambda: _status(again) != ImportJobStatus.RUNNING, tmp_path)
    assert again.status == ImportJobStatus.DONE, again.errors
    assert again.worker.endswith(f":{second.pid}")
    written = _written(municipality)
    assert written[1] == again.result["events_created"] > 0

    third = _start_import(municipality, admin)
    _wait_for("the third import", lambda: _status(third) != ImportJobStatus.RUNNING, tmp_path)
    assert third.status == ImportJobStatus.DONE
    assert third.result["events_created"] == 0
    assert third.result["events_updated"] == 0
    assert _written(municipality) == written
