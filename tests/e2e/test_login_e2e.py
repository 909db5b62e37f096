"""Tofaktor-log-ind in headless Chromium: an administrator logs in with a password, sets up a code app
from the page's key, gives its code and reaches the start page; axe-core finds no serious or critical
violations on the code page (ADR 0016)."""

from __future__ import annotations

import time
from base64 import b32decode
from typing import Any

import pytest
from django_otp.oath import TOTP
from playwright.sync_api import Page

from sagstilsyn.core.models import Role
from tests.e2e.conftest import axe_violations, describe_violations, log_in, screenshot
from tests.factories import make_municipality, make_user

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
PASSWORD = "hemmelig-kode-123"  # noqa: S105 - a test password


def _code_from_key(manual_key: str) -> str:
    """The code a code app shows for the key typed in by hand."""
    key = manual_key.replace(" ", "")
    totp = TOTP(b32decode(key + "=" * (-len(key) % 8)))
    totp.time = time.time()
    return f"{totp.token():06d}"


@pytest.mark.usefixtures("otp_required")
def test_an_administrator_sets_up_a_code_app_and_logs_in(page: Page, live_server: Any) -> None:
    make_user(make_municipality(), Role.ADMINISTRATOR, username="admin")
    log_in(page, live_server.url, "admin", PASSWORD)
    assert page.url.startswith(f"{live_server.url}/log-ind/kode/")
    assert page.get_by_role("heading", name="Opsæt tofaktor-log-ind").is_visible()
    screenshot(page, "kodeapp-opsaet")
    violations = axe_violations(page)
    assert not violations, describe_violations(violations)
    key = page.locator(".otp-key").inner_text()
    page.get_by_label("Kode fra kodeappen").fill(_code_from_key(key))
    page.get_by_role("button", name="Bekræft").click()
    page.wait_for_load_state("networkidle")
    assert page.url == f"{live_server.url}/"
