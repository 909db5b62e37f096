"""One rule for "the deadline has passed": the engine, the follow-up selector and the daily job's
database update agree with the law core's `deadline_passed` at boundary moments (23:59 and 00:00
Danish time, the DST nights, clock-hour deadlines)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from sagstilsyn.cases.followup.selectors import is_overdue
from sagstilsyn.cases.models import Obligation
from sagstilsyn.cases.services.obligations import obligations_mark_overdue, obligations_recompute
from sagstilsyn.core.models import Municipality
from sagstilsyn.law import Event, evaluate
from sagstilsyn.law.calendar import COPENHAGEN, Cutoff, deadline_passed
from sagstilsyn.law.model import ObligationStatus
from tests.factories import event, make_municipality, make_unit, recompute, record

pytestmark = pytest.mark.django_db


def cph(year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, second, tzinfo=COPENHAGEN)


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, second, tzinfo=UTC)


#: One case per boundary: (case ref, event type, at, attributes).
CASES: tuple[tuple[str, str, date | datetime, dict[str, object]], ...] = (
    # A date deadline: the BFU is due 10 May 2024 (summer time).
    ("SAG-DAY", "need_noticed", date(2024, 1, 10), {}),
    # Assessment due 3 March 23:59, and (professional notifier) a kvittering due on a date.
    ("SAG-2359", "concern_received", cph(2024, 3, 2, 23, 59), {"notifier": "professional"}),
    # Assessment due 4 March 00:00 exactly: the end of 3 March.
    ("SAG-MIDNIGHT", "concern_received", cph(2024, 3, 3, 0, 0), {"notifier": "anonymous"}),
    # Due at 02:30 on 27 October 2024, first in summer time, then (an hour later) in winter time.
    ("SAG-FALL-1", "concern_received", cph(2024, 10, 26, 2, 30), {"notifier": "anonymous"}),
    ("SAG-FALL-2", "concern_received", cph(2024, 10, 26, 3, 30), {"notifier": "anonymous"}),
    # Received 02:30 the day before the spring-forward night: due 03:30 summer time (01:30 UTC).
    ("SAG-SPRING", "concern_received", cph(2024, 3, 30, 2, 30), {"notifier": "anonymous"}),
)

MOMENTS: tuple[date | datetime, ...] = (
    date(2024, 5, 10),
    date(2024, 5, 11),
    cph(2024, 5, 10, 23, 59, 59),
    cph(2024, 5, 11, 0, 0),
    date(2024, 3, 2),
    date(2024, 3, 3),
    cph(2024, 3, 3, 23, 59),
    cph(2024, 3, 3, 23, 59, 30),
    cph(2024, 3, 4, 0, 0),
    cph(2024, 3, 4, 0, 0, 1),
    date(2024, 3, 4),
    utc(2024, 10, 27, 0, 30),
    utc(2024, 10, 27, 0, 45),
    utc(2024, 10, 27, 1, 30),
    utc(2024, 10, 27, 1, 30, 1),
    date(2024, 10, 27),
    utc(2024, 3, 31, 1, 29, 59),
    utc(2024, 3, 31, 1, 30),
    utc(2024, 3, 31, 1, 30, 1),
    date(2024, 3, 30),
    date(2024, 3, 31),
)

Key = tuple[str, str, date, datetime | None]


@pytest.fixture
def municipality() -> Municipality:
    municipality = make_municipality()
    make_unit(municipality)
    record(
        municipality,
        *(
            event(f"E-{ref}", type_, at, case_id=ref, child_id=f"BARN-{ref}", attrs=attrs)
            for ref, type_, at, attrs in CASES
        ),
    )
    return municipality


def _all_open(municipality: Municipality) -> None:
    """Every obligation judged at the end of its case's event day: open, as no deadline ends that day."""
    for ref, _, at, _ in CASES:
        recompute(municipality, ref, at if not isinstance(at, datetime) else at.date())
    assert set(Obligation.objects.values_list("status", flat=True)) == {ObligationStatus.OPEN}


def _key(obligation: Obligation) -> Key:
    return (obligation.case.source_ref, obligation.rule_id, obligation.due_day, obligation.due_at)


def _engine_overdue(as_of: date | datetime) -> dict[Key, bool]:
    """The engine's judgement of each obligation it knows of on `as_of`: overdue or not."""
    found: dict[Key, bool] = {}
    for ref, type_, at, attrs in CASES:
        for item in evaluate([Event(type_, at, attrs)], as_of=as_of):
            due_at = item.due if isinstance(item.due, datetime) else None
            due_day = item.due.astimezone(COPENHAGEN).date() if isinstance(item.due, datetime) else item.due
            assert item.status in (ObligationStatus.OPEN, ObligationStatus.OVERDUE)
            found[(ref, item.rule_id, due_day, due_at)] = item.status == ObligationStatus.OVERDUE
    return found


