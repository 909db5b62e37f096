"""Reads about the planlagte job (scheduled jobs) and their kørsler (runs): the overview for the
administrator's page and `sagstilsyn jobs list`, the latest runs, and the run history for Excel.

Runs hold counts and Danish summaries only (no child, case or CPR number); error texts are stored with
CPR numbers masked.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime

from django.utils import timezone

from sagstilsyn.core.jobs.registry import JOBS, Job, job_get
from sagstilsyn.core.models import JobOutcome, JobRun

RECENT_RUNS = 50
EXPORT_HEADERS = (
    "Job",
    "Job-id",
    "Planlagt til",
    "Tidsrum",
    "Startet",
    "Afsluttet",
    "Udfald",
    "Forsøg",
    "Antal",
    "Resultat",
    "Fejl",
)


@dataclass(frozen=True)
class RunRow:
    """One kørsel, with the job's Danish title and the slot in words."""

    job_name: str
    title: str
    slot: date
    slot_label: str
    started_at: datetime
    finished_at: datetime | None
    outcome: str
    outcome_label: str
    attempts: int
    count: int | None
    summary: str
    error: str

    @property
    def failed(self) -> bool:
        return self.outcome == JobOutcome.FAILED


@dataclass(frozen=True)
class JobRow:
    """One planlagt job: its schedule, its latest run, whether its current slot has run, and the next."""

    job: Job
    schedule_label: str
    last_run: RunRow | None
    current_slot: date
    current_slot_label: str
    current_slot_done: bool
    next_start: datetime


def _run_row(run: JobRun, jobs: tuple[Job, ...] | None) -> RunRow:
    job = job_get(run.job, JOBS if jobs is None else jobs)
    return RunRow(
        job_name=run.job,
        title=job.title if job else run.job,
        slot=run.slot,
        slot_label=job.schedule.slot_label(run.slot) if job else run.slot.isoformat(),
        started_at=timezone.localtime(run.started_at),
        finished_at=timezone.localtime(run.finished_at) if run.finished_at else None,
        outcome=run.outcome,
        outcome_label=str(run.get_outcome_display()),
        attempts=run.attempts,
        count=run.count,
        summary=run.summary,
        error=run.error,
    )


def jobs_overview(*, now: datetime | None = None, jobs: tuple[Job, ...] | None = None) -> list[JobRow]:
    """Every job in registry order with its latest run and its next slot's start (Danish time)."""
    moment = now or timezone.now()
    rows = []
    for job in JOBS if jobs is None else jobs:
        latest = JobRun.objects.filter(job=job.name).order_by("-slot").first()
        slot = job.schedule.current_slot(moment)
        done = latest is not None and latest.slot >= slot and latest.outcome == JobOutcome.OK
        rows.append(
            JobRow(
                job=job,
                schedule_label=job.schedule.label,
                last_run=_run_row(latest, jobs) if latest else None,
                current_slot=slot,
                current_slot_label=job.schedule.slot_label(slot),
                current_slot_done=done,
                next_start=timezone.localtime(job.schedule.next_start(moment)),
            )
        )
    return rows


def job_runs_recent(*, limit: int = RECENT_RUNS, jobs: tuple[Job, ...] | None = None) -> list[RunRow]:
    """The latest runs, newest first."""
    return [_run_row(run, jobs) for run in JobRun.objects.order_by("-started_at", "-id")[:limit]]


def job_runs_export_rows(*, jobs: tuple[Job, ...] | None = None) -> Iterator[list[object]]:
    """Every run, newest first, as rows under EXPORT_HEADERS (times in Danish time)."""
    for run in JobRun.objects.order_by("-started_at", "-id").iterator():
        row = _run_row(run, jobs)
        yield [
            row.title,
            row.job_name,
            row.slot,
            row.slot_label,
            row.started_at,
            row.finished_at,
            row.outcome_label,
            row.attempts,
            row.count,
            row.summary,
            row.error,
        ]
