"""`sagstilsyn demo load`: deterministic, every role's log-in, refuses a second load, CPR never shown."""

from __future__ import annotations

import io
from collections import Counter
from datetime import date, timedelta

import pytest
from django.contrib.auth import authenticate
from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django.test import RequestFactory, override_settings
from pytest_django import DjangoDbBlocker
from pytest_django.fixtures import Settings as SettingsWrapper

from sagstilsyn.cases.access_review.selectors import OFF_HOURS, OUTSIDE, unusual_access
from sagstilsyn.cases.followup.digest import digest_weekly_send
from sagstilsyn.cases.models import Case, CaseEvent, Child, Obligation
from sagstilsyn.core.access import user_scope
from sagstilsyn.core.chain_check import audit_chain_verify
from sagstilsyn.core.cpr import CPR_LIKE, cpr_decrypt
from sagstilsyn.core.models import (
    MUNICIPALITY_ROLES,
    AccessLogEntry,
    AuditEvent,
    Role,
    RoleAssignment,
    Unit,
    UnitKind,
    User,
)
from sagstilsyn.demo.people import DEMO_LOGINS, DEMO_PASSWORD, DEMO_UNIT, UNITS
from sagstilsyn.law import load_catalogue
from tests.factories import make_municipality

pytestmark = pytest.mark.django_db

AS_OF = date(2025, 6, 30)
SMALL = ["--children", "60", "--seed", "7", "--as-of", AS_OF.isoformat()]


