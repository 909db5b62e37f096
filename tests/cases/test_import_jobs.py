"""Import jobs on a queue (ADR 0015): the job claims its worker, waits in the queue without one, is never
run twice, and is marked failed in Danish when its worker has died (found by the sweep, by a worker's
start and by the job page). The real worker killed mid-import is tests/cases/test_worker_killed.py."""

from __future__ import annotations

import socket
import subprocess
import sys
import threading
import time
import uuid

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from pytest_django.fixtures import Settings as SettingsWrapper

from sagstilsyn.cases.importing.jobs import (
    QUEUE_DOWN,
    WORKER_LOST,
    import_job_execute,
    import_job_start,
    import_jobs_fail_dead,
)
from sagstilsyn.cases.models import CaseEvent, ImportJob, ImportJobStatus
from sagstilsyn.core.models import AuditEvent, Municipality, Role, User
from sagstilsyn.core.queue.services import queue_sweep
from sagstilsyn.core.queue.workers import heartbeat_beat, worker_identity
from tests.cases.data.helpers import EVENTS_CSV
from tests.factories import make_municipality, make_unit, make_user

pytestmark = pytest.mark.django_db


def _dead_worker() -> str:
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    host, _, _ = worker_identity().rpartition(":")
    return f"{host}:{process.pid}"


def _world() -> tuple[Municipality, User]:
    municipality = make_municipality()
    make_unit(municipality, "BFE-NORD")
    make_unit(municipality, "BFE-SYD")
    return municipality, make_user(municipality, Role.ADMINISTRATOR, username="admin")


def _running_job(municipality: Municipality, admin: User, worker: str) -> ImportJob:
    return ImportJob.objects.create(
        municipality=municipality,
        created_by=admin,
        kind="events",
        filename="stor.csv",
        status=ImportJobStatus.RUNNING,
        created_at=timezone.now(),
        started_at=timezone.now() if worker else None,
        worker=worker,
        payload=EVENTS_CSV.read_bytes(),
        options={"source": "import"},
    )


def test_an_inline_import_records_its_worker_and_empties_the_file(settings: SettingsWrapper) -> None:
    settings.IMPORT_INLINE = True
    municipality, admin = _world()
    job = import_job_start(
        municipality=municipality, actor=admin, data=EVENTS_CSV.read_bytes(), filename="f.csv"
    )
    assert job.status == ImportJobStatus.DONE
    assert job.worker == worker_identity()
    assert job.started_at is not None
    assert bytes(job.payload) == b""
    assert CaseEvent.objects.count() == job.result["events_created"] > 0


def test_a_job_whose_worker_died_is_marked_failed_in_danish_once() -> None:
    municipality, admin = _world()
    dead = _running_job(municipality, admin, _dead_worker())
    alive = _running_job(municipality, admin, worker_identity())
    waiting = _running_job(municipality, admin, "")
    assert import_jobs_fail_dead() == 1
    dead.refresh_from_db()
    assert dead.status == ImportJobStatus.FAILED
    assert dead.errors == [[0, "", "", WORKER_LOST]]
    assert dead.finished_at is not None
    assert bytes(dead.payload) == b""
    for job in (alive, waiting):
        job.refresh_from_db()
        assert job.status == ImportJobStatus.RUNNING
    assert import_jobs_fail_dead() == 0
    audit = AuditEvent.objects.get(action="import.worker_lost")
    assert audit.target_id == str(dead.pk)
    assert audit.municipality == municipality
    assert audit.actor is None


def test_the_sweep_keeps_to_the_municipality_asked_for() -> None:
    municipality, admin = _world()
    other = make_municipality("350", "Lejre Kommune")
    job = _running_job(municipality, admin, _dead_worker())
    assert import_jobs_fail_dead(municipality=other) == 0
    assert queue_sweep() == 1  # the registered sweep of the cases app
    job.refresh_from_db()
    assert job.status == ImportJobStatus.FAILED


def test_the_job_page_finds_a_dead_worker_and_shows_the_danish_message() -> None:
    municipality, admin = _world()
    job = _running_job(municipality, admin, _dead_worker())
    client = Client()
    client.force_login(admin)
    html = client.get(f"/indlaes/{job.pk}/status/").content.decode()
    assert "Intet er indlæst." in html
    assert WORKER_LOST in html
    assert 'hx-trigger="every 1s"' not in html
    job.refresh_from_db()
    assert job.status == ImportJobStatus.FAILED


def test_the_upload_page_lists_a_dead_workers_job_as_failed() -> None:
    municipality, admin = _world()
    job = _running_job(municipality, admin, _dead_worker())
    client = Client()
    client.force_login(admin)
    assert client.get("/indlaes/").status_code == 200
    job.refresh_from_db()
    assert job.status == ImportJobStatus.FAILED


