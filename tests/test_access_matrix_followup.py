"""The access matrix, continued: the weekly follow-up, its Excel export, the oversigtsskema, the
upload page and the page of planlagte job with its export — every role × own unit / other unit / other
municipality (see test_access_matrix.py), in the `access_world` of tests/conftest.py."""

from __future__ import annotations

import io
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from openpyxl import load_workbook

from sagstilsyn.cases.followup.selectors import SECTION_SLUGS
from sagstilsyn.core.jobs.services import jobs_run_due
from sagstilsyn.core.models import AccessLogEntry, Role
from tests.factories import (
    CHILD_NAMES,
    CPRS,
    NO_CASES,
    PLACES,
    REFS,
    SCOPE_LABELS,
    VISIBLE,
    AccessWorld,
    cpr_forms,
    make_municipality,
    make_user,
)

pytestmark = pytest.mark.django_db


def _no_cpr(text: str) -> None:
    for digits in CPRS.values():
        for form in cpr_forms(digits)[:2]:
            assert form not in text


@pytest.mark.parametrize("role", list(Role))
def test_weekly_followup_and_its_export(client: Client, access_world: AccessWorld, role: str) -> None:
    user = access_world.users[role]
    client.force_login(user)
    page = client.get("/frister/")
    export = client.get("/frister/frister.xlsx")
    if role in NO_CASES:
        assert (page.status_code, export.status_code) == (403, 403)
        return
    assert (page.status_code, export.status_code) == (200, 200)
    # The first screen shows this week's work; the backlog's bands have pages of their own (ADR 0020).
    html = page.content.decode() + "".join(
        client.get("/frister/", {"afsnit": slug}).content.decode() for slug in SECTION_SLUGS.values()
    )
    sheet = load_workbook(io.BytesIO(export.content)).active
    assert sheet is not None
    cells = " ".join(str(v) for row in sheet.iter_rows(values_only=True) for v in row if v is not None)
    for place, seen in zip(PLACES, VISIBLE[role], strict=True):
        assert (REFS[place] in html) is seen, (role, place)
        assert (REFS[place] in cells) is seen, (role, place)
    _no_cpr(html)
    _no_cpr(cells)
    assert all(name not in cells for name in CHILD_NAMES.values())
    assert AccessLogEntry.objects.filter(user=user, purpose="followup_list").exists()


@pytest.mark.parametrize("role", list(Role))
def test_oversigtsskema(client: Client, access_world: AccessWorld, role: str) -> None:
    user, cases = access_world.users[role], access_world.cases
    client.force_login(user)
    for place, seen in zip(PLACES, VISIBLE[role], strict=True):
        response = client.get(f"/sager/{cases[place].pk}/oversigtsskema/")
        if seen:
            assert response.status_code == 200, (role, place)
            assert REFS[place] in response.content.decode()
            assert AccessLogEntry.objects.filter(
                user=user, case_id=cases[place].pk, purpose="checklist_view"
            ).exists()
        else:
            assert response.status_code == (403 if role in NO_CASES else 404), (role, place)
            assert not AccessLogEntry.objects.filter(user=user, case_id=cases[place].pk).exists()


@pytest.mark.parametrize("role", list(Role))
def test_upload_page_is_for_administrators_only(client: Client, access_world: AccessWorld, role: str) -> None:
    user = access_world.users[role]
    client.force_login(user)
    expected = 200 if role == Role.ADMINISTRATOR else 403
    assert client.get("/indlaes/").status_code == expected


def test_anonymous_users_are_sent_to_log_in() -> None:
    make_municipality()
    client = Client()
    for url in (
        "/frister/",
        "/frister/frister.xlsx",
        "/sager/1/oversigtsskema/",
        "/indlaes/",
        "/job/",
        "/job/koersler.xlsx",
    ):
        response = client.get(url)
        assert response.status_code == 302, url
        assert "/log-ind/" in response["Location"], url


@pytest.mark.parametrize("role", list(Role))
def test_start_page_unit_table_export(client: Client, access_world: AccessWorld, role: str) -> None:
    user = access_world.users[role]
    client.force_login(user)
    response = client.get("/enheder.xlsx")
    leader = role not in (Role.CASEWORKER, *NO_CASES)
    assert response.status_code == (200 if leader else 403)
    if leader:
        sheet = load_workbook(io.BytesIO(response.content)).active
        assert sheet is not None
        assert str(sheet["A1"].value).startswith(f"Enhedsoversigt · {SCOPE_LABELS[role]} · udtrukket ")
        rows = list(sheet.iter_rows(min_row=2, values_only=True))
        assert rows[0][0] == "Enhed"
        names = {row[0] for row in rows[1:]}
        cells = " ".join(str(v) for row in rows for v in row if v is not None)
        assert all(name not in cells for name in CHILD_NAMES.values())  # counts only
        assert "Enheden BFE-NORD" in names
        assert ("Enheden BFE-SYD" in names) is VISIBLE[role][1]


@pytest.mark.parametrize("role", list(Role))
def test_start_page_links_only_to_exports_the_role_may_download(
    client: Client, access_world: AccessWorld, role: str
) -> None:
    user = access_world.users[role]
    client.force_login(user)
    html = client.get("/").content.decode()
    leader = role not in (Role.CASEWORKER, *NO_CASES)
    assert ("/enheder.xlsx" in html) is leader


@pytest.mark.parametrize("role", list(Role))
def test_scheduled_jobs_page_and_export_are_for_administrators_only(
    client: Client, access_world: AccessWorld, role: str
) -> None:
    """Runs hold counts only: an administrator sees their municipality's runs, and no case of the own
    unit, the other unit or the other municipality shows."""
    user = access_world.users[role]
    jobs_run_due(now=datetime(2024, 5, 13, 7, 0, tzinfo=ZoneInfo("Europe/Copenhagen")))
    client.force_login(user)
    page = client.get("/job/")
    export = client.get("/job/koersler.xlsx")
    if role != Role.ADMINISTRATOR:
        assert (page.status_code, export.status_code) == (403, 403)
        assert "/job/" not in client.get("/").content.decode()
        return
    assert (page.status_code, export.status_code) == (200, 200)
    html = page.content.decode()
    sheet = load_workbook(io.BytesIO(export.content)).active
    assert sheet is not None
    cells = " ".join(str(v) for row in sheet.iter_rows(values_only=True) for v in row if v is not None)
    assert "Overskredne frister" in html
    assert "Overskredne frister" in cells
    for place in PLACES:
        assert REFS[place] not in html, place
        assert REFS[place] not in cells, place
    _no_cpr(html)
    _no_cpr(cells)
    assert not AccessLogEntry.objects.filter(user=user).exists()


@pytest.mark.parametrize("role", list(Role))
def test_scheduled_jobs_page_in_the_other_municipality(
    client: Client, access_world: AccessWorld, role: str
) -> None:
    """A user of the other municipality (Lejre) gets the same answer as in their own: Lejre's
    administrator sees the page, but never Copenhagen's runs, and nobody else sees it."""
    jobs_run_due(now=datetime(2024, 5, 13, 7, 0, tzinfo=ZoneInfo("Europe/Copenhagen")))
    user = make_user(access_world.lejre, role, username="lejre")
    client.force_login(user)
    expected = 200 if role == Role.ADMINISTRATOR else 403
    page = client.get("/job/")
    assert page.status_code == expected
    if expected == 200:
        html = page.content.decode()
        assert "Lejre Kommune" in html
        assert "Københavns Kommune" not in html
    assert client.get("/job/koersler.xlsx").status_code == expected
