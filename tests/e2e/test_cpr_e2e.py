"""CPR numbers typed into every search of a real browser session reach no page, address or log line
(issue 11 point 4), in headless Chromium against the live server.

The live server writes runserver's access log (tests/e2e/conftest.py), so each request line below, the
query string with the CPR number in it included, goes through the configured log handlers; the tap of
tests/logtap.py keeps what they write and tests/conftest.py greps it after the test. Here the test also
checks that those lines were written at all, and redacted: the grep did not pass by reading nothing.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from playwright.sync_api import Page

from sagstilsyn.core.cpr import contains_cpr
from sagstilsyn.core.models import Role
from tests.e2e.conftest import log_in
from tests.factories import event, make_municipality, make_unit, make_user, record
from tests.logtap import LOG_TAP, LogLine

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
PASSWORD = "hemmelig-kode-123"  # noqa: S105 - a test password
#: The child's CPR number (9 September 2017), and a number nobody has (1 January 2018).
CHILD_CPR = "090917-9679"
NOBODYS = "0101184321"


def _world() -> None:
    municipality = make_municipality()
    nord = make_unit(municipality, "BFE-NORD")
    make_user(municipality, Role.CASEWORKER, nord, username="anna", password=PASSWORD)
    record(
        municipality,
        event(
            "A1",
            "need_noticed",
            date(2025, 1, 6),
            case_id="SAG-ANNA",
            child_id="B-ANNA",
            caseworker="anna",
            cpr=CHILD_CPR,
        ),
    )


def _texts(lines: list[LogLine], logger: str) -> list[str]:
    return [line.text for line in lines if line.logger == logger]


def _main(page: Page) -> str:
    return page.locator("main").inner_text()


def test_cpr_numbers_typed_into_the_searches_reach_no_page_address_or_log(
    page: Page, live_server: Any
) -> None:
    _world()
    start = LOG_TAP.mark()
    log_in(page, live_server.url, "anna", PASSWORD)

    # A CPR number in the address: the list starts over without it and says why.
    page.goto(f"{live_server.url}/sager/?q=0909179679&status=")
    page.wait_for_load_state("networkidle")
    assert not contains_cpr(page.url)
    assert "Der søges ikke på CPR-numre her" in _main(page)
    assert not contains_cpr(page.content())

    # Typed into the case-number search (GET): the same.
    page.get_by_label("Sagsnummer").fill(f"SAG-{CHILD_CPR}")
    page.get_by_role("button", name="Vis sager").click()
    page.wait_for_load_state("networkidle")
    assert not contains_cpr(page.url)
    assert "Der søges ikke på CPR-numre her" in _main(page)

    # Typed into the CPR search (POST): the child's case is found; the number is in no address or page.
    page.get_by_role("textbox", name="CPR-nummer").fill(CHILD_CPR)
    page.get_by_role("button", name="Find barnets sager").click()
    page.wait_for_load_state("networkidle")
    assert "SAG-ANNA" in _main(page)
    assert not contains_cpr(page.url)
    assert not contains_cpr(page.content())
    page.get_by_role("textbox", name="CPR-nummer").fill(NOBODYS)
    page.get_by_role("button", name="Find barnets sager").click()
    page.wait_for_load_state("networkidle")
    assert "0 sager" in _main(page)
    assert not contains_cpr(page.content())

    # A CPR number in a path: Django's 404 line names the path.
    response = page.goto(f"{live_server.url}/sager/{NOBODYS}/")
    assert response is not None
    assert response.status == 404

    # The access log wrote each of these requests, through the configured handlers, redacted.
    lines = LOG_TAP.since(start)
    access = _texts(lines, "django.server")
    assert any("GET /sager/?q=090917-XXXX" in text for text in access), access
    assert any("POST /sager/cpr-soegning/" in text for text in access), access
    assert any("/sager/010118-XXXX/" in text for text in _texts(lines, "django.request")), lines
    assert not [line for line in lines if line.has_cpr()]


def test_a_cpr_number_as_user_name_is_refused_and_not_shown(page: Page, live_server: Any) -> None:
    _world()
    start = LOG_TAP.mark()
    page.goto(f"{live_server.url}/log-ind/?next=/sager/%3Fq%3D{NOBODYS}")
    assert not contains_cpr(page.content())
    page.get_by_label("Brugernavn").fill(NOBODYS)
    page.get_by_label("Adgangskode").fill("forkert-kode-123")
    page.get_by_role("button", name="Log ind").click()
    page.wait_for_load_state("networkidle")
    assert "Brugernavnet må ikke indeholde et CPR-nummer" in _main(page)
    assert not contains_cpr(page.content())
    access = _texts(LOG_TAP.since(start), "django.server")
    assert any("next=/sager/%3Fq%3D010118-XXXX" in text for text in access), access
