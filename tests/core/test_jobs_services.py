"""`jobs_run_due`: each due job runs once per municipality and slot, catch-up runs only the latest slot,
failures are recorded and isolated (per municipality too) and retried, and a slot claimed by another
process is skipped."""

from __future__ import annotations

import socket
import subprocess
import sys
import threading
import time as clock
from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.db import connection
from django.utils import timezone
from pytest_django.fixtures import Settings as SettingsWrapper

from sagstilsyn.cases.models import Obligation
from sagstilsyn.core.jobs.registry import Job, JobContext, JobResult, Schedule
from sagstilsyn.core.jobs.services import (
    MAX_ATTEMPTS,
    STALE_AFTER,
    WORKER_LOST,
    job_run,
    job_runs_fail_dead,
    jobs_run_due,
)
from sagstilsyn.core.models import AuditEvent, JobOutcome, JobRun, Municipality, Role
from sagstilsyn.core.queue.workers import worker_identity
from sagstilsyn.core.services.audit import audit_record
from tests.factories import case_of, event, make_municipality, make_staff, make_unit, recompute, record

pytestmark = pytest.mark.django_db

CPH = ZoneInfo("Europe/Copenhagen")
MONDAY = datetime(2025, 1, 6, 7, 0, tzinfo=CPH)  # after both the daily 02:00 and the weekly 06:00


@pytest.fixture(autouse=True)
def copenhagen() -> Municipality:
    """The one municipality of most tests; the jobs run once for each municipality there is."""
    return make_municipality()


class Recorder:
    """A job callable that remembers the slots (and municipalities) it ran for and can be told to fail,
    always or for one municipality code only."""

    def __init__(self, fail: BaseException | None = None, *, fail_for: str | None = None):
        self.slots: list[date] = []
        self.municipalities: list[str] = []
        self.fail = fail
        self.fail_for = fail_for

    def __call__(self, context: JobContext) -> JobResult:
        self.slots.append(context.slot)
        self.municipalities.append(context.municipality.code)
        if self.fail is not None and self.fail_for in (None, context.municipality.code):
            audit_record(actor=None, action="test.half_written")  # rolled back with the failure
            raise self.fail
        return JobResult(count=len(self.slots), summary=f"{len(self.slots)} ting gjort")


def daily(run: Callable[[JobContext], JobResult], name: str = "daily_test") -> Job:
    return Job(name=name, title="Dagligt testjob", description="", schedule=Schedule(at=time(2, 0)), run=run)


def weekly(run: Callable[[JobContext], JobResult], name: str = "weekly_test") -> Job:
    schedule = Schedule(at=time(6, 0), weekday=0)
    return Job(name=name, title="Ugentligt testjob", description="", schedule=schedule, run=run)


def test_each_due_job_runs_once_and_is_recorded() -> None:
    day, week = Recorder(), Recorder()
    jobs = (daily(day), weekly(week))

    done = jobs_run_due(now=MONDAY, jobs=jobs)

    assert [d.job.name for d in done] == ["daily_test", "weekly_test"]
    assert all(d.ok for d in done)
    assert day.slots == [date(2025, 1, 6)]
    assert week.slots == [date(2025, 1, 6)]
    run = JobRun.objects.get(job="daily_test")
    assert (run.slot, run.outcome, run.count, run.summary, run.error) == (
        date(2025, 1, 6),
        JobOutcome.OK,
        1,
        "1 ting gjort",
        "",
    )
    assert run.finished_at is not None
    assert run.finished_at >= run.started_at
    assert run.attempts == 1
    audits = AuditEvent.objects.filter(action="jobs.run").order_by("id")
    assert [(a.target_id, a.target_label, a.actor_label) for a in audits] == [
        ("daily_test", "Dagligt testjob, 6. januar 2025", "system"),
        ("weekly_test", "Ugentligt testjob, uge 2, 2025", "system"),
    ]
    assert audits[0].after is not None
    assert audits[0].after["outcome"] == "ok"


