"""There is no /admin/ (ADR 0016): Django's admin is not installed and its address is not routed, so a
staff flag opens nothing. The administrator's screens are Sagstilsyn's own pages (issue 12)."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client
from django.urls import Resolver404, resolve

from sagstilsyn.core.models import Role
from tests.factories import make_municipality, make_user


def test_the_admin_is_not_installed() -> None:
    assert "django.contrib.admin" not in settings.INSTALLED_APPS


@pytest.mark.parametrize("address", ["/admin/", "/admin/login/", "/admin/core/user/"])
def test_the_admin_is_not_routed(address: str) -> None:
    with pytest.raises(Resolver404):
        resolve(address)


@pytest.mark.django_db
def test_the_admin_is_not_found_even_by_a_superuser(client: Client) -> None:
    user = make_user(make_municipality(), Role.ADMINISTRATOR)
    user.is_staff = user.is_superuser = True
    user.save(update_fields=["is_staff", "is_superuser"])
    client.force_login(user)
    assert client.get("/admin/").status_code == 404