@pytest.fixture(autouse=True)
def demo_settings(settings: SettingsWrapper) -> None:
    """A development installation (the demo refuses otherwise), with a fast hasher for the log-ins."""
    settings.DEBUG = True
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def load(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("demo", "load", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def snapshot() -> dict[str, object]:
    """What must be equal between two loads with the same seed (database ids may differ)."""
    return {
        "counts": (
            User.objects.count(),
            Unit.objects.count(),
            Child.objects.count(),
            Case.objects.count(),
            CaseEvent.objects.count(),
            Obligation.objects.count(),
        ),
        "cases": list(
            Case.objects.order_by("source_ref").values_list(
                "source_ref", "child__source_ref", "unit__code", "group", "caseworker__username"
            )
        ),
        "events": list(
            CaseEvent.objects.order_by("source_event_id").values_list(
                "source_event_id", "type", "day", "instant", "attrs"
            )
        ),
        "obligations": sorted(
            Obligation.objects.values_list(
                "case__source_ref", "rule_id", "trigger_event__source_event_id", "due_day", "status"
            )
        ),
    }


def test_the_same_seed_gives_the_same_database() -> None:
    with transaction.atomic():
        load(*SMALL)
        first = snapshot()
        transaction.set_rollback(True)
    assert Case.objects.count() == 0
    load(*SMALL)
    assert snapshot() == first
    assert first["counts"][2] == 60  # type: ignore[index]


def test_another_seed_gives_other_cases() -> None:
    with transaction.atomic():
        load(*SMALL)
        first = snapshot()
        transaction.set_rollback(True)
    load("--children", "60", "--seed", "8", "--as-of", AS_OF.isoformat())
    assert snapshot()["events"] != first["events"]


@pytest.fixture(scope="class")
def small_demo(class_db: DjangoDbBlocker) -> tuple[str, str]:
    """The small demo, loaded once for the class that asks (tests/conftest.py's `class_db`): its stdout
    and stderr."""
    with class_db.unblock(), override_settings(DEBUG=True):
        return load(*SMALL)


class TestTheSmallDemo:
    """The tests that read one small demo; the module's other tests need an empty database."""

    def test_the_load_builds_the_organisation_and_a_population_judged_on_as_of(
        self, small_demo: tuple[str, str]
    ) -> None:
        out, err = small_demo
        units = {u.code: u.kind for u in Unit.objects.all()}
        assert units == {spec.code: spec.kind for spec in UNITS}
        assert list(units.values()).count(UnitKind.EMERGENCY) == 1
        assert all(
            u.centre is not None and u.centre.name == "Borgercenter Børn og Unge" for u in Unit.objects.all()
        )
        caseworkers = RoleAssignment.objects.filter(role=Role.CASEWORKER).count()
        assert 140 <= caseworkers <= 160
        per_unit = Counter(RoleAssignment.objects.values_list("role", "unit__code"))
        for spec in UNITS:
            assert per_unit[(Role.AREA_CHIEF, spec.code)] == 1
            assert per_unit[(Role.AREA_LAWYER, spec.code)] == 1
        assert RoleAssignment.objects.filter(role=Role.CENTRE_LAWYER).count() == 2
        assert RoleAssignment.objects.filter(role=Role.COMMITTEE_MEMBER).count() == 2
        # Events only from 2023 to the day before as-of, only types of the catalogue, obligations judged
        # on as-of.
        days = CaseEvent.objects.values_list("day", flat=True)
        assert min(days) >= date(2023, 1, 1)
        assert max(days) < AS_OF
        assert set(CaseEvent.objects.values_list("type", flat=True)) <= set(load_catalogue().event_types)
        assert set(Obligation.objects.values_list("judged_on", flat=True)) == {AS_OF}
        assert CaseEvent.objects.filter(type="concern_received", instant__isnull=True).count() == 0
        # The summary names the rules with n and met %; the progress bar goes to stderr.
        assert "concern_assessment" in out
        assert "investigation_deadline" in out
        assert "%" in out
        assert "Hændelser indlæses [" in err
        assert "100%" in err
        assert AuditEvent.objects.filter(action="events.record").exists()

    def test_every_role_has_a_demo_log_in(self, small_demo: tuple[str, str]) -> None:
        assert {person.role for person in DEMO_LOGINS} == set(Role.values)
        for person in DEMO_LOGINS:
            user = authenticate(
                RequestFactory().post("/log-ind/"), username=person.username, password=DEMO_PASSWORD
            )
            assert user is not None, person.username
            assignment = RoleAssignment.objects.get(user=user)
            assert assignment.role == person.role
            if person.role in MUNICIPALITY_ROLES:
                assert assignment.unit is None
            else:
                assert assignment.unit is not None
                assert assignment.unit.code == DEMO_UNIT
        # Nobody else can log in.
        others = User.objects.exclude(username__in=[p.username for p in DEMO_LOGINS])
        assert others.exists()
        assert not any(user.has_usable_password() for user in others)

    def test_the_data_protection_officer_sees_unusual_reads_and_intact_chains(
        self, small_demo: tuple[str, str]
    ) -> None:
        officer = User.objects.get(username="databeskyttelse")
        report = unusual_access(scope=user_scope(officer), start=AS_OF - timedelta(days=8), end=AS_OF)
        kinds = {finding.kind for finding in report.findings}
        assert {OUTSIDE, OFF_HOURS} <= kinds
        assert report.reviewed == AccessLogEntry.objects.count() > 10
        assert audit_chain_verify().ok

    def test_a_second_load_is_refused_and_changes_nothing(self, small_demo: tuple[str, str]) -> None:
        before = snapshot()
        out, _ = load(*SMALL)
        assert "Demo-data findes allerede" in out
        assert snapshot() == before

    def test_cpr_numbers_never_reach_stdout_or_stderr(self, small_demo: tuple[str, str]) -> None:
        out, err = small_demo
        numbers = [
            cpr_decrypt(c) for c in Child.objects.exclude(cpr_cipher="").values_list("cpr_cipher", flat=True)
        ]
        assert len(numbers) >= 10  # about half of the children have one
        text = out + err
        for number in numbers:
            assert number not in text
            assert f"{number[:6]}-{number[6:]}" not in text
        assert CPR_LIKE.search(text) is None


def test_bad_as_of_is_refused_in_danish() -> None:

    with pytest.raises(CommandError, match="--as-of skal være"):
        load("--as-of", "2022-12-31")
    with pytest.raises(CommandError, match="ÅÅÅÅ-MM-DD"):
        load("--as-of", "i morgen")
    assert not User.objects.exists()


def test_a_database_with_another_municipality_is_refused() -> None:

    make_municipality(code="751", name="Aarhus Kommune")
    out, _ = load(*SMALL)
    assert "kun i en tom database" in out
    assert not User.objects.exists()
    assert not Case.objects.exists()


def test_the_demo_is_refused_outside_development(settings: SettingsWrapper) -> None:

    settings.DEBUG = False
    with pytest.raises(CommandError, match="DJANGO_DEBUG=1"):
        load(*SMALL)
    assert not User.objects.exists()


def test_demo_leaders_receive_the_weekly_digest(settings: SettingsWrapper) -> None:
    """Every demo user has an (undeliverable, .invalid) address, so the weekly mail reaches the leaders."""

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    load("--seed", "7", "--children", "60")
    assert User.objects.exclude(email="").count() == User.objects.count()
    digest_weekly_send()
    recipients = {address for message in mail.outbox for address in message.to}
    assert "afdelingsleder@demo.sagstilsyn.invalid" in recipients
