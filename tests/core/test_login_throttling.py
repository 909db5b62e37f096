"""Log-in throttling (issue 11, point 3): wrong passwords lock the user name out, the right one too."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from sagstilsyn.core.models import Role
from tests.factories import make_municipality, make_user

pytestmark = pytest.mark.django_db

PASSWORD = "rigtig-adgangskode-1"  # noqa: S105 - a test user's password


def _log_in(client: Client, password: str) -> int:
    response = client.post(reverse("core:login"), {"username": "hanne", "password": password})
    return response.status_code


def test_the_right_password_is_refused_after_too_many_wrong_ones() -> None:
    make_user(make_municipality(), Role.CENTRE_LAWYER, username="hanne", password=PASSWORD)
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert _log_in(client, "forkert") == 200  # the form again, with its error
    assert _log_in(client, "forkert") == 429
    response = client.post(reverse("core:login"), {"username": "hanne", "password": PASSWORD})
    assert response.status_code == 429
    page = response.content.decode()
    assert "Log-ind er midlertidigt spærret" in page
    assert "15 minutter" in page
    assert "_auth_user_id" not in client.session


def test_a_right_password_before_the_limit_logs_in_and_resets_the_count() -> None:
    make_user(make_municipality(), Role.CENTRE_LAWYER, username="hanne", password=PASSWORD)
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        _log_in(client, "forkert")
    assert _log_in(client, PASSWORD) == 302
    client.logout()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert _log_in(client, "forkert") == 200  # counted from zero again
    assert _log_in(client, PASSWORD) == 302


@pytest.mark.parametrize(
    ("password", "accepted"),
    [
        ("demo1234", False),  # 8 characters: Django's default would take it
        ("kort-kode-1", False),  # 11
        ("123456789012345", False),  # only digits
        ("password123456", False),  # a common password
        ("hanne-kjaer-2024", False),  # too close to the user's name
        ("blå hest i regnvejr", True),
    ],
)
def test_the_password_policy_asks_for_a_long_password(password: str, accepted: bool) -> None:
    user = make_user(make_municipality(), Role.CENTRE_LAWYER, username="hanne.kjaer")
    user.first_name, user.last_name = "Hanne", "Kjaer"
    if accepted:
        validate_password(password, user)
    else:
        with pytest.raises(ValidationError):
            validate_password(password, user)
