"""The case page and the oversigtsskema as a faglig koordinator uses them, in headless Chromium:

- the case page opens with the summary: the overdue deadline with its days overdue and a link to give
  the begrundelse, the next deadlines, the statuses by urgency with Ikke relevant last;
- on the oversigtsskema the koordinator ticks an item by hand (its "kræver en faglig vurdering" goes)
  and signs the schema off; who and when show on the schema and in the print;
- axe-core finds no serious or critical violations; screenshots go to var/screenshots/.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from sagstilsyn.cases.models import Case
from sagstilsyn.core.models import Role
from sagstilsyn.law.calendar import today_local
from tests.e2e.conftest import axe_violations, describe_violations, log_in, screenshot
from tests.factories import event, make_municipality, make_unit, make_user, record

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
PASSWORD = "hemmelig-kode-123"  # noqa: S105 - a test password


def _case() -> int:
    municipality = make_municipality()
    nord = make_unit(municipality, "BFE-NORD")
    make_user(municipality, Role.CASEWORKER, nord, username="anna")
    make_user(municipality, Role.COORDINATOR, nord, username="koordinator")
    today = today_local()
    placement = {"measure": "placement_with_consent"}
    common: dict[str, Any] = {"case_id": "SAG-1", "child_id": "B-1", "caseworker": "anna"}
    record(
        municipality,
        event("E1", "need_noticed", today - timedelta(days=160), **common),
        event("E2", "child_views_exception", today - timedelta(days=12), **common),
        event("E3", "measure_decided", today - timedelta(days=10), attrs=placement, **common),
        event("E4", "measure_started", today - timedelta(days=5), attrs=placement, **common),
    )
    return Case.objects.get(source_ref="SAG-1").pk


def _accessible(page: Page) -> None:
    violations = axe_violations(page)
    assert not violations, describe_violations(violations)


def test_koordinator_reads_the_summary_ticks_an_item_and_signs_off(page: Page, live_server: Any) -> None:
    case_id = _case()
    log_in(page, live_server.url, "koordinator", PASSWORD)

    page.goto(f"{live_server.url}/sager/{case_id}/")
    summary = page.locator(".case-summary")
    expect(summary.get_by_role("heading", name="Overskredne frister")).to_be_visible()
    expect(summary).to_contain_text("dage over fristen")
    expect(summary).to_contain_text("Senest ")
    expect(summary.get_by_role("link", name="Giv begrundelse").first).to_be_visible()
    expect(summary.get_by_role("heading", name="Næste frister")).to_be_visible()
    tally = summary.locator(".case-summary__tally .badge").all_inner_texts()
    assert tally[0] == "Overskredet"
    assert tally[-1] == "Ikke relevant"
    screenshot(page, "casepage-summary")
    _accessible(page)

    page.get_by_role("link", name="Oversigtsskema").click()
    item = page.locator("#punkt-2")
    expect(item).to_contain_text("Kræver en faglig vurdering")
    item.get_by_label("Punktet er opfyldt").check()
    item.get_by_label("Note").fill("Vejledt om bisidder ved samtalen; se journalnotat.")
    item.get_by_role("button", name="Gem punkt 2").click()
    expect(page.locator("#punkt-2")).not_to_contain_text("Kræver en faglig vurdering")
    expect(page.locator("#punkt-2")).to_contain_text("Afkrydset")

    page.get_by_label("Note til godkendelsen (frivillig)").fill("Gennemgået med Anna.")
    page.get_by_role("button", name="Godkend oversigtsskemaet").click()
    expect(page.locator("#godkendelse")).to_contain_text("Godkendt af")
    expect(page.locator("#godkendelse")).to_contain_text("Gennemgået med Anna.")
    screenshot(page, "casepage-checklist-signed")
    _accessible(page)

    page.goto(f"{live_server.url}/sager/{case_id}/oversigtsskema/udskriv/")
    expect(page.locator("body")).to_contain_text("Godkendt i Sagstilsyn af")
    _accessible(page)
