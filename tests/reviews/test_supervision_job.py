"""The scheduled draw (issue 13 §2, ADR 0030): the daily job starts the month, quarter and year once per
period and mails each reviewer their new reviews once, by case number only."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.core import mail

from sagstilsyn.core.jobs.registry import JobContext, job_get
from sagstilsyn.core.jobs.services import jobs_run_due
from sagstilsyn.core.models import AccessLogEntry, AuditEvent, Municipality, Role
from sagstilsyn.reviews.jobs import JOBS
from sagstilsyn.reviews.mail import period_text
from sagstilsyn.reviews.models import Review, ReviewLevel, Sample
from sagstilsyn.reviews.programmes.defaults import programme_default_ensure
from sagstilsyn.reviews.programmes.periods import Period
from tests.factories import make_case, make_municipality, make_staff, make_unit

pytestmark = pytest.mark.django_db

CPH = ZoneInfo("Europe/Copenhagen")
CPR = "0101101234"


def world() -> Municipality:
    """Two units with a coordinator and an area chief each (with e-mail), a centre lawyer without one,
    caseworkers, and eight open cases with CPR numbers and children's names."""
    municipality = make_municipality()
    for code in ("BFE-NORD", "BFE-SYD"):
        unit = make_unit(municipality, code)
        short = code[4:].lower()
        make_staff(municipality, Role.COORDINATOR, unit, username=f"koord-{short}", email=f"k-{short}@x.dk")
        make_staff(municipality, Role.AREA_CHIEF, unit, username=f"chef-{short}", email=f"c-{short}@x.dk")
        make_staff(municipality, Role.CASEWORKER, unit, username=f"sb-{short}", email=f"s-{short}@x.dk")
        for number in range(4):
            make_case(
                municipality,
                f"{short.upper()}-{number}",
                unit=code,
                caseworker=f"sb-{short}",
                cpr=f"{CPR[:-1]}{number}",
                child_name=f"Barnet Hemmeligsen {number}",
            )
    make_staff(municipality, Role.CENTRE_LAWYER, username="jurist")
    programme_default_ensure(municipality)
    return municipality


def at(day: date, hour: int) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=CPH)


def test_the_job_is_registered_daily_at_five() -> None:
    job = job_get("supervision_start")
    assert job is not None
    assert job.schedule.label == "dagligt kl. 05:00"


def test_the_job_draws_once_per_period_and_mails_each_reviewer_once() -> None:
    world()
    runs = jobs_run_due(now=at(date(2026, 10, 1), 6), jobs=JOBS)
    assert [run.run.outcome for run in runs] == ["ok"]
    assert {s.period for s in Sample.objects.all()} == {"2026-10", "2026Q4", "2026"}
    reviews = Review.objects.filter(level=ReviewLevel.FIRST).select_related("reviewer", "case")
    by_reviewer: dict[str, set[str]] = {}
    for review in reviews:
        by_reviewer.setdefault(review.reviewer.username, set()).add(review.case.source_ref)
    with_mail = {name for name in by_reviewer if name != "jurist"}
    assert with_mail
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        f"{name[0]}-{name.split('-')[1]}@x.dk" for name in with_mail
    )
    for message in mail.outbox:
        name = next(n for n in with_mail if message.to == [f"{n[0]}-{n.split('-')[1]}@x.dk"])
        listed = {line.split()[2] for line in message.body.splitlines() if line.startswith("- Sag ")}
        assert listed == by_reviewer[name]
        assert f"{settings.SAGSTILSYN_SITE_URL.rstrip('/')}/gennemgange/" in message.body
        assert "frist" in message.body.lower()
        assert CPR[:6] not in message.body
        assert "Hemmeligsen" not in message.body
        assert "oktober 2026" in message.subject
    assert "jurist" in by_reviewer
    assert runs[0].run.summary.endswith("; 1 bedømmer uden e-mailadresse")
    logged = AccessLogEntry.objects.filter(purpose="review_assigned_mail").count()
    assert logged == sum(len(cases) for name, cases in by_reviewer.items() if name in with_mail)
    assert AuditEvent.objects.filter(action="reviews.assigned_mail").count() == 1

    # the same slot does not run again, and the next day's run draws and mails nothing
    assert jobs_run_due(now=at(date(2026, 10, 1), 9), jobs=JOBS) == []
    samples = Sample.objects.count()
    later = jobs_run_due(now=at(date(2026, 10, 2), 6), jobs=JOBS)
    assert [run.run.outcome for run in later] == ["ok"]
    assert later[0].run.summary.startswith("0 nye stikprøver")
    assert Sample.objects.count() == samples
    assert len(mail.outbox) == len(with_mail)


def test_a_later_month_draws_only_that_month() -> None:
    municipality = world()
    job = JOBS[0]
    job.run(JobContext(municipality=municipality, slot=date(2026, 10, 1), now=at(date(2026, 10, 1), 5)))
    sent = len(mail.outbox)
    job.run(JobContext(municipality=municipality, slot=date(2026, 11, 3), now=at(date(2026, 11, 3), 5)))
    assert set(Sample.objects.values_list("period", flat=True)) == {"2026-10", "2026-11", "2026Q4", "2026"}
    assert len(mail.outbox) > sent
    assert all("november 2026" in message.subject for message in mail.outbox[sent:])


def test_a_municipality_starting_mid_quarter_gets_its_quarter_and_year() -> None:
    municipality = world()
    JOBS[0].run(JobContext(municipality=municipality, slot=date(2026, 11, 3), now=at(date(2026, 11, 3), 5)))
    assert set(Sample.objects.values_list("period", flat=True)) == {"2026-11", "2026Q4", "2026"}


def test_period_in_words() -> None:
    assert [
        period_text(Period(kind, 2026, n)) for kind, n in (("month", 3), ("quarter", 4), ("year", 0))
    ] == [
        "marts 2026",
        "4. kvartal 2026",
        "2026",
    ]
