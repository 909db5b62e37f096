"""The API fuzzed from its own OpenAPI description (schemathesis): every operation, with generated and
crafted bodies, paths and headers, answers without a 5xx, and a rejected call (4xx) writes nothing.

Offline and reproducible: the schema is read from the app in this process (WSGI, no network), the
examples are derandomized and bounded. The token is a real one, so calls reach the endpoints; the
municipality has the schema's example unit (BFE-NORD), so the schema's own examples are accepted.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from pytest_django.fixtures import Settings as SettingsWrapper

from sagstilsyn.api.endpoints import api
from sagstilsyn.api.models import ApiClient
from sagstilsyn.cases.models import Case, CaseEvent, ChecklistMark, Child, Obligation
from sagstilsyn.core.models import AccessLogEntry, AuditEvent
from tests.factories import make_api_client, make_municipality, make_unit

pytestmark = pytest.mark.django_db

#: What a call may write; a rejected call must leave every count as it was.
API_PREFIX = "/api/v1"
WRITTEN = (CaseEvent, Case, Child, Obligation, ChecklistMark, AuditEvent, AccessLogEntry, ApiClient)


def _openapi() -> dict[str, Any]:
    """The document /api/v1/openapi.json serves (`test_the_fuzzed_document_is_the_served_one`)."""
    document: dict[str, Any] = json.loads(json.dumps(api.get_openapi_schema(path_prefix=API_PREFIX)))
    return document


#: Read at collection, before there is a test database; calls go in-process to Django's WSGI handler.
schema = schemathesis.openapi.from_dict(_openapi())
schema.app = WSGIHandler()


@pytest.fixture
def in_process(settings: SettingsWrapper) -> Iterator[None]:
    """Calls through the WSGI handler inside the test's transaction: its host allowed, and the test's
    database connection kept open after each call (request_finished would close it), as Django's own
    test client does."""
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "localhost"]
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.fixture
def token() -> str:
    municipality = make_municipality()
    make_unit(municipality, "BFE-NORD")
    make_unit(municipality, "DOEGNVAGTEN", kind="emergency")
    return make_api_client(municipality, source="DUBU")[1]


def _counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in WRITTEN}


@schema.parametrize()
@settings(
    max_examples=60,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
def test_api_answers_without_5xx_and_a_rejected_call_writes_nothing(
    case: Any, token: str, in_process: None
) -> None:
    before = _counts()
    response = case.call(headers={"Authorization": f"Bearer {token}"})
    assert response.status_code < 500, (response.status_code, response.text[:500])
    if 400 <= response.status_code < 500:
        assert _counts() == before, (response.status_code, response.text[:500])
        if response.headers.get("Content-Type", "").startswith("application/json"):
            assert response.json()["message"], response.text[:500]  # a Danish message


def test_the_fuzzed_document_is_the_served_one(client: Any) -> None:
    assert client.get(f"{API_PREFIX}/openapi.json").json() == _openapi()
