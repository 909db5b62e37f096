"""The weekly follow-up pages: scope per role, filters, the Excel export, the access log."""

from __future__ import annotations

from datetime import date
from io import BytesIO
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook
from pytest_django import DjangoDbBlocker

from sagstilsyn.cases.followup.views import parse_week
from sagstilsyn.core.models import AccessLogEntry, CaseGroup, Role, User
from sagstilsyn.law.calendar import today_local
from tests.factories import event, make_municipality, make_staff, make_unit, make_user, record

pytestmark = pytest.mark.django_db

CPR = "010118-1234"


def _org() -> dict[str, Any]:
    municipality = make_municipality()
    north = make_unit(municipality, "BFE-NORD")
    south = make_unit(municipality, "BFE-SYD")
    anna = make_staff(municipality, Role.CASEWORKER, north, username="anna", first_name="Anna")
    make_staff(municipality, Role.CASEWORKER, north, username="bo", first_name="Bo")
    other = make_municipality("147", "Frederiksberg Kommune")
    make_unit(other, "BFE-NORD")
    record(
        municipality,
        event(
            "1",
            "need_noticed",
            date(2024, 1, 2),
            case_id="N-ANNA",
            child_id="C1",
            caseworker="anna",
            group=CaseGroup.CHILDREN,
            cpr=CPR,
        ),
        event("2", "need_noticed", date(2024, 1, 2), case_id="N-BO", child_id="C2", caseworker="bo"),
        event("3", "need_noticed", date(2024, 1, 2), case_id="S-1", child_id="C3", unit="BFE-SYD"),
    )
    record(other, event("x", "need_noticed", date(2024, 1, 2), case_id="F-1", child_id="F1"))
    return {"municipality": municipality, "north": north, "south": south, "anna": anna, "other": other}


@pytest.fixture(scope="module")
def org(module_db: DjangoDbBlocker) -> dict[str, Any]:
    """Built once for the module; each test's writes are rolled back after it (conftest's `module_db`)."""
    with module_db.unblock():
        return _org()


def _get(user: User, name: str = "cases:followup", **params: str | int) -> Any:
    client = Client()
    client.force_login(user)
    return client.get(reverse(name), params)


def test_parse_week_accepts_iso_weeks_and_dates() -> None:
    today = date(2024, 3, 6)
    assert parse_week("2024-W09", today=today) == date(2024, 2, 26)
    assert parse_week("2024-03-03", today=today) == date(2024, 2, 26)
    assert parse_week("rubbish", today=today) == date(2024, 3, 4)
    assert parse_week(None, today=today) == date(2024, 3, 4)


def test_caseworker_page_shows_own_deadlines_by_default(org) -> None:  # type: ignore[no-untyped-def]
    # The 2024 deadlines are more than 90 days overdue: their band's own page (ADR 0020).
    response = _get(org["anna"], afsnit="over-90")
    assert response.status_code == 200
    text = response.content.decode()
    assert "N-ANNA" in text
    assert "N-BO" not in text
    assert "S-1" not in text
    assert "Overskredet" in text
    assert 'class="badge badge-error"' in text
    assert reverse("core:rule", args=["investigation_deadline"]) in text
    assert "Overblik pr. enhed" not in text  # the leader's summary table
    everyone = _get(org["anna"], sagsbehandler="alle", afsnit="over-90").content.decode()
    assert "N-ANNA" in everyone
    assert "N-BO" in everyone
    assert "S-1" not in everyone
    assert _get(org["anna"], enhed=org["south"].pk).status_code == 404


def test_leader_page_has_the_summary_and_drill_down(org) -> None:  # type: ignore[no-untyped-def]
    leader = make_user(org["municipality"], Role.DEPARTMENT_LEADER, org["north"])
    first = _get(leader).content.decode()
    assert "Overblik pr. enhed" in first
    text = _get(leader, afsnit="over-90").content.decode()
    assert "N-ANNA" in text
    assert "N-BO" in text
    assert "S-1" not in text
    assert "F-1" not in text
    assert f"enhed={org['north'].pk}&amp;gruppe=children&amp;sagsbehandler={org['anna'].pk}" in first
    drilled = _get(
        leader, enhed=org["north"].pk, sagsbehandler=org["anna"].pk, afsnit="over-90"
    ).content.decode()
    assert "N-ANNA" in drilled
    assert "N-BO" not in drilled
    assert _get(leader, enhed=org["south"].pk).status_code == 404