def test_a_second_call_does_nothing() -> None:
    day, week = Recorder(), Recorder()
    jobs = (daily(day), weekly(week))
    jobs_run_due(now=MONDAY, jobs=jobs)
    started: list[str] = []

    again = jobs_run_due(
        now=MONDAY + timedelta(hours=3), jobs=jobs, on_start=lambda job, _m, _s: started.append(job.name)
    )

    assert again == []
    assert started == []
    assert len(day.slots) == len(week.slots) == 1
    assert JobRun.objects.count() == 2
    assert AuditEvent.objects.filter(action="jobs.run").count() == 2


def test_the_next_day_runs_the_daily_job_only() -> None:
    day, week = Recorder(), Recorder()
    jobs = (daily(day), weekly(week))
    jobs_run_due(now=MONDAY, jobs=jobs)
    done = jobs_run_due(now=MONDAY + timedelta(days=1), jobs=jobs)
    assert [d.job.name for d in done] == ["daily_test"]
    assert day.slots == [date(2025, 1, 6), date(2025, 1, 7)]
    assert week.slots == [date(2025, 1, 6)]


def test_not_due_before_the_first_slot_time_of_the_day() -> None:
    day = Recorder()
    jobs_run_due(now=datetime(2025, 1, 6, 1, 0, tzinfo=CPH), jobs=(daily(day),))
    assert day.slots == [date(2025, 1, 5)]  # yesterday's slot is the current one until 02:00


def test_catch_up_runs_only_the_latest_missed_slot() -> None:
    day, week = Recorder(), Recorder()
    jobs = (daily(day), weekly(week))
    jobs_run_due(now=MONDAY, jobs=jobs)

    # The machine was off for two and a half weeks.
    jobs_run_due(now=datetime(2025, 1, 23, 10, 0, tzinfo=CPH), jobs=jobs)

    assert day.slots == [date(2025, 1, 6), date(2025, 1, 23)]
    assert week.slots == [date(2025, 1, 6), date(2025, 1, 20)]
    assert sorted(JobRun.objects.values_list("job", "slot")) == [
        ("daily_test", date(2025, 1, 6)),
        ("daily_test", date(2025, 1, 23)),
        ("weekly_test", date(2025, 1, 6)),
        ("weekly_test", date(2025, 1, 20)),
    ]


def test_a_failing_job_is_recorded_and_the_others_still_run() -> None:
    broken = Recorder(fail=ValueError("barnet 010118-1234 kunne ikke behandles"))
    fine = Recorder()

    done = jobs_run_due(now=MONDAY, jobs=(daily(broken, "broken"), weekly(fine)))

    assert [(d.job.name, d.ok) for d in done] == [("broken", False), ("weekly_test", True)]
    run = JobRun.objects.get(job="broken")
    assert run.outcome == JobOutcome.FAILED
    assert run.finished_at is not None
    assert run.count is None
    assert run.error == "ValueError: barnet 010118-XXXX kunne ikke behandles"
    assert "1234" not in run.error
    assert run.summary == "Kørslen fejlede"
    assert not AuditEvent.objects.filter(action="test.half_written").exists()  # the job's writes rolled back
    audit = AuditEvent.objects.get(action="jobs.run", target_id="broken")
    assert audit.after is not None
    assert audit.after["outcome"] == "failed"
    assert "1234" not in str(audit.after)
    assert JobRun.objects.get(job="weekly_test").outcome == JobOutcome.OK


def test_a_failed_slot_is_retried_on_the_next_call_until_it_succeeds() -> None:
    job_callable = Recorder(fail=RuntimeError("SMTP-serveren svarer ikke"))
    jobs = (daily(job_callable),)
    jobs_run_due(now=MONDAY, jobs=jobs)
    job_callable.fail = None

    done = jobs_run_due(now=MONDAY + timedelta(minutes=15), jobs=jobs)

    assert [d.ok for d in done] == [True]
    run = JobRun.objects.get()
    assert (run.outcome, run.attempts, run.error) == (JobOutcome.OK, 2, "")
    assert job_callable.slots == [date(2025, 1, 6)] * 2
    assert jobs_run_due(now=MONDAY + timedelta(minutes=30), jobs=jobs) == []


