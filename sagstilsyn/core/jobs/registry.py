"""The planlagte job (scheduled jobs): each job's name, Danish title, schedule and the callable it runs,
and the registry the apps fill from their `AppConfig.ready()` (`job_register`).

Core knows how to run a job, not which jobs there are: an app that owns a job's service registers the job
(the cases app registers ``obligations_mark_overdue`` and ``digest_weekly``, see `sagstilsyn.cases.jobs`),
so core never imports the apps above it. The registry keeps the order of registration, which is the order
of INSTALLED_APPS and within an app the order it registers its jobs in.

Every job runs once per municipality: its callable gets the municipality in its context and calls its
service for that municipality only, so the municipalities' runs stay strictly apart (ADR 0006).

A schedule has slots: a daily job has one slot per day (the slot is that day), a weekly job one per ISO
week (the slot is the week's Monday). A slot starts at the job's local time in Europe/Copenhagen; its
"current slot" at a moment is the latest slot that has started. The slot arithmetic is pure Python.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sagstilsyn.core.models import Municipality

from sagstilsyn.law.calendar import COPENHAGEN, WEEKDAYS, long_date, today_local


@dataclass(frozen=True)
class Schedule:
    """When a job runs: every day (`weekday` None) or on one weekday (0 = Monday), at a local time."""

    at: time
    weekday: int | None = None

    @property
    def step(self) -> timedelta:
        return timedelta(days=1 if self.weekday is None else 7)

    @property
    def label(self) -> str:
        """Danish, e.g. "dagligt kl. 02:00" or "mandag kl. 06:00"."""
        when = "dagligt" if self.weekday is None else f"hver {WEEKDAYS[self.weekday]}"
        return f"{when} kl. {self.at:%H:%M}"

    def slot_of(self, day: date) -> date:
        """The slot that `day` belongs to: the day itself, or the Monday of its ISO week."""
        if self.weekday is None:
            return day
        return day - timedelta(days=day.weekday())

    def slot_start(self, slot: date) -> datetime:
        """The moment the slot starts, in UTC (aware datetimes in one zone compare by wall time, so
        moments are compared in UTC). A local time skipped by the spring DST change counts as the moment
        after the change (02:00 on that Sunday is 03:00 summer time); a time that occurs twice in October
        counts at its first occurrence."""
        start = self.slot_of(slot) + timedelta(days=0 if self.weekday is None else self.weekday)
        return datetime.combine(start, self.at, tzinfo=COPENHAGEN).astimezone(UTC)

    def current_slot(self, now: datetime) -> date:
        """The latest slot that has started at `now` (an aware datetime)."""
        slot = self.slot_of(today_local(now))
        if self.slot_start(slot) > now.astimezone(UTC):
            slot -= self.step
        return slot

    def next_start(self, now: datetime) -> datetime:
        """The start of the first slot after the current one (UTC)."""
        return self.slot_start(self.current_slot(now) + self.step)

    def slot_label(self, slot: date) -> str:
        """Danish: "6. januar 2025" for a day, "uge 2, 2025" for a week."""
        if self.weekday is None:
            return day_label(slot)
        year, week, _ = slot.isocalendar()
        return f"uge {week}, {year}"


def day_label(day: date) -> str:
    """Danish, e.g. "30. november 2026"."""
    return long_date(day)


@dataclass(frozen=True)
class JobContext:
    """What a job is run for: its municipality, its slot and the moment of the run (aware)."""

    municipality: Municipality
    slot: date
    now: datetime


@dataclass(frozen=True)
class JobResult:
    """How a job went: a count and a short Danish summary (counts only, never personal data)."""

    count: int
    summary: str


@dataclass(frozen=True)
class Job:
    """A planlagt job: `name` is its identifier (stored on JobRun), `title` its Danish name."""

    name: str
    title: str
    description: str
    schedule: Schedule
    run: Callable[[JobContext], JobResult]


class JobRegistry:
    """The planlagte job by name, in the order they were registered."""

    def __init__(self, jobs: Iterable[Job] = ()) -> None:
        self._jobs: dict[str, Job] = {}
        for job in jobs:
            self.register(job)

    def register(self, job: Job) -> None:
        """Add `job`. Registering the same job again (an app's `ready()` run twice) changes nothing; another
        job under a name already taken is an error, since the name identifies its runs."""
        known = self._jobs.get(job.name)
        if known is not None and known != job:
            raise ValueError(f"Another job is already registered as {job.name!r}.")
        self._jobs[job.name] = job

    def get(self, name: str) -> Job | None:
        return self._jobs.get(name)

    def all(self) -> tuple[Job, ...]:
        return tuple(self._jobs.values())


#: The installation's jobs, filled by the apps' `AppConfig.ready()`.
REGISTRY = JobRegistry()


def job_register(job: Job) -> None:
    """Register a planlagt job (call it from the owning app's `AppConfig.ready()`)."""
    REGISTRY.register(job)


def jobs_registered() -> tuple[Job, ...]:
    """Every registered job, in the order of registration."""
    return REGISTRY.all()


def job_get(name: str, jobs: tuple[Job, ...] | None = None) -> Job | None:
    """The job named `name` among `jobs` (default: the registered ones), or None."""
    if jobs is None:
        return REGISTRY.get(name)
    return next((job for job in jobs if job.name == name), None)