def test_other_municipality_never_sees_the_cases(org) -> None:  # type: ignore[no-untyped-def]
    lawyer = make_user(org["other"], Role.CENTRE_LAWYER)
    text = _get(lawyer, afsnit="over-90").content.decode()
    assert "F-1" in text
    assert "N-ANNA" not in text
    assert "S-1" not in text
    assert _get(lawyer, enhed=org["north"].pk).status_code == 404


def test_committee_member_gets_403_and_anonymous_goes_to_login(org) -> None:  # type: ignore[no-untyped-def]
    member = make_user(org["municipality"], Role.COMMITTEE_MEMBER)
    assert _get(member).status_code == 403
    assert _get(member, "cases:followup_xlsx").status_code == 403
    response = Client().get(reverse("cases:followup"))
    assert response.status_code == 302
    assert reverse("core:login") in response["Location"]


def test_excel_export_has_exactly_the_rows_shown_and_no_cpr(org) -> None:  # type: ignore[no-untyped-def]
    response = _get(org["anna"], "cases:followup_xlsx", sagsbehandler="alle", afsnit="over-90")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="frister-')
    sheet = load_workbook(BytesIO(response.content)).active
    assert sheet is not None
    assert str(sheet["A1"].value).startswith("Overskredet mere end 90 dage, uge ")
    assert "Enheden BFE-NORD · udtrukket " in str(sheet["A1"].value)  # Anna's unit: whose deadlines
    assert sheet.freeze_panes == "A3"
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert sheet.auto_filter.ref == f"A2:P{len(rows) + 1}"
    assert rows[0] == (
        "Afsnit",
        "Sag",
        "Regel",
        "Udløst",
        "Frist",
        "Klokkeslæt",
        "Dage over fristen",
        "Status",
        "Enhed",
        "Gruppe",
        "Sagsbehandler",
        "Begrundelse for overskridelse",
        "Planlagt udført",
        "Begrundet af",
        "Kvitteret af",
        "Kvitteret",
    )
    body = rows[1:]
    assert {r[1] for r in body} == {"N-ANNA", "N-BO"}
    anna = next(
        r for r in body if r[1] == "N-ANNA" and str(r[2]).startswith("Børnefaglig undersøgelse afsluttet")
    )
    assert anna[0] == "Overskredet mere end 90 dage"
    assert anna[3].date() == date(2024, 1, 2)  # type: ignore[union-attr]  # the trigger's day
    assert anna[4].date() == date(2024, 5, 2)  # type: ignore[union-attr]
    assert sheet.cell(row=3 + body.index(anna), column=5).number_format == "dd.mm.yyyy"
    assert not any("_" in str(r[2]) for r in body)  # rules by their Danish title, never the id
    assert anna[6] == (today_local() - date(2024, 5, 2)).days
    assert anna[7] == "Overskredet"
    assert anna[8] == "Enheden BFE-NORD"
    assert anna[9] == "Børn"
    assert anna[10] == "Anna"
    dump = repr(rows)
    assert "0101181234" not in dump
    assert "010118-1234" not in dump
    assert "C1" not in dump
    page = _get(org["anna"], sagsbehandler="alle", afsnit="over-90")
    shown = [(r.case_ref, r.rule_title, r.section_label) for r in page.context["screen"].rows]
    assert shown == [(r[1], r[2], r[0]) for r in body]  # the same rows, in the same order


def test_list_and_export_write_access_log_entries(org) -> None:  # type: ignore[no-untyped-def]
    _get(org["anna"])  # the first screen: nothing new or due this week, so no case is read
    assert not AccessLogEntry.objects.filter(user=org["anna"], purpose="followup_list").exists()
    _get(org["anna"], afsnit="over-90")
    entries = AccessLogEntry.objects.filter(user=org["anna"], purpose="followup_list")
    assert {e.case_id for e in entries} == {org["anna"].cases.get().pk}
    _get(org["anna"], "cases:followup_xlsx")
    assert AccessLogEntry.objects.filter(user=org["anna"], purpose="followup_xlsx").count() == 1
