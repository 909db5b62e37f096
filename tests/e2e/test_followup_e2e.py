"""Ugens frister as the demo's afdelingsleder sees it, in headless Chromium (issue 12, ADR 0020).

The first screen shows this week's work, the newly overdue and the backlog's bands as counts; a band
opens on its own page of at most a hundred rows. Screenshots go to var/screenshots/.
"""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page

from sagstilsyn.demo.load import demo_load
from tests.e2e.conftest import axe_violations, describe_violations, log_in, screenshot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_afdelingsleder_sees_the_week_the_new_and_the_bands(page: Page, live_server: Any) -> None:
    demo_load(children=600)
    log_in(page, live_server.url, "afdelingsleder", "demo1234")
    page.goto(f"{live_server.url}/frister/")
    main = page.locator("main")
    text = main.inner_text()
    assert "Ugens frister" in text
    for heading in ("Nye denne uge", "Forfalder i ugen", "Ældre overskredne frister"):
        assert page.get_by_role("heading", name=heading).count() == 1, heading
    for band in ("overskredet 8–30 dage", "overskredet 31–90 dage", "overskredet mere end 90 dage"):
        assert band in text.lower(), band
    assert "Listen viser gruppe børn" in text  # the afdelingsleder's group (RoleAssignment.group)
    assert page.locator("input[type=week]").count() == 0
    assert page.locator("#filter-uge option[selected]").inner_text().startswith("Uge ")
    shown = page.locator("table.followup-table tbody tr").count()
    assert 0 < shown <= 200
    screenshot(page, "frister-afdelingsleder-overblik")
    violations = axe_violations(page)
    assert not violations, describe_violations(violations)

    page.locator(".followup-total[data-section='over-90'] a").click()
    page.wait_for_load_state("networkidle")
    assert page.locator("h2#over-90").inner_text().startswith("Overskredet mere end 90 dage (")
    assert page.locator("table.followup-table tbody tr").count() <= 100
    screenshot(page, "frister-afdelingsleder-over-90")
