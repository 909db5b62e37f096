"""Shared fixtures: copies of the rule catalogue that tests may change or break, a fast password hasher,
the shared worlds (municipalities, units, a user of each role, cases with events) that a module's
tests read, and the CPR grep of every log line and every test's output (tests/logtap.py).

A shared world is built once per module, inside a transaction that is rolled back when the module's
tests are done; each test runs in a savepoint inside it (pytest-django's `django_db`), so what a test
writes is gone before the next test, and the world is gone before the next module.
"""

from __future__ import annotations

import os
import runpy
import shutil
import uuid
from collections.abc import Callable, Generator, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.db import transaction
from django.test import override_settings
from pytest_django import DjangoDbBlocker
from pytest_django.fixtures import Settings as SettingsWrapper

import sagstilsyn.settings
from sagstilsyn.law.loader import DEFAULT_CATALOGUE
from tests.factories import AccessWorld, make_access_world
from tests.logtap import LOG_TAP, LogLine, cpr_failure, logging_config_kept, output_leaks

#: Fixtures shared by the tests of data-moving migrations (`latest_schema_after`).
pytest_plugins = ("tests.migrating",)

FIXTURES = Path(__file__).parent / "core" / "fixtures"
FIXTURE_RULE_ID = "fixture_acknowledgement"
FIXTURE_RULE_TITLE = "Testregel om kvittering inden 6 hverdage"
#: The fixture rule's unverified citation (barnets lov) and its verified one (serviceloven).
FIXTURE_UNVERIFIED_LABEL = "Barnets lov § 999, stk. 7"
FIXTURE_VERIFIED_LABEL = "Serviceloven § 999 b, stk. 1"


@pytest.fixture
def catalogue_dir(tmp_path: Path) -> Path:
    """A copy of the shipped catalogue plus the test rule `rules/fixture_acknowledgement.yaml`."""
    target = tmp_path / "catalogue"
    shutil.copytree(DEFAULT_CATALOGUE, target)
    shutil.copy(FIXTURES / f"{FIXTURE_RULE_ID}.yaml", target / "rules" / f"{FIXTURE_RULE_ID}.yaml")
    return target


@pytest.fixture
def use_catalogue(settings: SettingsWrapper, catalogue_dir: Path) -> Path:
    """Point settings.RULE_CATALOGUE_DIR at the copied catalogue for the duration of a test."""
    settings.RULE_CATALOGUE_DIR = str(catalogue_dir)
    return catalogue_dir


@pytest.fixture
def settings_from_env(monkeypatch: pytest.MonkeyPatch) -> Callable[..., dict[str, object]]:
    """Runs sagstilsyn/settings.py afresh in the environment given as keywords (DJANGO_DEBUG,
    DJANGO_SECRET_KEY, DATABASE_URL and DJANGO_ALLOWED_HOSTS unset unless given) and returns its names."""

    def read(**env: str) -> dict[str, object]:
        for name in ("DJANGO_DEBUG", "DJANGO_SECRET_KEY", "DATABASE_URL", "DJANGO_ALLOWED_HOSTS"):
            monkeypatch.delenv(name, raising=False)
        for name, value in env.items():
            monkeypatch.setenv(name, value)
        return runpy.run_path(sagstilsyn.settings.__file__)

    return read


@pytest.fixture(scope="session", autouse=True)
def run_settings() -> Iterator[None]:
    """Settings for the whole run:

    - MD5 instead of PBKDF2's many rounds: hashing a test user's password took most of a page test's
      time. No test checks the hasher; production keeps Django's default.
    - A cache key prefix of this run and pytest-xdist worker, so that parallel workers (whose test
      databases hand out the same ids) and a Redis shared with a running server never read each
      other's upload progress.
    - The second factor (TOTP) not demanded: a test's `force_login` stands for a finished log-in,
      password and code. The second factor's own tests, and the access matrix's row of a leader who has
      not given the code yet, turn it on with the `otp_required` fixture (ADR 0016).
    """
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    caches = {
        alias: {**config, "KEY_PREFIX": f"{config.get('KEY_PREFIX', '')}test-{worker}-{uuid.uuid4().hex[:8]}"}
        for alias, config in django_settings.CACHES.items()
    }
    with override_settings(
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
        CACHES=caches,
        SAGSTILSYN_OTP_REQUIRED=False,
    ):
        yield


