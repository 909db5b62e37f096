"""`sagstilsyn jobs list` and `sagstilsyn jobs run-due [--loop [--interval SECONDS]]`."""

from __future__ import annotations

from datetime import time
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from pytest_django.fixtures import Settings as SettingsWrapper

from sagstilsyn.core.jobs import registry, selectors, services
from sagstilsyn.core.jobs.registry import Job, JobContext, JobResult, Schedule
from sagstilsyn.core.management.commands import jobs as jobs_command
from sagstilsyn.core.models import JobOutcome, JobRun

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def locmem(settings: SettingsWrapper) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


def run(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("jobs", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def _broken(context: JobContext) -> JobResult:
    raise RuntimeError("forbindelsen til 010118-1234 gik tabt")


def _fine(context: JobContext) -> JobResult:
    return JobResult(count=3, summary="3 ting gjort")


@pytest.fixture(autouse=True)
def keep_the_test_connection(monkeypatch: pytest.MonkeyPatch) -> None:
    """The worker closes stale connections each round; inside a test's transaction that would end it."""
    monkeypatch.setattr(jobs_command, "close_old_connections", lambda: None)


@pytest.fixture
def test_jobs(monkeypatch: pytest.MonkeyPatch) -> tuple[Job, ...]:
    jobs = (
        Job("broken", "Det ødelagte job", "", Schedule(at=time(0, 0)), _broken),
        Job("fine", "Det gode job", "", Schedule(at=time(0, 0)), _fine),
    )
    for module in (registry, selectors, services):
        monkeypatch.setattr(module, "JOBS", jobs)
    return jobs


def test_list_shows_every_job_before_any_run() -> None:
    out, _ = run("list")
    lines = out.splitlines()
    assert lines[0].split() == ["Job", "Titel", "Hvornår", "Seneste", "kørsel", "Næste", "gang"]
    assert lines[1].startswith("obligations_mark_overdue  Overskredne frister  dagligt kl. 02:00")
    assert "ikke kørt endnu" in lines[1] and "ikke kørt endnu" in lines[2]
    assert lines[2].startswith("digest_weekly") and "hver mandag kl. 06:00" in lines[2]


def test_run_due_runs_the_real_jobs_once_then_has_nothing_to_do() -> None:
    out, err = run("run-due")
    assert "Kører «Overskredne frister»" in out and "Kører «Ugens fristmail»" in out
    assert "OK: 0 forpligtelser markeret som overskredne pr." in out and "OK: 0 mails sendt." in out
    assert err == ""
    assert set(JobRun.objects.values_list("job", "outcome")) == {
        ("obligations_mark_overdue", JobOutcome.OK),
        ("digest_weekly", JobOutcome.OK),
    }

    again, _ = run("run-due")
    assert again.strip() == "Intet at køre: alle job er kørt for deres seneste tidspunkt."

    listed, _ = run("list")
    assert "OK: 0 forpligtelser markeret som overskredne" in listed and "OK: 0 mails sendt" in listed


def test_run_due_reports_a_failed_job_and_fails(test_jobs: tuple[Job, ...]) -> None:
    out, err = StringIO(), StringIO()
    with pytest.raises(CommandError, match=r"1 job fejlede: broken\."):
        call_command("jobs", "run-due", stdout=out, stderr=err)
    assert "Kører «Det ødelagte job»" in out.getvalue() and "OK: 3 ting gjort." in out.getvalue()
    assert "Fejlede (forsøg 1): RuntimeError: forbindelsen til 010118-XXXX gik tabt" in err.getvalue()
    assert "1234" not in err.getvalue()
    listed, _ = run("list")
    assert "Fejlet: Kørslen fejlede" in listed


def test_loop_runs_until_ctrl_c(test_jobs: tuple[Job, ...], monkeypatch: pytest.MonkeyPatch) -> None:
    naps: list[int] = []

    def sleep(seconds: int) -> None:
        naps.append(seconds)
        if len(naps) == 2:
            raise KeyboardInterrupt

    monkeypatch.setattr(jobs_command, "sleep", sleep)
    out, err = run("run-due", "--loop", "--interval", "5")
    assert naps == [5, 5]
    assert out.splitlines()[0] == "Kører de planlagte job, når de er forfaldne; ser efter hvert 5. sekund."
    assert out.count("Kører «Det gode job»") == 1  # the second round finds nothing to do
    assert out.splitlines()[-1] == "Stoppet."
    assert "Intet at køre" not in out
    assert err.count("Fejlede (forsøg") == 2  # the failed job is retried on the second round
    assert JobRun.objects.get(job="broken").attempts == 2


def test_loop_keeps_going_when_a_round_fails(monkeypatch: pytest.MonkeyPatch) -> None:
    rounds: list[int] = []

    def flaky(**_: object) -> list[object]:
        rounds.append(1)
        if len(rounds) == 1:
            raise ConnectionError("databasen 010118-1234 er væk")
        raise KeyboardInterrupt

    monkeypatch.setattr(jobs_command, "jobs_run_due", flaky)
    monkeypatch.setattr(jobs_command, "sleep", lambda seconds: None)
    out, err = run("run-due", "--loop", "--interval", "1")
    assert "ser efter hvert sekund" in out and out.splitlines()[-1] == "Stoppet."
    assert err.strip() == "Kunne ikke køre jobbene: ConnectionError: databasen 010118-XXXX er væk"
    assert len(rounds) == 2


@pytest.mark.parametrize("value", ["0", "-3", "nu"])
def test_interval_must_be_a_positive_number_of_seconds(value: str) -> None:
    with pytest.raises(CommandError):
        call_command("jobs", "run-due", "--loop", "--interval", value, stdout=StringIO(), stderr=StringIO())