def test_a_failed_slot_is_given_up_after_max_attempts() -> None:
    job_callable = Recorder(fail=RuntimeError("stadig i stykker"))
    jobs = (daily(job_callable),)
    for minutes in range(0, 15 * (MAX_ATTEMPTS + 2), 15):
        jobs_run_due(now=MONDAY + timedelta(minutes=minutes), jobs=jobs)
    run = JobRun.objects.get()
    assert (run.outcome, run.attempts) == (JobOutcome.FAILED, MAX_ATTEMPTS)
    assert len(job_callable.slots) == MAX_ATTEMPTS
    job_callable.fail = None
    jobs_run_due(now=MONDAY + timedelta(days=1), jobs=jobs)  # the next slot runs as usual
    assert JobRun.objects.get(slot=date(2025, 1, 7)).outcome == JobOutcome.OK


def test_a_run_left_running_by_a_dead_process_is_taken_over_only_when_stale(copenhagen: Municipality) -> None:
    job_callable = Recorder()
    job = daily(job_callable)
    run = JobRun.objects.create(
        job=job.name, municipality=copenhagen, slot=date(2025, 1, 6), started_at=timezone.now()
    )
    assert jobs_run_due(now=MONDAY, jobs=(job,)) == []  # still running elsewhere
    JobRun.objects.filter(pk=run.pk).update(started_at=timezone.now() - STALE_AFTER - timedelta(minutes=1))

    done = jobs_run_due(now=MONDAY, jobs=(job,))

    assert [d.ok for d in done] == [True]
    assert job_callable.slots == [date(2025, 1, 6)]
    run.refresh_from_db()
    assert (run.outcome, run.attempts) == (JobOutcome.OK, 2)


def _dead_worker() -> str:
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return f"{socket.gethostname()}:{process.pid}"


def test_a_run_whose_process_died_is_marked_failed_at_once_and_retried(copenhagen: Municipality) -> None:
    job_callable = Recorder()
    job = daily(job_callable)
    dead = JobRun.objects.create(
        job=job.name,
        municipality=copenhagen,
        slot=date(2025, 1, 6),
        started_at=timezone.now(),
        worker=_dead_worker(),
    )
    alive = JobRun.objects.create(
        job="weekly_test",
        municipality=copenhagen,
        slot=date(2025, 1, 6),
        started_at=timezone.now(),
        worker=worker_identity(),
    )

    assert job_runs_fail_dead() == 1
    assert job_runs_fail_dead() == 0

    dead.refresh_from_db()
    assert (dead.outcome, dead.error) == (JobOutcome.FAILED, WORKER_LOST)
    alive.refresh_from_db()
    assert alive.outcome == JobOutcome.RUNNING
    assert AuditEvent.objects.get(action="jobs.worker_lost").municipality == copenhagen
    done = jobs_run_due(now=MONDAY, jobs=(job,))
    assert [d.ok for d in done] == [True]
    dead.refresh_from_db()
    assert (dead.outcome, dead.attempts, dead.worker, dead.error) == (JobOutcome.OK, 2, worker_identity(), "")


def test_a_slot_claimed_by_another_process_is_skipped(copenhagen: Municipality) -> None:
    """The race: another process inserts the row after this one looked (here: as the run starts, after
    `jobs_run_due` found the slot unsettled). The insert's IntegrityError (the unique constraint on job,
    municipality and slot) is what stops the second run."""
    job_callable = Recorder()
    job = daily(job_callable)

    def another_process_claims(job: Job, municipality: Municipality, slot: date) -> None:
        JobRun.objects.create(job=job.name, municipality=municipality, slot=slot, started_at=timezone.now())

    assert jobs_run_due(now=MONDAY, jobs=(job,), on_start=another_process_claims) == []
    assert job_run(job=job, municipality=copenhagen, slot=date(2025, 1, 6), now=MONDAY) is None
    assert job_callable.slots == []
    assert JobRun.objects.count() == 1
    assert not AuditEvent.objects.filter(action="jobs.run").exists()


def test_ctrl_c_during_a_job_is_recorded_and_raised_again() -> None:
    job = daily(Recorder(fail=KeyboardInterrupt()))
    with pytest.raises(KeyboardInterrupt):
        jobs_run_due(now=MONDAY, jobs=(job,))
    run = JobRun.objects.get()
    assert (run.outcome, run.error) == (JobOutcome.FAILED, "Kørslen blev afbrudt.")


