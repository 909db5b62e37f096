"""Stored obligations: recompute and the daily overdue job."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from django.db import connection
from django.db.models import Q, QuerySet
from pytest_django.fixtures import Settings as SettingsWrapper

from sagstilsyn.cases.models import Case, CaseEvent, Obligation, RuleVersion
from sagstilsyn.cases.services.obligations import obligations_mark_overdue, obligations_recompute
from sagstilsyn.cases.services.recompute import CONTENT_FIELDS
from sagstilsyn.core.models import AuditEvent, Municipality
from sagstilsyn.core.selectors import catalogue_get
from sagstilsyn.law.calendar import COPENHAGEN
from tests.factories import case_of, event, make_municipality, make_unit, record
from tests.law.catalogue_factory import catalogue_copy, edit_rule

pytestmark = pytest.mark.django_db


def test_mark_overdue_turns_open_into_overdue_when_the_day_has_passed() -> None:
    municipality = make_municipality()
    make_unit(municipality)
    record(municipality, event("e1", "need_noticed", date(2024, 1, 10)))
    obligations_recompute(case_ids=[case_of(municipality).pk], as_of=date(2024, 1, 11))
    obligation = Obligation.objects.get(rule_id="investigation_deadline")
    assert obligation.status == "open"
    assert obligation.due_day == date(2024, 5, 10)
    assert obligations_mark_overdue(as_of=date(2024, 5, 10)) == 0
    changed = obligations_mark_overdue(as_of=date(2024, 5, 11))
    assert changed >= 1
    obligation.refresh_from_db()
    assert obligation.status == "overdue"
    assert AuditEvent.objects.filter(action="obligations.mark_overdue").count() == 2


def test_recompute_as_of_a_date_judges_statuses_on_that_date() -> None:
    municipality = make_municipality()
    make_unit(municipality)
    record(municipality, event("e1", "need_noticed", date(2024, 1, 10)))
    case = case_of(municipality)
    obligations_recompute(case_ids=[case.pk], as_of=date(2024, 5, 10))
    assert Obligation.objects.get(rule_id="investigation_deadline").status == "open"
    obligations_recompute(case_ids=[case.pk], as_of=date(2024, 5, 11))
    assert Obligation.objects.get(rule_id="investigation_deadline").status == "overdue"
    assert Obligation.objects.get(rule_id="investigation_deadline").judged_on == date(2024, 5, 11)


def _content(case_id: int) -> list[tuple[object, ...]]:
    """The stored obligations of a case by content (no ids, no judged_on/computed_at), sorted."""

    rows = Obligation.objects.filter(case_id=case_id).values_list(*CONTENT_FIELDS)
    return sorted((tuple(repr(v) for v in row) for row in rows), key=repr)


def _last_recompute() -> dict[str, object]:
    after = AuditEvent.objects.filter(action="obligations.recompute").latest("pk").after
    assert isinstance(after, dict)
    return after


def _concern_case(municipality: Municipality) -> Case:
    concern = datetime(2024, 3, 4, 9, 0, tzinfo=COPENHAGEN)
    record(
        municipality,
        event("c1", "concern_received", concern, attrs={"notifier": "professional", "abuse": False}),
        event("c2", "concern_assessed", concern + timedelta(hours=5)),
        event("n1", "need_noticed", date(2024, 3, 4)),
    )
    return case_of(municipality)


def test_recompute_keeps_unchanged_rows_with_their_ids_and_writes_nothing() -> None:
    municipality = make_municipality()
    make_unit(municipality)
    case = _concern_case(municipality)
    obligations_recompute(case_ids=[case.pk], as_of=date(2024, 3, 10))
    before = dict(Obligation.objects.filter(case=case).values_list("pk", "judged_on"))
    assert len(before) >= 3
    total = obligations_recompute(case_ids=[case.pk], as_of=date(2024, 3, 11))
    assert total == len(before)
    assert dict(Obligation.objects.filter(case=case).values_list("pk", "judged_on")) == before
    audit = _last_recompute()
    assert audit["kept"] == len(before)
    assert audit["written"] == 0
    assert audit["removed"] == 0


def test_recompute_replaces_only_the_rows_whose_content_changed() -> None:
    municipality = make_municipality()
    make_unit(municipality)
    case = _concern_case(municipality)
    obligations_recompute(case_ids=[case.pk], as_of=date(2024, 6, 1))
    investigation = Obligation.objects.filter(case=case).filter(
        Q(rule_id__startswith="investigation_") | Q(rule_id="concern_feedback_to_professional")
    )
    before = set(investigation.values_list("pk", flat=True))
    others = set(Obligation.objects.filter(case=case).exclude(pk__in=before).values_list("pk", flat=True))
    assert len(before) == 3
    assert others
    # Judged after the 4-month deadlines the investigation, its foreløbig vurdering and the feedback
    # to the professional notifier become overdue; nothing else changes.
    obligations_recompute(case_ids=[case.pk], as_of=date(2024, 7, 10))
    assert set(investigation.values_list("status", "judged_on")) == {("overdue", date(2024, 7, 10))}
    assert not before & set(investigation.values_list("pk", flat=True))
    after = set(investigation.values_list("pk", flat=True))
    assert (
        set(Obligation.objects.filter(case=case).exclude(pk__in=after).values_list("pk", flat=True)) == others
    )
    audit = _last_recompute()
    assert (audit["written"], audit["removed"]) == (3, 3)


def test_recompute_removes_stale_and_duplicated_rows_and_equals_a_full_rewrite() -> None:
    municipality = make_municipality()
    make_unit(municipality)
    case = _concern_case(municipality)
    obligations_recompute(case_ids=[case.pk], as_of=date(2024, 3, 10))
    expected = _content(case.pk)
    stored = list(Obligation.objects.filter(case=case))
    duplicate, wrong = stored[0], stored[1]
    duplicate.pk = None
    duplicate.save()  # the same content twice: one of them must go
    Obligation.objects.filter(pk=wrong.pk).update(due_day=date(2030, 1, 1), warnings=["forkert"])
    obligations_recompute(case_ids=[case.pk], as_of=date(2024, 3, 10))
    assert _content(case.pk) == expected
    assert Obligation.objects.filter(case=case).count() == len(stored)
    audit = _last_recompute()
    assert (audit["written"], audit["removed"]) == (1, 2)


def test_recompute_after_a_new_event_equals_computing_from_scratch() -> None:
    municipality = make_municipality()
    make_unit(municipality)
    case = _concern_case(municipality)
    obligations_recompute(case_ids=[case.pk], as_of=date(2024, 3, 10))
    record(municipality, event("i1", "investigation_completed", date(2024, 6, 1)))
    incremental = _content(case.pk)
    Obligation.objects.filter(case=case).delete()
    obligations_recompute(case_ids=[case.pk])  # as events_record: judged today
    assert incremental == _content(case.pk)
    assert Obligation.objects.get(case=case, rule_id="investigation_deadline").status == "met"


def _as_previous_catalogue(obligations: QuerySet[Obligation]) -> int:
    """Point the obligations at copies of their rule versions under another catalogue version, as if
    they had been computed before a catalogue release; returns how many rows were changed."""
    changed = 0
    for version in RuleVersion.objects.filter(pk__in=obligations.values("rule_version_id")):
        old_pk = version.pk
        version.pk = None
        version.catalogue_version = "forrige"
        version.save()
        changed += obligations.filter(rule_version_id=old_pk).update(rule_version=version)
    return changed


def test_a_new_catalogue_version_rewrites_every_row(settings: SettingsWrapper, tmp_path: Path) -> None:
    municipality = make_municipality()
    make_unit(municipality)
    case = _concern_case(municipality)
    obligations_recompute(case_ids=[case.pk], as_of=date(2024, 3, 10))
    expected = _content(case.pk)
    shipped = catalogue_get().version
    # A catalogue release that retitles one rule: new rule versions, every row rewritten.
    settings.RULE_CATALOGUE_DIR = str(catalogue_copy(tmp_path))
    edit_rule(
        Path(settings.RULE_CATALOGUE_DIR), "investigation_deadline", lambda d: d.update(title="Ny titel")
    )
    obligations_recompute(case_ids=[case.pk], as_of=date(2024, 3, 10))
    assert (_last_recompute()["kept"], _last_recompute()["written"]) == (0, len(expected))
    released = catalogue_get().version
    assert released != shipped
    stored = Obligation.objects.filter(case=case).select_related("rule_version")
    assert {o.rule_version.catalogue_version for o in stored} == {released}
    assert stored.get(rule_id="investigation_deadline").rule_version.title == "Ny titel"
    # The shipped catalogue's versions stay as history; going back to it rewrites every row again.
    assert RuleVersion.objects.filter(catalogue_version=shipped).exists()
    settings.RULE_CATALOGUE_DIR = None
    obligations_recompute(case_ids=[case.pk], as_of=date(2024, 3, 10))
    assert _content(case.pk) == expected
    assert (_last_recompute()["kept"], _last_recompute()["written"]) == (0, len(expected))


def test_rule_versions_are_recorded_once_per_catalogue_with_an_audit_event() -> None:
    municipality = make_municipality()
    make_unit(municipality)
    catalogue = catalogue_get()
    assert not RuleVersion.objects.exists()
    case = _concern_case(municipality)  # records events: the first recompute records the versions
    expected = sum(len(rule.versions) for rule in catalogue.rules)
    assert RuleVersion.objects.filter(catalogue_version=catalogue.version).count() == expected
    assert AuditEvent.objects.filter(action="rule_versions.record").count() == 1
    obligations_recompute(case_ids=[case.pk], as_of=date(2024, 3, 10))
    assert RuleVersion.objects.count() == expected
    assert AuditEvent.objects.filter(action="rule_versions.record").count() == 1
    stored = Obligation.objects.filter(case=case).select_related("rule_version")
    for obligation in stored:
        version = obligation.rule_version
        rule = catalogue.rule(obligation.rule_id)
        assert (version.rule_id, version.title, version.statutory) == (rule.id, rule.title, rule.statutory)
        assert version.valid_from in {v.valid_from for v in rule.versions}
        law_version = next(v for v in rule.versions if v.valid_from == version.valid_from)
        assert version.law == law_version.law
        assert [c["label"] for c in version.citations] == [c.label for c in law_version.citations]


def test_every_stored_obligation_refers_to_a_stored_rule_version() -> None:
    """ADR 0008: the reference has no database constraint, so the services must keep it whole."""
    municipality = make_municipality()
    make_unit(municipality)
    case = _concern_case(municipality)
    record(municipality, event("i1", "investigation_completed", date(2024, 6, 1)))
    _as_previous_catalogue(Obligation.objects.filter(case=case))
    obligations_recompute(case_ids=[case.pk], as_of=date(2024, 7, 1))
    assert Obligation.objects.exists()
    dangling = Obligation.objects.exclude(rule_version_id__in=RuleVersion.objects.values("pk"))
    assert not dangling.exists()


def test_mark_overdue_for_one_municipality_leaves_the_others_alone() -> None:
    copenhagen = make_municipality()
    make_unit(copenhagen)
    lejre = make_municipality("350", "Lejre Kommune")
    make_unit(lejre)
    record(copenhagen, event("k1", "need_noticed", date(2024, 1, 10)))
    record(lejre, event("l1", "need_noticed", date(2024, 1, 10)))
    for municipality in (copenhagen, lejre):
        obligations_recompute(case_ids=[case_of(municipality).pk], as_of=date(2024, 1, 11))
    assert obligations_mark_overdue(as_of=date(2024, 6, 1), municipality=lejre) >= 1
    statuses = dict(
        Obligation.objects.filter(rule_id="investigation_deadline").values_list(
            "case__municipality__code", "status"
        )
    )
    assert statuses == {"101": "open", "350": "overdue"}
    audit = AuditEvent.objects.filter(action="obligations.mark_overdue").latest("pk")
    assert audit.municipality == lejre


def test_only_the_case_is_a_database_foreign_key_of_an_obligation() -> None:
    """ADR 0007: the unit copy and the event references are derived and unchecked by the database."""

    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, Obligation._meta.db_table)
    foreign = sorted(tuple(c["columns"]) for c in constraints.values() if c["foreign_key"])
    assert foreign == [("case_id",)]


def test_deleting_an_event_through_the_orm_still_applies_on_delete() -> None:

    municipality = make_municipality()
    make_unit(municipality)
    case = _concern_case(municipality)
    record(municipality, event("i1", "investigation_completed", date(2024, 6, 1)))
    met = Obligation.objects.get(case=case, rule_id="investigation_deadline")
    assert met.satisfied_event is not None
    met.satisfied_event.delete()  # the satisfying event: SET_NULL
    met.refresh_from_db()
    assert met.satisfied_event_id is None
    assert met.trigger_event_id is not None
    trigger = CaseEvent.objects.get(pk=met.trigger_event_id)
    trigger.delete()  # the triggering event: CASCADE
    assert not Obligation.objects.filter(trigger_event_id=trigger.pk).exists()


def test_a_recompute_in_many_chunks_equals_one_in_a_single_chunk() -> None:
    """The pipeline (the next chunk computed while the current one is written) changes nothing."""
    municipality = make_municipality()
    make_unit(municipality)
    concern = datetime(2024, 3, 4, 9, 0, tzinfo=COPENHAGEN)
    for n in range(3):
        record(
            municipality,
            event(
                f"c{n}",
                "concern_received",
                concern,
                case_id=f"SAG-{n}",
                child_id=f"B-{n}",
                attrs={"notifier": "private"},
            ),
            event(f"n{n}", "need_noticed", date(2024, 3, 4 + n), case_id=f"SAG-{n}", child_id=f"B-{n}"),
        )
    ids = sorted(set(Obligation.objects.values_list("case_id", flat=True)))
    assert len(ids) == 3
    obligations_recompute(case_ids=ids, as_of=date(2024, 3, 10))
    expected = {case_id: _content(case_id) for case_id in ids}
    stale = _as_previous_catalogue(Obligation.objects.filter(case_id=ids[1]))  # middle chunk
    gone, _ = Obligation.objects.filter(case_id=ids[2], rule_id="investigation_deadline").delete()  # last
    seen: list[tuple[int, int]] = []
    obligations_recompute(
        case_ids=ids,
        as_of=date(2024, 3, 10),
        chunk_size=1,
        progress=lambda done, total: seen.append((done, total)),
    )
    assert {case_id: _content(case_id) for case_id in ids} == expected
    assert seen == [(1, 3), (2, 3), (3, 3)]
    after = _last_recompute()
    assert stale >= 3
    assert gone == 1
    assert (after["removed"], after["written"]) == (stale, stale + gone)
