"""Run the planlagte job (scheduled jobs) that are due: `jobs_run_due`, called by `sagstilsyn jobs run-due`.

Rules (ADR 0006):

- Each job runs once per municipality: several municipalities in one installation are kept strictly
  apart, each with its own run, transaction, retries and audit event.
- Each job runs at most once per municipality and slot. A run claims its slot by inserting the JobRun
  row (job, municipality, slot) in its own short transaction; the unique constraint makes a second
  process's insert fail with IntegrityError, and that process skips the run.
- Catch-up: only a job's current slot (the latest that has started) is considered, so after a machine
  was off the missed slots are not run one by one; the latest runs once.
- A run is one transaction, so a failure leaves none of its writes behind. The failure is recorded on
  the row (outcome failed, error text with CPR numbers masked), and the other municipalities and jobs
  still run.
- A failed run is retried on the next call, up to MAX_ATTEMPTS runs in all, for its municipality only.
  A run still marked as running after STALE_AFTER (its process was killed) counts as failed and may be
  retried the same way.
- A run records the process that runs it (`worker`, ``host:pid``). A running run whose process no longer
  exists on this machine (killed, crashed) is marked failed by `job_runs_fail_dead` (a sweep of the
  queue, ADR 0015: at each `jobs run-due`, a worker's start and every minute in a worker), and is then
  retried like any failed run.
- Every run writes one audit event (`jobs.run`, with its municipality), besides the events the job's
  own service writes.
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
from sagstilsyn.core.jobs.registry import Job, JobContext, jobs_registered
from sagstilsyn.core.models import JobOutcome, JobRun, Municipality
from sagstilsyn.core.queue.workers import WorkerCheck, worker_gone, worker_identity
from sagstilsyn.core.services.audit import audit_record

logger = logging.getLogger(__name__)

#: How many times one slot is run in all before it is left as failed (the next slot runs as usual).
MAX_ATTEMPTS = 3
#: A run still "running" after this long belongs to a process that died; its slot may be run again.
STALE_AFTER = timedelta(hours=2)
ERROR_MAX_CHARS = 2000
WORKER_LOST = (
    "Arbejdsprocessen stoppede undervejs (fx ved en genstart eller et nedbrud); intet af kørslen er gemt. "
    "Den prøves igen ved næste kald."
)
SUMMARY_MAX_CHARS = 300


@dataclass(frozen=True)
class DueRun:
    """One run made by `jobs_run_due`: the job, the municipality it ran for and its finished JobRun row."""

    job: Job
    municipality: Municipality
    run: JobRun

    @property
    def ok(self) -> bool:
        return self.run.outcome == JobOutcome.OK


def _claim(*, job: Job, municipality: Municipality, slot: date) -> JobRun | None:
    """Claim the municipality's slot for this process: insert its row, or take over a failed (or dead)
    run of it."""
    started = timezone.now()
    try:
        with transaction.atomic():
            return JobRun.objects.create(
                job=job.name,
                municipality=municipality,
                slot=slot,
                started_at=started,
                worker=worker_identity(),
            )
    except IntegrityError:
        pass  # another process has run the slot, or is running it
    retryable = Q(outcome=JobOutcome.FAILED) | Q(
        outcome=JobOutcome.RUNNING, started_at__lt=started - STALE_AFTER
    )
    claimed = JobRun.objects.filter(
        retryable, job=job.name, municipality=municipality, slot=slot, attempts__lt=MAX_ATTEMPTS
    ).update(
        outcome=JobOutcome.RUNNING,
        attempts=F("attempts") + 1,
        started_at=started,
        finished_at=None,
        error="",
        worker=worker_identity(),
    )
    if not claimed:
        return None
    return JobRun.objects.get(job=job.name, municipality=municipality, slot=slot)


def _error_text(error: BaseException) -> str:
    text = f"{type(error).__name__}: {error}" if str(error) else type(error).__name__
    if isinstance(error, KeyboardInterrupt):
        text = "Kørslen blev afbrudt."
    return redact(text)[:ERROR_MAX_CHARS]


def _finish(
    *, job: Job, municipality: Municipality, run: JobRun, count: int | None, summary: str, error: str
) -> None:
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
            municipality=municipality,
            target_type="job",
            target_id=job.name,
            target_label=f"{job.title}, {job.schedule.slot_label(run.slot)}",
            after={
                "job": job.name,
                "municipality": municipality.code,
                "slot": run.slot.isoformat(),
                "outcome": run.outcome,
                "attempt": run.attempts,
                "count": count,
                "summary": run.summary,
                "error": error,
            },
        )


def job_run(*, job: Job, municipality: Municipality, slot: date, now: datetime) -> JobRun | None:
    """Run `job` for `municipality` and `slot` unless that slot is taken; returns the finished row, or
    None when skipped.

    A KeyboardInterrupt (Ctrl-C) during the job is recorded as a failed run and raised again.
    """
    run = _claim(job=job, municipality=municipality, slot=slot)
    if run is None:
        return None
    try:
        with transaction.atomic():
            result = job.run(JobContext(municipality=municipality, slot=slot, now=now))
    except BaseException as error:
        logger.exception(
            "Det planlagte job %s (%s, kommune %s) fejlede", job.name, slot.isoformat(), municipality.code
        )
        _finish(
            job=job,
            municipality=municipality,
            run=run,
            count=None,
            summary="Kørslen fejlede",
            error=_error_text(error),
        )
        if not isinstance(error, Exception):
            raise
        return run
    _finish(job=job, municipality=municipality, run=run, count=result.count, summary=result.summary, error="")
    return run


def jobs_run_due(
    *,
    now: datetime | None = None,
    jobs: tuple[Job, ...] | None = None,
    on_start: Callable[[Job, Municipality, date], None] | None = None,
    on_done: Callable[[DueRun], None] | None = None,
) -> list[DueRun]:
    """Run every job whose current slot has not run yet, once for each municipality (jobs in registry
    order, municipalities by code), each run on its own.

    `now` (aware; default the clock) decides which slots are due; `jobs` defaults to the registry's.
    `on_start` is told before a run and `on_done` after it. Returns the runs made, failed ones included;
    runs skipped because their slot was done (or taken by another process) are left out.
    """
    moment = now or timezone.now()
    municipalities = list(Municipality.objects.order_by("code"))
    done: list[DueRun] = []
    for job in jobs_registered() if jobs is None else jobs:
        slot = job.schedule.current_slot(moment)
        settled = _settled_municipalities(job=job, slot=slot)
        for municipality in municipalities:
            if municipality.pk in settled:
                continue
            if on_start is not None:
                on_start(job, municipality, slot)
            run = job_run(job=job, municipality=municipality, slot=slot, now=moment)
            if run is not None:
                done.append(DueRun(job=job, municipality=municipality, run=run))
                if on_done is not None:
                    on_done(done[-1])
    return done


def _settled_municipalities(*, job: Job, slot: date) -> set[int]:
    """The municipalities whose run of the slot needs nothing: done, running in another process, or out
    of attempts.

    Only a shortcut that keeps `on_start` quiet; the claim in `_claim` is what guarantees one run.
    """
    stale = timezone.now() - STALE_AFTER
    settled = set()
    for run in JobRun.objects.filter(job=job.name, slot=slot):
        if (
            run.attempts >= MAX_ATTEMPTS
            or run.outcome == JobOutcome.OK
            or (run.outcome == JobOutcome.RUNNING and run.started_at >= stale)
        ):
            settled.add(run.municipality_id)
    return settled


def job_runs_fail_dead() -> int:
    """Mark every running run whose process has died on this machine as failed (WORKER_LOST, with an audit
    event ``jobs.worker_lost``), so the next call retries it; the number marked. Its work was one
    transaction, rolled back with the process. Runs have no heartbeat: a run of another machine's process
    is left to STALE_AFTER."""
    marked = 0
    for run in (
        JobRun.objects.filter(outcome=JobOutcome.RUNNING).exclude(worker="").select_related("municipality")
    ):
        check = WorkerCheck(worker=run.worker, last_beat=None, started=run.started_at.timestamp())
        if not worker_gone(check, shared_cache=False):
            continue
        with transaction.atomic():
            updated = JobRun.objects.filter(pk=run.pk, outcome=JobOutcome.RUNNING, worker=run.worker).update(
                outcome=JobOutcome.FAILED,
                finished_at=timezone.now(),
                summary="Kørslen fejlede",
                error=WORKER_LOST,
            )
            if not updated:
                continue
            audit_record(
                actor=None,
                action="jobs.worker_lost",
                municipality=run.municipality,
                target_type="job",
                target_id=run.job,
                target_label=run.slot.isoformat(),
                after={
                    "job": run.job,
                    "slot": run.slot.isoformat(),
                    "attempt": run.attempts,
                    "worker": run.worker,
                },
            )
        marked += 1
    return marked
