"""Import jobs (indlæsninger) started from the upload page, with progress for a progress bar.

The import itself is `import_events_file`: all or nothing, in one transaction. Because that transaction
hides intermediate rows from other connections, progress is kept in the cache, keyed by the job, and
the page polls it. The job row records how it ended, the counts and the Danish errors (CPR masked).

Where it runs (ADR 0015): with a broker, as the task ``sagstilsyn.cases.import_job_run`` on a Celery
worker (`sagstilsyn worker`); without one, in a background thread of the web process (or inline with
SAGSTILSYN_IMPORT_INLINE=1). The file waits in the job row; the message carries only the job's id. The
worker first claims the job (records itself as its worker) and beats a heartbeat while it runs. A job
whose worker died is marked failed with a Danish message by `import_jobs_fail_dead` (at the worker's
start, every minute in the worker, and when the job page is viewed); a message delivered again for a
job already claimed never runs the import a second time.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable
from dataclasses import asdict

from django.conf import settings
from django.core.cache import cache
from django.db import OperationalError, transaction
from django.utils import timezone

from sagstilsyn.cases.importing.errors import ImportRejected
from sagstilsyn.cases.importing.services import (
    DEFAULT_SOURCE,
    OrganisationResult,
    import_events_file,
    import_organisation_file,
    import_staff_file,
)
from sagstilsyn.cases.models import ImportJob, ImportJobStatus, ImportKind
from sagstilsyn.cases.services.event_inputs import EventsResult
from sagstilsyn.core.cpr import redact
from sagstilsyn.core.models import Municipality, User
from sagstilsyn.core.queue.app import app
from sagstilsyn.core.queue.services import Fallback, queue_submit
from sagstilsyn.core.queue.workers import (
    WorkerCheck,
    heartbeat,
    heartbeat_last,
    worker_gone,
    worker_identity,
)
from sagstilsyn.core.services.audit import audit_record
from sagstilsyn.core.services.staff import StaffResult
from sagstilsyn.core.text_hygiene import escaped

logger = logging.getLogger(__name__)
UNEXPECTED = "Uventet fejl under indlæsningen; intet er indlæst. Kontakt en administrator."
WORKER_LOST = (
    "Arbejdsprocessen, der indlæste filen, stoppede undervejs (fx ved en genstart eller et nedbrud). "
    "Intet er indlæst. Indlæs filen igen."
)
QUEUE_DOWN = (
    "Køen til baggrundsopgaver kunne ikke nås; intet er indlæst. "
    "Prøv igen om lidt, eller kontakt en administrator."
)
HEARTBEAT_KIND = "import"


def _progress_key(job_id: int) -> str:
    return f"sagstilsyn:import-job:{job_id}"


def import_job_progress(*, job: ImportJob) -> tuple[int, int]:
    """(done, total) of a running job; (0, 0) before the file has been read."""
    value = cache.get(_progress_key(job.pk)) or (0, 0)
    return int(value[0]), int(value[1])


def import_job_start(
    *,
    municipality: Municipality,
    actor: User,
    data: bytes,
    filename: str,
    source: str = DEFAULT_SOURCE,
    dry_run: bool = False,
    ignore_unknown_columns: bool = False,
    kind: str = ImportKind.EVENTS,
    deactivate_missing: bool = False,
) -> ImportJob:
    """Register the job with its file (`kind`: events, organisation or staff) and run it: on the queue,
    in a background thread, or inline when so configured. Call it outside a transaction, so a worker
    sees the job."""
    job = ImportJob.objects.create(
        municipality=municipality,
        created_by=actor,
        kind=kind,
        filename=escaped(redact(filename), limit=255),  # a NUL in a file name cannot be stored
        dry_run=dry_run,
        status=ImportJobStatus.RUNNING,
        created_at=timezone.now(),
        options={
            "source": source,
            "ignore_unknown_columns": ignore_unknown_columns,
            "deactivate_missing": deactivate_missing,
        },
        payload=data,
    )
    audit_record(
        actor=actor,
        action="import.start",
        municipality=municipality,
        target_type="import_job",
        target_id=job.pk,
        target_label=job.filename,
        after={"kind": kind, "source": redact(source), "dry_run": dry_run, "bytes": len(data)},
    )
    fallback = Fallback.INLINE if settings.IMPORT_INLINE else Fallback.THREAD
    try:
        queue_submit(import_job_task, kwargs={"job_id": job.pk}, fallback=fallback)
    except Exception:  # the broker cannot be reached: the job must not wait for ever
        logger.exception("Indlæsning %s kunne ikke sendes til køen", job.pk)
        ImportJob.objects.filter(pk=job.pk, worker="").update(
            status=ImportJobStatus.FAILED,
            errors=[[0, "", "", QUEUE_DOWN]],
            finished_at=timezone.now(),
            payload=b"",
        )
    job.refresh_from_db()
    return job


def import_job_execute(*, job_id: int) -> ImportJob | None:
    """Run a waiting job in this process (the task's body): claim it, beat while the import runs, store
    how it ended. A job already claimed (the message was delivered again after its worker died) is not
    run again; if its worker is gone it is marked failed. Returns the finished job, or None."""
    claimed = ImportJob.objects.filter(pk=job_id, status=ImportJobStatus.RUNNING, worker="").update(
        worker=worker_identity()[:255], started_at=timezone.now()
    )
    if not claimed:
        import_jobs_fail_dead(job_ids=[job_id])
        return None
    job = ImportJob.objects.select_related("municipality", "created_by").get(pk=job_id)
    options = job.options or {}
    with heartbeat(kind=HEARTBEAT_KIND, job_id=job_id):
        return import_job_run(
            job=job,
            data=bytes(job.payload),
            source=str(options.get("source", DEFAULT_SOURCE)),
            ignore_unknown_columns=bool(options.get("ignore_unknown_columns", False)),
            deactivate_missing=bool(options.get("deactivate_missing", False)),
        )


def _import_job_task(job_id: int) -> None:
    import_job_execute(job_id=job_id)


#: The upload's import as a Celery task (registered for the worker by `sagstilsyn.cases.tasks`).
import_job_task = app.task(name="sagstilsyn.cases.import_job_run")(_import_job_task)


def import_jobs_fail_dead(
    *, municipality: Municipality | None = None, job_ids: Iterable[int] | None = None
) -> int:
    """Mark every running job whose worker has died as failed, with the Danish WORKER_LOST message and an
    audit event (``import.worker_lost``); the number marked. Nothing of such a job was written: its
    import was one transaction, rolled back when its process died. Jobs still waiting in the queue are
    left alone."""
    running = ImportJob.objects.filter(status=ImportJobStatus.RUNNING).exclude(worker="")
    if municipality is not None:
        running = running.filter(municipality=municipality)
    if job_ids is not None:
        running = running.filter(pk__in=list(job_ids))
    marked = 0
    for job in running.select_related("municipality"):
        started = job.started_at or job.created_at
        check = WorkerCheck(
            worker=job.worker,
            last_beat=heartbeat_last(kind=HEARTBEAT_KIND, job_id=job.pk),
            started=started.timestamp(),
        )
        if not worker_gone(check):
            continue
        with transaction.atomic():
            updated = ImportJob.objects.filter(
                pk=job.pk, status=ImportJobStatus.RUNNING, worker=job.worker
            ).update(
                status=ImportJobStatus.FAILED,
                errors=[[0, "", "", WORKER_LOST]],
                finished_at=timezone.now(),
                payload=b"",
            )
            if not updated:
                continue
            audit_record(
                actor=None,
                action="import.worker_lost",
                municipality=job.municipality,
                target_type="import_job",
                target_id=job.pk,
                target_label=job.filename,
                after={"status": ImportJobStatus.FAILED, "worker": job.worker},
            )
        cache.delete(_progress_key(job.pk))
        logger.warning("Indlæsning %s er markeret som fejlet: arbejdsprocessen %s er væk", job.pk, job.worker)
        marked += 1
    return marked


def import_job_run(
    *,
    job: ImportJob,
    data: bytes,
    source: str = DEFAULT_SOURCE,
    ignore_unknown_columns: bool = False,
    deactivate_missing: bool = False,
) -> ImportJob:
    """Run the import of `job` to the end and store how it went: the events, organisation or staff
    file (by the job's kind), always into the job's own municipality."""
    key = _progress_key(job.pk)

    def progress(done: int, total: int) -> None:
        cache.set(key, (done, total), timeout=3600)

    try:
        result: OrganisationResult | StaffResult | EventsResult
        if job.kind == ImportKind.ORGANISATION:
            result = import_organisation_file(
                data=data,
                filename=job.filename,
                municipality=job.municipality,
                actor=job.created_by,
                dry_run=job.dry_run,
                ignore_unknown_columns=ignore_unknown_columns,
                progress=progress,
            )
        elif job.kind == ImportKind.STAFF:
            result = import_staff_file(
                data=data,
                filename=job.filename,
                municipality=job.municipality,
                actor=job.created_by,
                dry_run=job.dry_run,
                deactivate_missing=deactivate_missing,
                ignore_unknown_columns=ignore_unknown_columns,
                progress=progress,
            )
        else:
            result = import_events_file(
                data=data,
                municipality=job.municipality,
                filename=job.filename,
                source=source,
                actor=job.created_by,
                dry_run=job.dry_run,
                ignore_unknown_columns=ignore_unknown_columns,
                progress=progress,
            )
    except ImportRejected as rejected:
        job.status = ImportJobStatus.REJECTED
        job.errors = [[e.row, e.column, e.value, e.message] for e in rejected.errors]
    except Exception:
        logger.exception("Indlæsning %s fejlede uventet", job.pk)
        job.status = ImportJobStatus.FAILED
        job.errors = [[0, "", "", UNEXPECTED]]
    else:
        job.status = ImportJobStatus.DONE
        job.result = asdict(result)
    job.finished_at = timezone.now()
    job.payload = b""
    _save_outcome(job)
    cache.delete(key)
    return job


def _save_outcome(job: ImportJob, *, attempts: int = 50, pause: float = 0.1) -> None:
    """Store how the job ended, waiting out a moment's lock (SQLite locks a table while a page reads it)."""
    for attempt in range(attempts):
        try:
            job.save(update_fields=["status", "errors", "result", "finished_at", "payload"])
            return
        except OperationalError as error:
            if "locked" not in str(error) or attempt == attempts - 1:
                raise
            time.sleep(pause)
