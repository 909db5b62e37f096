"""The hash chains of the revisionsspor and the adgangslog (ADR 0018): appending, and finding altered,
deleted and inserted rows with `audit_chain_verify` and `sagstilsyn audit verify`."""

from __future__ import annotations

import threading
from datetime import UTC, datetime
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import timezone
from pytest_django.fixtures import Settings as SettingsWrapper

from sagstilsyn.core.audit_chain import ACCESS, AUDIT, GENESIS, chain_key, row_hash
from sagstilsyn.core.chain_check import ALTERED, DELETED, EVERY, INSERTED, audit_chain_verify
from sagstilsyn.core.jobs.chain import AUDIT_CHAIN_JOB, ChainBroken
from sagstilsyn.core.jobs.registry import JobContext
from sagstilsyn.core.jobs.services import job_run
from sagstilsyn.core.models import AccessLogEntry, AuditChainHead, AuditEvent, JobOutcome, Municipality, Role
from sagstilsyn.core.services.access_log import access_log_record, access_log_record_many
from sagstilsyn.core.services.audit import audit_event_build, audit_record, audit_record_many
from tests.factories import make_municipality, make_unit, make_user

pytestmark = pytest.mark.django_db


def _events(municipality: Municipality, count: int) -> list[AuditEvent]:
    return [
        audit_record(
            actor=None,
            action="test.step",
            municipality=municipality,
            target_id=number,
            after={"nr": number, "liste": (1, 2), "tekst": "æøå"},
        )
        for number in range(count)
    ]


def _findings(municipality: Municipality | None = None) -> list[tuple[str, str, int]]:
    check = audit_chain_verify(municipality_id=EVERY if municipality is None else municipality.pk)
    return [(chain.table, finding.kind, finding.seq) for chain in check.chains for finding in chain.findings]


def test_each_row_carries_the_previous_rows_hash_per_municipality() -> None:
    copenhagen, lejre = make_municipality(), make_municipality("350", "Lejre Kommune")
    created = AuditEvent.objects.get(action="municipality.create", municipality=copenhagen)
    first, second = _events(copenhagen, 2)
    (other,) = _events(lejre, 1)
    assert (created.seq, first.seq, second.seq, other.seq) == (1, 2, 3, 2)
    assert created.prev_hash == GENESIS
    assert first.prev_hash == created.hash
    assert second.prev_hash == first.hash
    head = AuditChainHead.objects.get(key=chain_key(AUDIT, copenhagen.pk))
    assert (head.seq, head.hash) == (3, second.hash)
    stored = AuditEvent.objects.filter(pk=second.pk).values().get()
    assert row_hash(AUDIT, stored["prev_hash"], stored) == second.hash


def test_json_values_hash_as_the_database_gives_them_back() -> None:
    municipality = make_municipality()
    event = audit_record(
        actor=None,
        action="test.numbers",
        municipality=municipality,
        after={"stor": 1e16, "lille": 0.00001, "hel": 2.0, "liste": [{3: "nøgle som tal"}], "par": (1, "to")},
    )
    stored = AuditEvent.objects.filter(pk=event.pk).values().get()
    assert row_hash(AUDIT, stored["prev_hash"], stored) == event.hash
    assert audit_chain_verify().ok


def test_the_hash_is_keyed(settings: SettingsWrapper) -> None:
    (event,) = _events(make_municipality(), 1)
    stored = AuditEvent.objects.filter(pk=event.pk).values().get()
    settings.AUDIT_KEY = "en anden nøgle"
    assert row_hash(AUDIT, stored["prev_hash"], stored) != event.hash


def test_an_untouched_chain_is_intact_with_access_log_entries_in_bulk() -> None:
    municipality = make_municipality()
    make_unit(municipality)
    user = make_user(municipality, Role.CASEWORKER)
    _events(municipality, 3)
    access_log_record(user=user, purpose="case_list")
    assert access_log_record_many(user=user, cases=[(1, 10), (2, 20), (1, 10)], purpose="followup_list") == 2
    audit_record(actor=None, action="test.system")  # the chain of rows without a municipality
    check = audit_chain_verify()
    assert check.ok, [f.message for c in check.chains for f in c.findings]
    assert [entry.seq for entry in AccessLogEntry.objects.order_by("seq")] == [1, 2, 3]
    assert {(c.table, c.municipality_id) for c in check.chains} >= {
        (AUDIT, municipality.pk),
        (AUDIT, None),
        (ACCESS, municipality.pk),
    }


def test_events_written_together_are_chained_in_their_order() -> None:
    municipality = make_municipality()
    built = [
        audit_event_build(actor=None, action="test.move", municipality=municipality, target_id=n)
        for n in range(3)
    ]
    assert audit_record_many(built) == 3
    assert [event.target_id for event in AuditEvent.objects.filter(action="test.move").order_by("seq")] == [
        "0",
        "1",
        "2",
    ]
    assert built[1].prev_hash == built[0].hash
    assert audit_chain_verify().ok


def test_an_altered_row_is_found() -> None:
    municipality = make_municipality()
    events = _events(municipality, 4)
    AuditEvent.objects.filter(pk=events[2].pk).update(target_label="ændret bagefter")
    assert _findings() == [(AUDIT, ALTERED, events[2].seq)]