@pytest.mark.django_db(transaction=True)
def test_two_processes_at_once_run_a_slot_once() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite's test database is one connection's memory")
    calls: list[date] = []
    barrier = threading.Barrier(2)
    looked = threading.Barrier(2, timeout=10)  # both found the slot unsettled: both race to the claim

    def slow(context: JobContext) -> JobResult:
        calls.append(context.slot)
        clock.sleep(0.3)
        return JobResult(count=1, summary="ok")

    job = daily(slow)
    results: list[int] = []

    def both_looked(*_: object) -> None:
        looked.wait()

    def worker() -> None:
        try:
            barrier.wait()
            results.append(len(jobs_run_due(now=MONDAY, jobs=(job,), on_start=both_looked)))
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == [0, 1]
    assert calls == [date(2025, 1, 6)]
    assert JobRun.objects.get().outcome == JobOutcome.OK


def test_each_municipality_gets_its_own_runs(copenhagen: Municipality) -> None:
    lejre = make_municipality("350", "Lejre Kommune")
    day, week = Recorder(), Recorder()
    jobs = (daily(day), weekly(week))

    done = jobs_run_due(now=MONDAY, jobs=jobs)

    assert [(d.job.name, d.municipality.code, d.ok) for d in done] == [
        ("daily_test", "101", True),
        ("daily_test", "350", True),
        ("weekly_test", "101", True),
        ("weekly_test", "350", True),
    ]
    assert day.municipalities == week.municipalities == ["101", "350"]
    assert sorted(JobRun.objects.values_list("job", "municipality__code", "slot")) == [
        ("daily_test", "101", date(2025, 1, 6)),
        ("daily_test", "350", date(2025, 1, 6)),
        ("weekly_test", "101", date(2025, 1, 6)),
        ("weekly_test", "350", date(2025, 1, 6)),
    ]
    audits = AuditEvent.objects.filter(action="jobs.run").order_by("id")
    assert [(a.target_id, a.municipality_id) for a in audits] == [
        ("daily_test", copenhagen.pk),
        ("daily_test", lejre.pk),
        ("weekly_test", copenhagen.pk),
        ("weekly_test", lejre.pk),
    ]
    assert [a.after["municipality"] for a in audits if a.after is not None] == ["101", "350", "101", "350"]
    assert jobs_run_due(now=MONDAY + timedelta(hours=1), jobs=jobs) == []


def test_a_failing_run_in_one_municipality_does_not_stop_the_other() -> None:
    make_municipality("350", "Lejre Kommune")
    job_callable = Recorder(fail=RuntimeError("Københavns postkasse er fuld"), fail_for="101")
    jobs = (daily(job_callable),)

    done = jobs_run_due(now=MONDAY, jobs=jobs)

    assert [(d.municipality.code, d.ok) for d in done] == [("101", False), ("350", True)]
    failed = JobRun.objects.get(municipality__code="101")
    assert (failed.outcome, failed.error) == (JobOutcome.FAILED, "RuntimeError: Københavns postkasse er fuld")
    fine = JobRun.objects.get(municipality__code="350")
    assert (fine.outcome, fine.count, fine.summary, fine.error) == (JobOutcome.OK, 2, "2 ting gjort", "")
    assert not AuditEvent.objects.filter(action="test.half_written").exists()

    # The retry is Copenhagen's alone: Lejre's slot is done.
    job_callable.fail = None
    again = jobs_run_due(now=MONDAY + timedelta(minutes=15), jobs=jobs)

    assert [(d.municipality.code, d.ok) for d in again] == [("101", True)]
    assert job_callable.municipalities == ["101", "350", "101"]
    assert sorted(JobRun.objects.values_list("municipality__code", "outcome", "attempts")) == [
        ("101", JobOutcome.OK, 2),
        ("350", JobOutcome.OK, 1),
    ]


