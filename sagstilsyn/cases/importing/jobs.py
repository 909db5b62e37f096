"""Import jobs (indlæsninger) started from the upload page, with progress for a progress bar.

The import itself is `import_events_file`: all or nothing, in one transaction. Because that transaction
hides intermediate rows from other connections, progress is kept in the cache, keyed by the job, and
the page polls it. The job row records how it ended, the counts and the Danish errors (CPR masked).
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import asdict

from django.conf import settings
from django.core.cache import cache
from django.db import OperationalError, connections
from django.utils import timezone

from sagstilsyn.cases.importing.errors import ImportRejected
from sagstilsyn.cases.importing.services import DEFAULT_SOURCE, import_events_file
from sagstilsyn.cases.models import ImportJob, ImportJobStatus
from sagstilsyn.core.cpr import redact
from sagstilsyn.core.models import Municipality, User
from sagstilsyn.core.services.audit import audit_record

logger = logging.getLogger(__name__)
UNEXPECTED = "Uventet fejl under indlæsningen; intet er indlæst. Kontakt en administrator."


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
) -> ImportJob:
    """Register the job and run the import: in a background thread, or inline when so configured."""
    job = ImportJob.objects.create(
        municipality=municipality,
        created_by=actor,
        kind="events",
        filename=redact(filename)[:255],
        dry_run=dry_run,
        status=ImportJobStatus.RUNNING,
        created_at=timezone.now(),
    )
    audit_record(
        actor=actor,
        action="import.start",
        municipality=municipality,
        target_type="import_job",
        target_id=job.pk,
        target_label=job.filename,
        after={"source": redact(source), "dry_run": dry_run, "bytes": len(data)},
    )
    if settings.IMPORT_INLINE:
        return import_job_run(
            job=job, data=data, source=source, ignore_unknown_columns=ignore_unknown_columns
        )
    options = {"source": source, "ignore_unknown_columns": ignore_unknown_columns}
    thread = threading.Thread(
        target=_run_in_thread, kwargs={"job_id": job.pk, "data": data, **options}, daemon=True
    )
    thread.start()
    return job


def _run_in_thread(*, job_id: int, data: bytes, source: str, ignore_unknown_columns: bool) -> None:
    try:
        job = ImportJob.objects.select_related("municipality", "created_by").get(pk=job_id)
        import_job_run(job=job, data=data, source=source, ignore_unknown_columns=ignore_unknown_columns)
    finally:
        connections.close_all()


def import_job_run(
    *, job: ImportJob, data: bytes, source: str = DEFAULT_SOURCE, ignore_unknown_columns: bool = False
) -> ImportJob:
    """Run the import of `job` to the end and store how it went."""
    key = _progress_key(job.pk)

    def progress(done: int, total: int) -> None:
        cache.set(key, (done, total), timeout=3600)

    try:
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
    _save_outcome(job)
    cache.delete(key)
    return job


def _save_outcome(job: ImportJob, *, attempts: int = 50, pause: float = 0.1) -> None:
    """Store how the job ended, waiting out a moment's lock (SQLite locks a table while a page reads it)."""
    for attempt in range(attempts):
        try:
            job.save(update_fields=["status", "errors", "result", "finished_at"])
            return
        except OperationalError as error:
            if "locked" not in str(error) or attempt == attempts - 1:
                raise
            time.sleep(pause)
