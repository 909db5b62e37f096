"""The case store: the plain ORM one and PostgreSQL's give the same rows (ADR 0011)."""

from __future__ import annotations

import gc
import json
from collections.abc import Iterator
from datetime import UTC, date, datetime

import pytest
from django.db import IntegrityError, connection, transaction

from sagstilsyn.cases.models import Case, CaseEvent, Child, Obligation
from sagstilsyn.cases.services.event_upsert import NEW_EVENT_FIELDS
from sagstilsyn.cases.store import OrmStore, PostgresStore, case_store
from tests.factories import case_of, event, make_municipality, make_unit, record

pytestmark = pytest.mark.django_db


def _needs_postgresql() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: PostgresStore runs only there")


def _stores() -> list[OrmStore]:
    """Both stores where PostgreSQL runs; the ORM one elsewhere."""
    return [OrmStore(), PostgresStore()] if connection.vendor == "postgresql" else [OrmStore()]


@pytest.fixture(autouse=True)
def _gc_restored() -> Iterator[None]:
    was = gc.isenabled()
    yield
    (gc.enable if was else gc.disable)()


def test_the_default_store_follows_the_database() -> None:
    expected = PostgresStore if connection.vendor == "postgresql" else OrmStore
    assert type(case_store()) is expected


def test_bulk_work_pauses_the_collector_and_restores_it() -> None:
    gc.enable()
    with OrmStore.bulk_work():
        assert not gc.isenabled()
        with OrmStore.bulk_work():  # nested: the inner exit must not enable it early
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()
    with pytest.raises(RuntimeError), OrmStore.bulk_work():
        raise RuntimeError("boom")
    assert gc.isenabled()
    gc.disable()
    with OrmStore.bulk_work():
        pass
    assert not gc.isenabled()


def _world() -> tuple[int, list[int]]:
    """A municipality with two cases and events of every kind of time and attribute."""
    municipality = make_municipality()
    make_unit(municipality)
    record(
        municipality,
        event(
            "c1",
            "concern_received",
            datetime(2024, 3, 31, 1, 30, tzinfo=UTC),
            attrs={"notifier": "professional", "abuse": True},
        ),
        event("n1", "need_noticed", date(2024, 4, 2)),
        event("n2", "need_noticed", date(2024, 5, 2), case_id="SAG-2", child_id="BARN-2"),
        event("i2", "investigation_completed", date(2024, 6, 2), case_id="SAG-2", child_id="BARN-2"),
    )
    return municipality.pk, [case_of(municipality).pk, case_of(municipality, "SAG-2").pk]


def test_the_stores_read_the_same_rows() -> None:
    municipality_id, case_ids = _world()
    fields = ("rule_id", "due_day", "due_at", "status", "warnings")
    results = []
    for store in _stores():
        events = store.events_by_case(case_ids)
        results.append(
            (
                {pk: [(e.type, e.at, dict(e.attrs), e.id, e.day) for e in events[pk]] for pk in case_ids},
                store.case_facts(case_ids),
                store.ids_by_ref(Case, municipality_id, ["SAG-1", "SAG-2", "SAG-UKENDT"]),
                store.ids_by_ref(Child, municipality_id, ["BARN-1"]),
                sorted(store.stored_events(municipality_id, "test", ["c1", "i2", "ukendt"])),
                store.event_ids_by_source_id(municipality_id, "test", case_ids),
                store.child_ref_of_cases(municipality_id, ["SAG-1", "SAG-2"]),
                sorted(
                    (*row[:-2], row[-2] if isinstance(row[-2], str) else json.dumps(row[-2]))
                    for row in store.obligation_rows(case_ids, fields)
                ),
                store.fetch_all(Case.objects.order_by("pk").values_list("pk", "source_ref", "created_at")),
            )
        )
    first = results[0][0][case_ids[0]][0]
    assert first[0] == "concern_received"
    assert first[1] == datetime(2024, 3, 31, 1, 30, tzinfo=UTC)
    assert all(result == results[0] for result in results)