@pytest.fixture
def otp_required(settings: SettingsWrapper) -> None:
    """The second factor demanded, as in production (SAGSTILSYN_OTP_REQUIRED's default)."""
    settings.SAGSTILSYN_OTP_REQUIRED = True


@contextmanager
def _rolled_back(django_db_blocker: DjangoDbBlocker) -> Iterator[DjangoDbBlocker]:
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
    try:
        yield django_db_blocker
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture(scope="module")
def module_db(django_db_setup: None, django_db_blocker: DjangoDbBlocker) -> Iterator[DjangoDbBlocker]:
    """A transaction around one module's tests, rolled back after them. A module-scoped fixture that
    builds data depends on it and builds inside `with module_db.unblock():`; the tests themselves still
    need the `django_db` mark (each runs in a savepoint, rolled back after it).

    The data stays until the module ends, so every later test of the module sees it: use it where all
    of the module's database tests can share the world (or only its last tests ask for it)."""
    with _rolled_back(django_db_blocker) as blocker:
        yield blocker


@pytest.fixture(scope="class")
def class_db(django_db_setup: None, django_db_blocker: DjangoDbBlocker) -> Iterator[DjangoDbBlocker]:
    """`module_db` for the tests of one class: for a world that the module's other tests must not see."""
    with _rolled_back(django_db_blocker) as blocker:
        yield blocker


@pytest.fixture(scope="module")
def access_world(module_db: DjangoDbBlocker) -> AccessWorld:
    """The access matrix's world, built once per module: Copenhagen with the own unit (BFE-NORD) and
    another unit (BFE-SYD), Lejre with a unit of the same code, a user of each role in Copenhagen
    (`matrix-<role>`, unit roles in BFE-NORD) and one placement case in each of the three units, the
    own one handled by the caseworker."""
    with module_db.unblock():
        return make_access_world()


# --- the CPR grep (issue 11 point 4) ---------------------------------------------------------------


@pytest.fixture(autouse=True)
def _no_cpr_in_the_logs() -> Iterator[None]:
    """Every test: each line the configured log handlers wrote while it ran (a live server's access
    lines and Django's request log included) is searched for CPR numbers; one found fails the test."""
    LOG_TAP.attach()
    before = LOG_TAP.check()  # written after the previous test's end (a live server's late line)
    if before:
        pytest.fail(cpr_failure(before, "skrevet efter den forrige test"), pytrace=False)
    with logging_config_kept():
        yield
    found = LOG_TAP.check()
    if found:
        pytest.fail(cpr_failure(found, "skrevet under testen"), pytrace=False)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Generator[None, Any, Any]:
    """After a test's teardown: what it wrote to stdout and stderr (a live server's thread included)
    holds no CPR number, or the teardown fails, naming the stream and the line (redacted)."""
    report = yield
    if call.when == "teardown" and report.passed:
        leaks = output_leaks({"stdout": report.capstdout, "stderr": report.capstderr})
        if leaks:
            report.outcome = "failed"
            report.longrepr = (
                f"{len(leaks)} linje(r) i testens output indeholder et CPR-nummer:\n" + "\n".join(leaks[:20])
            )
    return report


def pytest_warning_recorded(warning_message: Any, when: str, nodeid: str, location: object) -> None:
    """A warning is a log line too: it goes to the grep with the lines of the run."""
    LOG_TAP.keep(LogLine("warnings", nodeid or when, str(warning_message.message)))


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """The lines written after the last test are grepped at the end (those written between two tests
    fail the next test's setup)."""
    found = LOG_TAP.check()
    if found:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
        reporter = session.config.pluginmanager.get_plugin("terminalreporter")
        if reporter is not None:
            reporter.write_line(cpr_failure(found, "skrevet uden for testene"), red=True)
