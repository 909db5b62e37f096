"""The administrator runs the organisation from the screen, in headless Chromium (issue 12, point 4):
creates a unit, imports a staff file from the upload page (with its progress and outcome) and revokes an
API token; each page is screenshot to var/screenshots/ and checked with axe-core."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from sagstilsyn.api.models import ApiClient
from sagstilsyn.core.models import AuditEvent, Role, RoleAssignment, Unit, User
from tests.e2e.conftest import axe_violations, describe_violations, log_in, screenshot
from tests.factories import make_api_client, make_municipality, make_unit, make_user

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
PASSWORD = "hemmelig-kode-123"  # noqa: S105 - a test password


def _check(page: Page, name: str) -> None:
    screenshot(page, name)
    violations = axe_violations(page)
    assert not violations, describe_violations(violations)


def _import_staff(page: Page, tmp_path: Path) -> None:
    """The staff file, from the upload page: its kind chosen, a dry run first, then for real."""
    staff = tmp_path / "medarbejdere.csv"
    staff.write_text(
        "municipality,username,name,email,role,unit,group\n"
        "101,ahol,Anne Marie Holm,ahol@kk.example,caseworker,BFE-AMAGER,children\n"
        "101,bkri,Bo Kristensen,,coordinator,BFE-NORREBRO,youth\n",
        encoding="utf-8",
    )
    page.get_by_role("link", name="Indlæs", exact=True).click()
    _check(page, "admin-03-upload")
    page.get_by_role("link", name="kolonnerne i hver fil").click()
    expect(page.get_by_role("heading", name="Kolonner i indlæsningsfilerne")).to_be_visible()
    _check(page, "admin-03-columns")
    page.get_by_role("link", name="Tilbage til indlæsning").click()
    page.get_by_text("Medarbejdere og roller", exact=True).click()
    page.get_by_label("Fil (CSV eller XLSX)").set_input_files(str(staff))
    page.get_by_text("Prøvekørsel: kontrollér filen uden at gemme").click()
    page.get_by_role("button", name="Indlæs filen").click()
    expect(page.get_by_text("Prøvekørsel gennemført")).to_be_visible()
    assert not User.objects.filter(username="ahol").exists()
    page.get_by_role("link", name="Tilbage til indlæsning").click()
    expect(page.get_by_role("cell", name="Prøvekørsel – intet gemt")).to_be_visible()
    page.get_by_text("Medarbejdere og roller", exact=True).click()
    page.get_by_label("Fil (CSV eller XLSX)").set_input_files(str(staff))
    page.get_by_role("button", name="Indlæs filen").click()
    expect(page.get_by_text("Filen er indlæst.")).to_be_visible()
    expect(page.get_by_text("medarbejdere 2 nye")).to_be_visible()
    _check(page, "admin-04-staff-imported")
    assert RoleAssignment.objects.filter(user__username="ahol", unit__code="BFE-AMAGER").exists()


def test_the_administrator_creates_a_unit_imports_staff_and_revokes_a_token(
    page: Page, live_server: Any, tmp_path: Path, settings: Any
) -> None:
    settings.IMPORT_INLINE = True
    municipality = make_municipality()
    make_unit(municipality, "BFE-NORREBRO")
    make_user(municipality, Role.ADMINISTRATOR, username="admin")
    make_api_client(municipality, source="DUBU")
    base = live_server.url
    log_in(page, base, "admin", PASSWORD)

    # The menu leads to Administration, and on to the units.
    page.get_by_role("link", name="Administration", exact=True).first.click()
    expect(page.get_by_role("heading", name="Administration", exact=True)).to_be_visible()
    _check(page, "admin-01-administration")
    page.get_by_role("link", name="Enheder og grupper").click()
    page.get_by_label("Enhedskode").fill("BFE-AMAGER")
    page.get_by_label("Navn", exact=True).fill("Børnefamilieenheden Amager")
    page.get_by_role("button", name="Opret enheden").click()
    expect(page.get_by_text("Enheden Børnefamilieenheden Amager (BFE-AMAGER) er oprettet.")).to_be_visible()
    _check(page, "admin-02-units")
    assert Unit.objects.filter(municipality=municipality, code="BFE-AMAGER").exists()

    _import_staff(page, tmp_path)

    # The staff list finds Anne by name; her page shows her role.
    page.get_by_role("link", name="Se medarbejderne").click()
    page.get_by_label("Søg efter navn, brugernavn eller e-mail").fill("Holm")
    page.get_by_role("button", name="Søg").click()
    _check(page, "admin-05-staff")
    page.get_by_role("link", name="Anne Marie Holm").click()
    expect(page.get_by_role("cell", name="Børnefamilieenheden Amager", exact=True)).to_be_visible()
    _check(page, "admin-06-person")

    # The API token is revoked from the screen.
    page.goto(f"{base}/administration/")
    page.get_by_role("link", name="API-klienter").click()
    page.get_by_role("button", name="Tilbagekald nøglen for DUBU").click()
    expect(page.get_by_text("er tilbagekaldt.")).to_be_visible()
    _check(page, "admin-07-api-clients")
    assert not ApiClient.objects.get(source="DUBU").active
    assert AuditEvent.objects.filter(action="api_client.revoke", actor_label="admin").count() == 1
    assert AuditEvent.objects.filter(action="unit.create", actor_label="admin").count() == 1
    assert AuditEvent.objects.filter(action="staff.import", actor_label="admin").count() == 1
