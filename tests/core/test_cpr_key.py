"""The CPR key's check value (ADR 0017): stored on the first start, compared on every later one; a wrong
SAGSTILSYN_CPR_KEY stops `check --database`, `migrate` and the WSGI/ASGI entries with a Danish message."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from pytest_django.fixtures import Settings as SettingsWrapper

from sagstilsyn.core.checks import CPR_KEY_CHECK_ID
from sagstilsyn.core.cpr import CprKeyError, cpr_decrypt, cpr_encrypt, cpr_key_check_value
from sagstilsyn.core.models import AuditEvent, CprKeyCheck
from sagstilsyn.core.services.cpr_key import CPR_KEY_WRONG, CprKeyState, cpr_key_startup, cpr_key_verify
from tests.factories import event, make_municipality, make_unit, record

pytestmark = pytest.mark.django_db


def _check_errors() -> str:
    """The system check's output with the database checks, or "" when it passes."""
    try:
        call_command("check", databases=["default"])
    except SystemCheckError as error:
        return str(error)
    return ""


def test_the_first_start_stores_the_check_value() -> None:
    assert not CprKeyCheck.objects.exists()
    assert cpr_key_verify() is CprKeyState.STORED
    assert CprKeyCheck.objects.get().check_value == cpr_key_check_value()
    assert AuditEvent.objects.filter(action="cpr_key.check_store").count() == 1
    assert cpr_key_verify() is CprKeyState.OK
    assert CprKeyCheck.objects.count() == 1
    assert AuditEvent.objects.filter(action="cpr_key.check_store").count() == 1


def test_the_right_key_passes(settings: SettingsWrapper) -> None:
    cpr_key_verify()
    assert _check_errors() == ""
    cpr_key_startup()  # no exception


def test_a_wrong_key_stops_the_start_with_a_danish_message(settings: SettingsWrapper) -> None:
    cpr_key_verify()
    settings.CPR_KEY = "en-anden-noegle"
    assert cpr_key_verify() is CprKeyState.WRONG
    output = _check_errors()
    assert CPR_KEY_CHECK_ID in output
    assert "CPR-nøglen passer ikke" in output
    assert "SAGSTILSYN_CPR_KEY" in output
    with pytest.raises(ImproperlyConfigured, match="CPR-nøglen passer ikke"):
        cpr_key_startup()
    assert CprKeyCheck.objects.get().check_value != cpr_key_check_value()  # the stored one is kept


def test_the_check_value_reveals_neither_key_nor_number(settings: SettingsWrapper) -> None:
    settings.CPR_KEY = "hemmelig-noegle"
    value = cpr_key_check_value()
    assert len(value) == 64
    assert "hemmelig" not in value
    settings.CPR_KEY = "hemmelig-noegle2"
    assert cpr_key_check_value() != value


def test_a_wrong_key_is_not_stored_over_numbers_it_cannot_read(settings: SettingsWrapper) -> None:
    """An installation that already holds CPR numbers (from before the check value existed) and is
    started with another key: nothing is stored, and the start stops."""
    municipality = make_municipality()
    make_unit(municipality, "BFE-NORD")
    record(municipality, event("E1", "need_noticed", date(2025, 1, 6), cpr="010118-1234"))
    settings.CPR_KEY = "en-anden-noegle"
    assert cpr_key_verify() is CprKeyState.WRONG
    assert not CprKeyCheck.objects.exists()
    assert "CPR-nøglen passer ikke" in _check_errors()


def test_plain_check_does_not_read_the_database() -> None:
    """Without --database the check is not asked (Django's rule for checks that read the database)."""
    call_command("check")
    assert not CprKeyCheck.objects.exists()


def test_a_number_under_another_key_raises_a_key_error(settings: SettingsWrapper) -> None:
    cipher = cpr_encrypt("0101181234")
    settings.CPR_KEY = "en-anden-noegle"
    with pytest.raises(CprKeyError) as raised:
        cpr_decrypt(cipher)
    assert "0101181234" not in str(raised.value)


def test_the_message_says_what_to_do() -> None:
    assert "Sæt SAGSTILSYN_CPR_KEY" in CPR_KEY_WRONG
    assert "docs/operations.md" in CPR_KEY_WRONG
