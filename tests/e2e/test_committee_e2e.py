"""A committee member's browser session never receives a child's data (issue 14, "Done when"): an
udvalgsmedlem logs in with Chromium and follows every link of the site breadth first, and every response
the browser receives — pages, htmx fragments, styles, scripts and the Excel downloads it may fetch — is
searched for the children's CPR numbers, names, child ids and case numbers, and for any CPR-shaped number.
The crawl passes through the compliance dashboards (Lovoverholdelse and a requirement's page).

The world holds cases with CPR numbers and names, a ledelsestilsyn quarter with a submitted review whose
Nej became a finding and a case repair, so there is something to leak.
"""

from __future__ import annotations

import io
import zipfile
from collections import deque
from typing import Any
from urllib.parse import urldefrag, urlsplit

import pypdfium2
import pytest
from playwright.sync_api import Page, Response

from sagstilsyn.core.cpr import contains_cpr
from sagstilsyn.core.models import Role
from sagstilsyn.law.calendar import today_local
from sagstilsyn.reports.dashboard.periods import quarter_of
from sagstilsyn.reviews.services.reviews import answer_save, review_questions, review_submit
from tests.e2e.conftest import log_in
from tests.factories import make_case, make_user
from tests.reviews.worlds import review_of, started_quarter, supervision_world

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
PASSWORD = "hemmelig-kode-123"  # noqa: S105 - a test password
CHILDREN = (("P-1", "090917-9679", "Frida Hemmeligsen"), ("P-2", "010118-4321", "Ludvig Fortroligsen"))
#: Pages followed at most.
MAX_PAGES = 80
NOT_FOLLOWED = ("/log-ud/", "/api/v1/", "/static/")


def _world() -> list[str]:
    """The secrets a committee member must never receive."""
    municipality = supervision_world()
    secrets: list[str] = []
    for ref, cpr, name in CHILDREN:
        case = make_case(municipality, ref, unit="BFE-NORD", caseworker="sb-1", cpr=cpr, child_name=name)
        secrets += [ref, case.source_ref, name, cpr, cpr.replace("-", ""), f"BARN-{ref}"]
    reviews = started_quarter(municipality)
    review = review_of(reviews, part="enhed")
    for number, question in enumerate(review_questions(review)):
        answer = "nej" if number == 0 else question.answers[0]
        answer_save(
            review=review, question_id=question.id, answer=answer, note="Mangler", actor=review.reviewer
        )
    review_submit(review=review, actor=review.reviewer)
    secrets += [r.case.source_ref for r in reviews]
    make_user(municipality, Role.COMMITTEE_MEMBER, username="udvalg", password=PASSWORD)
    return sorted(set(secrets), key=len, reverse=True)


def _text(response: Response) -> str:
    """The response's body as text; an Excel file's shared strings and sheets unzipped, a PDF's text."""
    body = response.body()
    if body[:5] == b"%PDF-":
        document = pypdfium2.PdfDocument(body)
        return "\n".join(document[i].get_textpage().get_text_range() for i in range(len(document)))
    if body[:2] == b"PK":
        with zipfile.ZipFile(io.BytesIO(body)) as workbook:
            return "\n".join(
                workbook.read(name).decode("utf-8", "replace")
                for name in workbook.namelist()
                if name.endswith(".xml")
            )
    return body.decode("utf-8", "replace")


def test_a_committee_member_receives_no_childs_data_in_any_response(page: Page, live_server: Any) -> None:
    secrets = _world()
    base = live_server.url
    received: list[tuple[str, str]] = []

    def keep(response: Response) -> None:
        if urlsplit(response.url).netloc == urlsplit(base).netloc and response.status != 304:
            try:
                received.append((response.url, _text(response)))
            except Exception:
                received.append((response.url, ""))

    page.on("response", keep)
    log_in(page, base, "udvalg", PASSWORD)
    seen: set[str] = set()
    # The review was handed in today: the current quarter's dashboard holds its figures.
    queue: deque[str] = deque(["/", f"/rapporter/?periode={quarter_of(today_local()).label}"])
    while queue and len(seen) < MAX_PAGES:
        path = queue.popleft()
        if path in seen:
            continue
        seen.add(path)
        if path.endswith((".xlsx", ".csv", ".pdf")) or "format=xlsx" in path or "format=pdf" in path:
            response = page.request.get(base + path)
            received.append((path, _text(response)))  # type: ignore[arg-type]
            continue
        page.goto(base + path)
        page.wait_for_load_state("networkidle")
        for href in page.eval_on_selector_all("a[href]", "links => links.map(a => a.getAttribute('href'))"):
            target, _ = urldefrag(href)
            parts = urlsplit(target)
            if parts.netloc and parts.netloc != urlsplit(base).netloc:
                continue
            local = parts.path + (f"?{parts.query}" if parts.query else "")
            if local.startswith("/") and not local.startswith(NOT_FOLLOWED) and local not in seen:
                queue.append(local)
    assert len(seen) >= 5, f"the crawl saw too little: {sorted(seen)}"
    # The compliance dashboards (ADR 0038): the overview and a requirement's page were among them.
    assert "/rapporter/" in {urlsplit(path).path for path in seen}, sorted(seen)
    assert any(path.startswith("/rapporter/krav/") for path in seen), sorted(seen)
    assert len(received) >= len(seen)
    leaks = [f"{url}: {secret}" for url, text in received for secret in secrets if secret in text] + [
        f"{url}: CPR-lignende tal" for url, text in received if contains_cpr(text)
    ]
    assert not leaks, "\n".join(leaks[:20])
