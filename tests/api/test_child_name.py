"""The API's `child_name` field: stored encrypted, never returned, a bad name refused without echo."""

from __future__ import annotations

import pytest

from sagstilsyn.cases.models import Child
from sagstilsyn.core.child_name import child_name_decrypt
from sagstilsyn.core.models import Municipality
from tests.api.conftest import ApiCaller
from tests.factories import make_api_client, make_municipality, make_unit

pytestmark = pytest.mark.django_db

NAME = "Ida Navnesen"


@pytest.fixture
def copenhagen() -> Municipality:
    municipality = make_municipality()
    make_unit(municipality, "BFE-NORD")
    return municipality


def _raw_name_column() -> list[str]:
    return list(Child.objects.values_list("name_cipher", flat=True))


def test_the_api_stores_the_name_encrypted_and_never_returns_it(
    api: ApiCaller, copenhagen: Municipality
) -> None:
    token = make_api_client(copenhagen, source="DUBU")[1]
    item = {"event_id": "A-1", "case_id": "SAG-1", "child_id": "BARN-1", "child_name": NAME,
            "unit": "BFE-NORD", "type": "need_noticed", "at": "2024-10-31"}  # fmt: skip

    response = api.post("/api/v1/events", {"events": [item]}, token)

    assert response.status_code == 200, response.content
    assert NAME not in response.content.decode()
    (raw,) = _raw_name_column()
    assert NAME not in raw
    assert child_name_decrypt(raw) == NAME
    read = api.get("/api/v1/events/A-1", token)
    assert read.status_code == 200
    assert NAME not in read.content.decode()


def test_a_bad_name_via_the_api_is_refused_without_echo(api: ApiCaller, copenhagen: Municipality) -> None:
    token = make_api_client(copenhagen, source="DUBU")[1]
    item = {"event_id": "A-1", "case_id": "SAG-1", "child_id": "BARN-1", "child_name": "Ida\x0bNavnesen",
            "unit": "BFE-NORD", "type": "need_noticed", "at": "2024-10-31"}  # fmt: skip

    response = api.post("/api/v1/events", {"events": [item]}, token)

    assert response.status_code == 422
    body = response.json()
    assert body["errors"][0]["field"] == "child_name"
    assert body["errors"][0]["value"] is None
    assert "Navnesen" not in response.content.decode()