def test_an_altered_json_value_and_a_rehashed_row_are_found() -> None:
    municipality = make_municipality()
    events = _events(municipality, 3)
    AuditEvent.objects.filter(pk=events[0].pk).update(after={"nr": 99})
    # Someone without the key recomputes a plain SHA-256 over the changed row: still found.
    AuditEvent.objects.filter(pk=events[1].pk).update(actor_label="en anden", hash="f" * 64)
    first, second, third = (event.seq for event in events)
    # The rehashed row no longer gives its hash, and the next row does not point at its new hash.
    assert _findings() == [(AUDIT, ALTERED, first), (AUDIT, ALTERED, second), (AUDIT, DELETED, third)]


def test_a_deleted_row_in_the_middle_is_found() -> None:
    municipality = make_municipality()
    events = _events(municipality, 5)
    AuditEvent.objects.filter(pk=events[1].pk).delete()
    assert _findings() == [(AUDIT, DELETED, events[1].seq)]


def test_deleted_rows_at_the_end_are_found_by_the_head() -> None:
    municipality = make_municipality()
    events = _events(municipality, 5)
    AuditEvent.objects.filter(pk__in=[events[3].pk, events[4].pk]).delete()
    assert _findings() == [(AUDIT, DELETED, events[3].seq)]


def test_a_deleted_access_log_entry_is_found() -> None:
    municipality = make_municipality()
    make_unit(municipality)
    user = make_user(municipality, Role.CASEWORKER)
    access_log_record_many(user=user, cases=[(n, n) for n in range(1, 6)], purpose="followup_list")
    AccessLogEntry.objects.filter(case_id=3).delete()
    assert _findings(municipality) == [(ACCESS, DELETED, 3)]


def test_an_inserted_row_is_found() -> None:
    municipality = make_municipality()
    events = _events(municipality, 3)
    AuditEvent.objects.create(
        seq=events[2].seq + 1,
        prev_hash=events[2].hash,
        hash="0" * 64,
        at=timezone.now(),
        actor_label="indtrænger",
        municipality=municipality,
        action="test.forged",
    )
    assert sorted(_findings()) == [(AUDIT, ALTERED, events[2].seq + 1), (AUDIT, INSERTED, events[2].seq + 1)]


def test_a_row_moved_to_another_municipality_is_found_in_both_chains() -> None:
    copenhagen, lejre = make_municipality(), make_municipality("350", "Lejre Kommune")
    events = _events(copenhagen, 3)
    (last_in_lejre,) = _events(lejre, 1)
    AuditEvent.objects.filter(pk=events[2].pk).update(municipality=lejre, seq=last_in_lejre.seq + 1)
    found = _findings()
    assert (AUDIT, DELETED, events[2].seq) in found  # Copenhagen's chain lost its last row
    assert (AUDIT, INSERTED, last_in_lejre.seq + 1) in found  # Lejre's chain got a row after its head
    assert (AUDIT, ALTERED, last_in_lejre.seq + 1) in found


def test_the_daily_job_checks_the_municipalitys_chains_and_fails_when_broken() -> None:
    municipality = make_municipality()
    events = _events(municipality, 3)
    now = datetime(2024, 5, 13, 3, 0, tzinfo=UTC)
    context = JobContext(municipality=municipality, slot=now.date(), now=now)
    assert AUDIT_CHAIN_JOB.run(context).summary == "Kæderne er intakte (4 rækker kontrolleret)"
    AuditEvent.objects.filter(pk=events[0].pk).update(action="test.changed")
    with pytest.raises(
        ChainBroken, match=r"Kæderne er brudt: 1 fund\. Revisionsspor, Københavns Kommune: Række"
    ):
        AUDIT_CHAIN_JOB.run(context)
    run = job_run(job=AUDIT_CHAIN_JOB, municipality=municipality, slot=now.date(), now=now)
    assert run is not None
    assert run.outcome == JobOutcome.FAILED
    assert "Kæderne er brudt" in run.error


def run(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("audit", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_the_command_reports_an_intact_chain() -> None:
    municipality = make_municipality()
    _events(municipality, 3)
    out, _ = run("verify", "--municipality", "101")
    assert "Revisionsspor, Københavns Kommune: 4 rækker, intakt." in out  # and its creation
    assert "Alle kæder er intakte" in out


def test_the_command_fails_on_an_altered_row_and_names_it() -> None:
    municipality = make_municipality()
    events = _events(municipality, 3)
    AuditEvent.objects.filter(pk=events[1].pk).update(action="test.changed")
    out = StringIO()
    with pytest.raises(CommandError, match="Kæderne er brudt: 1 fund i 4 rækker"):
        call_command("audit", "verify", stdout=out, stderr=StringIO())
    assert f"Række {events[1].pk} (nr. 3) er ændret" in out.getvalue()


def test_the_command_shows_progress_when_asked() -> None:
    _events(make_municipality(), 2)
    _, err = run("verify", "--progress")
    assert "Kontrollerer: 3 af 3 rækker" in err


def test_the_command_refuses_an_unknown_municipality() -> None:
    with pytest.raises(CommandError, match="Kommunen med kode '999' findes ikke"):
        run("verify", "--municipality", "999")


@pytest.mark.django_db(transaction=True)
def test_writers_at_once_never_chain_to_the_same_row() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite's test database is one connection's memory")
    municipality = make_municipality()
    writers, each = 4, 15
    barrier = threading.Barrier(writers)
    errors: list[BaseException] = []

    def write() -> None:
        try:
            barrier.wait()
            _events(municipality, each)
        except BaseException as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=write) for _ in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert AuditEvent.objects.filter(municipality=municipality, action="test.step").count() == writers * each
    assert audit_chain_verify(municipality_id=municipality.pk).ok
