"""The review form in headless Chromium (issue 13 §4, §11; ADR 0028): a centre lawyer answers a sampled
case and hands it in with the keyboard alone (Tab, Space, arrow keys, Enter: no mouse), each answer saved
as they go; the central lawyer re-reads it blind at level 2 (the level-1 note is not on the page) and
answers one question differently; the comparison shows the disagreement. axe finds nothing serious on
the form; screenshots of it at 1280 and 390 px go to var/screenshots/.
"""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Browser, Page

from sagstilsyn.reviews.models import Review
from tests.e2e.conftest import axe_violations, describe_violations, screenshot
from tests.reviews.worlds import review_of, started_quarter, supervision_world

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "hemmelig-kode-123"  # noqa: S105 - the factories' test password
LEVEL1_NOTE = "Første gennemgang: journalnotatet om samtalen er uklart"
LEVEL2_NOTE = "Fornyet gennemgang: samtalen er ikke holdt"
ACTIVE = """() => { const e = document.activeElement;
  return {tag: e.tagName, type: e.type || '', name: e.name || '', value: e.value || '',
          text: (e.innerText || '').trim()}; }"""
GROUP = "name => [...document.getElementsByName(name)].map(r => [r.value, r.checked])"


def _log_in_by_keyboard(page: Page, base_url: str, username: str) -> None:
    page.goto(f"{base_url}/log-ind/")
    page.get_by_label("Brugernavn").focus()
    page.keyboard.type(username)
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.wait_for_load_state("networkidle")


def _tab_to(page: Page, text: str, limit: int = 80) -> None:
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(ACTIVE)["text"] == text:
            return
    raise AssertionError(f"{text!r} blev ikke nået med tabulatortasten")


def _htmx_idle(page: Page) -> None:
    page.wait_for_function("() => !document.querySelector('.htmx-request')")


def _answer_by_keyboard(page: Page, *, choices: dict[int, int], notes: dict[int, str]) -> None:
    """From the skip link "Gå til spørgsmålene", Tab through the form: in each question's radio group
    move with the arrow keys to the answer at index `choices.get(number, 0)`, type the note of `notes`
    in its note field, and stop on the Aflever button."""
    order = page.eval_on_selector_all("fieldset.review-question", "els => els.map(e => e.id)")
    numbers = {anchor.removeprefix("spoergsmaal-"): index for index, anchor in enumerate(order, start=1)}
    _tab_to(page, "Gå til spørgsmålene")
    page.keyboard.press("Enter")
    answered: set[str] = set()
    typed: set[str] = set()
    for _ in range(1500):
        page.keyboard.press("Tab")
        active = page.evaluate(ACTIVE)
        if active["tag"] == "BUTTON" and active["text"] == "Aflever":
            break
        if active["type"] == "radio" and active["name"] not in answered:
            question = active["name"].removeprefix("svar-")
            group = page.evaluate(GROUP, active["name"])
            target = choices.get(numbers[question], 0)
            current = [value for value, _ in group].index(active["value"])
            if not any(checked for _, checked in group):
                page.keyboard.press("Space")
            elif current == target:  # a preselected suggestion: away and back, so it is chosen
                page.keyboard.press("ArrowDown")
                page.keyboard.press("ArrowUp")
            for _ in range(abs(target - current)):
                page.keyboard.press("ArrowDown" if target > current else "ArrowUp")
            answered.add(active["name"])
        elif active["tag"] == "TEXTAREA":
            question = active["name"].removeprefix("note-")
            note = notes.get(numbers[question], "")
            if note and question not in typed:
                page.keyboard.type(note)
                typed.add(question)
    else:
        raise AssertionError("Aflever blev ikke nået med tabulatortasten")
    assert len(answered) == len(order), "every question answered"
    _htmx_idle(page)


def _new_page(browser: Browser, width: int = 1280) -> Page:
    context = browser.new_context(
        locale="da-DK", timezone_id="Europe/Copenhagen", viewport={"width": width, "height": 900}
    )
    opened = context.new_page()
    opened.set_default_timeout(15_000)
    return opened


def test_a_review_by_keyboard_then_blind_level_two_and_the_disagreement(
    page: Page, browser: Browser, live_server: Any
) -> None:
    first = review_of(started_quarter(supervision_world()), part="center", level2=True)
    base = live_server.url
    _log_in_by_keyboard(page, base, first.reviewer.username)
    page.goto(f"{base}/gennemgange/")
    assert first.case.source_ref in page.locator("main").inner_text()
    page.goto(f"{base}/gennemgange/{first.pk}/")
    screenshot(page, "gennemgang-formular-1280")
    violations = axe_violations(page)
    assert not violations, describe_violations(violations)
    small = _new_page(browser, 390)
    _log_in_by_keyboard(small, base, first.reviewer.username)
    small.goto(f"{base}/gennemgange/{first.pk}/")
    screenshot(small, "gennemgang-formular-390")
    assert small.evaluate("document.documentElement.scrollWidth") <= 390 + 1, "no sideways scrolling"
    small.context.close()

    _answer_by_keyboard(page, choices={}, notes={1: LEVEL1_NOTE})
    assert page.locator(".review-saved", has_text="Gemt kl.").count() >= 1, "saved as it went (htmx)"
    assert "0 af" in page.locator("#mangler").inner_text()
    with page.expect_navigation():
        page.keyboard.press("Enter")  # on Aflever
    page.wait_for_load_state("networkidle")
    assert "Gennemgangen er afleveret." in page.locator("main").inner_text()
    second = Review.objects.get(first_review=first)

    blind = _new_page(browser)
    _log_in_by_keyboard(blind, base, second.reviewer.username)
    blind.goto(f"{base}/gennemgange/{second.pk}/")
    assert LEVEL1_NOTE not in blind.content(), "level 2 reads blind"
    _answer_by_keyboard(blind, choices={1: 1}, notes={1: LEVEL2_NOTE})
    with blind.expect_navigation():
        blind.keyboard.press("Enter")
    blind.wait_for_load_state("networkidle")
    assert "Gennemgangen er afleveret." in blind.locator("main").inner_text()
    blind.goto(f"{base}/gennemgange/{second.pk}/sammenligning/")
    text = blind.locator("main").inner_text()
    assert LEVEL1_NOTE in text
    assert LEVEL2_NOTE in text
    assert blind.locator(".review-compare--differs").count() == 1
    assert "Uenighed" in blind.locator(".review-compare--differs h2").inner_text()
    screenshot(blind, "gennemgang-sammenligning")
    violations = axe_violations(blind)
    assert not violations, describe_violations(violations)
    blind.context.close()
