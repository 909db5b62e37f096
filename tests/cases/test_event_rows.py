"""One reader of events for the file import and the API: the same bad event gets the same errors."""

from __future__ import annotations

from typing import Any

import pytest

from sagstilsyn.api.services import api_events_record
from sagstilsyn.cases.importing.errors import ImportRejected
from sagstilsyn.cases.importing.services import import_events_file
from sagstilsyn.cases.services.event_inputs import EventsRejected
from tests.factories import make_api_client, make_municipality, make_unit

pytestmark = pytest.mark.django_db

#: Bad events as a case system would send them: one problem per column, and one good event.
BAD = [
    {
        "event_id": "e1",
        "case_id": "",
        "child_id": "B1",
        "unit": "BFE-NORD",
        "type": "need_noticed",
        "at": "2024-03-01",
    },
    {
        "event_id": "e2",
        "case_id": "S2",
        "child_id": "B2",
        "unit": "BFE-NORD",
        "type": "need_noticed",
        "at": "01-03-2024",
    },
    {
        "event_id": "e3",
        "case_id": "S3",
        "child_id": "B3",
        "unit": "UKENDT",
        "type": "need_noticed",
        "at": "2024-03-01",
    },
    {
        "event_id": "e4",
        "case_id": "S4",
        "child_id": "B4",
        "unit": "BFE-NORD",
        "type": "concern_received",
        "at": "2024-03-01T10:00:00+01:00",
        "notifier": "professional",
        "abuse": "måske",
    },
    {
        "event_id": "e5",
        "case_id": "S5",
        "child_id": "B5",
        "unit": "BFE-NORD",
        "type": "need_noticed",
        "at": "2024-03-01",
        "birth_date": "2010-13-01",
    },
    {
        "event_id": "e6",
        "case_id": "S6",
        "child_id": "B6",
        "unit": "BFE-NORD",
        "type": "need_noticd",
        "at": "2024-03-01",
    },
    {
        "event_id": "e7",
        "case_id": "S7",
        "child_id": "B7",
        "unit": "BFE-NORD",
        "type": "need_noticed",
        "at": "2024-03-01",
    },
]
FIELDS = ("event_id", "case_id", "child_id", "unit", "type", "at", "birth_date", "notifier", "abuse")


def _csv() -> bytes:
    lines = [",".join(FIELDS)]
    lines += [",".join(str(item.get(name, "")) for name in FIELDS) for item in BAD]
    return ("\n".join(lines) + "\n").encode()


def _api_item(item: dict[str, Any]) -> dict[str, Any]:
    attributes = {name: item[name] for name in ("notifier", "abuse") if name in item}
    return {**{k: v for k, v in item.items() if k not in attributes}, "attributes": attributes}


def test_the_file_and_the_api_name_the_same_problems_in_the_same_words() -> None:
    municipality = make_municipality()
    make_unit(municipality)
    client, _ = make_api_client(municipality)
    with pytest.raises(ImportRejected) as from_file:
        import_events_file(data=_csv(), filename="h.csv", municipality=municipality)
    with pytest.raises(EventsRejected) as from_api:
        api_events_record(client=client, items=[_api_item(item) for item in BAD])
    # The file's rows start at 2 (under the header); the API's at 0.
    file_errors = {(e.row - 2, e.column, e.message) for e in from_file.value.errors}
    api_errors = {(e.row, e.column, e.message) for e in from_api.value.errors}
    assert file_errors == api_errors
    assert {(row, column) for row, column, _ in api_errors} == {
        (0, "case_id"),
        (1, "at"),
        (2, "unit"),
        (3, "abuse"),
        (4, "birth_date"),
        (5, "type"),
    }
    assert "værdien mangler" in {message for _, column, message in api_errors if column == "case_id"}
