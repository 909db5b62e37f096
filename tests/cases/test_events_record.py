"""events_record: all or nothing, idempotent, creates cases and children, moves cases, recomputes."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

import pytest

from sagstilsyn.cases.models import CaseEvent, Child, Obligation
from sagstilsyn.cases.services.event_inputs import EventsRejected
from sagstilsyn.cases.services.events import events_record
from sagstilsyn.cases.services.obligations import obligations_recompute
from sagstilsyn.cases.services.recompute import CONTENT_FIELDS
from sagstilsyn.cases.store import case_store
from sagstilsyn.core.models import AuditEvent, Role
from sagstilsyn.law import model as law
from sagstilsyn.law.calendar import COPENHAGEN
from tests.factories import case_of, event, make_municipality, make_unit, make_user, record

pytestmark = pytest.mark.django_db


def test_new_case_and_child_are_created_and_obligations_computed() -> None:
    municipality = make_municipality()
    make_unit(municipality)
    result = record(
        municipality,
        event("e1", "need_noticed", date(2024, 10, 31)),
        event("e2", "investigation_completed", date(2025, 2, 28)),
    )
    assert (result.events_created, result.cases_created, result.children_created) == (2, 1, 1)
    case = case_of(municipality)
    obligation = Obligation.objects.get(case=case, rule_id="investigation_deadline")
    assert (obligation.due_day, obligation.status, obligation.rule_version.law) == (
        date(2025, 2, 28),
        "met",
        "barnets_lov",
    )
    assert obligation.trigger_event is not None
    assert obligation.trigger_event.source_event_id == "e1"
    assert obligation.satisfied_event is not None
    assert obligation.satisfied_event.source_event_id == "e2"
    assert obligation.rule_version.citations[0]["label"] == "Barnets lov § 20, stk. 3"


def test_recording_the_same_events_twice_changes_nothing() -> None:
    municipality = make_municipality()
    make_unit(municipality)
    rows = [event("e1", "need_noticed", date(2024, 10, 31))]
    record(municipality, *rows)
    first = list(Obligation.objects.values_list("id", "computed_at"))
    again = record(municipality, *rows)
    assert (again.events_created, again.events_updated, again.events_unchanged) == (0, 0, 1)
    assert again.cases_recomputed == 0
    assert list(Obligation.objects.values_list("id", "computed_at")) == first


def test_an_event_with_the_same_id_is_updated_not_duplicated() -> None:
    municipality = make_municipality()
    make_unit(municipality)
    record(municipality, event("e1", "need_noticed", date(2024, 10, 31)))
    result = record(municipality, event("e1", "need_noticed", date(2024, 11, 30)))
    assert result.events_updated == 1
    assert CaseEvent.objects.count() == 1
    assert Obligation.objects.get(rule_id="investigation_deadline").due_day == date(2025, 3, 30)


def test_one_bad_row_writes_nothing_and_every_bad_row_is_named() -> None:
    municipality = make_municipality()
    make_unit(municipality)
    with pytest.raises(EventsRejected) as caught:
        record(
            municipality,
            event("e1", "need_noticed", date(2024, 10, 31), row=2),
            event("e2", "need_notised", date(2024, 10, 31), row=3),
            event("e3", "measure_decided", date(2024, 10, 31), row=4, attrs={"measure": "adoption"}),
            event("e4", "need_noticed", date(2024, 10, 31), row=5, unit="BFE-SYD"),
            event("e5", "concern_received", date(2024, 10, 31), row=6),
        )
    errors = caught.value.errors
    assert [(e.row, e.column) for e in errors] == [(3, "type"), (4, "measure"), (5, "unit"), (6, "at")]
    assert "ukendt hændelsestype" in errors[0].message
    assert "enheden findes ikke" in errors[2].message
    assert CaseEvent.objects.count() == 0
    assert Child.objects.count() == 0


def test_a_case_moves_to_another_unit_and_the_move_is_audited() -> None:
    municipality = make_municipality()
    make_unit(municipality)
    make_unit(municipality, "BFE-SYD")
    worker = make_user(municipality, Role.CASEWORKER, username="anna")
    record(municipality, event("e1", "need_noticed", date(2024, 10, 31)))
    result = record(
        municipality, event("e2", "plan_made", date(2024, 11, 2), unit="BFE-SYD", caseworker="anna")
    )
    assert result.cases_moved == 1
    case = case_of(municipality)
    assert (case.unit.code, case.caseworker) == ("BFE-SYD", worker)
    move = AuditEvent.objects.get(action="case.move")
    assert move.before == {"unit": "BFE-NORD", "group": "", "caseworker": None}
    assert move.after is not None
    assert move.after["unit"] == "BFE-SYD"


def test_unknown_caseworker_and_a_case_of_another_child_are_errors() -> None:
    municipality = make_municipality()
    make_unit(municipality)
    record(municipality, event("e1", "need_noticed", date(2024, 10, 31)))
    with pytest.raises(EventsRejected) as caught:
        record(
            municipality,
            event("e2", "plan_made", date(2024, 11, 2), row=2, caseworker="ukendt"),
            event("e3", "plan_made", date(2024, 11, 2), row=3, child_id="BARN-2"),
        )
    assert [(e.row, e.column) for e in caught.value.errors] == [(2, "caseworker"), (3, "child_id")]


def test_cpr_is_stored_encrypted_and_never_in_errors() -> None:
    municipality = make_municipality()
    make_unit(municipality)
    record(municipality, event("e1", "need_noticed", date(2024, 10, 31), cpr="010118-1234"))
    child = Child.objects.get()
    assert "0101181234" not in child.cpr_cipher
    assert "010118" not in child.cpr_cipher
    assert child.cpr_digest
    with pytest.raises(EventsRejected) as caught:
        record(municipality, event("e2", "plan_made", date(2024, 11, 2), row=7, cpr="010118-9999"))
    [error] = caught.value.errors
    assert (error.row, error.column, error.value) == (7, "cpr", "")
    assert "9999" not in str(error)


def test_hour_events_keep_their_instant() -> None:
    municipality = make_municipality()
    make_unit(municipality)
    received = datetime(2025, 3, 29, 12, 0, tzinfo=COPENHAGEN)
    record(municipality, event("u1", "concern_received", received, attrs={"notifier": "private"}))
    stored = CaseEvent.objects.get()
    assert stored.instant == received
    assert stored.day == date(2025, 3, 29)
    obligation = Obligation.objects.get(rule_id="concern_assessment")
    assert obligation.due_at == datetime(2025, 3, 30, 13, 0, tzinfo=COPENHAGEN)


def test_dry_run_writes_nothing_but_reports() -> None:
    municipality = make_municipality()
    make_unit(municipality)

    result = events_record(
        municipality=municipality,
        inputs=[event("e1", "need_noticed", date(2024, 10, 31))],
        source="test",
        dry_run=True,
    )
    assert result.events_created == 1
    assert result.dry_run
    assert CaseEvent.objects.count() == 0
    assert Obligation.objects.count() == 0


def test_malformed_cpr_too_long_ids_and_cpr_shaped_ids_are_row_errors() -> None:
    municipality = make_municipality()
    make_unit(municipality)
    with pytest.raises(EventsRejected) as caught:
        record(
            municipality,
            event("e1", "need_noticed", date(2024, 10, 31), row=2, cpr="0101-18"),
            event("e2", "need_noticed", date(2024, 10, 31), row=3, case_id="S" * 81),
            event("e3", "need_noticed", date(2024, 10, 31), row=4, case_id="SAG-3", child_id="020219-2345"),
        )
    problems = [(e.row, e.column) for e in caught.value.errors]
    assert problems == [(2, "cpr"), (3, "case_id"), (4, "child_id")]
    assert all("2345" not in str(e) and "0101-18" not in str(e) for e in caught.value.errors)
    assert Child.objects.count() == 0


def test_a_new_case_keeps_the_group_and_caseworker_given_on_an_earlier_row() -> None:
    municipality = make_municipality()
    make_unit(municipality)
    worker = make_user(municipality, Role.CASEWORKER, username="anna")
    record(
        municipality,
        event("e1", "need_noticed", date(2024, 10, 31), group="youth", caseworker="anna"),
        event("e2", "plan_made", date(2024, 11, 2)),
    )
    case = case_of(municipality)
    assert (case.group, case.caseworker) == ("youth", worker)


def test_obligations_are_judged_on_the_given_as_of_date() -> None:
    municipality = make_municipality()
    make_unit(municipality)

    events_record(
        municipality=municipality,
        inputs=[event("e1", "need_noticed", date(2024, 1, 10))],
        source="test",
        as_of=date(2024, 2, 1),
    )
    obligation = Obligation.objects.get(rule_id="investigation_deadline")
    assert (obligation.status, obligation.judged_on) == ("open", date(2024, 2, 1))


def test_obligations_follow_their_case_to_another_unit() -> None:
    municipality = make_municipality()
    nord = make_unit(municipality)
    syd = make_unit(municipality, "BFE-SYD")
    record(municipality, event("e1", "need_noticed", date(2024, 10, 31)))
    assert set(Obligation.objects.values_list("unit_id", flat=True)) == {nord.pk}
    record(municipality, event("e1", "need_noticed", date(2024, 10, 31), unit="BFE-SYD"))
    assert set(Obligation.objects.values_list("unit_id", flat=True)) == {syd.pk}


def test_a_bad_value_is_named_on_every_row_and_a_good_one_checked_once_stays_good() -> None:
    municipality = make_municipality()
    make_unit(municipality)
    long_case = "S" * 81
    with pytest.raises(EventsRejected) as rejected:
        record(
            municipality,
            event("e1", "need_noticed", date(2024, 1, 10), row=2, case_id=long_case, cpr="010118-1234"),
            event("e2", "need_noticed", date(2024, 1, 11), row=3, case_id=long_case, cpr="010118-1234"),
            event(
                "e3", "need_noticed", date(2024, 1, 12), row=4, case_id="SAG-2", child_id="B-2", cpr="3213"
            ),
            event(
                "e4", "need_noticed", date(2024, 1, 13), row=5, case_id="SAG-2", child_id="B-2", cpr="3213"
            ),
        )
    named = {(e.row, e.column) for e in rejected.value.errors}
    assert {(2, "case_id"), (3, "case_id"), (4, "cpr"), (5, "cpr")} <= named
    assert not {(2, "cpr"), (3, "cpr"), (4, "case_id"), (5, "case_id")} & named
    assert not CaseEvent.objects.exists()
    assert not Child.objects.exists()


def test_rows_checked_once_per_combination_still_name_each_bad_row() -> None:
    """A good row's references and event shape are remembered; a later row differing only in a bad
    way (a 1 for a yes/no attribute, a time without UTC offset, a CPR-shaped event id) is still named."""
    municipality = make_municipality()
    make_unit(municipality)
    concern = datetime(2024, 3, 4, 9, 0, tzinfo=COPENHAGEN)
    with pytest.raises(EventsRejected) as rejected:
        record(
            municipality,
            event("c1", "concern_received", concern, row=2, attrs={"notifier": "private", "abuse": True}),
            event("c2", "concern_received", concern, row=3, attrs={"notifier": "private", "abuse": 1}),
            event(
                "c3", "concern_received", concern.replace(tzinfo=None), row=4, attrs={"notifier": "private"}
            ),
            event("0101181234", "need_noticed", date(2024, 3, 5), row=5),
            event("n2", "need_noticed", date(2024, 3, 6), row=6, unit="UKENDT"),
            event("n3", "need_noticed", date(2024, 3, 7), row=7, unit="UKENDT"),
        )
    named = {(e.row, e.column) for e in rejected.value.errors}
    assert named == {(3, "abuse"), (4, "at"), (5, "event_id"), (6, "unit"), (7, "unit")}


def _content(case_id: int) -> list[tuple[str, ...]]:

    rows = Obligation.objects.filter(case_id=case_id).values_list(*CONTENT_FIELDS)
    return sorted((tuple(repr(v) for v in row) for row in rows), key=repr)


def test_new_cases_get_the_obligations_a_recompute_from_the_database_gives() -> None:
    """An import's obligations equal a recompute from the database (which keeps every row)."""

    municipality = make_municipality()
    make_unit(municipality)
    concern = datetime(2024, 3, 31, 1, 30, tzinfo=COPENHAGEN)
    record(
        municipality,
        event("c1", "concern_received", concern, attrs={"notifier": "professional", "abuse": True}),
        event("a1", "concern_assessed", datetime(2024, 3, 31, 23, 0, tzinfo=COPENHAGEN)),
        event("n1", "need_noticed", date(2024, 4, 2)),
        event("n2", "need_noticed", date(2024, 5, 2), case_id="SAG-2", child_id="BARN-2"),
        event("i2", "investigation_completed", date(2024, 6, 2), case_id="SAG-2", child_id="BARN-2"),
    )
    cases = [case_of(municipality), case_of(municipality, "SAG-2")]
    imported = {case.pk: _content(case.pk) for case in cases}
    assert all(imported.values())
    obligations_recompute(case_ids=[case.pk for case in cases])
    assert {case.pk: _content(case.pk) for case in cases} == imported
    after = AuditEvent.objects.filter(action="obligations.recompute").latest("pk").after
    assert isinstance(after, dict)
    assert after["written"] == 0
    assert after["removed"] == 0


