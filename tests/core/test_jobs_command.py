"""`sagstilsyn jobs list` and `sagstilsyn jobs run-due [--loop [--interval SECONDS]]`, per municipality."""

from __future__ import annotations

from datetime import time
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from pytest_django.fixtures import Settings as SettingsWrapper

from sagstilsyn.core.jobs import registry
from sagstilsyn.core.jobs.registry import Job, JobContext, JobRegistry, JobResult, Schedule
from sagstilsyn.core.management.commands import jobs as jobs_command
from sagstilsyn.core.models import JobOutcome, JobRun, Municipality
from tests.factories import make_municipality

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
    monkeypatch.setattr(registry, "REGISTRY", JobRegistry(jobs))
    return jobs


@pytest.fixture
def copenhagen() -> Municipality:
    return make_municipality()


def test_without_municipalities_there_is_nothing_to_list_or_run() -> None:
    listed, _ = run("list")
    ran, _ = run("run-due")
    message = "Ingen kommuner endnu: jobbene kører for hver kommune, når den er oprettet."
    assert listed.strip() == message
    assert ran.strip() == message
    assert not JobRun.objects.exists()


def test_list_shows_every_job_of_every_municipality_before_any_run(copenhagen: Municipality) -> None:
    make_municipality("350", "Lejre Kommune")
    out, _ = run("list")
    lines = out.splitlines()
    assert lines[0].split() == ["Kommune", "Job", "Titel", "Hvornår", "Seneste", "kørsel", "Næste", "gang"]
    assert len(lines) == 9
    assert lines[1].startswith("101 Københavns Kommune  audit_chain_verify        Kontrol af revisionsspor")
    assert lines[2].startswith(
        "101 Københavns Kommune  obligations_mark_overdue  Overskredne frister          dagligt"
    )
    assert lines[3].startswith("101 Københavns Kommune  digest_weekly")
    assert "hver mandag kl. 06:00" in lines[3]
    assert lines[4].startswith(
        "101 Københavns Kommune  supervision_start         Tilsynsperiodens stikprøver"
    )
    assert lines[5].startswith("350 Lejre Kommune       audit_chain_verify")
    assert lines[6].startswith("350 Lejre Kommune       obligations_mark_overdue")
    assert lines[7].startswith("350 Lejre Kommune       digest_weekly")
    assert lines[8].startswith("350 Lejre Kommune       supervision_start")
    assert all("ikke kørt endnu" in line for line in lines[1:])


def test_run_due_runs_the_real_jobs_once_then_has_nothing_to_do(copenhagen: Municipality) -> None:
    out, err = run("run-due")
    assert "Kører «Overskredne frister» for Københavns Kommune (" in out
    assert "Kører «Ugens fristmail» for Københavns Kommune (uge " in out
    assert "OK: 0 forpligtelser markeret som overskredne pr." in out
    assert "OK: 0 mails sendt." in out
    assert err == ""
    assert "OK: Kæderne er intakte (" in out
    assert set(JobRun.objects.values_list("job", "outcome")) == {
        ("audit_chain_verify", JobOutcome.OK),
        ("obligations_mark_overdue", JobOutcome.OK),
        ("digest_weekly", JobOutcome.OK),
        ("supervision_start", JobOutcome.OK),
    }

    again, _ = run("run-due")
    assert again.strip() == "Intet at køre: alle job er kørt for deres seneste tidspunkt."

    listed, _ = run("list")
    assert "OK: 0 forpligtelser markeret som overskredne" in listed
    assert "OK: 0 mails sendt" in listed


def test_run_due_reports_a_failed_job_and_fails(test_jobs: tuple[Job, ...], copenhagen: Municipality) -> None:
    out, err = StringIO(), StringIO()
    with pytest.raises(CommandError, match=r"1 kørsel fejlede: broken \(101\)\."):
        call_command("jobs", "run-due", stdout=out, stderr=err)
    assert "Kører «Det ødelagte job»" in out.getvalue()
    assert "OK: 3 ting gjort." in out.getvalue()
    assert "Fejlede (forsøg 1): RuntimeError: forbindelsen til 010118-XXXX gik tabt" in err.getvalue()
    assert "1234" not in err.getvalue()
    listed, _ = run("list")
    assert "Fejlet: Kørslen fejlede" in listed


def test_run_due_and_list_go_municipality_by_municipality(
    test_jobs: tuple[Job, ...], copenhagen: Municipality
) -> None:
    make_municipality("350", "Lejre Kommune")
    out, err = StringIO(), StringIO()
    with pytest.raises(CommandError, match=r"2 kørsler fejlede: broken \(101\), broken \(350\)\."):
        call_command("jobs", "run-due", stdout=out, stderr=err)
    started = [line for line in out.getvalue().splitlines() if line.startswith("Kører")]
    assert [line.split(" (")[0] for line in started] == [
        "Kører «Det ødelagte job» for Københavns Kommune",
        "Kører «Det ødelagte job» for Lejre Kommune",
        "Kører «Det gode job» for Københavns Kommune",
        "Kører «Det gode job» for Lejre Kommune",
    ]
    assert out.getvalue().count("OK: 3 ting gjort.") == 2
    assert err.getvalue().count("Fejlede (forsøg 1)") == 2
    assert sorted(JobRun.objects.values_list("municipality__code", "job", "outcome")) == [
        ("101", "broken", JobOutcome.FAILED),
        ("101", "fine", JobOutcome.OK),
        ("350", "broken", JobOutcome.FAILED),
        ("350", "fine", JobOutcome.OK),
    ]
    listed, _ = run("list")
    lines = listed.splitlines()[1:]
    assert [line.split("  ")[0] for line in lines] == ["101 Københavns Kommune"] * 2 + [
        "350 Lejre Kommune"
    ] * 2
    assert all(("Fejlet: Kørslen fejlede" in line) == (" broken " in line) for line in lines)


def test_loop_runs_until_ctrl_c(
    test_jobs: tuple[Job, ...], monkeypatch: pytest.MonkeyPatch, copenhagen: Municipality
) -> None:
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
    assert "ser efter hvert sekund" in out
    assert out.splitlines()[-1] == "Stoppet."
    assert err.strip() == "Kunne ikke køre jobbene: ConnectionError: databasen 010118-XXXX er væk"
    assert len(rounds) == 2


@pytest.mark.parametrize("value", ["0", "-3", "nu"])
def test_interval_must_be_a_positive_number_of_seconds(value: str) -> None:
    with pytest.raises(CommandError):
        call_command("jobs", "run-due", "--loop", "--interval", value, stdout=StringIO(), stderr=StringIO())
