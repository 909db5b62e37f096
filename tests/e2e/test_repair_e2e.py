"""A finding's case repair from the weekly list to its closing, in headless Chromium with axe (issue 13
§11): a submitted review with a Nej becomes a finding and a repair on the caseworker's weekly list; the
caseworker reads it on "Fund på mine sager", comments and reports it done; a leader of the unit re-checks
it with Ja and it is closed, gone from the list. Screenshots go to var/screenshots/."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page

from sagstilsyn.reviews.models import CaseRepair, RepairStatus
from tests.e2e.conftest import axe_violations, describe_violations, log_in, screenshot
from tests.reviews.findings_helpers import caseworker_of, finding_from_review, signer_for

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "hemmelig-kode-123"  # noqa: S105 - the test users' password (tests/factories.py)


def no_violations(page: Page) -> None:
    violations = axe_violations(page)
    assert not violations, describe_violations(violations)


def log_out(page: Page) -> None:
    page.context.clear_cookies()


def test_a_nej_becomes_a_repair_on_the_weekly_list_and_a_recheck_closes_it(
    page: Page, live_server: Any
) -> None:
    review, finding = finding_from_review()
    repair_id = finding.repair.pk
    row = f"tr[data-repair='{repair_id}']"

    log_in(page, live_server.url, caseworker_of(review).username, PASSWORD)
    page.goto(f"{live_server.url}/frister/")
    assert page.get_by_role("heading", name="Sagsgenopretninger (1)").count() == 1
    assert page.locator(row).count() == 1
    assert "Skal genoprettes" in page.locator(row).inner_text()
    screenshot(page, "genopretning-sagsbehandler-frister")
    no_violations(page)

    comment_on_my_findings(page, review.case.source_ref)
    mark_done(page, live_server.url, row, repair_id)

    log_out(page)
    log_in(page, live_server.url, signer_for(review).username, PASSWORD)
    recheck_with_ja(page, live_server.url, row, repair_id)

    page.goto(f"{live_server.url}/frister/")
    assert page.locator(row).count() == 0, "gone from the list"
    page.goto(f"{live_server.url}/fund/")
    assert "Lukket" in page.locator("main").inner_text()
    screenshot(page, "fund-leder")
    no_violations(page)


def comment_on_my_findings(page: Page, case_ref: str) -> None:
    page.get_by_role("link", name="Mine fund").click()
    page.wait_for_load_state("networkidle")
    assert case_ref in page.locator("main").inner_text()
    page.get_by_label("Din bemærkning").fill("Samtalen blev holdt, men ikke skrevet ind")
    page.get_by_role("button", name="Gem bemærkningen").click()
    page.wait_for_load_state("networkidle")
    assert "Din bemærkning er gemt" in page.locator("main").inner_text()
    screenshot(page, "genopretning-mine-fund")
    no_violations(page)


def mark_done(page: Page, url: str, row: str, repair_id: int) -> None:
    page.goto(f"{url}/frister/")
    page.locator(f"{row} a").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_role("heading", name="Sagsgenopretning", exact=True).count() == 1
    no_violations(page)
    page.get_by_label("Hvad er gjort på sagen?").fill("Samtalen er skrevet ind i journalen")
    page.get_by_role("button", name="Meld sagsgenopretningen udført").click()
    page.wait_for_load_state("networkidle")
    assert "meldt udført" in page.locator("main").inner_text()
    assert CaseRepair.objects.get(pk=repair_id).status == RepairStatus.DONE
    screenshot(page, "genopretning-meldt-udfoert")
    page.goto(f"{url}/frister/")
    assert "Meldt udført" in page.locator(row).inner_text(), "on the list until closed"


def recheck_with_ja(page: Page, url: str, row: str, repair_id: int) -> None:
    page.goto(f"{url}/frister/")
    assert page.locator(row).count() == 1, "on the leader's weekly list too"
    page.locator(f"{row} a").click()
    page.wait_for_load_state("networkidle")
    assert "Samtalen blev holdt" in page.locator("main").inner_text(), "the leader sees the comment"
    page.get_by_label("Ja", exact=True).check()
    screenshot(page, "genopretning-fornyet-kontrol")
    no_violations(page)
    page.get_by_role("button", name="Gem den fornyede kontrol").click()
    page.wait_for_load_state("networkidle")
    assert "Sagsgenopretningen er lukket" in page.locator("main").inner_text()
    assert CaseRepair.objects.get(pk=repair_id).status == RepairStatus.CLOSED
    screenshot(page, "genopretning-lukket")


def test_a_leader_counts_learning_points_and_makes_an_action_plan(page: Page, live_server: Any) -> None:
    review, _ = finding_from_review()
    log_in(page, live_server.url, signer_for(review).username, PASSWORD)
    page.goto(f"{live_server.url}/fund/")
    page.get_by_role("link", name="Læringspunkter").first.click()
    page.wait_for_load_state("networkidle")
    page.get_by_role("button", name="Tæl læringspunkterne").click()
    page.wait_for_load_state("networkidle")
    assert "er talt op" in page.locator("main").inner_text()
    screenshot(page, "laeringspunkter-leder")
    no_violations(page)

    page.get_by_role("link", name="Lav handleplan").first.click()
    page.wait_for_load_state("networkidle")
    page.get_by_role("button", name="Opret handleplanen").click()
    page.wait_for_load_state("networkidle")
    assert "Titel: skriv en titel" in page.locator("main").inner_text()
    screenshot(page, "handleplan-fejl")
    no_violations(page)
    page.get_by_label("Titel").fill("Børnefaglige undersøgelser i tide")
    page.get_by_label("Tiltag").fill("Gennemgang af alle nye underretninger på teammødet")
    page.get_by_label("Mål (procent)").fill("90")
    page.get_by_label("Målevindue fra").fill("1.1.2027")
    page.get_by_label("Målevindue til").fill("31.3.2027")
    page.get_by_role("button", name="Opret handleplanen").click()
    page.wait_for_load_state("networkidle")
    main = page.locator("main").inner_text()
    assert "Handleplanen er oprettet" in main
    assert "I gang" in main
    screenshot(page, "handleplaner-leder")
    no_violations(page)
    page.get_by_role("button", name="Afslut").click()
    page.wait_for_load_state("networkidle")
    assert "Afsluttet" in page.locator("main").inner_text()
