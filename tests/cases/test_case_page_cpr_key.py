"""A case page opens even under a wrong CPR key: the number is replaced by a Danish notice, never a 500
(ADR 0017; the start-up check normally stops such a server first)."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client
from django.urls import reverse
from pytest_django.fixtures import Settings as SettingsWrapper

from sagstilsyn.cases.selectors.cases import CPR_UNREADABLE
from sagstilsyn.core.models import Role
from tests.factories import case_of, event, make_municipality, make_unit, make_user, record

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", [Role.CASEWORKER, Role.CENTRE_LAWYER])
def test_a_wrong_cpr_key_does_not_break_the_case_page(
    client: Client, settings: SettingsWrapper, role: str
) -> None:
    municipality = make_municipality()
    unit = make_unit(municipality, "BFE-NORD")
    record(municipality, event("E1", "need_noticed", date(2025, 1, 6), cpr="010118-1234"))
    client.force_login(make_user(municipality, role, unit if role == Role.CASEWORKER else None))
    url = reverse("cases:case_detail", args=[case_of(municipality).pk])
    assert "010118" in client.get(url).content.decode()
    settings.CPR_KEY = "en-anden-noegle"
    response = client.get(url)
    assert response.status_code == 200
    text = response.content.decode()
    assert CPR_UNREADABLE in text
    assert "010118" not in text
    assert "løbenummeret er skjult" not in text
