"""Control characters in API bodies and paths: a 422 naming index, field and code point (never the
character), nothing written; an id that cannot be stored is simply not found."""

from __future__ import annotations

from typing import Any

import pytest

from sagstilsyn.api.models import ApiClient
from sagstilsyn.api.services import ApiClientError, api_client_create
from sagstilsyn.cases.models import Case, CaseEvent, Child, Obligation
from sagstilsyn.core.models import AccessLogEntry, AuditEvent, Municipality
from tests.api.conftest import ApiCaller
from tests.factories import make_api_client, make_municipality, make_unit

pytestmark = pytest.mark.django_db

EVENTS = "/api/v1/events"


def ev(**fields: Any) -> dict[str, Any]:
    base = {"event_id": "e1", "case_id": "SAG-1", "child_id": "BARN-1", "unit": "BFE-NORD"}
    timed = {"type": "concern_received", "at": "2024-10-31T10:00:00+01:00"}
    return {**base, **timed, "attributes": {"notifier": "private"}, **fields}


@pytest.fixture
def copenhagen() -> Municipality:
    municipality = make_municipality()
    make_unit(municipality)
    return municipality


@pytest.fixture
def token(copenhagen: Municipality) -> str:
    return make_api_client(copenhagen, source="DUBU")[1]


def _counts() -> dict[str, int]:
    models = (CaseEvent, Case, Child, Obligation, AuditEvent, AccessLogEntry)
    return {model.__name__: model.objects.count() for model in models}


@pytest.mark.parametrize(
    ("fields", "field", "shown"),
    [({"event_id": "e\x001"}, "event_id", "e[U+0000]1"),
     ({"case_id": "SAG\x0b1"}, "case_id", "SAG[U+000B]1"),
     ({"child_id": "\u202eBARN"}, "child_id", "[U+202E]BARN"),
     ({"unit": "BFE\u2066NORD"}, "unit", "BFE[U+2066]NORD"),
     ({"caseworker": "anna\x7f"}, "caseworker", "anna[U+007F]"),
     ({"at": "2024-10-31\x00"}, "at", "2024-10-31[U+0000]"),
     ({"birth_date": "2010-01-01\x0b"}, "birth_date", "2010-01-01[U+000B]"),
     ({"cpr": "010203\x001234"}, "cpr", None),
     ({"attributes": {"notifier": "private\x00"}}, "attributes.notifier", "private[U+0000]"),
     ({"event_id": "e\n1"}, "event_id", "e[U+000A]1")],
)  # fmt: skip
def test_a_control_character_is_refused_by_index_field_and_code_point(
    api: ApiCaller, token: str, fields: dict[str, Any], field: str, shown: str | None
) -> None:
    before = _counts()
    response = api.post(EVENTS, {"events": [ev(event_id="e0"), ev(**fields)]}, token)
    assert response.status_code == 422, response.content
    assert _counts() == before
    body = response.json()
    assert body["message"] == "Intet er indlæst."
    errors = [e for e in body["errors"] if e["index"] == 1]
    assert errors == [{"index": 1, "field": field, "value": shown, "message": errors[0]["message"]}], body[
        "errors"
    ]
    assert "styretegn" in errors[0]["message"]
    assert not [e for e in body["errors"] if e["index"] == 0]


def test_a_control_character_in_an_attribute_name_is_refused(api: ApiCaller, token: str) -> None:
    response = api.post(EVENTS, {"events": [ev(attributes={"noti\x00fier": "private"})]}, token)
    assert response.status_code == 422
    assert response.json()["errors"][0]["value"] == "noti[U+0000]fier"
    assert not CaseEvent.objects.exists()


@pytest.mark.parametrize("event_id", ["e%001", "e%0B1", "%E2%80%AEe1"])
def test_reading_an_id_with_a_control_character_back_is_not_found(
    api: ApiCaller, token: str, event_id: str
) -> None:
    assert api.post(EVENTS, {"events": [ev()]}, token).status_code == 200
    response = api.get(f"{EVENTS}/{event_id}", token)
    assert response.status_code == 404
    assert response.json()["message"]


def test_a_source_name_with_a_control_character_gets_no_token(copenhagen: Municipality) -> None:
    with pytest.raises(ApiClientError, match="U\\+0000"):
        api_client_create(municipality=copenhagen, source="DU\x00BU", actor=None)
    assert not ApiClient.objects.exists()


def test_a_lone_surrogate_is_refused_in_danish(api: ApiCaller, token: str) -> None:
    response = api.post(EVENTS, {"events": [ev(type="need\ud800noticed")]}, token)  # JSON "\ud800"
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"index": 0, "field": "type", "value": None, "message": response.json()["errors"][0]["message"]}
    ]
    assert "U+D800" in response.json()["errors"][0]["message"]
    assert not CaseEvent.objects.exists()