def test_a_new_case_that_takes_over_a_stored_event_counts_that_event() -> None:

    municipality = make_municipality()
    make_unit(municipality)
    record(municipality, event("n1", "need_noticed", date(2024, 4, 2)))
    record(  # the same event now belongs to a new case, which also gets a new event
        municipality,
        event("n1", "need_noticed", date(2024, 4, 2), case_id="SAG-NY", child_id="BARN-1"),
        event("i1", "investigation_completed", date(2024, 6, 1), case_id="SAG-NY", child_id="BARN-1"),
    )
    new_case = case_of(municipality, "SAG-NY")
    imported = _content(new_case.pk)
    assert Obligation.objects.get(case=new_case, rule_id="investigation_deadline").status == "met"
    obligations_recompute(case_ids=[new_case.pk])
    assert _content(new_case.pk) == imported


def test_an_import_computes_its_new_cases_from_memory_without_reading_their_events_back(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """ADR 0009: the recompute reads events only of cases that existed before the import."""

    municipality = make_municipality()
    make_unit(municipality)
    record(municipality, event("n1", "need_noticed", date(2024, 4, 2)))  # SAG-1 exists before
    read: list[int] = []
    store = case_store()
    real = store.events_by_case

    def spy(case_ids: Sequence[int]) -> dict[int, list[law.Event]]:
        read.extend(case_ids)
        return real(case_ids)

    monkeypatch.setattr(store, "events_by_case", spy)
    seen: list[tuple[int, int]] = []
    events_record(
        municipality=municipality,
        source="test",
        inputs=[
            event("i1", "investigation_completed", date(2024, 6, 1)),
            event("n2", "need_noticed", date(2024, 5, 2), case_id="SAG-2", child_id="BARN-2"),
            event("n3", "need_noticed", date(2024, 5, 3), case_id="SAG-3", child_id="BARN-3"),
        ],
        progress=lambda done, total: seen.append((done, total)),
    )
    assert read == [case_of(municipality).pk]
    assert seen[-1] == (3, 3)
    assert [done for done, _ in seen] == sorted(done for done, _ in seen)
    fresh = Obligation.objects.get(case=case_of(municipality, "SAG-2"), rule_id="investigation_deadline")
    assert (fresh.due_day, fresh.status) == (date(2024, 9, 2), "overdue")
