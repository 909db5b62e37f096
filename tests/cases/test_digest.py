"""The weekly e-mail digest to leaders (`sagstilsyn digest weekly`)."""

from __future__ import annotations

from datetime import date, datetime
from io import StringIO
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.core.management import call_command
from pytest_django import DjangoDbBlocker
from pytest_django.fixtures import Settings as SettingsWrapper

from sagstilsyn.cases.followup.digest import digest_weekly_send
from sagstilsyn.core.models import AccessLogEntry, AuditEvent, CaseGroup, Role
from tests.factories import event, make_municipality, make_staff, make_unit, recompute, record

pytestmark = pytest.mark.django_db

CPR = "010118-1234"
NOW = datetime(2024, 2, 26, 7, 0, tzinfo=ZoneInfo("Europe/Copenhagen"))


@pytest.fixture(autouse=True)
def locmem(settings: SettingsWrapper) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


def _org() -> dict[str, Any]:
    municipality = make_municipality()
    north = make_unit(municipality, "BFE-NORD")
    south = make_unit(municipality, "BFE-SYD")
    make_staff(municipality, Role.CASEWORKER, north, username="anna", first_name="Anna")
    chief = make_staff(
        municipality, Role.AREA_CHIEF, north, username="chef", email="chef@kk.dk", first_name="Karen"
    )
    lawyer = make_staff(municipality, Role.CENTRE_LAWYER, username="jurist", email="jurist@kk.dk")
    make_staff(municipality, Role.DEPARTMENT_LEADER, south, username="uden-mail")
    make_staff(municipality, Role.CASEWORKER, north, username="sagsbehandler", email="sb@kk.dk")
    make_staff(municipality, Role.COMMITTEE_MEMBER, username="udvalg", email="udvalg@kk.dk")
    record(
        municipality,
        event(
            "1",
            "need_noticed",
            date(2023, 10, 1),
            case_id="N-OLD",
            child_id="Lise Hansen",
            caseworker="anna",
            group=CaseGroup.CHILDREN,
            cpr=CPR,
        ),
        event("2", "need_noticed", date(2023, 10, 28), case_id="N-WEEK", child_id="C2"),
        event("3", "need_noticed", date(2023, 10, 1), case_id="S-OLD", child_id="C3", unit="BFE-SYD"),
    )
    for ref in ("N-OLD", "N-WEEK", "S-OLD"):
        recompute(municipality, ref, date(2024, 2, 25))
    return {"municipality": municipality, "chief": chief, "lawyer": lawyer}


@pytest.fixture(scope="module")
def org(module_db: DjangoDbBlocker) -> dict[str, Any]:
    """Built once for the module; each test's writes are rolled back after it (conftest's `module_db`)."""
    with module_db.unblock():
        return _org()


def test_one_mail_per_leader_with_their_units_only(org) -> None:  # type: ignore[no-untyped-def]
    result = digest_weekly_send(week_start=date(2024, 2, 26), now=NOW, base_url="https://tilsyn.kk.dk")
    assert result.sent == 2
    assert sorted(m.to[0] for m in mail.outbox) == [
        "chef@kk.dk",
        "jurist@kk.dk",
    ]  # no caseworker, no committee
    assert result.skipped_no_email == ["uden-mail"]
    chief = next(m for m in mail.outbox if m.to == ["chef@kk.dk"])
    assert chief.subject.startswith("Ugens frister, uge 9:")
    assert "N-OLD" not in chief.body  # the old backlog is counted, not listed (ADR 0020)
    assert "N-WEEK" in chief.body
    assert "S-OLD" not in chief.body
    assert "Enheden BFE-NORD" in chief.body
    assert "Enheden BFE-SYD" not in chief.body
    assert "https://tilsyn.kk.dk/frister/?uge=2024-W09" in chief.body
    lawyer = next(m for m in mail.outbox if m.to == ["jurist@kk.dk"])
    assert "S-OLD" not in lawyer.body  # counted in its unit, not listed
    assert "Enheden BFE-SYD" in lawyer.body


def test_counts_and_worst_items_first(org) -> None:  # type: ignore[no-untyped-def]
    digest_weekly_send(week_start=date(2024, 2, 26), now=NOW)
    chief = next(m for m in mail.outbox if m.to == ["chef@kk.dk"])
    lines = chief.body.splitlines()
    total = next(line for line in lines if line.startswith("I alt"))
    # N-OLD: 2 overdue (investigation deadline and preliminary assessment); N-WEEK: 2 due this week.
    assert total.split()[-2:] == ["2", "2"]
    # The subject and the first lines are the new overruns and the week, the backlog only in the table.
    assert chief.subject == "Ugens frister, uge 9: 0 nye overskredne, 2 med frist i ugen"
    first = lines.index("Nye overskredne frister de seneste 7 dage: 0")
    assert first < lines.index("Frister i ugen: 2") < lines.index(total)
    items = [line for line in lines if line.startswith("- Sag ")]
    # The mail leads with the newly overdue and the week's deadlines, never the oldest (ADR 0020).
    assert items[0].startswith("- Sag N-WEEK")
    assert all("N-OLD" not in item for item in items)
    assert items[-1].startswith("- Sag N-WEEK")
    assert "Frist i ugen" in items[-1]


def test_no_cpr_or_child_name_in_any_mail(org) -> None:  # type: ignore[no-untyped-def]
    digest_weekly_send(week_start=date(2024, 2, 26), now=NOW)
    assert mail.outbox
    for message in mail.outbox:
        text = f"{message.subject}\n{message.body}"
        assert "010118" not in text
        assert "1234" not in text
        assert "Lise" not in text
        assert "Hansen" not in text


def test_send_writes_audit_and_access_log(org) -> None:  # type: ignore[no-untyped-def]
    digest_weekly_send(week_start=date(2024, 2, 26), now=NOW)
    audit = AuditEvent.objects.get(action="digest.weekly")
    assert audit.after is not None
    assert audit.after["sent"] == 2
    assert sorted(audit.after["recipients"]) == ["chef", "jurist"]
    assert AccessLogEntry.objects.filter(user=org["chief"], purpose="followup_digest").count() == 1


def test_command_dry_run_sends_nothing(org) -> None:  # type: ignore[no-untyped-def]
    out = StringIO()
    call_command("digest", "weekly", "--dry-run", "--week", "2024-W09", stdout=out)
    assert mail.outbox == []
    assert not AuditEvent.objects.filter(action="digest.weekly").exists()
    text = out.getvalue()
    assert "Til: chef@kk.dk" in text
    assert "Prøvekørsel" in text
    assert "010118" not in text


def test_command_sends(org) -> None:  # type: ignore[no-untyped-def]
    out, err = StringIO(), StringIO()
    call_command("digest", "weekly", "--week", "2024-W09", "--municipality", "101", stdout=out, stderr=err)
    assert len(mail.outbox) == 2
    assert "2 mails sendt" in out.getvalue()
    assert "uden-mail" in err.getvalue()


def test_file_backend_creates_the_mail_folder(org, settings: SettingsWrapper, tmp_path) -> None:  # type: ignore[no-untyped-def]
    settings.EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    settings.EMAIL_FILE_PATH = tmp_path / "var" / "mail"
    digest_weekly_send(week_start=date(2024, 2, 26), now=NOW)
    files = list((tmp_path / "var" / "mail").iterdir())
    assert files
    assert "N-WEEK" in files[0].read_text()
