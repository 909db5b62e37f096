"""The case register as its users see it, in headless Chromium (issue 4's end-to-end scenarios).

- a caseworker sees only their own deadlines;
- a leader's weekly list covers the unit, per group and caseworker;
- an upload with errors shows the Danish report and writes nothing;
- a committee member cannot open a case;
- an administrator sees the scheduled jobs and their runs;
- the data protection officer sees unusual access (a colleague's case opened) and the intact chains;
- axe-core finds no serious or critical violations on these pages; screenshots go to var/screenshots/.

No CPR number reaches the server's log: tests/conftest.py greps every line after each test (and
test_cpr_e2e.py types CPR numbers into every search).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import pytest
from playwright.sync_api import Page

from sagstilsyn.cases.models import Case, CaseEvent, ImportJob
from sagstilsyn.core.jobs.services import jobs_run_due
from sagstilsyn.core.models import Role
from sagstilsyn.law.calendar import add_months, today_local
from tests.e2e.conftest import axe_violations, describe_violations, log_in, screenshot
from tests.factories import event, make_municipality, make_unit, make_user, record

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
PASSWORD = "hemmelig-kode-123"  # noqa: S105 - a test password


@dataclass
class World:
    anna_case: int
    bo_case: int


def _world() -> World:
    municipality = make_municipality()
    nord = make_unit(municipality, "BFE-NORD")
    make_unit(municipality, "BFE-SYD")
    make_user(municipality, Role.CASEWORKER, nord, username="anna")
    make_user(municipality, Role.CASEWORKER, nord, username="bo")
    make_user(municipality, Role.DEPARTMENT_LEADER, nord, username="leder")
    make_user(municipality, Role.COMMITTEE_MEMBER, username="udvalg")
    make_user(municipality, Role.ADMINISTRATOR, username="admin")
    make_user(municipality, Role.DATA_PROTECTION_OFFICER, username="dpo")
    now = today_local()
    # On the first screen of Ugens frister (ADR 0020): due this week (today) and new this week (5 days).
    soon = add_months(now, -4)  # investigation due today
    late = add_months(now - timedelta(days=5), -4)  # investigation overdue by five days
    record(
        municipality,
        event(
            "A1",
            "need_noticed",
            soon,
            case_id="SAG-ANNA",
            child_id="B-ANNA",
            caseworker="anna",
            group="investigation",
            cpr="010118-1234",
        ),
        event(
            "B1",
            "need_noticed",
            late,
            case_id="SAG-BO",
            child_id="B-BO",
            caseworker="bo",
            group="children",
            cpr="020219-2345",
        ),
        event("S1", "need_noticed", date(2024, 1, 5), case_id="SAG-SYD", child_id="B-SYD", unit="BFE-SYD"),
    )

    return World(
        anna_case=Case.objects.get(source_ref="SAG-ANNA").pk, bo_case=Case.objects.get(source_ref="SAG-BO").pk
    )


def _accessible(page: Page) -> None:
    violations = axe_violations(page)
    assert not violations, describe_violations(violations)


def test_caseworker_sees_only_own_deadlines(page: Page, live_server: Any) -> None:
    _world()
    log_in(page, live_server.url, "anna", PASSWORD)
    page.goto(f"{live_server.url}/frister/")
    body = page.locator("main").inner_text()
    assert "SAG-ANNA" in body
    assert "SAG-BO" not in body
    assert "SAG-SYD" not in body
    screenshot(page, "frister-sagsbehandler")
    _accessible(page)
    page.goto(f"{live_server.url}/")
    screenshot(page, "start-sagsbehandler")
    _accessible(page)


def test_leader_sees_the_weekly_list_for_the_unit(page: Page, live_server: Any) -> None:
    world = _world()
    log_in(page, live_server.url, "leder", PASSWORD)
    page.goto(f"{live_server.url}/frister/")
    body = page.locator("main").inner_text()
    assert "SAG-ANNA" in body
    assert "SAG-BO" in body
    assert "SAG-SYD" not in body
    assert "Overblik pr. enhed, gruppe og sagsbehandler" in body
    screenshot(page, "frister-leder")
    _accessible(page)
    page.goto(f"{live_server.url}/sager/{world.bo_case}/")
    case_text = page.locator("main").inner_text()
    assert "Børnefaglig undersøgelse afsluttet inden 4 måneder" in case_text
    assert "020219-XXXX" in case_text
    assert "020219-2345" not in case_text
    screenshot(page, "sagsside-leder")
    _accessible(page)
    page.goto(f"{live_server.url}/sager/")
    screenshot(page, "sagsliste-leder")
    _accessible(page)


def test_upload_with_errors_shows_the_danish_report_and_writes_nothing(page: Page, live_server: Any) -> None:
    _world()
    before = CaseEvent.objects.count()
    log_in(page, live_server.url, "admin", PASSWORD)
    page.goto(f"{live_server.url}/indlaes/")
    screenshot(page, "indlaes")
    _accessible(page)
    content = (
        b"event_id;case_id;child_id;cpr;unit;type;at;notifier\n"
        b"X1;SAG-NY;B-NY;030320-3456;BFE-NORD;concern_received;2025-01-06T09:00:00+01:00;professional\n"
        b"X2;SAG-NY;B-NY;;BFE-NORD;concern_acknowleged;2025-01-07;\n"
        b"X3;SAG-NY;B-NY;;BFE-VEST;need_noticed;2025-01-07;\n"
    )
    page.get_by_label("Fil (CSV eller XLSX)").set_input_files(
        {"name": "haendelser.csv", "mimeType": "text/csv", "buffer": content}
    )
    page.get_by_role("button", name="Indlæs filen").click()
    page.get_by_text("Intet er indlæst.").first.wait_for()
    body = page.locator("main").inner_text()
    assert "concern_acknowleged" in body
    assert "ukendt hændelsestype" in body
    assert "BFE-VEST" in body
    assert "enheden findes ikke" in body
    assert "Hent fejlrapport (Excel)" in body
    assert "3456" not in body
    screenshot(page, "indlaes-fejl")
    _accessible(page)
    assert CaseEvent.objects.count() == before
    assert ImportJob.objects.get().status == "rejected"


def test_committee_member_cannot_open_a_case(page: Page, live_server: Any) -> None:
    world = _world()
    log_in(page, live_server.url, "udvalg", PASSWORD)
    page.goto(f"{live_server.url}/")
    start = page.locator("main").inner_text()
    assert "SAG-ANNA" not in start
    assert "010118" not in start
    screenshot(page, "start-udvalg")
    _accessible(page)
    response = page.goto(f"{live_server.url}/sager/{world.anna_case}/")
    assert response is not None
    assert response.status == 403
    assert "SAG-ANNA" not in page.content()
    screenshot(page, "udvalg-403")
    _accessible(page)


def test_administrator_sees_the_scheduled_jobs_and_their_runs(page: Page, live_server: Any) -> None:

    _world()
    make_municipality("350", "Lejre Kommune")  # another municipality of the installation
    jobs_run_due()  # as cron or the worker would: the overdue marking and the weekly mail, per municipality
    log_in(page, live_server.url, "admin", PASSWORD)
    page.goto(f"{live_server.url}/")
    page.get_by_role("link", name="Planlagte job").first.click()
    page.wait_for_load_state()
    body = page.locator("main").inner_text()
    assert "Planlagte job" in body
    assert "Overskredne frister" in body
    assert "Ugens fristmail" in body
    assert "Her ses kun kørslerne for Københavns Kommune." in body
    assert "Lejre" not in body
    assert page.locator("main table").nth(1).locator("tbody tr").count() == 4  # Copenhagen's four runs only
    assert "010118" not in body
    assert "SAG-ANNA" not in body
    screenshot(page, "planlagte-job")
    _accessible(page)


def test_data_protection_officer_sees_unusual_access(page: Page, live_server: Any) -> None:
    world = _world()
    log_in(page, live_server.url, "anna", PASSWORD)
    page.goto(f"{live_server.url}/sager/{world.bo_case}/")  # a colleague's case in her own unit
    page.context.clear_cookies()  # log out
    log_in(page, live_server.url, "dpo", PASSWORD)
    page.get_by_role("link", name="Usædvanlig adgang").first.click()
    page.wait_for_load_state()
    body = page.locator("main").inner_text()
    assert "Kæderne er intakte" in body
    assert "Uden for egen sagsstamme (1)" in body
    assert "SAG-BO" in body
    assert "010118" not in body
    assert "020219" not in body
    screenshot(page, "usaedvanlig-adgang")
    _accessible(page)
    response = page.goto(f"{live_server.url}/sager/{world.anna_case}/")
    assert response is not None
    assert response.status == 403
