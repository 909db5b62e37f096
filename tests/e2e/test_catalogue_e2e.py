"""The rule catalogue in a real browser, for a user logged in: it renders in Danish and axe finds no
serious violations; before log-in it sends to the log-in page."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page

from sagstilsyn.core.models import Role
from tests.e2e.conftest import axe_violations, describe_violations, log_in, screenshot
from tests.factories import make_municipality, make_unit, make_user

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "hemmelig-kode-123"  # noqa: S105 - a test password


def test_catalogue_page_is_danish_and_accessible(page: Page, live_server: Any) -> None:
    municipality = make_municipality()
    make_user(municipality, Role.CASEWORKER, make_unit(municipality, "BFE-NORD"), "sagsbehandler", PASSWORD)
    page.goto(f"{live_server.url}/regler/")
    assert "/log-ind/" in page.url
    log_in(page, live_server.url, "sagsbehandler", PASSWORD)
    page.goto(f"{live_server.url}/regler/")
    assert page.locator("html").get_attribute("lang") == "da"
    assert page.get_by_role("heading", name="Regelkataloget").is_visible()
    assert page.get_by_text("Ikke verificeret").first.is_visible()
    screenshot(page, "regelkatalog")
    violations = axe_violations(page)
    assert not violations, describe_violations(violations)
