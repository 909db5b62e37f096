"""The second factor (tofaktor-log-ind, TOTP) for local log-ins of leaders, lawyers and administrators:
set up before any page, asked at each log-in, throttled when wrong, reset by an administrator, audited.
(Issue 11, point 3; ADR 0016.)"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice
from pytest_django.fixtures import Settings as SettingsWrapper

from sagstilsyn.core.login.services import otp_enrolment_start
from sagstilsyn.core.management.base import Failed
from sagstilsyn.core.models import AuditEvent, Role, User
from tests.factories import (
    log_in_with_code,
    make_code_app,
    make_municipality,
    make_unit,
    make_user,
    totp_code,
)

pytestmark = pytest.mark.django_db

PASSWORD = "rigtig-adgangskode-1"  # noqa: S105 - a test user's password
CODE_PAGE = "/log-ind/kode/"


def _user(role: str = Role.ADMINISTRATOR, username: str = "hanne") -> User:
    municipality = make_municipality()
    make_unit(municipality)
    return make_user(municipality, role, username=username, password=PASSWORD)


def _log_in(client: Client, username: str = "hanne") -> str:
    """Log in with the password; returns where the log-in sends the user next."""
    response = client.post(reverse("core:login"), {"username": username, "password": PASSWORD})
    assert response.status_code == 302
    return str(response["Location"])


def _actions(user: User) -> list[str]:
    return list(
        AuditEvent.objects.filter(target_type="user", target_id=str(user.pk), action__startswith="otp.")
        .order_by("id")
        .values_list("action", flat=True)
    )


@pytest.mark.usefixtures("otp_required")
def test_a_leader_sets_up_a_code_app_before_any_page() -> None:
    user = _user()
    client = Client()
    _log_in(client)
    start = client.get("/")
    assert start.status_code == 302
    assert start["Location"] == f"{CODE_PAGE}?next=%2F"
    page = client.get(start["Location"])
    assert page.status_code == 200
    text = page.content.decode()
    assert "Opsæt tofaktor-log-ind" in text
    assert "<svg" in text  # the QR code, drawn on the server
    device = TOTPDevice.objects.get(user=user)
    assert not device.confirmed
    wrong = client.post(CODE_PAGE, {"code": "000000" if totp_code(device) != "000000" else "111111"})
    assert "Koden er forkert eller udløbet" in wrong.content.decode()
    device.throttle_reset()  # the next try must not wait for the wrong one
    done = client.post(CODE_PAGE, {"code": totp_code(device), "next": "/"})
    assert done.status_code == 302
    assert done["Location"] == "/"
    assert client.get("/").status_code == 200
    device.refresh_from_db()
    assert device.confirmed
    assert _actions(user) == ["otp.enrolment_start", "otp.verification_fail", "otp.device_confirm"]


@pytest.mark.usefixtures("otp_required")
def test_with_a_code_app_set_up_a_leader_gives_its_code_at_each_log_in() -> None:
    user = _user(Role.DEPARTMENT_LEADER)
    device = make_code_app(user)
    client = Client()
    _log_in(client)
    assert client.get("/")["Location"].startswith(CODE_PAGE)
    page = client.get(CODE_PAGE).content.decode()
    assert "Skriv din kode" in page
    assert "<svg" not in page  # no new key for a user who has a code app
    assert client.post(CODE_PAGE, {"code": totp_code(device)}).status_code == 302
    assert client.get("/").status_code == 200
    assert _actions(user)[-1] == "otp.verify"


@pytest.mark.usefixtures("otp_required")
@pytest.mark.parametrize("role", [Role.CASEWORKER, Role.COMMITTEE_MEMBER])
def test_caseworkers_and_committee_members_are_not_asked_for_a_code(role: str) -> None:
    _user(role)
    client = Client()
    _log_in(client)
    assert client.get("/").status_code == 200


@pytest.mark.usefixtures("otp_required")
def test_a_caseworker_who_set_up_a_code_app_is_asked_for_it() -> None:
    make_code_app(_user(Role.CASEWORKER))
    client = Client()
    _log_in(client)
    assert client.get("/")["Location"].startswith(CODE_PAGE)


@pytest.mark.usefixtures("otp_required")
def test_wrong_codes_are_throttled_the_right_one_too(settings: SettingsWrapper) -> None:
    settings.OTP_TOTP_THROTTLE_FACTOR = 600  # ten minutes after one wrong code: no race with the clock
    user = _user()
    device = make_code_app(user)
    client = Client()
    _log_in(client)
    right = totp_code(device)
    client.post(CODE_PAGE, {"code": "000000" if right != "000000" else "111111"})
    response = client.post(CODE_PAGE, {"code": right})
    assert response.status_code == 429
    assert "For mange forkerte koder i træk" in response.content.decode()
    assert client.get("/").status_code == 302  # still not in
    assert _actions(user)[-2:] == ["otp.verification_fail", "otp.verification_throttled"]


@pytest.mark.usefixtures("otp_required")
def test_a_code_app_once_set_up_is_not_replaced_by_a_stolen_password() -> None:
    user = _user()
    make_code_app(user)
    with pytest.raises(ValueError, match="allerede en kodeapp"):
        otp_enrolment_start(user=user)


@pytest.mark.usefixtures("otp_required")
def test_a_lost_code_app_is_reset_by_the_command_and_then_set_up_anew() -> None:
    user = _user()
    client = Client()
    log_in_with_code(client, user)
    assert client.get("/").status_code == 200
    call_command("otp", "reset", "hanne")
    assert not TOTPDevice.objects.filter(user=user).exists()
    assert client.get("/")["Location"].startswith(CODE_PAGE)  # the old code no longer counts
    assert "Opsæt tofaktor-log-ind" in client.get(CODE_PAGE).content.decode()
    reset = AuditEvent.objects.get(action="otp.device_reset")
    assert reset.target_label == "hanne"
    assert reset.actor is None


def test_resetting_an_unknown_user_name_fails_in_danish() -> None:
    with pytest.raises(Failed, match="'ingen' findes ikke"):
        call_command("otp", "reset", "ingen")


@pytest.mark.usefixtures("otp_required")
def test_the_code_page_sends_on_only_to_our_own_pages() -> None:
    user = _user()
    device = make_code_app(user)
    client = Client()
    _log_in(client)
    response = client.post(CODE_PAGE, {"code": totp_code(device), "next": "https://fremmed.example/"})
    assert response["Location"] == "/"


@pytest.mark.usefixtures("otp_required")
def test_a_code_must_be_six_digits() -> None:
    _user()
    client = Client()
    _log_in(client)
    response = client.post(CODE_PAGE, {"code": "12ab"})
    assert "Koden skal være 6 cifre" in response.content.decode()


def test_without_the_demand_a_leader_goes_straight_in() -> None:
    """The demo (`make run`: SAGSTILSYN_OTP_REQUIRED=0)."""
    _user()
    client = Client()
    assert _log_in(client) == "/"
    assert client.get("/").status_code == 200


def test_the_demand_is_on_unless_turned_off_and_only_the_demo_may_turn_it_off(
    settings_from_env: Callable[..., dict[str, object]],
) -> None:
    assert settings_from_env()["SAGSTILSYN_OTP_REQUIRED"] is True
    assert settings_from_env(SAGSTILSYN_OTP_REQUIRED="0")["SAGSTILSYN_OTP_REQUIRED"] is False
    with pytest.raises(ImproperlyConfigured, match="SAGSTILSYN_OTP_REQUIRED=0"):
        settings_from_env(
            DJANGO_DEBUG="0",
            DJANGO_SECRET_KEY="en-hemmelig-nøgle",  # noqa: S106 - a test's key
            SAGSTILSYN_CPR_KEY="en-anden-nøgle",
            SAGSTILSYN_OTP_REQUIRED="0",
        )