@pytest.mark.parametrize("as_of", MOMENTS, ids=[moment.isoformat() for moment in MOMENTS])
def test_the_job_the_selector_and_the_engine_agree_with_deadline_passed(
    municipality: Municipality, as_of: date | datetime
) -> None:
    _all_open(municipality)
    stored = list(Obligation.objects.select_related("case"))
    expected = {_key(o): deadline_passed(o.due_at or o.due_day, as_of) for o in stored}
    assert len(expected) == len(stored)

    cutoff = Cutoff.at(as_of)
    selector = {
        _key(o): is_overdue(status=o.status, due_day=o.due_day, due_at=o.due_at, now=cutoff) for o in stored
    }
    assert selector == expected

    changed = obligations_mark_overdue(as_of=as_of)
    marked = {
        _key(o): o.status == ObligationStatus.OVERDUE for o in Obligation.objects.select_related("case")
    }
    assert marked == expected
    assert changed == sum(expected.values())
    assert {o.judged_on for o in Obligation.objects.filter(status=ObligationStatus.OVERDUE)} <= {cutoff.day}

    engine = _engine_overdue(as_of)
    assert {key: expected[key] for key in engine if key in expected} == {
        key: value for key, value in engine.items() if key in expected
    }


def test_the_boundaries_fall_where_the_law_says(municipality: Municipality) -> None:
    """The agreement above is not agreement on nothing: the moments fall on both sides of deadlines."""

    def overdue_after(as_of: date | datetime) -> set[tuple[str, str]]:
        _all_open(municipality)
        obligations_mark_overdue(as_of=as_of)
        rows = Obligation.objects.filter(status=ObligationStatus.OVERDUE)
        return set(rows.values_list("case__source_ref", "rule_id"))

    bfu, assessment = "investigation_deadline", "concern_assessment"
    assert ("SAG-DAY", bfu) not in overdue_after(cph(2024, 5, 10, 23, 59, 59))
    assert ("SAG-DAY", bfu) in overdue_after(cph(2024, 5, 11, 0, 0))
    assert ("SAG-2359", assessment) not in overdue_after(cph(2024, 3, 3, 23, 59))
    assert ("SAG-2359", assessment) in overdue_after(cph(2024, 3, 3, 23, 59, 30))
    assert ("SAG-MIDNIGHT", assessment) not in overdue_after(date(2024, 3, 3))
    assert ("SAG-MIDNIGHT", assessment) in overdue_after(cph(2024, 3, 4, 0, 0, 1))
    fall = overdue_after(utc(2024, 10, 27, 0, 45))
    assert ("SAG-FALL-1", assessment) in fall
    assert ("SAG-FALL-2", assessment) not in fall
    assert ("SAG-SPRING", assessment) not in overdue_after(utc(2024, 3, 31, 1, 30))
    assert ("SAG-SPRING", assessment) in overdue_after(utc(2024, 3, 31, 1, 30, 1))


@pytest.mark.parametrize(
    ("now", "status"),
    [
        (cph(2024, 3, 3, 0, 30), ObligationStatus.OPEN),  # past midnight, the deadline later today
        (cph(2024, 3, 3, 23, 58), ObligationStatus.OPEN),
        (cph(2024, 3, 3, 23, 59, 30), ObligationStatus.OVERDUE),
    ],
    ids=["00:30", "23:58", "23:59:30"],
)
def test_a_recompute_without_a_day_judges_a_clock_deadline_now(
    municipality: Municipality, monkeypatch: pytest.MonkeyPatch, now: datetime, status: str
) -> None:
    """An import or edit recomputes "now": the 24-hour assessment due at 23:59 today is open until then,
    not overdue from the small hours (judging on today's date means its end, which is past 23:59)."""
    _all_open(municipality)
    monkeypatch.setattr("sagstilsyn.cases.services.obligations.timezone.now", lambda: now)
    case = Obligation.objects.get(case__source_ref="SAG-2359", rule_id="concern_assessment").case

    obligations_recompute(case_ids=[case.pk])

    assessment = Obligation.objects.get(case=case, rule_id="concern_assessment")
    assert assessment.status == status


def test_a_recompute_now_knows_an_event_the_case_system_dated_later_today(
    municipality: Municipality, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Judged now, a case still knows every event of today: one stamped 15:00 and imported at 14:00
    meets its deadline at once, rather than waiting for the case's next recompute."""
    monkeypatch.setattr("sagstilsyn.cases.services.obligations.timezone.now", lambda: cph(2024, 3, 3, 14, 0))
    record(
        municipality,
        event(
            "E-LATER",
            "concern_assessed",
            cph(2024, 3, 3, 15, 0),
            case_id="SAG-2359",
            child_id="BARN-SAG-2359",
        ),
    )
    case = Obligation.objects.filter(case__source_ref="SAG-2359").first().case  # type: ignore[union-attr]

    obligations_recompute(case_ids=[case.pk])

    assessment = Obligation.objects.get(case=case, rule_id="concern_assessment")
    assert assessment.status == ObligationStatus.MET
