"""Usædvanlig adgang (ADR 0018): the selectors find each kind of unusual read and leave normal reads
alone; the page and its export are the databeskyttelsesrådgiver's, access-logged, with the chain check."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from io import BytesIO

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook
from pytest_django import DjangoDbBlocker
from pytest_django.fixtures import Settings as SettingsWrapper

from sagstilsyn.cases.access_review.selectors import (
    BURST,
    OFF_HOURS,
    OUTSIDE,
    Thresholds,
    UnusualAccess,
    unusual_access,
)
from sagstilsyn.cases.models import Case
from sagstilsyn.core.access import user_scope
from sagstilsyn.core.jobs.chain import AUDIT_CHAIN_JOB
from sagstilsyn.core.jobs.services import job_run
from sagstilsyn.core.models import AccessLogEntry, AuditEvent, Municipality, Role, User
from sagstilsyn.core.services.access_log import access_log_record
from sagstilsyn.law.calendar import COPENHAGEN
from tests.factories import make_case, make_municipality, make_unit, make_user

pytestmark = pytest.mark.django_db

MONDAY = date(2024, 5, 13)
#: Small limits so that a burst takes five cases: more than 3 distinct cases within 10 minutes.
LIMITS = Thresholds(burst_cases=3, burst_minutes=10, day_start=7, day_end=18)


@dataclass(frozen=True)
class World:
    municipality: Municipality
    users: dict[str, User]
    cases: dict[str, Case]


@pytest.fixture(scope="module")
def world(module_db: DjangoDbBlocker) -> World:
    """Nørrebro (NORD) with two caseworkers and a leader, Syd with a case without caseworker, a
    centerjurist and the databeskyttelsesrådgiver."""
    with module_db.unblock():
        municipality = make_municipality()
        nord, _syd = make_unit(municipality, "BFE-NORD"), make_unit(municipality, "BFE-SYD")
        users = {
            "anna": make_user(municipality, Role.CASEWORKER, nord, username="anna"),
            "bo": make_user(municipality, Role.CASEWORKER, nord, username="bo"),
            "leder": make_user(municipality, Role.DEPARTMENT_LEADER, nord, username="leder"),
            "jurist": make_user(municipality, Role.CENTRE_LAWYER, username="jurist"),
            "dpo": make_user(municipality, Role.DATA_PROTECTION_OFFICER, username="dpo"),
        }
        User.objects.filter(username="bo").update(first_name="Bo", last_name="Berg")  # shown by name
        cases = {
            "annas": make_case(municipality, "SAG-ANNA", caseworker="anna"),
            "bos": make_case(municipality, "SAG-BO", caseworker="bo"),
            "nord": make_case(municipality, "SAG-NORD"),
            "syd": make_case(municipality, "SAG-SYD", unit="BFE-SYD"),
        }
        for number in range(6):
            cases[f"mange-{number}"] = make_case(municipality, f"SAG-M{number}", caseworker="bo")
        return World(municipality, users, cases)


def _read(world: World, who: str, case: str, at: datetime, purpose: str = "case_view") -> None:
    opened = world.cases[case]
    access_log_record(
        user=world.users[who], purpose=purpose, child_id=opened.child_id, case_id=opened.pk, now=at
    )


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=COPENHAGEN)


def _found(world: World, day: date = MONDAY, end: date | None = None) -> list[UnusualAccess]:
    scope = user_scope(world.users["dpo"])
    return unusual_access(scope=scope, start=day, end=end or day, thresholds=LIMITS).findings


def test_normal_reads_are_not_flagged(world: World) -> None:
    _read(world, "anna", "annas", _at(MONDAY, 9))
    _read(world, "anna", "nord", _at(MONDAY, 9, 5))  # the unit's case without a caseworker
    _read(world, "anna", "annas", _at(MONDAY, 9), purpose="checklist_view")
    _read(world, "leder", "bos", _at(MONDAY, 10))
    _read(world, "jurist", "syd", _at(MONDAY, 17, 59))
    for number in range(3):  # three cases in ten minutes: at the limit, not over it
        _read(world, "bo", f"mange-{number}", _at(MONDAY, 11, number))
    assert _found(world) == []


def test_a_caseworker_opening_a_colleagues_case_is_outside_the_caseload(world: World) -> None:
    _read(world, "anna", "bos", _at(MONDAY, 9))
    _read(world, "anna", "bos", _at(MONDAY, 9, 30), purpose="checklist_view")
    _read(world, "leder", "syd", _at(MONDAY, 10))  # a leader reading another unit's case
    (annas, leaders) = sorted(_found(world), key=lambda f: f.user_label)
    assert (annas.kind, annas.user_label, annas.cases, annas.reads) == (OUTSIDE, "anna", ["SAG-BO"], 2)
    assert annas.first == _at(MONDAY, 9)
    assert annas.last == _at(MONDAY, 9, 30)
    assert "Enheden BFE-NORD, sagsbehandler: Bo Berg." in annas.detail  # by name, not user name
    assert (leaders.kind, leaders.cases) == (OUTSIDE, ["SAG-SYD"])


def test_a_users_cases_outside_the_caseload_are_one_row_per_day(world: World) -> None:
    _read(world, "anna", "bos", _at(MONDAY, 9))
    _read(world, "anna", "syd", _at(MONDAY, 14))
    _read(world, "anna", "bos", _at(date(2024, 5, 14), 9))
    monday, tuesday = sorted(_found(world, MONDAY, date(2024, 5, 14)), key=lambda f: f.first)
    assert (monday.cases, monday.reads, tuesday.cases) == (["SAG-BO", "SAG-SYD"], 2, ["SAG-BO"])
    assert monday.detail == (
        "Sagerne hører til Enheden BFE-NORD og Enheden BFE-SYD, sagsbehandlere: Bo Berg, ingen."
    )


def test_a_list_showing_a_colleagues_case_is_not_an_opening(world: World) -> None:
    _read(world, "anna", "bos", _at(MONDAY, 9), purpose="followup_list")
    assert _found(world) == []


def test_many_cases_in_a_short_time_are_one_burst(world: World) -> None:
    for number in range(6):
        _read(world, "bo", f"mange-{number}", _at(MONDAY, 11, number * 2))
    _read(world, "bo", "mange-0", _at(MONDAY, 13))  # later, alone: not part of the burst
    (burst,) = _found(world)
    assert (burst.kind, burst.user_label, burst.reads) == (BURST, "bo", 6)
    assert burst.cases == [f"SAG-M{n}" for n in range(6)]
    assert (burst.first, burst.last) == (_at(MONDAY, 11), _at(MONDAY, 11, 10))
    assert burst.detail.startswith("6 forskellige sager åbnet på 10 min.")


def test_reads_outside_working_hours_are_grouped_per_user_and_day(world: World) -> None:
    _read(world, "anna", "annas", _at(MONDAY, 6, 59))
    _read(world, "anna", "nord", _at(MONDAY, 22, 15), purpose="followup_list")
    _read(world, "anna", "annas", _at(date(2024, 5, 18), 10))  # a Saturday
    _read(world, "anna", "annas", _at(date(2024, 5, 9), 10))  # Kristi himmelfartsdag, a Thursday
    found = _found(world, date(2024, 5, 9), date(2024, 5, 18))
    assert [(f.kind, f.first.date(), f.reads) for f in found] == [
        (OFF_HOURS, date(2024, 5, 18), 1),
        (OFF_HOURS, MONDAY, 2),
        (OFF_HOURS, date(2024, 5, 9), 1),
    ]
    saturday, monday, holiday = found
    assert "lørdag" in saturday.detail
    assert "uden for kl. 07–18" in monday.detail
    assert "06:59–22:15" in monday.detail
    assert monday.cases == ["SAG-ANNA", "SAG-NORD"]
    assert "Kristi himmelfartsdag" in holiday.detail


def test_the_weekly_mail_sent_at_six_is_not_an_off_hours_read(world: World) -> None:
    _read(world, "leder", "bos", _at(MONDAY, 6), purpose="followup_digest")
    assert _found(world) == []


def test_reads_outside_the_period_and_in_another_municipality_are_not_reviewed(world: World) -> None:
    _read(world, "anna", "bos", _at(date(2024, 5, 12), 23, 59))
    lejre = make_municipality("350", "Lejre Kommune")
    make_unit(lejre)
    stranger = make_user(lejre, Role.CASEWORKER, username="fremmed")
    access_log_record(user=stranger, purpose="case_list", now=_at(MONDAY, 23))
    assert _found(world) == []


# --- the page and its export --------------------------------------------------------------------


def test_the_page_lists_the_findings_checks_the_chains_and_is_access_logged(
    client: Client, world: World
) -> None:
    _read(world, "anna", "bos", _at(MONDAY, 21))
    client.force_login(world.users["dpo"])
    response = client.get(reverse("cases:unusual_access"), {"fra": "2024-05-13", "til": "2024-05-13"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Uden for egen sagsstamme (1)" in html
    assert "Uden for arbejdstid (1)" in html
    assert "SAG-BO" in html
    assert "Kæderne er intakte" in html
    entry = AccessLogEntry.objects.filter(purpose="unusual_access").get()
    assert (entry.user, entry.case_id) == (world.users["dpo"], None)


def test_the_page_shows_a_broken_chain(client: Client, world: World) -> None:
    changed = AuditEvent.objects.filter(municipality=world.municipality).order_by("seq")[2]
    AuditEvent.objects.filter(pk=changed.pk).update(target_label="rettet")
    client.force_login(world.users["dpo"])
    html = client.get(reverse("cases:unusual_access")).content.decode()
    assert "Kæderne er brudt" in html
    assert f"brudt fra nr. {changed.seq} i kæden: Række {changed.pk} (nr. {changed.seq}) er ændret" in html


def test_long_chains_show_the_daily_jobs_latest_run(
    client: Client, world: World, settings: SettingsWrapper
) -> None:
    settings.AUDIT_PAGE_CHECK_ROWS = 10  # the world's chains hold more
    client.force_login(world.users["dpo"])
    html = client.get(reverse("cases:unusual_access")).content.decode()
    assert "Kæderne er ikke kontrolleret endnu" in html
    now = datetime(2024, 5, 13, 3, 0, tzinfo=COPENHAGEN)
    job_run(job=AUDIT_CHAIN_JOB, municipality=world.municipality, slot=now.date(), now=now)
    html = client.get(reverse("cases:unusual_access")).content.decode()
    assert "Kæderne var intakte ved seneste kontrol" in html
    assert "Det planlagte job Kontrol af revisionsspor kørte" in html
    assert "Kæderne er intakte (" in html


def test_a_wrong_period_is_refused_in_danish(client: Client, world: World) -> None:
    client.force_login(world.users["dpo"])
    wrong = client.get(reverse("cases:unusual_access"), {"fra": "13-05-2024"})
    assert wrong.status_code == 400
    assert "Feltet &#x27;fra&#x27;: &#x27;13-05-2024&#x27; er ikke en dato" in wrong.content.decode()
    masked = client.get(reverse("cases:unusual_access"), {"fra": "0909179679", "til": "2024\x0b"}).content
    assert b"0909179679" not in masked
    assert "Feltet &#x27;fra&#x27;: &#x27;090917-XXXX&#x27; er ikke en dato" in masked.decode()
    reversed_ = client.get(reverse("cases:unusual_access"), {"fra": "2024-05-14", "til": "2024-05-13"})
    assert reversed_.status_code == 400
    too_long = client.get(reverse("cases:unusual_access"), {"fra": "2024-01-01", "til": "2024-12-31"})
    assert "Perioden må højst være 92 dage" in too_long.content.decode()


def test_the_period_is_typed_and_shown_the_danish_way(client: Client, world: World) -> None:
    """Text fields with dd.mm.åååå, not the browser's date picker (whose format follows its language)."""
    client.force_login(world.users["dpo"])
    page = client.get(reverse("cases:unusual_access"), {"fra": "13.05.2024", "til": "14.5.2024"})
    assert page.status_code == 200
    html = page.content.decode()
    assert 'value="13.05.2024"' in html
    assert 'value="14.05.2024"' in html
    assert 'type="date"' not in html


