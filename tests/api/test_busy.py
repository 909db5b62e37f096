"""An API call behind a long import of its municipality waits a while, then gets 503 in Danish
(issue 11, point 1; ADR 0013). PostgreSQL only: SQLite takes no lock."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, transaction
from django.test import Client, override_settings

from sagstilsyn.cases.models import CaseEvent
from sagstilsyn.cases.store import case_store
from tests.api.conftest import ApiCaller
from tests.factories import make_api_client, make_municipality, make_unit

pytestmark = pytest.mark.django_db(transaction=True)

EVENT = {
    "event_id": "e1",
    "case_id": "SAG-1",
    "child_id": "BARN-1",
    "unit": "BFE-NORD",
    "type": "need_noticed",
    "at": "2024-10-31",
}


@override_settings(SAGSTILSYN_API_WAIT_SECONDS=0.3)
def test_a_call_that_would_wait_too_long_gets_503_and_nothing_is_written() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite takes no lock")
    municipality = make_municipality()
    make_unit(municipality)
    _, token = make_api_client(municipality)
    holding, release = threading.Event(), threading.Event()

    def import_running() -> None:  # another writer holds the municipality's case data
        try:
            with transaction.atomic():
                case_store().lock_municipalities([municipality.pk])
                holding.set()
                release.wait(10)
        finally:
            connection.close()

    thread = threading.Thread(target=import_running)
    thread.start()
    try:
        assert holding.wait(10)
        response = ApiCaller(Client()).post("/api/v1/events", {"events": [EVENT]}, token)
    finally:
        release.set()
        thread.join()
    assert response.status_code == 503
    assert response.json()["message"].startswith("Kommunens sager opdateres lige nu")
    assert "prøv igen" in response.json()["message"]
    assert response["Retry-After"] == "1"
    assert not CaseEvent.objects.exists()
    again = ApiCaller(Client()).post("/api/v1/events", {"events": [EVENT]}, token)  # the import is done
    assert again.status_code == 200
    assert CaseEvent.objects.count() == 1
