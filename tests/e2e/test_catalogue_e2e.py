"""The rule catalogue in a real browser: it renders in Danish and axe finds no serious violations."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page

from tests.e2e.conftest import axe_violations, describe_violations, screenshot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_catalogue_page_is_danish_and_accessible(page: Page, live_server: Any) -> None:
    page.goto(f"{live_server.url}/regler/")
    assert page.locator("html").get_attribute("lang") == "da"
    assert page.get_by_role("heading", name="Regelkataloget").is_visible()
    assert page.get_by_text("Ikke verificeret").first.is_visible()
    screenshot(page, "regelkatalog")
    violations = axe_violations(page)
    assert not violations, describe_violations(violations)