def test_a_job_waiting_for_a_worker_says_so() -> None:
    municipality, admin = _world()
    job = _running_job(municipality, admin, "")
    client = Client()
    client.force_login(admin)
    html = client.get(f"/indlaes/{job.pk}/").content.decode()
    assert "I kø: venter på en ledig arbejdsproces." in html
    assert 'hx-trigger="every 1s"' in html


def test_a_message_delivered_again_never_runs_a_claimed_import_twice() -> None:
    municipality, admin = _world()
    alive = _running_job(municipality, admin, worker_identity())
    assert import_job_execute(job_id=alive.pk) is None
    alive.refresh_from_db()
    assert alive.status == ImportJobStatus.RUNNING  # its worker (this process) still runs it
    dead = _running_job(municipality, admin, _dead_worker())
    assert import_job_execute(job_id=dead.pk) is None
    dead.refresh_from_db()
    assert dead.status == ImportJobStatus.FAILED
    assert CaseEvent.objects.count() == 0


def test_a_waiting_job_is_run_by_the_task() -> None:
    municipality, admin = _world()
    job = _running_job(municipality, admin, "")
    finished = import_job_execute(job_id=job.pk)
    assert finished is not None
    assert finished.status == ImportJobStatus.DONE
    assert finished.worker == worker_identity()
    assert CaseEvent.objects.count() == finished.result["events_created"] > 0


def test_jobs_run_due_marks_jobs_of_dead_workers_failed() -> None:
    municipality, admin = _world()
    job = _running_job(municipality, admin, _dead_worker())
    call_command("jobs", "run-due")
    job.refresh_from_db()
    assert job.status == ImportJobStatus.FAILED


@pytest.mark.django_db(transaction=True)
def test_without_a_broker_the_upload_runs_in_a_thread_of_the_web_process(settings: SettingsWrapper) -> None:
    settings.IMPORT_INLINE = False
    settings.QUEUE_BROKER_URL = ""
    municipality, admin = _world()
    before = set(threading.enumerate())
    job = import_job_start(
        municipality=municipality, actor=admin, data=EVENTS_CSV.read_bytes(), filename="f.csv"
    )
    # The task's own thread (`queue_submit` names it task-…); its heartbeat thread may be starting still.
    for thread in set(threading.enumerate()) - before:
        if thread.name.startswith("task-"):
            thread.join(120)
    job.refresh_from_db()
    assert job.status == ImportJobStatus.DONE
    assert job.worker == worker_identity()
    assert CaseEvent.objects.count() == job.result["events_created"] > 0


def test_a_broker_that_cannot_be_reached_fails_the_job_in_danish_at_once(settings: SettingsWrapper) -> None:
    settings.IMPORT_INLINE = False
    settings.QUEUE_BROKER_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    municipality, admin = _world()
    job = import_job_start(
        municipality=municipality, actor=admin, data=EVENTS_CSV.read_bytes(), filename="f.csv"
    )
    assert job.status == ImportJobStatus.FAILED
    assert job.errors == [[0, "", "", QUEUE_DOWN]]
    assert bytes(job.payload) == b""
    assert CaseEvent.objects.count() == 0


def _redis_reachable() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=0.5):
            return True
    except OSError:
        return False


@pytest.mark.skipif(not _redis_reachable(), reason="Redis kører ikke på 127.0.0.1:6379")
def test_in_a_shared_cache_a_stale_heartbeat_of_another_machines_worker_fails_its_job(
    settings: SettingsWrapper,
) -> None:
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:6379/1",
            "KEY_PREFIX": f"sagstilsyn-test-{uuid.uuid4().hex}",
        }
    }
    settings.QUEUE_WORKER_STALE_SECONDS = 60
    municipality, admin = _world()
    fresh = _running_job(municipality, admin, "another-machine:4242")
    stale = _running_job(municipality, admin, "another-machine:4243")
    now = time.time()
    heartbeat_beat(kind="import", job_id=fresh.pk, at=now - 5)
    heartbeat_beat(kind="import", job_id=stale.pk, at=now - 120)
    try:
        assert import_jobs_fail_dead() == 1
    finally:
        cache.delete_many([f"sagstilsyn:heartbeat:import:{job.pk}" for job in (fresh, stale)])
    fresh.refresh_from_db()
    stale.refresh_from_db()
    assert (fresh.status, stale.status) == (ImportJobStatus.RUNNING, ImportJobStatus.FAILED)
    assert stale.errors == [[0, "", "", WORKER_LOST]]
