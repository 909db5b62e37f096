"""Run the planlagte job (scheduled jobs) that are due: `jobs_run_due`, called by `sagstilsyn jobs run-due`.

Rules (ADR 0006):

- Each job runs at most once per slot. A run claims its slot by inserting the JobRun row (job, slot) in
  its own short transaction; the unique constraint makes a second process's insert fail with
  IntegrityError, and that process skips the job.
- Catch-up: only a job's current slot (the latest that has started) is considered, so after a machine
  was off the missed slots are not run one by one; the latest runs once.
- A job runs in its own transaction, so a failure leaves none of its writes behind. The failure is
  recorded on the row (outcome failed, error text with CPR numbers masked) and the other jobs still run.
- A failed slot is retried on the next call, up to MAX_ATTEMPTS runs in all. A run still marked as
  running after STALE_AFTER (its process was killed) counts as failed and may be retried the same way.
- Every run writes one audit event (`jobs.run`), besides the events the job's own service writes.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone

from sagstilsyn.core.cpr import redact
from sagstilsyn.core.jobs.registry import JOBS, Job, JobContext
from sagstilsyn.core.models import JobOutcome, JobRun
from sagstilsyn.core.services.audit import audit_record

logger = logging.getLogger(__name__)

#: How many times one slot is run in all before it is left as failed (the next slot runs as usual).
MAX_ATTEMPTS = 3
#: A run still "running" after this long belongs to a process that died; its slot may be run again.
STALE_AFTER = timedelta(hours=2)
ERROR_MAX_CHARS = 2000
SUMMARY_MAX_CHARS = 300


@dataclass(frozen=True)
class DueRun:
    """One job run by `jobs_run_due`: the job and its finished JobRun row."""

    job: Job
    run: JobRun

    @property
    def ok(self) -> bool:
        return self.run.outcome == JobOutcome.OK


def _claim(*, job: Job, slot: date) -> JobRun | None:
    """Claim the slot for this process: insert its row, or take over a failed (or dead) run of it."""
    started = timezone.now()
    try:
        with transaction.atomic():
            return JobRun.objects.create(job=job.name, slot=slot, started_at=started)
    except IntegrityError:
        pass  # another process has run the slot, or is running it
    retryable = Q(outcome=JobOutcome.FAILED) | Q(
        outcome=JobOutcome.RUNNING, started_at__lt=started - STALE_AFTER
    )
    claimed = JobRun.objects.filter(retryable, job=job.name, slot=slot, attempts__lt=MAX_ATTEMPTS).update(
        outcome=JobOutcome.RUNNING,
        attempts=F("attempts") + 1,
        started_at=started,
        finished_at=None,
        error="",
    )
    if not claimed:
        return None
    return JobRun.objects.get(job=job.name, slot=slot)


def _error_text(error: BaseException) -> str:
    text = f"{type(error).__name__}: {error}" if str(error) else type(error).__name__
    if isinstance(error, KeyboardInterrupt):
        text = "Kørslen blev afbrudt."
    return redact(text)[:ERROR_MAX_CHARS]


def _finish(*, job: Job, run: JobRun, count: int | None, summary: str, error: str) -> None:
    run.finished_at = timezone.now()
    run.outcome = JobOutcome.FAILED if error else JobOutcome.OK
    run.count = count
    run.summary = redact(summary)[:SUMMARY_MAX_CHARS]
    run.error = error
    with transaction.atomic():
        run.save(update_fields=["finished_at", "outcome", "count", "summary", "error"])
        audit_record(
            actor=None,
            action="jobs.run",
            target_type="job",
            target_id=job.name,
            target_label=f"{job.title}, {job.schedule.slot_label(run.slot)}",
            after={
                "job": job.name,
                "slot": run.slot.isoformat(),
                "outcome": run.outcome,
                "attempt": run.attempts,
                "count": count,
                "summary": run.summary,
                "error": error,
            },
        )


def job_run(*, job: Job, slot: date, now: datetime) -> JobRun | None:
    """Run `job` for `slot` unless the slot is taken; returns the finished row, or None when skipped.

    A KeyboardInterrupt (Ctrl-C) during the job is recorded as a failed run and raised again.
    """
    run = _claim(job=job, slot=slot)
    if run is None:
        return None
    try:
        with transaction.atomic():
            result = job.run(JobContext(slot=slot, now=now))
    except BaseException as error:
        logger.exception("Det planlagte job %s (%s) fejlede", job.name, slot.isoformat())
        _finish(job=job, run=run, count=None, summary="Kørslen fejlede", error=_error_text(error))
        if not isinstance(error, Exception):
            raise
        return run
    _finish(job=job, run=run, count=result.count, summary=result.summary, error="")
    return run


def jobs_run_due(
    *,
    now: datetime | None = None,
    jobs: tuple[Job, ...] | None = None,
    on_start: Callable[[Job, date], None] | None = None,
    on_done: Callable[[DueRun], None] | None = None,
) -> list[DueRun]:
    """Run every job whose current slot has not run yet (each once, in registry order).

    `now` (aware; default the clock) decides which slots are due; `jobs` defaults to the registry's.
    `on_start` is told before a job runs and `on_done` after it. Returns the runs made, failed ones
    included; jobs skipped because their slot was done (or taken by another process) are left out.
    """
    moment = now or timezone.now()
    done: list[DueRun] = []
    for job in JOBS if jobs is None else jobs:
        slot = job.schedule.current_slot(moment)
        if _slot_settled(job=job, slot=slot):
            continue
        if on_start is not None:
            on_start(job, slot)
        run = job_run(job=job, slot=slot, now=moment)
        if run is not None:
            done.append(DueRun(job=job, run=run))
            if on_done is not None:
                on_done(done[-1])
    return done


def _slot_settled(*, job: Job, slot: date) -> bool:
    """True when the slot needs no run: done, running in another process, or out of attempts.

    Only a shortcut that keeps `on_start` quiet; the claim in `_claim` is what guarantees one run.
    """
    run = JobRun.objects.filter(job=job.name, slot=slot).first()
    if run is None:
        return False
    if run.attempts >= MAX_ATTEMPTS or run.outcome == JobOutcome.OK:
        return True
    if run.outcome == JobOutcome.RUNNING:
        return run.started_at >= timezone.now() - STALE_AFTER
    return False
