"""The administrator's page of API clients (ADR 0022): list, create (the token shown once), revoke."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from sagstilsyn.api.models import ApiClient
from sagstilsyn.api.services import token_hash
from sagstilsyn.core.models import AuditEvent, Role
from tests.factories import make_api_client, make_municipality, make_user

pytestmark = pytest.mark.django_db


def test_the_administrator_creates_a_client_sees_its_token_once_and_revokes_it(client: Client) -> None:
    municipality = make_municipality()
    admin = make_user(municipality, Role.ADMINISTRATOR, username="admin")
    client.force_login(admin)
    created = client.post(reverse("admin-api:clients"), {"source": "Nexus"})
    assert created.status_code == 200
    page = created.content.decode()
    api_client = ApiClient.objects.get(source="Nexus")
    token = page.split('<code id="api-token" class="api-token">', 1)[1].split("</code>", 1)[0]
    assert token_hash(token) == api_client.token_hash
    assert token not in client.get(reverse("admin-api:clients")).content.decode()
    revoked = client.post(reverse("admin-api:client_revoke", kwargs={"client_id": api_client.pk}))
    assert "er tilbagekaldt." in revoked.content.decode()
    api_client.refresh_from_db()
    assert not api_client.active
    assert AuditEvent.objects.filter(action="api_client.revoke", actor=admin).count() == 1
    assert client.get(reverse("admin-api:clients_xlsx")).status_code == 200


def test_another_municipalitys_client_is_not_found(client: Client) -> None:
    municipality = make_municipality()
    client.force_login(make_user(municipality, Role.ADMINISTRATOR, username="admin"))
    foreign, _ = make_api_client(make_municipality("350", "Lejre Kommune"))
    response = client.post(reverse("admin-api:client_revoke", kwargs={"client_id": foreign.pk}))
    assert response.status_code == 404
    foreign.refresh_from_db()
    assert foreign.active
    assert "Lejre" not in client.get(reverse("admin-api:clients")).content.decode()


def test_an_empty_source_is_refused_in_danish(client: Client) -> None:
    municipality = make_municipality()
    client.force_login(make_user(municipality, Role.ADMINISTRATOR, username="admin"))
    response = client.post(reverse("admin-api:clients"), {"source": "   "})
    assert response.status_code == 400
    assert not ApiClient.objects.exists()
