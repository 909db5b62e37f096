"""The schedules of the planlagte job: which slot is current at a moment, when the next one starts, across
the DST changes and the year boundary of ISO weeks. Pure Python, no database."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from sagstilsyn.cases.jobs import JOBS as CASES_JOBS
from sagstilsyn.core.jobs.chain import AUDIT_CHAIN_JOB
from sagstilsyn.core.jobs.registry import (
    Job,
    JobContext,
    JobRegistry,
    JobResult,
    Schedule,
    job_get,
    jobs_registered,
)
from sagstilsyn.reviews.jobs import JOBS as REVIEWS_JOBS

CPH = ZoneInfo("Europe/Copenhagen")
DAILY = Schedule(at=time(2, 0))
WEEKLY = Schedule(at=time(6, 0), weekday=0)


def local(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=CPH)


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


def test_core_and_the_apps_register_their_jobs_with_their_schedules() -> None:
    assert [job.name for job in jobs_registered()] == [
        "audit_chain_verify",
        "obligations_mark_overdue",
        "digest_weekly",
        "supervision_start",
    ]
    assert jobs_registered() == (AUDIT_CHAIN_JOB, *CASES_JOBS, *REVIEWS_JOBS)
    assert AUDIT_CHAIN_JOB.schedule.label == "dagligt kl. 03:00"
    overdue, digest = job_get("obligations_mark_overdue"), job_get("digest_weekly")
    assert overdue is not None
    assert digest is not None
    assert overdue.schedule == DAILY
    assert overdue.schedule.label == "dagligt kl. 02:00"
    assert digest.schedule == WEEKLY
    assert digest.schedule.label == "hver mandag kl. 06:00"
    assert job_get("unknown") is None


def _nothing(context: JobContext) -> JobResult:
    return JobResult(count=0, summary="")


def test_registering_a_job_again_changes_nothing_but_a_second_job_under_its_name_is_refused() -> None:
    job = Job("nothing", "Intet", "", DAILY, _nothing)
    registry = JobRegistry([job])
    registry.register(job)  # an app's ready() run twice
    assert registry.all() == (job,)
    with pytest.raises(ValueError, match="'nothing'"):
        registry.register(Job("nothing", "Noget andet", "", WEEKLY, _nothing))
    assert registry.get("nothing") is job


@pytest.mark.parametrize(
    ("now", "slot"),
    [
        (local(2025, 1, 6, 1, 59), date(2025, 1, 5)),
        (local(2025, 1, 6, 2, 0), date(2025, 1, 6)),
        (local(2025, 1, 6, 23, 59), date(2025, 1, 6)),
        (local(2025, 1, 1, 0, 30), date(2024, 12, 31)),  # the year boundary
        (utc(2025, 1, 6, 1, 0), date(2025, 1, 6)),  # 02:00 in winter is 01:00 UTC
        (utc(2025, 1, 6, 0, 59), date(2025, 1, 5)),
        (utc(2025, 7, 1, 0, 0), date(2025, 7, 1)),  # 02:00 in summer is 00:00 UTC
        (utc(2025, 6, 30, 23, 59), date(2025, 6, 30)),
    ],
)
def test_daily_slot_is_the_day_once_its_time_has_come(now: datetime, slot: date) -> None:
    assert DAILY.current_slot(now) == slot


def test_daily_slot_on_the_spring_dst_day_starts_when_the_clock_jumps() -> None:
    # 30 March 2025: 02:00 winter time becomes 03:00 summer time, so 02:00 never happens.
    start = DAILY.slot_start(date(2025, 3, 30))
    assert start == utc(2025, 3, 30, 1, 0)
    assert start.astimezone(CPH).time() == time(3, 0)
    assert DAILY.current_slot(local(2025, 3, 30, 1, 59)) == date(2025, 3, 29)
    assert DAILY.current_slot(utc(2025, 3, 30, 1, 0)) == date(2025, 3, 30)
    assert DAILY.next_start(local(2025, 3, 29, 12, 0)) == start
    # The day after is an ordinary 02:00 summer time: 23 hours after the jump.
    assert DAILY.slot_start(date(2025, 3, 31)) == utc(2025, 3, 31, 0, 0)
    assert DAILY.slot_start(date(2025, 3, 31)) - start == timedelta(hours=23)


def test_daily_slot_on_the_autumn_dst_day_starts_at_the_first_two_oclock() -> None:
    # 26 October 2025: 03:00 summer time becomes 02:00 winter time, so 02:00 happens twice.
    start = DAILY.slot_start(date(2025, 10, 26))
    assert start == utc(2025, 10, 26, 0, 0)
    assert DAILY.current_slot(utc(2025, 10, 25, 23, 59)) == date(2025, 10, 25)
    assert DAILY.current_slot(utc(2025, 10, 26, 0, 0)) == date(2025, 10, 26)
    assert DAILY.current_slot(utc(2025, 10, 26, 1, 30)) == date(2025, 10, 26)  # the second 02:30
    assert DAILY.slot_start(date(2025, 10, 27)) - start == timedelta(hours=25)
    assert DAILY.next_start(utc(2025, 10, 26, 1, 30)) == utc(2025, 10, 27, 1, 0)


@pytest.mark.parametrize(
    ("now", "slot", "label"),
    [
        (local(2025, 1, 6, 5, 59), date(2024, 12, 30), "uge 1, 2025"),  # ISO week 1 starts in 2024
        (local(2025, 1, 6, 6, 0), date(2025, 1, 6), "uge 2, 2025"),
        (local(2025, 1, 12, 23, 59), date(2025, 1, 6), "uge 2, 2025"),
        (local(2021, 1, 3, 12, 0), date(2020, 12, 28), "uge 53, 2020"),  # a 53-week year
        (local(2021, 1, 4, 6, 0), date(2021, 1, 4), "uge 1, 2021"),
        (local(2026, 1, 1, 9, 0), date(2025, 12, 29), "uge 1, 2026"),
        (local(2024, 12, 29, 23, 0), date(2024, 12, 23), "uge 52, 2024"),
    ],
)
def test_weekly_slot_is_the_iso_weeks_monday(now: datetime, slot: date, label: str) -> None:
    assert WEEKLY.current_slot(now) == slot
    assert WEEKLY.slot_label(slot) == label


def test_weekly_slot_keeps_six_oclock_danish_time_across_dst() -> None:
    assert WEEKLY.slot_start(date(2025, 3, 24)) == utc(2025, 3, 24, 5, 0)  # winter time
    assert WEEKLY.slot_start(date(2025, 3, 31)) == utc(2025, 3, 31, 4, 0)  # summer time
    assert WEEKLY.next_start(local(2025, 3, 30, 12, 0)) == local(2025, 3, 31, 6, 0)
    assert WEEKLY.next_start(local(2025, 10, 27, 6, 0)) == local(2025, 11, 3, 6, 0)


def test_a_weekly_job_on_another_weekday_keeps_monday_as_its_slot() -> None:
    wednesday = Schedule(at=time(6, 0), weekday=2)
    assert wednesday.label == "hver onsdag kl. 06:00"
    assert wednesday.current_slot(local(2025, 1, 7, 12, 0)) == date(2024, 12, 30)
    assert wednesday.current_slot(local(2025, 1, 8, 6, 0)) == date(2025, 1, 6)
    assert wednesday.slot_start(date(2025, 1, 6)) == local(2025, 1, 8, 6, 0)


def test_slot_labels_are_danish() -> None:
    assert DAILY.slot_label(date(2025, 1, 6)) == "6. januar 2025"
    assert DAILY.slot_label(date(2025, 5, 31)) == "31. maj 2025"