def test_a_municipality_added_later_gets_its_run_of_the_current_slot() -> None:
    job_callable = Recorder()
    jobs = (daily(job_callable),)
    jobs_run_due(now=MONDAY, jobs=jobs)
    make_municipality("350", "Lejre Kommune")

    done = jobs_run_due(now=MONDAY + timedelta(hours=1), jobs=jobs)

    assert [d.municipality.code for d in done] == ["350"]
    assert job_callable.municipalities == ["101", "350"]


def _leader_with_an_overdue_case(municipality: Municipality, *, username: str, email: str) -> None:
    unit = make_unit(municipality)
    make_staff(municipality, Role.AREA_CHIEF, unit, username=username, email=email)
    record(municipality, event(f"{municipality.code}-e1", "need_noticed", date(2024, 1, 10)))
    recompute(municipality, "SAG-1", date(2024, 1, 11))
    assert (
        Obligation.objects.get(case=case_of(municipality), rule_id="investigation_deadline").status == "open"
    )


def test_the_real_jobs_mark_overdue_and_send_the_weekly_mail(settings: SettingsWrapper) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    copenhagen = Municipality.objects.get(code="101")
    _leader_with_an_overdue_case(copenhagen, username="chef", email="chef@kk.dk")
    make_staff(copenhagen, Role.DEPARTMENT_LEADER, make_unit(copenhagen), username="uden-mail")

    done = jobs_run_due(now=datetime(2024, 5, 13, 6, 30, tzinfo=CPH))  # a Monday

    assert [(d.job.name, d.ok) for d in done] == [
        ("audit_chain_verify", True),
        ("obligations_mark_overdue", True),
        ("digest_weekly", True),
        ("supervision_start", True),
    ]
    assert Obligation.objects.get(rule_id="investigation_deadline").status == "overdue"
    overdue = JobRun.objects.get(job="obligations_mark_overdue")
    assert overdue.slot == date(2024, 5, 13)
    assert overdue.count is not None
    assert overdue.count >= 1
    assert overdue.summary == f"{overdue.count} forpligtelser markeret som overskredne pr. 13. maj 2024"
    digest = JobRun.objects.get(job="digest_weekly")
    assert (digest.slot, digest.count) == (date(2024, 5, 13), 1)
    assert digest.summary == "1 mail sendt; 1 leder uden e-mailadresse"
    assert [m.to for m in mail.outbox] == [["chef@kk.dk"]]
    assert AuditEvent.objects.filter(action="obligations.mark_overdue", municipality=copenhagen).count() == 1
    assert AuditEvent.objects.filter(action="digest.weekly").count() == 1


def test_the_real_jobs_keep_the_municipalities_apart(
    settings: SettingsWrapper, copenhagen: Municipality
) -> None:
    """Each municipality's run marks its own obligations and mails its own leaders, and counts only those."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    lejre = make_municipality("350", "Lejre Kommune")
    _leader_with_an_overdue_case(copenhagen, username="chef", email="chef@kk.dk")
    _leader_with_an_overdue_case(lejre, username="lejre-chef", email="chef@lejre.dk")
    done = jobs_run_due(now=datetime(2024, 5, 13, 6, 30, tzinfo=CPH))

    assert [(d.job.name, d.municipality.code, d.ok) for d in done] == [
        ("audit_chain_verify", "101", True),
        ("audit_chain_verify", "350", True),
        ("obligations_mark_overdue", "101", True),
        ("obligations_mark_overdue", "350", True),
        ("digest_weekly", "101", True),
        ("digest_weekly", "350", True),
        ("supervision_start", "101", True),
        ("supervision_start", "350", True),
    ]
    for code in ("101", "350"):
        marked = JobRun.objects.get(job="obligations_mark_overdue", municipality__code=code)
        overdue = Obligation.objects.filter(case__municipality__code=code, status="overdue").count()
        assert marked.count == overdue >= 1  # its own obligations only, not the other's too
        digest = JobRun.objects.get(job="digest_weekly", municipality__code=code)
        assert (digest.count, digest.summary) == (1, "1 mail sendt")
    assert sorted(m.to[0] for m in mail.outbox) == ["chef@kk.dk", "chef@lejre.dk"]
    marks = AuditEvent.objects.filter(action="obligations.mark_overdue")
    assert sorted(marks.values_list("municipality__code", flat=True)) == ["101", "350"]