def test_the_export_holds_the_findings(client: Client, world: World) -> None:
    _read(world, "anna", "bos", _at(MONDAY, 21))
    client.force_login(world.users["dpo"])
    response = client.get(reverse("cases:unusual_access_xlsx"), {"fra": "2024-05-13", "til": "2024-05-13"})
    assert response.status_code == 200
    assert "usaedvanlig-adgang-2024-05-13-2024-05-13.xlsx" in response["Content-Disposition"]
    sheet = load_workbook(BytesIO(response.content)).active
    assert sheet is not None
    assert str(sheet["A1"].value).startswith(
        "Usædvanlig adgang 13.05.2024–13.05.2024 · Københavns Kommune · "
    )
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert rows[0][:3] == ("Type", "Bruger", "Brugernavn")
    assert sheet["D3"].number_format == "dd.mm.yyyy hh:mm"
    assert [(row[0], row[2], row[6]) for row in rows[1:]] == [
        ("Uden for egen sagsstamme", "anna", "SAG-BO"),
        ("Uden for arbejdstid", "anna", "SAG-BO"),
    ]
    assert rows[1][3] == datetime(2024, 5, 13, 21, 0)
    assert AccessLogEntry.objects.filter(purpose="unusual_access_xlsx", user=world.users["dpo"]).exists()


@pytest.mark.parametrize("who", ["anna", "leder", "jurist"])
def test_only_the_data_protection_officer_sees_the_page(client: Client, world: World, who: str) -> None:
    client.force_login(world.users[who])
    assert client.get(reverse("cases:unusual_access")).status_code == 403
    assert client.get(reverse("cases:unusual_access_xlsx")).status_code == 403
    assert "Usædvanlig adgang" not in client.get(reverse("web:home")).content.decode()


def test_the_data_protection_officer_has_the_menu_entry_and_no_cases(client: Client, world: World) -> None:
    client.force_login(world.users["dpo"])
    home = client.get(reverse("web:home")).content.decode()
    assert reverse("cases:unusual_access") in home
    assert client.get(reverse("cases:case_detail", args=[world.cases["annas"].pk])).status_code == 403
