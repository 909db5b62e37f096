"""The Content-Security-Policy in headless Chromium (ADR 0017): the main pages of every kind of user
show no CSP violation in the console, and the htmx and form interactions still work under it (the
import job's progress polling, the follow-up list's filters, an oversigtsskema answer, Swagger UI)."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import ConsoleMessage, Page, Response

from sagstilsyn.cases.models import ImportJob, ImportJobStatus
from sagstilsyn.core.models import Municipality, Role
from sagstilsyn.law import load_catalogue
from tests.e2e.conftest import log_in
from tests.factories import make_case, make_municipality, make_unit, make_user

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
PASSWORD = "hemmelig-kode-123"  # noqa: S105 - a test password


class Console:
    """Every console message and page error of a page, and the CSP violations among them."""

    def __init__(self, page: Page) -> None:
        self.lines: list[str] = []
        self.csp_headers: dict[str, str] = {}
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.lines.append(f"pageerror: {error}"))
        page.on("response", self._response)

    def _console(self, message: ConsoleMessage) -> None:
        self.lines.append(f"{message.type}: {message.text}")

    def _response(self, response: Response) -> None:
        if response.request.resource_type == "document":
            self.csp_headers[response.url] = response.headers.get("content-security-policy", "")

    @property
    def violations(self) -> list[str]:
        return [
            line
            for line in self.lines
            if "Content Security Policy" in line or "Content-Security-Policy" in line or "pageerror" in line
        ]


def _world() -> tuple[Municipality, int]:
    municipality = make_municipality()
    nord = make_unit(municipality, "BFE-NORD")
    make_unit(municipality, "BFE-SYD")
    make_user(municipality, Role.CASEWORKER, nord, username="anna")
    make_user(municipality, Role.DEPARTMENT_LEADER, nord, username="leder")
    make_user(municipality, Role.COMMITTEE_MEMBER, username="udvalg")
    make_user(municipality, Role.ADMINISTRATOR, username="admin")
    case = make_case(municipality, "SAG-ANBRINGELSE", caseworker="anna", cpr="010118-1234", placement=True)
    return municipality, case.pk


def _visit(page: Page, url: str) -> None:
    response = page.goto(url)
    assert response is not None
    assert response.status == 200, (url, response.status)
    page.wait_for_load_state("networkidle")


def test_no_csp_violation_on_the_main_pages(page: Page, live_server: Any) -> None:
    municipality, case_id = _world()
    console = Console(page)
    base = live_server.url
    rule = load_catalogue().rules[0].id
    _visit(page, f"{base}/log-ind/")
    log_in(page, base, "leder", PASSWORD)
    for path in (
        "/",
        "/sager/",
        f"/sager/{case_id}/",
        f"/sager/{case_id}/oversigtsskema/",
        f"/sager/{case_id}/oversigtsskema/udskriv/",
        "/frister/",
        "/regler/",
        f"/regler/{rule}/",
    ):
        _visit(page, base + path)

    # The follow-up list's filters: a plain GET form, submitted.
    _visit(page, f"{base}/frister/")
    page.select_option("#filter-gruppe", index=1)
    page.get_by_role("button", name="Vis frister").click()
    page.wait_for_load_state("networkidle")
    assert "gruppe=" in page.url

    # An oversigtsskema answer: the form posts and the page comes back with the mark saved.
    _visit(page, f"{base}/sager/{case_id}/oversigtsskema/")
    form = page.locator("details.checklist-form").first
    if form.get_attribute("open") is None:
        form.locator("summary").click()
    form.locator("textarea").fill("Gennemgået på mødet.")
    form.locator("input[type=checkbox]").check()
    radios = form.locator("input[type=radio]")
    if radios.count():
        radios.first.check()
    form.get_by_role("button").click()
    page.wait_for_load_state("networkidle")
    assert "er gemt" in page.content()

    page.get_by_role("button", name="Log ud").click()
    page.wait_for_load_state("networkidle")
    log_in(page, base, "admin", PASSWORD)
    _visit(page, f"{base}/job/")
    _visit(page, f"{base}/indlaes/")

    # The import job page polls its progress with htmx until the job ends, then swaps in the outcome.
    job = ImportJob.objects.create(  # a job that is still running (the upload's thread is not needed)
        municipality=municipality,
        kind="events",
        filename="haendelser.csv",
        status=ImportJobStatus.RUNNING,
        created_at=timezone.now(),
    )
    with page.expect_request(lambda request: request.url.endswith(f"/indlaes/{job.pk}/status/")):
        _visit(page, f"{base}/indlaes/{job.pk}/")
    ImportJob.objects.filter(pk=job.pk).update(
        status=ImportJobStatus.DONE, finished_at=timezone.now(), result={"rows": 0}
    )
    page.get_by_text("Filen er indlæst.").wait_for()

    # Swagger UI under the same policy: it renders the API's operations.
    _visit(page, f"{base}/api/v1/docs")
    page.locator(".opblock-summary").first.wait_for()

    assert console.csp_headers, "ingen sider blev hentet"
    for url, policy in console.csp_headers.items():
        assert "script-src 'self'" in policy, url
        assert "unsafe-inline" not in policy, url
    assert not console.violations, "\n".join(console.violations)
