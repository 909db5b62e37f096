"""The follow-up page: the first screen, a band's own paged view, sorting, the week picker, the group."""

from __future__ import annotations

from datetime import timedelta
from io import BytesIO
from typing import Any

import pytest
from django.test import Client
from openpyxl import load_workbook
from pytest_django import DjangoDbBlocker

from sagstilsyn.cases.followup.selectors import NEW, PAGE_SIZE, THIS_WEEK
from sagstilsyn.cases.models import Obligation
from sagstilsyn.cases.overrun.services import overrun_reason_record
from sagstilsyn.core.models import CaseGroup, Role, RoleAssignment, User
from sagstilsyn.law.calendar import add_months, today_local
from tests.factories import event, make_municipality, make_staff, make_unit, record

pytestmark = pytest.mark.django_db

BACKLOG = 60  # cases, two obligations each (the investigation and the foreløbig vurdering)


def _org() -> dict[str, Any]:
    municipality = make_municipality()
    unit = make_unit(municipality, "BFE-NORD")
    make_staff(municipality, Role.CASEWORKER, unit, username="anna", first_name="Anna")
    make_staff(municipality, Role.CASEWORKER, unit, username="bo", first_name="Bo")
    leader = make_staff(municipality, Role.DEPARTMENT_LEADER, unit, username="leder", first_name="Lea")
    today = today_local()
    # Noticed 4 months and 3 days ago: both deadlines passed 3 days ago (new this week).
    noticed_new = add_months(today - timedelta(days=3), -4)
    record(
        municipality,
        event(
            "new",
            "need_noticed",
            noticed_new,
            case_id="NY-1",
            child_id="C0",
            caseworker="bo",
            group=CaseGroup.CHILDREN,
        ),
        *[
            event(
                f"old{i}",
                "need_noticed",
                add_months(today, -8) - timedelta(days=i),
                case_id=f"GL-{i:03d}",
                child_id=f"C{i + 1}",
                caseworker="anna" if i % 2 else "bo",
                group=CaseGroup.YOUTH,
            )
            for i in range(BACKLOG)
        ],
    )
    return {"leader": leader, "today": today}


@pytest.fixture(scope="module")
def org(module_db: DjangoDbBlocker) -> dict[str, Any]:
    with module_db.unblock():
        return _org()


def _get(user: User, **params: str | int) -> Any:
    client = Client()
    client.force_login(user)
    return client.get("/frister/", params)


def test_the_first_screen_shows_the_new_and_the_week_and_counts_the_bands(org) -> None:  # type: ignore[no-untyped-def]
    response = _get(org["leader"])
    screen = response.context["screen"]
    assert [view.section for view in screen.shown] == [NEW, THIS_WEEK]
    assert screen.counts[NEW] == 2
    assert screen.counts["band_over_90"] == 2 * BACKLOG
    html = response.content.decode()
    assert "NY-1" in html
    assert "GL-000" not in html  # the backlog is counted, its rows are on the band's own page
    assert f"{2 * BACKLOG}</span> overskredet mere end 90 dage" in html
    assert "afsnit=over-90" in html
    year, week, _ = screen.week_start.isocalendar()
    assert f"Uge {week}, {year}" in html  # the Danish week picker, not the browser's English one
    assert 'type="week"' not in html
    assert "Dage over" in html


def test_a_band_has_its_own_pages_of_at_most_a_hundred_rows(org) -> None:  # type: ignore[no-untyped-def]
    first = _get(org["leader"], afsnit="over-90")
    rows = first.context["screen"].rows
    assert len(rows) == PAGE_SIZE
    assert "Side 1 af 2" in first.content.decode()
    second = _get(org["leader"], afsnit="over-90", side=2)
    assert len(second.context["screen"].rows) == 2 * BACKLOG - PAGE_SIZE
    # Most days overdue first by default; the trigger's day and the days overdue on every row.
    days = [row.days_overdue for row in rows]
    assert days == sorted(days, reverse=True)
    assert all(row.trigger_day is not None for row in rows)
    by_caseworker = _get(org["leader"], afsnit="over-90", sortering="sagsbehandler").context["screen"].rows
    names = [row.caseworker_name for row in by_caseworker]
    assert names == sorted(names)
    nearest = _get(org["leader"], afsnit="over-90", sortering="frist").context["screen"].rows
    assert [r.days_overdue for r in nearest] == sorted(r.days_overdue for r in nearest)


def test_a_leader_with_a_group_starts_there_and_can_widen(org) -> None:  # type: ignore[no-untyped-def]
    RoleAssignment.objects.filter(user=org["leader"]).update(group=CaseGroup.CHILDREN)
    html = _get(org["leader"]).content.decode()
    assert "Vis hele enheden" in html
    screen = _get(org["leader"]).context["screen"]
    assert screen.counts["band_over_90"] == 0  # the backlog is the youth group's
    assert screen.counts[NEW] == 2
    wide = _get(org["leader"], gruppe="alle").context["screen"]
    assert wide.counts["band_over_90"] == 2 * BACKLOG


def test_reasons_show_filter_and_export(org) -> None:  # type: ignore[no-untyped-def]
    leader = org["leader"]
    obligation = Obligation.objects.filter(case__source_ref="NY-1").order_by("pk").first()
    assert obligation is not None
    overrun_reason_record(user=leader, obligation=obligation, text="Venter på skolens udtalelse.")
    html = _get(leader).content.decode()
    assert "Venter på skolens udtalelse." in html
    assert f"/frister/{obligation.pk}/begrundelse/?next=" in html
    assert "Angiv begrundelse" in html  # the other new one has none yet
    without = _get(leader, uden_begrundelse=1).context["screen"]
    assert without.counts[NEW] == 1
    assert obligation.pk not in {row.obligation_id for row in without.rows}
    assert without.counts[THIS_WEEK] == 0  # only overdue deadlines have a reason to give
    client = Client()
    client.force_login(leader)
    sheet = load_workbook(BytesIO(client.get("/frister/frister.xlsx", {"afsnit": "nye"}).content)).active
    assert sheet is not None
    assert str(sheet["A1"].value).startswith("Nye denne uge, uge ")  # the title row: what, whom, when
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert "Begrundelse for overskridelse" in rows[0]
    column = rows[0].index("Begrundelse for overskridelse")
    assert "Venter på skolens udtalelse." in {row[column] for row in rows[1:]}
