"""Bulk helpers of the services: the garbage-collector pause, JSON text, deferred checks."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest

from sagstilsyn.cases.services.bulk import gc_paused


@pytest.fixture(autouse=True)
def _gc_restored() -> Iterator[None]:
    was = gc.isenabled()
    yield
    (gc.enable if was else gc.disable)()


def test_the_collector_is_paused_inside_and_enabled_again_after() -> None:
    gc.enable()
    with gc_paused():
        assert not gc.isenabled()
        with gc_paused():  # nested: the inner exit must not enable it early
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()


def test_an_error_inside_still_restores_the_collector() -> None:
    gc.enable()
    with pytest.raises(RuntimeError), gc_paused():
        raise RuntimeError("boom")
    assert gc.isenabled()


def test_a_collector_that_was_off_stays_off() -> None:
    gc.disable()
    with gc_paused():
        pass
    assert not gc.isenabled()


def test_json_text_of_empty_and_filled_values() -> None:
    from sagstilsyn.cases.services.bulk import _json_text

    cache: dict[object, tuple[object, str]] = {}
    assert _json_text(cache, {}) == "{}"
    assert _json_text(cache, []) == "[]"
    assert _json_text(cache, None) is None
    assert _json_text(cache, {"abuse": True}) == '{"abuse": true}'
    assert _json_text(cache, {"abuse": 1}) == '{"abuse": 1}'  # True and 1 are not the same value
    assert _json_text(cache, ["Fristen udløber lørdag"]) == '["Fristen udl\\u00f8ber l\\u00f8rdag"]'


def _dangling_event(municipality_pk: int) -> None:
    """An event row pointing at a case that does not exist (a foreign-key violation, deferred)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO cases_caseevent (municipality_id, case_id, source, source_event_id, type, day, "
            "attrs, recorded_at) VALUES (%s, 999999999, 'test', 'løs', 'need_noticed', '2024-01-02', "
            "'{}', now())",
            [municipality_pk],
        )


def _needs_postgresql() -> None:
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite checks no deferred foreign keys here")


@pytest.mark.django_db
def test_deferred_checks_meanwhile_finds_a_violation_when_the_block_ends() -> None:
    from django.db import IntegrityError, transaction

    from sagstilsyn.cases.services.bulk import deferred_checks_meanwhile
    from tests.factories import make_municipality

    _needs_postgresql()
    municipality = make_municipality()
    ran = []
    with pytest.raises(IntegrityError), transaction.atomic():
        _dangling_event(municipality.pk)
        with deferred_checks_meanwhile():
            ran.append(sum(range(1000)))  # Python work while the server checks
    assert ran == [499500]


@pytest.mark.django_db
def test_deferred_checks_meanwhile_defers_the_constraints_again_after() -> None:
    from django.db import IntegrityError, connection, transaction

    from sagstilsyn.cases.services.bulk import deferred_checks_meanwhile
    from tests.factories import make_municipality

    _needs_postgresql()
    municipality = make_municipality()
    with transaction.atomic():
        with deferred_checks_meanwhile():
            pass
        _dangling_event(municipality.pk)  # deferred again: accepted until the check
        with connection.cursor() as cursor, pytest.raises(IntegrityError), transaction.atomic():
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # as a commit would
        transaction.set_rollback(True)


def test_deferred_checks_meanwhile_outside_a_transaction_only_runs_the_block() -> None:
    from sagstilsyn.cases.services.bulk import deferred_checks_meanwhile

    ran = []
    with deferred_checks_meanwhile():
        ran.append(1)
    assert ran == [1]
