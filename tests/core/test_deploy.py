"""Deployment hardening (ADR 0017): sessions, the production settings and `check --deploy` with the
production environment documented in docs/operations.md, and the WSGI entry's CPR key check."""

from __future__ import annotations

import os
import re
import secrets
import subprocess
import sys
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.contrib.sessions.models import Session
from django.core.exceptions import ImproperlyConfigured
from django.test import Client
from django.utils import timezone

from tests.factories import make_municipality, make_unit, make_user

ROOT = Path(__file__).resolve().parents[2]
OPERATIONS = ROOT / "docs" / "operations.md"
PLACEHOLDER = re.compile(r"^<.*>$")


def documented_production_env() -> dict[str, str]:
    """The block after the `production-env` marker in docs/operations.md, with every `<…>` value
    replaced by a generated one (a SQLite file for DATABASE_URL is set by the caller)."""
    text = OPERATIONS.read_text(encoding="utf-8")
    block = re.search(r"<!-- production-env.*?-->\n```sh\n(.*?)```", text, re.DOTALL)
    assert block, "docs/operations.md har ingen production-env-blok"
    env: dict[str, str] = {}
    for line in block.group(1).splitlines():
        name, _, value = line.partition("=")
        env[name.strip()] = secrets.token_urlsafe(64) if PLACEHOLDER.match(value.strip()) else value.strip()
    return env


def _run(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "SAGSTILSYN_", "DATABASE_"))}
    clean["PYTHONPATH"] = str(ROOT)
    return subprocess.run(
        [sys.executable, *args],
        check=False,
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.fixture(scope="module")
def production(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """The documented production environment on a migrated SQLite file of its own."""
    env = documented_production_env()
    env["DATABASE_URL"] = f"sqlite:///{tmp_path_factory.mktemp('produktion') / 'db.sqlite3'}"
    migrated = _run(env, "manage.py", "migrate", "-v0")
    assert migrated.returncode == 0, migrated.stderr
    return env


def test_the_documented_production_env_passes_check_deploy(production: dict[str, str]) -> None:
    assert production["SAGSTILSYN_PRODUCTION"] == "1"
    result = _run(
        production, "manage.py", "check", "--deploy", "--database", "default", "--fail-level", "WARNING"
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_warns_without_the_production_switch(production: dict[str, str]) -> None:
    """The test above can fail: without SAGSTILSYN_PRODUCTION Django warns about HSTS and the redirect."""
    env = {**production, "SAGSTILSYN_PRODUCTION": "0"}
    result = _run(env, "manage.py", "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode != 0
    assert "security.W004" in result.stderr
    assert "security.W008" in result.stderr


def test_the_wsgi_entry_refuses_a_wrong_cpr_key(production: dict[str, str]) -> None:
    started = _run(production, "-c", "import sagstilsyn.wsgi")  # the first start stores the check value
    assert started.returncode == 0, started.stderr
    again = _run(production, "-c", "import sagstilsyn.asgi")
    assert again.returncode == 0, again.stderr
    wrong = {**production, "SAGSTILSYN_CPR_KEY": secrets.token_urlsafe(64)}
    for entry in ("sagstilsyn.wsgi", "sagstilsyn.asgi"):
        refused = _run(wrong, "-c", f"import {entry}")
        assert refused.returncode != 0
        assert "CPR-nøglen passer ikke" in refused.stderr
        assert wrong["SAGSTILSYN_CPR_KEY"] not in refused.stderr
    migrate = _run(wrong, "manage.py", "migrate", "-v0")
    assert migrate.returncode != 0
    assert "sagstilsyn.E002" in migrate.stderr


def test_production_settings(settings_from_env: Callable[..., dict[str, object]]) -> None:
    base = {"DJANGO_DEBUG": "0", "DJANGO_SECRET_KEY": "x" * 50, "SAGSTILSYN_CPR_KEY": "y" * 50}
    values = settings_from_env(**base, SAGSTILSYN_PRODUCTION="1")
    assert values["SECURE_SSL_REDIRECT"] is True
    assert values["SECURE_HSTS_SECONDS"] == 365 * 24 * 3600
    assert values["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True
    assert values["SECURE_HSTS_PRELOAD"] is True
    assert values["SESSION_COOKIE_SECURE"] is True
    assert values["CSRF_COOKIE_SECURE"] is True
    assert "SECURE_PROXY_SSL_HEADER" not in values  # only when asked: a client could claim https
    behind_proxy = settings_from_env(**base, SAGSTILSYN_PRODUCTION="1", SAGSTILSYN_PROXY_SSL_HEADER="1")
    assert behind_proxy["SECURE_PROXY_SSL_HEADER"] == ("HTTP_X_FORWARDED_PROTO", "https")
    plain = settings_from_env(**base, SAGSTILSYN_PRODUCTION="0")
    assert "SECURE_SSL_REDIRECT" not in plain
    with pytest.raises(ImproperlyConfigured, match="SAGSTILSYN_PRODUCTION=1 kræver DJANGO_DEBUG=0"):
        settings_from_env(SAGSTILSYN_PRODUCTION="1")


def test_sessions_end_with_the_browser_and_after_a_working_day(
    settings_from_env: Callable[..., dict[str, object]],
) -> None:
    values = settings_from_env()
    assert values["SESSION_EXPIRE_AT_BROWSER_CLOSE"] is True
    assert values["SESSION_COOKIE_AGE"] == 10 * 3600
    assert values["SESSION_COOKIE_HTTPONLY"] is True
    assert values["SESSION_COOKIE_SAMESITE"] == "Lax"
    assert settings_from_env(SAGSTILSYN_SESSION_HOURS="9")["SESSION_COOKIE_AGE"] == 9 * 3600


@pytest.mark.django_db
def test_a_log_in_ends_after_the_session_hours(client: Client) -> None:
    municipality = make_municipality()
    user = make_user(municipality, unit=make_unit(municipality))
    logged_in = client.post("/log-ind/", {"username": user.username, "password": "hemmelig-kode-123"})
    assert logged_in.status_code == 302
    cookie = client.cookies[django_settings.SESSION_COOKIE_NAME]
    assert not cookie["expires"]  # and no max-age: gone when the browser closes
    assert not cookie["max-age"]
    assert cookie["httponly"]
    assert cookie["samesite"] == "Lax"
    session = Session.objects.get(session_key=cookie.value)
    lasts = session.expire_date - timezone.now()
    assert timedelta(hours=9, minutes=59) < lasts <= timedelta(hours=10)
    assert client.get("/sager/").status_code == 200
    session.expire_date = timezone.now() - timedelta(seconds=1)  # a working day later
    session.save()
    assert client.get("/sager/").status_code == 302
