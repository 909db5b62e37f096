"""The administrator starts a quarter from the programme overview and sees its progress bars, opens a
sample and redraws it (issue 13 §11), in headless Chromium; each page is screenshot to var/screenshots/
and checked with axe-core."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from sagstilsyn.core.models import Role
from sagstilsyn.reviews.models import Review, Sample
from tests.e2e.conftest import axe_violations, describe_violations, log_in, screenshot
from tests.factories import make_user
from tests.reviews.worlds import supervision_world

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
PASSWORD = "hemmelig-kode-123"  # noqa: S105 - a test password


def _check(page: Page, name: str) -> None:
    screenshot(page, name)
    violations = axe_violations(page)
    assert not violations, describe_violations(violations)


def test_an_administrator_starts_a_quarter_and_redraws_a_sample(page: Page, live_server: Any) -> None:
    municipality = supervision_world()
    make_user(municipality, Role.ADMINISTRATOR, username="admin")
    base = live_server.url
    log_in(page, base, "admin", PASSWORD)

    page.get_by_role("link", name="Tilsyn", exact=True).first.click()
    expect(page.get_by_role("heading", name="Tilsyn", exact=True)).to_be_visible()
    _check(page, "programmes-01-overview-empty")

    page.get_by_role("link", name="Start en periode").click()
    page.get_by_label("Periode").fill("2026-10")
    page.get_by_role("button", name="Start perioden").click()
    expect(page.get_by_text("2026-10 er startet")).to_be_visible()
    _check(page, "programmes-02-started")
    assert Review.objects.filter(municipality=municipality).exists()

    page.get_by_role("link", name="Se fremdriften").click()
    expect(page.locator("#dele progress").first).to_be_visible()
    assert page.locator("#dele tbody tr").count() == Sample.objects.values("part").distinct().count()
    _check(page, "programmes-03-progress")

    centre = Sample.objects.get(part__code="center")
    page.get_by_role("link", name=f"Stikprøve {centre.pk}", exact=True).click()
    expect(page.get_by_text(centre.seed)).to_be_visible()
    page.get_by_role("button", name="Genudtræk og sammenlign").click()
    expect(page.get_by_text("Genudtrækningen giver de samme sager")).to_be_visible()
    _check(page, "programmes-04-sample-redrawn")

    page.get_by_role("link", name="Tilbage til tilsynet").click()
    page.get_by_role("link", name="Kvartalsvis tilsyn: 60 sager på tværs af enhederne").click()
    expect(page.get_by_role("heading", name="Historik")).to_be_visible()
    _check(page, "programmes-05-part")

    page.get_by_role("link", name="Tilbage til tilsynet").click()
    page.get_by_role("link", name="Ny enkeltstående stikprøve").click()
    _check(page, "programmes-06-adhoc")