def test_the_stores_write_the_same_rows() -> None:
    """Each store inserts, reserves ids for and deletes the same event rows; what is stored is equal."""
    municipality_id, case_ids = _world()
    now = datetime(2024, 7, 1, 12, 0, tzinfo=UTC)
    fields = NEW_EVENT_FIELDS
    stored = []
    for store in _stores():
        source = f"kilde-{store.vendor}"
        rows = [
            (municipality_id, case_ids[0], source, "e1", "need_noticed", date(2024, 8, 1), None, {}, now),
            (
                municipality_id,
                case_ids[1],
                source,
                "e2",
                "concern_received",
                date(2024, 8, 2),
                datetime(2024, 8, 2, 10, 0, tzinfo=UTC),
                {"notifier": "private", "abuse": False},
                now,
            ),
            (
                municipality_id,
                case_ids[1],
                source,
                "e3",
                "need_noticed",
                date(2024, 8, 3),
                None,
                {"abuse": 1},
                now,
            ),
        ]
        ids = store.reserve_ids(CaseEvent, len(rows))
        if ids is None:
            assert store.insert_rows(CaseEvent, fields, rows) == 3
        else:
            assert len(ids) == 3
            assert ids == sorted(ids)
            assert (
                store.insert_rows(
                    CaseEvent, ("id", *fields), [(pk, *row) for pk, row in zip(ids, rows, strict=True)]
                )
                == 3
            )
        written = store.event_ids_by_source_id(municipality_id, source, case_ids)
        store.delete_ids(CaseEvent, [written["e3"]])
        stored.append(
            sorted(
                CaseEvent.objects.filter(source=source).values_list(
                    "case_id", "source_event_id", "type", "day", "instant", "attrs", "recorded_at"
                )
            )
        )
    assert stored[0][1][5] == {"notifier": "private", "abuse": False}
    assert all(rows == stored[0] for rows in stored)


def test_obligation_rows_give_instants_as_seconds_since_the_epoch() -> None:
    _, case_ids = _world()
    for store in _stores():
        rows = list(store.obligation_rows(case_ids, ("due_at", "rule_id")))
        instants = [row[0] for row in rows if row[0] is not None]
        assert instants
        assert all(isinstance(value, float) for value in instants)
        assert {row[-1] for row in rows} == set(
            Obligation.objects.filter(case_id__in=case_ids).values_list("pk", flat=True)
        )


def _dangling_event(municipality_pk: int) -> None:
    """An event row pointing at a case that does not exist (a foreign-key violation, deferred)."""
    CaseEvent.objects.create(
        municipality_id=municipality_pk,
        case_id=999_999_999,
        source="test",
        source_event_id="løs",
        type="need_noticed",
        day=date(2024, 1, 2),
        attrs={},
        recorded_at=datetime(2024, 1, 2, tzinfo=UTC),
    )


def test_deferred_checks_meanwhile_finds_a_violation_when_the_block_ends() -> None:
    _needs_postgresql()
    municipality = make_municipality()
    ran = []

    def write_a_dangling_event_and_work_meanwhile() -> None:
        with transaction.atomic():
            _dangling_event(municipality.pk)
            with PostgresStore().deferred_checks_meanwhile():
                ran.append(sum(range(1000)))  # Python work while the server checks

    with pytest.raises(IntegrityError):
        write_a_dangling_event_and_work_meanwhile()
    assert ran == [499500]


def test_deferred_checks_meanwhile_defers_the_constraints_again_after() -> None:
    _needs_postgresql()
    municipality = make_municipality()
    with transaction.atomic():
        with PostgresStore().deferred_checks_meanwhile():
            pass
        _dangling_event(municipality.pk)  # deferred again: accepted until the check
        with connection.cursor() as cursor, pytest.raises(IntegrityError), transaction.atomic():
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # as a commit would
        transaction.set_rollback(True)


def test_the_orm_store_only_runs_the_block() -> None:
    ran = []
    with OrmStore().deferred_checks_meanwhile():
        ran.append(1)
    assert ran == [1]
