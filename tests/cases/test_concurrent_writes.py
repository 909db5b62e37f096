"""Concurrent writes to the same cases lose no update: the stored obligations always equal a fresh
recompute from the stored events (issue 11, point 1)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import date

import pytest
from django.db import connection

from sagstilsyn.api.services import api_events_record
from sagstilsyn.cases.models import Case, Obligation
from sagstilsyn.cases.selectors.obligations import obligations_evaluate
from sagstilsyn.cases.services.events import events_record
from sagstilsyn.core.models import Municipality
from tests.factories import event, make_api_client, make_municipality, make_unit

pytestmark = pytest.mark.django_db(transaction=True)

CASES = 60
AS_OF = date(2024, 12, 31)


def _needs_postgresql() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite's test database is one connection's memory")


def _at_once(*work: Callable[[], object]) -> list[BaseException]:
    """Run the callables in threads that start together; the errors they raised."""
    barrier = threading.Barrier(len(work))
    errors: list[BaseException] = []

    def run(job: Callable[[], object]) -> None:
        try:
            barrier.wait()
            job()
        except BaseException as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(job,)) for job in work]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors


def _stored_equal_fresh(municipality: Municipality) -> list[str]:
    """The cases whose stored obligations differ from a fresh recompute (rule, trigger, status)."""
    case_ids = sorted(Case.objects.filter(municipality=municipality).values_list("pk", flat=True))
    fresh: dict[int, set[tuple[str, str]]] = {pk: set() for pk in case_ids}
    for case_id, item in obligations_evaluate(case_ids=case_ids, as_of=AS_OF):
        fresh[case_id].add((item.rule_id, str(item.status)))
    stored: dict[int, set[tuple[str, str]]] = {pk: set() for pk in case_ids}
    for case_id, rule_id, status in Obligation.objects.filter(case_id__in=case_ids).values_list(
        "case_id", "rule_id", "status"
    ):
        stored[case_id].add((rule_id, status))
    return [str(pk) for pk in case_ids if stored[pk] != fresh[pk]]


def test_two_imports_on_the_same_cases_at_once_leave_what_a_fresh_recompute_gives() -> None:
    _needs_postgresql()
    municipality = make_municipality()
    make_unit(municipality)
    refs = [(f"SAG-{i}", f"BARN-{i}") for i in range(CASES)]
    noticed = [
        event(f"n{i}", "need_noticed", date(2024, 3, 1), case_id=c, child_id=b)
        for i, (c, b) in enumerate(refs)
    ]
    done = [
        event(f"i{i}", "investigation_completed", date(2024, 5, 1), case_id=c, child_id=b)
        for i, (c, b) in enumerate(refs)
    ]
    errors = _at_once(
        lambda: events_record(municipality=municipality, inputs=noticed, source="dubu", as_of=AS_OF),
        lambda: events_record(municipality=municipality, inputs=done, source="dubu", as_of=AS_OF),
    )
    assert errors == []
    assert Case.objects.filter(municipality=municipality).count() == CASES
    assert _stored_equal_fresh(municipality) == []
    statuses = set(
        Obligation.objects.filter(rule_id="investigation_deadline").values_list("status", flat=True)
    )
    assert statuses == {"met"}


def test_many_small_pushes_on_shared_cases_lose_nothing() -> None:
    _needs_postgresql()
    municipality = make_municipality()
    make_unit(municipality)
    pushes = []
    for i in range(8):
        case, child = f"SAG-{i % 4}", f"BARN-{i % 4}"
        kind = "need_noticed" if i < 4 else "investigation_completed"
        day = date(2024, 3, 1) if i < 4 else date(2024, 5, 1)
        inputs = [event(f"e{i}", kind, day, case_id=case, child_id=child)]
        pushes.append(
            lambda inputs=inputs: events_record(
                municipality=municipality, inputs=inputs, source="api", as_of=AS_OF
            )
        )
    assert _at_once(*pushes) == []
    assert _stored_equal_fresh(municipality) == []


def test_concurrent_api_calls_on_shared_cases_lose_nothing_and_raise_nothing() -> None:
    """As issue 11 found with 400 calls on 200 cases: here 16 calls on 4 cases, through the API's service,
    one event id sent twice with other content (the later call wins, neither fails)."""
    _needs_postgresql()
    municipality = make_municipality()
    make_unit(municipality)
    client, _ = make_api_client(municipality)

    def item(i: int) -> dict[str, object]:
        kind, day = ("need_noticed", "2024-03-01") if i < 8 else ("investigation_completed", "2024-05-01")
        event_id = "samme" if i in (14, 15) else f"e{i}"
        at = "2024-05-02" if i == 15 else day
        return {
            "event_id": event_id,
            "case_id": f"SAG-{i % 4}",
            "child_id": f"BARN-{i % 4}",
            "unit": "BFE-NORD",
            "type": kind,
            "at": at,
        }

    calls = [lambda i=i: api_events_record(client=client, items=[item(i)]) for i in range(16)]
    assert _at_once(*calls) == []
    assert Case.objects.filter(municipality=municipality).count() == 4
    assert _stored_equal_fresh(municipality) == []
