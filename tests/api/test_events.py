"""POST /api/v1/events: all or nothing, idempotent, strictly inside the client's own municipality."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from pytest_django.fixtures import Settings as SettingsWrapper

from sagstilsyn.api.schemas import MAX_EVENTS
from sagstilsyn.cases.models import Case, CaseEvent, Child, Obligation
from sagstilsyn.core.models import AccessLogEntry, AuditEvent, Municipality
from tests.api.conftest import ApiCaller
from tests.factories import make_api_client, make_municipality, make_unit, make_user

pytestmark = pytest.mark.django_db

EVENTS = "/api/v1/events"
CPR = "010203-1234"
CPR_DIGITS = "0102031234"


def ev(event_id: str, type: str = "need_noticed", at: str = "2024-10-31", **fields: Any) -> dict[str, Any]:
    return {
        "event_id": event_id,
        "case_id": "SAG-1",
        "child_id": "BARN-1",
        "unit": "BFE-NORD",
        "type": type,
        "at": at,
        **fields,
    }


@pytest.fixture
def copenhagen() -> Municipality:
    municipality = make_municipality()
    make_unit(municipality)
    make_unit(municipality, "DOEGNVAGTEN", kind="emergency")
    return municipality


@pytest.fixture
def token(copenhagen: Municipality) -> str:
    return make_api_client(copenhagen, source="DUBU")[1]


def test_a_batch_is_recorded_and_obligations_are_computed(
    api: ApiCaller, copenhagen: Municipality, token: str
) -> None:
    caseworker = make_user(copenhagen, username="sagsbehandler1")
    body = {
        "events": [
            ev("e1", cpr=CPR, birth_date="2010-05-17"),
            ev(
                "e2",
                "investigation_completed",
                "2025-02-28",
                group="investigation",
                caseworker="sagsbehandler1",
            ),
            ev(
                "e3",
                "concern_received",
                "2024-12-20T14:00:00+01:00",
                case_id="SAG-2",
                child_id="BARN-2",
                unit="DOEGNVAGTEN",
                attributes={"notifier": "professional", "abuse": False},
            ),
        ]
    }
    response = api.post(EVENTS, body, token)
    assert response.status_code == 200, response.content
    result = response.json()
    assert {k: result[k] for k in ("events", "events_created", "cases_created", "children_created")} == {
        "events": 3,
        "events_created": 3,
        "cases_created": 2,
        "children_created": 2,
    }
    assert result["dry_run"] is False
    assert result["obligations"] > 0
    assert result["message"].startswith("3 hændelser er indlæst")
    assert set(CaseEvent.objects.values_list("source", "municipality")) == {("DUBU", copenhagen.pk)}
    case = Case.objects.get(source_ref="SAG-1")
    assert (case.group, case.caseworker) == ("investigation", caseworker)
    obligation = Obligation.objects.get(case=case, rule_id="investigation_deadline")
    assert (obligation.due_day, obligation.status) == (date(2025, 2, 28), "met")
    concern = CaseEvent.objects.get(source_event_id="e3")
    assert concern.instant is not None
    assert concern.instant.isoformat() == "2024-12-20T13:00:00+00:00"
    assert Child.objects.get(source_ref="BARN-1").cpr_digest  # stored, protected
    assert CPR not in response.content.decode()
    assert CPR_DIGITS not in response.content.decode()


def test_posting_the_same_batch_again_changes_nothing(api: ApiCaller, token: str) -> None:
    body = {"events": [ev("e1"), ev("e2", "investigation_completed", "2025-02-28")]}
    assert api.post(EVENTS, body, token).json()["events_created"] == 2
    computed = list(Obligation.objects.values_list("id", "computed_at"))
    again = api.post(EVENTS, body, token).json()
    assert (again["events_created"], again["events_updated"], again["events_unchanged"]) == (0, 0, 2)
    assert again["cases_recomputed"] == 0
    assert CaseEvent.objects.count() == 2
    assert list(Obligation.objects.values_list("id", "computed_at")) == computed
    changed = api.post(EVENTS, {"events": [ev("e1", at="2024-11-30")]}, token).json()
    assert (changed["events_created"], changed["events_updated"]) == (0, 1)
    assert CaseEvent.objects.count() == 2


def test_one_bad_event_writes_nothing_and_every_error_is_named(api: ApiCaller, token: str) -> None:
    body = {
        "events": [
            ev("e1"),
            ev("e2", "measure_decided", attributes={"measure": "adoption"}),
            ev("e3", unit="BFE-SYD"),
            ev("e4", "concern_received", "2024-12-20T14:00:00"),  # naive: no UTC offset
            ev("e5", at="31-10-2024"),
            ev("e6", "need_notised"),
        ]
    }
    response = api.post(EVENTS, body, token)
    assert response.status_code == 422
    payload = response.json()
    assert payload["message"] == "Intet er indlæst."
    found = [(e["index"], e["field"], e["value"]) for e in payload["errors"]]
    assert found == [
        (1, "attributes.measure", "adoption"),
        (2, "unit", "BFE-SYD"),
        (3, "at", "2024-12-20T14:00:00"),
        (4, "at", "31-10-2024"),
        (5, "type", "need_notised"),
    ]
    messages = {e["index"]: e["message"] for e in payload["errors"]}
    assert "enheden findes ikke i kommunen" in messages[2]
    assert "UTC-forskydning" in messages[3]
    assert "ÅÅÅÅ-MM-DD" in messages[4]
    assert "ukendt hændelsestype" in messages[5]
    assert CaseEvent.objects.count() == 0
    assert Case.objects.count() == 0
    assert Child.objects.count() == 0
    assert not AuditEvent.objects.filter(action="events.record").exists()


def test_shape_errors_name_index_and_field_in_danish(api: ApiCaller, token: str) -> None:
    body = {"events": [ev("e1"), {**ev("e2", group="teenagers"), "unknown": 1}, {"event_id": "e3"}]}
    response = api.post(EVENTS, body, token)
    assert response.status_code == 422
    errors = {(e["index"], e["field"]): e["message"] for e in response.json()["errors"]}
    assert errors[(1, "group")] == "skal være investigation, children eller youth"
    assert errors[(1, "unknown")].startswith("ukendt felt")
    assert errors[(2, "case_id")] == "værdien mangler"
    assert errors[(2, "at")] == "værdien mangler"
    assert CaseEvent.objects.count() == 0


def test_whole_request_errors(api: ApiCaller, token: str) -> None:
    empty = api.post(EVENTS, {"events": []}, token)
    assert empty.status_code == 422
    assert empty.json()["errors"] == [
        {"index": None, "field": "events", "value": None, "message": "skal indeholde mindst én hændelse"}
    ]
    too_many = api.post(EVENTS, {"events": [ev(f"e{i}") for i in range(MAX_EVENTS + 1)]}, token)
    assert too_many.status_code == 422
    assert f"højst {MAX_EVENTS} hændelser" in too_many.json()["errors"][0]["message"]
    broken = api.post(EVENTS, '{"events": [', token)
    assert broken.status_code == 400
    assert broken.json()["message"].startswith("Kaldets indhold er ikke gyldig JSON")


def test_dry_run_checks_everything_and_writes_nothing(api: ApiCaller, token: str) -> None:
    response = api.post(EVENTS, {"events": [ev("e1")], "dry_run": True}, token)
    assert response.status_code == 200
    assert (response.json()["dry_run"], response.json()["events_created"]) == (True, 1)
    assert CaseEvent.objects.count() == 0
    assert Case.objects.count() == 0


def test_another_municipalitys_units_are_refused(
    api: ApiCaller, copenhagen: Municipality, token: str
) -> None:
    frederiksberg = make_municipality("147", "Frederiksberg Kommune")
    make_unit(frederiksberg, "FRB-VEST")
    response = api.post(EVENTS, {"events": [ev("e1", unit="FRB-VEST")]}, token)
    assert response.status_code == 422
    assert [(e["index"], e["field"], e["value"]) for e in response.json()["errors"]] == [
        (0, "unit", "FRB-VEST")
    ]
    assert CaseEvent.objects.count() == 0


def test_municipalities_stay_apart(api: ApiCaller, copenhagen: Municipality, token: str) -> None:
    frederiksberg = make_municipality("147", "Frederiksberg Kommune")
    make_unit(frederiksberg)  # the same unit code, in another municipality
    other_token = make_api_client(frederiksberg, source="DUBU")[1]
    assert api.post(EVENTS, {"events": [ev("e1")]}, token).json()["events_created"] == 1
    assert (
        api.post(EVENTS, {"events": [ev("e1", at="2024-11-01")]}, other_token).json()["events_created"] == 1
    )
    assert sorted(CaseEvent.objects.values_list("municipality__code", "day")) == [
        ("101", date(2024, 10, 31)),
        ("147", date(2024, 11, 1)),
    ]
    assert api.get("/api/v1/events/e1", token).json()["at"] == "2024-10-31"
    assert api.get("/api/v1/events/e1", other_token).json()["at"] == "2024-11-01"


def test_events_are_recorded_under_the_clients_own_source(
    api: ApiCaller, copenhagen: Municipality, token: str
) -> None:
    nexus_token = make_api_client(copenhagen, source="Nexus")[1]
    api.post(EVENTS, {"events": [ev("e1")]}, token)
    api.post(EVENTS, {"events": [ev("e1", case_id="SAG-9", child_id="BARN-9")]}, nexus_token)
    assert sorted(CaseEvent.objects.values_list("source", "case__source_ref")) == [
        ("DUBU", "SAG-1"),
        ("Nexus", "SAG-9"),
    ]
    assert api.get("/api/v1/events/e1", nexus_token).json()["case_id"] == "SAG-9"


def test_a_cpr_number_never_appears_in_a_response(api: ApiCaller, token: str) -> None:
    texts = []
    ok = api.post(EVENTS, {"events": [ev("e1", cpr=CPR)]}, token)
    assert ok.status_code == 200
    texts.append(ok.content.decode())
    # another CPR number for the same child, a malformed one, one of the wrong type, one in a wrong field
    for body in (
        {"events": [ev("e2", cpr="020304-5678")]},
        {"events": [ev("e3", cpr="3113991234", child_id="BARN-2")]},
        {"events": [ev("e4", cpr=int(CPR_DIGITS), child_id="BARN-3")]},
        {"events": [ev("e5", unit=CPR, child_id="BARN-4")]},
    ):
        response = api.post(EVENTS, body, token)
        assert response.status_code == 422, body
        texts.append(response.content.decode())
    texts.append(api.get("/api/v1/events/e1", token).content.decode())
    for text in texts:
        for number in (CPR, CPR_DIGITS, "020304-5678", "0203045678", "3113991234", "1234", "5678"):
            assert number not in text, text
    assert '"value": "010203-XXXX"' in texts[4].replace('":"', '": "')  # masked where it was echoed


def test_recording_is_audited_with_the_client_as_actor(
    api: ApiCaller, copenhagen: Municipality, token: str
) -> None:
    client = copenhagen.api_clients.get()
    api.post(EVENTS, {"events": [ev("e1"), ev("e2", "investigation_completed", "2025-02-28")]}, token)
    audit = AuditEvent.objects.get(action="events.record")
    assert (audit.actor, audit.actor_label, audit.municipality, audit.target_id) == (
        None,
        f"API: DUBU (klient {client.pk})",
        copenhagen,
        "DUBU",
    )
    assert audit.after is not None
    assert audit.after["events_created"] == 2


def test_get_event_shows_it_without_cpr_and_logs_the_access(
    api: ApiCaller, copenhagen: Municipality, token: str
) -> None:
    api.post(
        EVENTS,
        {"events": [ev("e1", "concern_received", "2024-12-20T14:00:00+01:00", cpr=CPR, unit="DOEGNVAGTEN",
                        attributes={"notifier": "private"})]},
        token,
    )  # fmt: skip
    response = api.get("/api/v1/events/e1", token)
    assert response.status_code == 200
    shown = response.json()
    assert {k: v for k, v in shown.items() if k != "recorded_at"} == {
        "event_id": "e1",
        "case_id": "SAG-1",
        "child_id": "BARN-1",
        "unit": "DOEGNVAGTEN",
        "group": None,
        "caseworker": None,
        "type": "concern_received",
        "at": "2024-12-20T14:00:00+01:00",
        "attributes": {"notifier": "private"},
    }
    entry = AccessLogEntry.objects.get()
    assert (entry.purpose, entry.case_id, entry.municipality) == (
        "api_event",
        Case.objects.get().pk,
        copenhagen,
    )
    missing = api.get("/api/v1/events/nope", token)
    assert missing.status_code == 404
    assert missing.json()["message"].startswith("Hændelsen findes ikke")


def test_a_request_larger_than_django_allows_is_refused(
    api: ApiCaller, token: str, settings: SettingsWrapper
) -> None:
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 200
    response = api.post(EVENTS, {"events": [ev(f"e{i}") for i in range(5)]}, token)
    assert response.status_code == 413
    assert "for stort" in response.json()["message"]
    assert CaseEvent.objects.count() == 0
