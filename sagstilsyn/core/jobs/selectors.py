"""Reads about the planlagte job (scheduled jobs) and their kørsler (runs): the overview for the
administrator's page and `sagstilsyn jobs list`, the latest runs, and the run history for Excel.

Runs are kept per municipality. The page's reads take the user's scope and show an administrator only
their own municipality's runs; `jobs_overview_by_municipality` is the installation's view for the
command line (the operator, not a municipality's user). Runs hold counts and Danish summaries only (no
child, case or CPR number); error texts are stored with CPR numbers masked.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import QuerySet
from django.utils import timezone

from sagstilsyn.core.access import Scope, can_view_jobs
from sagstilsyn.core.jobs.registry import Job, job_get, jobs_registered
from sagstilsyn.core.models import JobOutcome, JobRun, Municipality

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
    job = job_get(run.job, jobs)
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


@dataclass(frozen=True)
class MunicipalityJobs:
    """One municipality's planlagte job, for `sagstilsyn jobs list`."""

    municipality: Municipality
    jobs: list[JobRow]


def _visible_runs(scope: Scope) -> QuerySet[JobRun]:
    """The runs `scope` may see: its own municipality's, and only for an administrator."""
    if not can_view_jobs(scope) or scope.municipality_id is None:
        return JobRun.objects.none()
    return JobRun.objects.filter(municipality_id=scope.municipality_id)


def _overview(runs: QuerySet[JobRun], *, now: datetime | None, jobs: tuple[Job, ...] | None) -> list[JobRow]:
    moment = now or timezone.now()
    rows = []
    for job in jobs_registered() if jobs is None else jobs:
        latest = runs.filter(job=job.name).order_by("-slot").first()
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


def jobs_overview(
    *, scope: Scope, now: datetime | None = None, jobs: tuple[Job, ...] | None = None
) -> list[JobRow]:
    """Every job in registry order with the latest run of the scope's municipality and the next slot's
    start (Danish time). Another municipality's runs never count; a user who may not see the jobs
    gets no rows."""
    if not can_view_jobs(scope) or scope.municipality_id is None:
        return []
    return _overview(_visible_runs(scope), now=now, jobs=jobs)


def jobs_overview_by_municipality(
    *, now: datetime | None = None, jobs: tuple[Job, ...] | None = None
) -> list[MunicipalityJobs]:
    """The overview for every municipality of the installation, by code (for the command line)."""
    return [
        MunicipalityJobs(
            municipality=municipality,
            jobs=_overview(JobRun.objects.filter(municipality=municipality), now=now, jobs=jobs),
        )
        for municipality in Municipality.objects.order_by("code")
    ]


def job_runs_recent(
    *, scope: Scope, limit: int = RECENT_RUNS, jobs: tuple[Job, ...] | None = None
) -> list[RunRow]:
    """The latest runs of the scope's municipality, newest first."""
    return [_run_row(run, jobs) for run in _visible_runs(scope).order_by("-started_at", "-id")[:limit]]


def job_runs_export_rows(*, scope: Scope, jobs: tuple[Job, ...] | None = None) -> Iterator[list[object]]:
    """Every run of the scope's municipality, newest first, as rows under EXPORT_HEADERS (times in
    Danish time)."""
    for run in _visible_runs(scope).order_by("-started_at", "-id").iterator():
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
