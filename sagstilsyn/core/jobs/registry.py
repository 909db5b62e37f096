"""The planlagte job (scheduled jobs): each job's name, Danish title, schedule and the service it runs.

Every job runs once per municipality: its callable gets the municipality in its context and calls its
service for that municipality only, so the municipalities' runs stay strictly apart (ADR 0006).

A schedule has slots: a daily job has one slot per day (the slot is that day), a weekly job one per ISO
week (the slot is the week's Monday). A slot starts at the job's local time in Europe/Copenhagen; its
"current slot" at a moment is the latest slot that has started. The slot arithmetic is pure Python;
the jobs' callables import the services they call only when they run.

- ``obligations_mark_overdue`` (Overskredne frister), daily at 02:00: open obligations whose deadline
  has passed become overdue, judged at the moment the job runs (the law core's `deadline_passed`).
- ``digest_weekly`` (Ugens fristmail), Mondays at 06:00: one mail per leader with the week's deadlines.
"""

from __future__ import annotations

import os
from collections.abc import Callable
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


def _mark_overdue(context: JobContext) -> JobResult:
    from sagstilsyn.cases.services.obligations import obligations_mark_overdue

    day = today_local(context.now)
    changed = obligations_mark_overdue(as_of=context.now, municipality=context.municipality)
    words = (
        "forpligtelse markeret som overskredet" if changed == 1 else "forpligtelser markeret som overskredne"
    )
    return JobResult(count=changed, summary=f"{changed} {words} pr. {day_label(day)}")


def _digest_weekly(context: JobContext) -> JobResult:
    from sagstilsyn.cases.followup.digest import digest_weekly_send

    result = digest_weekly_send(
        week_start=context.slot,
        municipality=context.municipality,
        now=context.now,
        base_url=os.environ.get("SAGSTILSYN_BASE_URL", "http://127.0.0.1:8000"),
    )
    summary = f"{result.sent} {'mail' if result.sent == 1 else 'mails'} sendt"
    if result.skipped_no_email:
        skipped = len(result.skipped_no_email)
        summary += f"; {skipped} {'leder' if skipped == 1 else 'ledere'} uden e-mailadresse"
    return JobResult(count=result.sent, summary=summary)


JOBS: tuple[Job, ...] = (
    Job(
        name="obligations_mark_overdue",
        title="Overskredne frister",
        description="Åbne forpligtelser, hvis frist er passeret, markeres som overskredne.",
        schedule=Schedule(at=time(2, 0)),
        run=_mark_overdue,
    ),
    Job(
        name="digest_weekly",
        title="Ugens fristmail",
        description="Hver leder får en mail med sine enheders overskredne frister og ugens frister.",
        schedule=Schedule(at=time(6, 0), weekday=0),
        run=_digest_weekly,
    ),
)


def job_get(name: str, jobs: tuple[Job, ...] = JOBS) -> Job | None:
    return next((job for job in jobs if job.name == name), None)
