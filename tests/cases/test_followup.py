"""The weekly deadline follow-up selector: Danish weeks, hour deadlines, buckets, scope, queries."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext
from pytest_django import DjangoDbBlocker

from sagstilsyn.cases.followup.selectors import (
    NEXT_TWO_WEEKS,
    NO_CASEWORKER,
    OVERDUE,
    THIS_WEEK,
    FollowupWeek,
    bucket_of,
    followup_week,
    week_monday,
)
from sagstilsyn.cases.models import Obligation
from sagstilsyn.core.access import Scope, user_scope
from sagstilsyn.core.models import CaseGroup, Municipality, Role, Unit, User
from sagstilsyn.law.calendar import today_local
from tests.factories import (
    event,
    make_municipality,
    make_staff,
    make_unit,
    make_user,
    recompute,
    record,
)

pytestmark = pytest.mark.django_db

CPH = ZoneInfo("Europe/Copenhagen")
#: Monday 26 February – Sunday 3 March 2024.
MONDAY = date(2024, 2, 26)


def at(year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, second, tzinfo=CPH)


def _leader(municipality: Municipality, unit: Unit) -> Scope:
    return user_scope(make_user(municipality, Role.DEPARTMENT_LEADER, unit))


def test_week_monday_is_the_danish_week_start() -> None:
    assert week_monday(date(2024, 3, 3)) == MONDAY  # Sunday belongs to the week before
    assert week_monday(date(2024, 3, 4)) == date(2024, 3, 4)
    assert week_monday(MONDAY) == MONDAY


def test_hour_deadline_on_sunday_2359_is_this_week_and_monday_0000_is_next() -> None:
    municipality = make_municipality()
    unit = make_unit(municipality)
    # Received Saturday 23:59 -> assess by Sunday 23:59; received Sunday 00:00 -> by Monday 00:00.
    record(
        municipality,
        event("a", "concern_received", at(2024, 3, 2, 23, 59), case_id="SAG-A", child_id="BARN-A"),
        event("b", "concern_received", at(2024, 3, 3, 0, 0), case_id="SAG-B", child_id="BARN-B"),
    )
    recompute(municipality, "SAG-A", date(2024, 3, 2))
    recompute(municipality, "SAG-B", date(2024, 3, 3))
    due = {o.case.source_ref: o for o in Obligation.objects.filter(rule_id="concern_assessment")}
    assert due["SAG-A"].due_day == date(2024, 3, 3)
    assert due["SAG-A"].status == "open"
    assert due["SAG-B"].due_day == date(2024, 3, 4)
    assert due["SAG-B"].status == "open"

    week = followup_week(scope=_leader(municipality, unit), week_start=MONDAY, now=at(2024, 3, 3, 12, 0))
    buckets = {(r.case_ref, r.rule_id): r.bucket for r in week.rows}
    assert buckets[("SAG-A", "concern_assessment")] == THIS_WEEK
    assert buckets[("SAG-B", "concern_assessment")] == NEXT_TWO_WEEKS
    row = next(r for r in week.rows if r.case_ref == "SAG-A" and r.rule_id == "concern_assessment")
    assert row.due_local == at(2024, 3, 3, 23, 59)

    # Half a minute after the deadline it is overdue, though the daily job has not run yet.
    later = followup_week(
        scope=_leader(municipality, unit), week_start=MONDAY, now=at(2024, 3, 3, 23, 59, 30)
    )
    row = next(r for r in later.rows if r.case_ref == "SAG-A" and r.rule_id == "concern_assessment")
    assert row.bucket == OVERDUE
    assert row.status == "overdue"


def test_hour_deadline_uses_the_local_date_not_utc() -> None:
    # Due Monday 00:30 Danish time is Sunday 23:30 UTC: it belongs to next week.
    assert (
        bucket_of(
            status="open",
            due_day=date(2024, 3, 4),
            due_at=at(2024, 3, 4, 0, 30),
            week_start=MONDAY,
            now=at(2024, 2, 27, 9, 0),
        )
        == NEXT_TWO_WEEKS
    )


def test_hour_and_date_deadlines_on_the_same_day_sort_together() -> None:
    municipality = make_municipality()
    unit = make_unit(municipality)
    record(
        municipality,
        # Assessment due Friday 1 March 10:00 (hours) and acknowledgement due the same day (hverdage).
        event("c", "concern_received", at(2024, 2, 29, 10, 0), attrs={"notifier": "professional"}),
        event("n", "need_noticed", date(2023, 11, 1), case_id="SAG-2", child_id="B2"),  # due 1 March
    )
    recompute(municipality, "SAG-1", date(2024, 2, 29))
    recompute(municipality, "SAG-2", date(2024, 2, 26))
    week = followup_week(scope=_leader(municipality, unit), week_start=MONDAY, now=at(2024, 2, 29, 11, 0))
    friday = [r for r in week.rows if r.bucket == THIS_WEEK and r.due_day == date(2024, 3, 1)]
    assert friday
    assert friday[0].due_at is not None
    assert any(r.due_at is None for r in friday)


def test_date_deadlines_on_sunday_and_monday_and_the_horizon() -> None:
    now = at(2024, 2, 26, 8, 0)

    def bucket(day: date, status: str = "open") -> str:
        return bucket_of(status=status, due_day=day, due_at=None, week_start=MONDAY, now=now)

    assert bucket(date(2024, 3, 3)) == THIS_WEEK  # Sunday
    assert bucket(date(2024, 3, 4)) == NEXT_TWO_WEEKS  # Monday
    assert bucket(date(2024, 3, 17)) == NEXT_TWO_WEEKS  # the second Sunday after
    assert bucket(date(2024, 3, 18)) == ""  # beyond the two weeks
    assert bucket(date(2024, 2, 25)) == OVERDUE  # open, day passed: overdue like the daily job
    assert bucket(date(2024, 3, 20), status="overdue") == OVERDUE
    assert bucket(date(2024, 2, 27), status="met") == ""
    assert bucket(date(2024, 2, 20), status="met_late") == ""
    assert bucket(date(2024, 2, 20), status="not_applicable") == ""


def test_met_obligations_are_not_listed_and_counts_add_up() -> None:
    municipality = make_municipality()
    unit = make_unit(municipality)
    record(
        municipality,
        event("n1", "need_noticed", date(2023, 11, 3), case_id="SAG-1", child_id="B1"),  # due Sun 3 Mar
        event("n2", "need_noticed", date(2023, 11, 4), case_id="SAG-2", child_id="B2"),  # due Mon 4 Mar
        event("n3", "need_noticed", date(2023, 10, 1), case_id="SAG-3", child_id="B3"),  # due 1 Feb: overdue
        event("n4", "need_noticed", date(2023, 11, 1), case_id="SAG-4", child_id="B4"),
        event("i4", "investigation_completed", date(2024, 2, 1), case_id="SAG-4", child_id="B4"),
    )
    for ref in ("SAG-1", "SAG-2", "SAG-3", "SAG-4"):
        recompute(municipality, ref, date(2024, 2, 26))
    week = followup_week(scope=_leader(municipality, unit), week_start=MONDAY, now=at(2024, 2, 26, 9, 0))
    by_case = {(r.case_ref, r.bucket) for r in week.rows if r.rule_id == "investigation_deadline"}
    assert by_case == {("SAG-1", THIS_WEEK), ("SAG-2", NEXT_TWO_WEEKS), ("SAG-3", OVERDUE)}
    assert all(r.case_ref != "SAG-4" or r.rule_id != "investigation_deadline" for r in week.rows)
    assert week.counts.total == len(week.rows)
    assert sum(u.counts.total for u in week.units) == week.counts.total
    unit_section = week.units[0]
    assert sum(g.counts.total for g in unit_section.groups) == unit_section.counts.total


Org = tuple[Municipality, Unit, Unit, User, User, User, Municipality]


def _org() -> Org:
    municipality = make_municipality()
    north = make_unit(municipality, "BFE-NORD")
    south = make_unit(municipality, "BFE-SYD")
    anna = make_staff(municipality, Role.CASEWORKER, north, username="anna", first_name="Anna")
    bo = make_staff(municipality, Role.CASEWORKER, north, username="bo", first_name="Bo")
    carl = make_staff(municipality, Role.CASEWORKER, south, username="carl", first_name="Carl")
    other = make_municipality("147", "Frederiksberg Kommune")
    make_unit(other, "BFE-NORD")
    common: dict[str, Any] = {"group": CaseGroup.CHILDREN}
    record(
        municipality,
        event(
            "1",
            "need_noticed",
            date(2024, 1, 2),
            case_id="N-ANNA",
            child_id="C1",
            caseworker="anna",
            **common,
        ),
        event(
            "2", "need_noticed", date(2024, 1, 2), case_id="N-BO", child_id="C2", caseworker="bo", **common
        ),
        event("3", "need_noticed", date(2024, 1, 2), case_id="N-NONE", child_id="C3", **common),
        event(
            "4",
            "need_noticed",
            date(2024, 1, 2),
            case_id="S-CARL",
            child_id="C4",
            unit="BFE-SYD",
            caseworker="carl",
        ),
    )
    record(other, event("x", "need_noticed", date(2024, 1, 2), case_id="F-1", child_id="F1"))
    return municipality, north, south, anna, bo, carl, other


@pytest.fixture(scope="module")
def org(module_db: DjangoDbBlocker) -> Org:
    """Built once for the module; what a test writes is rolled back after it (tests/conftest.py's
    `module_db`). Only the last tests of the module ask for it, so the ones before see none of it."""
    with module_db.unblock():
        return _org()


def _refs(week: FollowupWeek) -> set[str]:
    return {r.case_ref for r in week.rows}


def test_caseworker_sees_own_cases_and_may_filter_within_the_unit(org: Org) -> None:
    _, _, south, anna, _, carl, _ = org
    scope = user_scope(anna)
    today = today_local()
    assert _refs(followup_week(scope=scope, week_start=today, caseworker_id=anna.pk)) == {"N-ANNA"}
    assert _refs(followup_week(scope=scope, week_start=today)) == {"N-ANNA", "N-BO", "N-NONE"}
    assert _refs(followup_week(scope=scope, week_start=today, caseworker_id=NO_CASEWORKER)) == {"N-NONE"}
    # Asking for a colleague in another unit returns nothing from that unit.
    assert _refs(followup_week(scope=scope, week_start=today, caseworker_id=carl.pk)) == set()
    with pytest.raises(Http404):  # as for a unit that does not exist (ADR 0017)
        followup_week(scope=scope, week_start=today, unit_id=south.pk)


def test_leader_sees_own_units_only_and_never_another_municipality(org: Org) -> None:
    municipality, north, *_ = org
    leader = make_user(municipality, Role.AREA_CHIEF, north)
    week = followup_week(scope=user_scope(leader), week_start=today_local())
    assert _refs(week) == {"N-ANNA", "N-BO", "N-NONE"}
    assert [u.code for u in week.units] == ["BFE-NORD"]
    names = [p.name for g in week.units[0].groups for p in g.caseworkers]
    assert names == ["Anna", "Bo", "Ingen sagsbehandler"]
    lawyer = make_user(municipality, Role.CENTRE_LAWYER)
    assert _refs(followup_week(scope=user_scope(lawyer), week_start=today_local())) == {
        "N-ANNA",
        "N-BO",
        "N-NONE",
        "S-CARL",
    }


def test_committee_member_and_user_without_roles_are_refused(org: Org) -> None:
    municipality, *_ = org
    member = make_user(municipality, Role.COMMITTEE_MEMBER)
    with pytest.raises(PermissionDenied):
        followup_week(scope=user_scope(member), week_start=today_local())
    with pytest.raises(PermissionDenied):
        followup_week(scope=user_scope(None), week_start=today_local())


def test_the_week_list_is_one_query_however_many_cases(org: Org) -> None:
    municipality, north, *_ = org
    leader = make_user(municipality, Role.AREA_CHIEF, north)
    scope = user_scope(leader)
    with CaptureQueriesContext(connection) as few:
        followup_week(scope=scope, week_start=today_local())
    record(
        municipality,
        *[
            event(
                f"m{i}", "need_noticed", date(2024, 1, 2), case_id=f"N-{i}", child_id=f"M{i}", caseworker="bo"
            )
            for i in range(30)
        ],
    )
    with CaptureQueriesContext(connection) as many:
        week = followup_week(scope=scope, week_start=today_local())
    assert len(week.rows) > 30
    assert len(many) == len(few) <= 3  # units, closed cases (ADR 0020), obligations
