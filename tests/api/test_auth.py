"""Per-system tokens: stored as hashes, audited, and refused (401, Danish) when missing, wrong or revoked."""

from __future__ import annotations

import hashlib

import pytest
from django.test import Client

from sagstilsyn.api.models import ApiClient
from sagstilsyn.api.services import ApiClientError, api_client_create, api_client_revoke
from sagstilsyn.core.models import AuditEvent
from tests.api.conftest import ApiCaller
from tests.factories import make_api_client, make_municipality, make_unit

pytestmark = pytest.mark.django_db

EVENTS = "/api/v1/events"
BODY = {"events": [{"event_id": "e1", "case_id": "S1", "child_id": "B1", "unit": "BFE-NORD",
                    "type": "need_noticed", "at": "2024-10-31"}]}  # fmt: skip


def test_the_token_is_stored_only_as_a_hash() -> None:
    client, token = make_api_client(make_municipality())
    assert token.startswith("sgs_")
    assert len(token) > 40
    assert client.token_hash == hashlib.sha256(token.encode()).hexdigest()
    stored = ApiClient.objects.filter(pk=client.pk).values().get()
    assert token not in {str(value) for value in stored.values()}
    assert token.startswith(client.token_prefix)
    assert len(client.token_prefix) < len(token) / 3


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        ({}, "API-nøgle mangler"),
        ({"Authorization": "Bearer"}, "API-nøgle mangler"),
        ({"Authorization": "Basic dXNlcjpwYXNz"}, "API-nøgle mangler"),
        ({"Authorization": "Bearer sgs_forkert"}, "API-nøglen er ukendt"),
    ],
)
def test_missing_or_wrong_token_is_refused(api: ApiCaller, headers: dict[str, str], expected: str) -> None:
    make_unit(make_municipality())
    response = api.client.post(EVENTS, data=BODY, content_type="application/json", headers=headers)
    assert response.status_code == 401
    assert response["Content-Type"].startswith("application/json")
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert expected in response.json()["message"]
    assert "sgs_forkert" not in response.content.decode()


def test_a_revoked_token_is_refused(api: ApiCaller) -> None:
    municipality = make_municipality()
    make_unit(municipality)
    client, token = make_api_client(municipality)
    assert api.post(EVENTS, BODY, token).status_code == 200
    api_client_revoke(client=client, actor=None)
    response = api.post(EVENTS, BODY, token)
    assert response.status_code == 401
    assert response.json() == {"message": "Adgang nægtet: API-nøglen er tilbagekaldt."}
    assert api.get("/api/v1/events/e1", token).status_code == 401


def test_a_good_token_notes_its_last_use(api: ApiCaller) -> None:
    municipality = make_municipality()
    make_unit(municipality)
    client, token = make_api_client(municipality)
    assert client.last_used_at is None
    assert api.post(EVENTS, BODY, token).status_code == 200
    client.refresh_from_db()
    assert client.last_used_at is not None


def test_create_and_revoke_are_audited() -> None:
    municipality = make_municipality()
    client, token = make_api_client(municipality, source="Nexus")
    created = AuditEvent.objects.get(action="api_client.create")
    assert (created.municipality, created.target_id, created.actor_label) == (
        municipality,
        str(client.pk),
        "system",
    )
    assert created.after == {"source": "Nexus", "token_prefix": client.token_prefix, "active": True}
    api_client_revoke(client=client, actor=None, actor_label="kommandolinje")
    api_client_revoke(client=client, actor=None)  # again: nothing changes, nothing is audited
    revoked = AuditEvent.objects.get(action="api_client.revoke")
    assert (revoked.before, revoked.after, revoked.actor_label) == (
        {"active": True},
        {"active": False},
        "kommandolinje",
    )
    assert token not in str(list(AuditEvent.objects.values()))


def test_a_source_is_required() -> None:
    with pytest.raises(ApiClientError, match="kilden"):
        api_client_create(municipality=make_municipality(), source="  ", actor=None)


def test_a_case_system_needs_no_csrf_token() -> None:
    municipality = make_municipality()
    make_unit(municipality)
    token = make_api_client(municipality)[1]
    strict = ApiCaller(Client(enforce_csrf_checks=True))
    assert strict.post(EVENTS, BODY, token).status_code == 200
