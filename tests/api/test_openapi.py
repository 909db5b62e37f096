"""The OpenAPI document, the offline docs page and the health check."""

from __future__ import annotations

import json
import re

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_the_openapi_document_is_json_and_lists_the_endpoints(client: Client) -> None:
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    document = json.loads(response.content)
    assert document["openapi"].startswith("3.")
    assert document["info"]["title"] == "Sagstilsyn API"
    assert "hændelser" in document["info"]["description"]
    assert {"/api/v1/events", "/api/v1/events/{event_id}", "/api/v1/health"} <= set(document["paths"])
    post = document["paths"]["/api/v1/events"]["post"]
    assert post["summary"] == "Indlæs hændelser"
    assert {"200", "401", "422"} <= set(post["responses"])
    assert post["security"] == [{"ClientToken": []}]
    scheme = document["components"]["securitySchemes"]["ClientToken"]
    assert (scheme["type"], scheme["scheme"]) == ("http", "bearer")
    event = document["components"]["schemas"]["EventIn"]
    assert set(event["required"]) == {"event_id", "case_id", "child_id", "unit", "type", "at"}
    assert {"cpr", "birth_date", "group", "caseworker", "attributes"} <= set(event["properties"])
    assert "CPR" in event["properties"]["cpr"]["description"]
    assert "security" not in document["paths"]["/api/v1/health"]["get"]


def test_the_docs_page_loads_nothing_from_the_internet(client: Client) -> None:
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    page = response.content.decode()
    assert not re.search(r"(src|href)=\"(https?:)?//", page)
    assert '"validatorUrl": null' in page
    for asset in re.findall(r'(?:src|href)="([^"]+)"', page):
        assert asset.startswith("/api/v1/docs/assets/")
        served = client.get(asset)
        assert served.status_code == 200, asset
        b"".join(served.streaming_content)  # type: ignore[attr-defined]
    assert client.get("/api/v1/docs/assets/settings.py").status_code == 404
    assert client.get("/api/v1/docs/assets/..%2Fmain.py").status_code == 404


def test_health_answers_without_a_token(client: Client) -> None:
    response = client.get("/api/v1/health")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "api_version": "1"}
