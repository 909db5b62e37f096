"""Reads for the weekly deadline follow-up (ugentlig fristopfølgning).

A week is a Danish week: Monday to Sunday in Europe/Copenhagen. An obligation is listed in exactly one
bucket:

- ``overdue`` (Overskredet): status ``overdue``, or still ``open`` although its deadline has passed
  (the law core's ``deadline_passed``: hour deadlines by their instant, date deadlines by their day) —
  the same test as the daily job ``obligations_mark_overdue``, so the list does not wait for the job;
- ``this_week`` (Frist i ugen): open, due from the selected Monday to Sunday (hour deadlines by
  their local date);
- ``next_two_weeks`` (Frist de næste to uger): open, due in the two weeks after that.

Met, met late and not applicable obligations are never listed. The whole list is one query over
obligations joined to case, unit and caseworker, plus one small query for the visible units.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404
from django.utils import timezone

from sagstilsyn.cases.models import Obligation
from sagstilsyn.cases.selectors.cases import STATUS_BADGES
from sagstilsyn.cases.store import case_store
from sagstilsyn.core.access import Scope, can_view_deadlines, visible_units_filter
from sagstilsyn.core.models import CaseGroup, Role, RoleAssignment, Unit
from sagstilsyn.law.calendar import COPENHAGEN, Cutoff, deadline_passed
from sagstilsyn.law.model import ObligationStatus

OVERDUE = "overdue"
THIS_WEEK = "this_week"
NEXT_TWO_WEEKS = "next_two_weeks"
BUCKETS: tuple[str, ...] = (OVERDUE, THIS_WEEK, NEXT_TWO_WEEKS)
BUCKET_LABELS: dict[str, str] = {
    OVERDUE: ObligationStatus.OVERDUE.label,
    THIS_WEEK: "Frist i ugen",
    NEXT_TWO_WEEKS: "Frist de næste to uger",
}
#: `caseworker_id` value that selects the cases without a caseworker.
NO_CASEWORKER = 0
NO_CASEWORKER_LABEL = "Ingen sagsbehandler"
NO_GROUP_LABEL = "Ingen gruppe"

_FIELDS = (
    "id",
    "case_id",
    "case__source_ref",
    "case__child_id",
    "rule_id",
    "rule_version__title",
    "due_day",
    "due_at",
    "status",
    "case__unit_id",
    "case__unit__code",
    "case__unit__name",
    "case__group",
    "case__caseworker_id",
    "case__caseworker__username",
    "case__caseworker__first_name",
    "case__caseworker__last_name",
)


def week_monday(day: date) -> date:
    """The Monday of the Danish (ISO) week that `day` falls in."""
    return day - timedelta(days=day.weekday())


def is_overdue(*, status: str, due_day: date, due_at: datetime | None, now: datetime | Cutoff) -> bool:
    """Overdue at `now`: marked so, or open with its deadline passed (`deadline_passed`), as the daily
    job `obligations_mark_overdue` will mark it. Pass a `Cutoff` when judging many at one moment."""
    if status == ObligationStatus.OVERDUE:
        return True
    if status != ObligationStatus.OPEN:
        return False
    return deadline_passed(due_at if due_at is not None else due_day, now)


@dataclass
class Counts:
    overdue: int = 0
    this_week: int = 0
    next_two_weeks: int = 0

    def add(self, bucket: str) -> None:
        if bucket == OVERDUE:
            self.overdue += 1
        elif bucket == THIS_WEEK:
            self.this_week += 1
        else:
            self.next_two_weeks += 1

    @property
    def total(self) -> int:
        return self.overdue + self.this_week + self.next_two_weeks


@dataclass(slots=True)
class FollowupRow:
    """One listed obligation."""

    obligation_id: int
    case_id: int
    child_id: int
    case_ref: str
    rule_id: str
    rule_title: str
    due_day: date
    due_at: datetime | None
    status: str
    bucket: str
    unit_id: int
    unit_code: str
    unit_name: str
    group: str
    caseworker_id: int | None
    caseworker_name: str

    @property
    def status_label(self) -> str:
        return ObligationStatus(self.status).label

    @property
    def status_badge(self) -> str:
        return STATUS_BADGES[self.status]

    @property
    def bucket_label(self) -> str:
        return BUCKET_LABELS[self.bucket]

    @property
    def group_label(self) -> str:
        return _group_label(self.group)

    @property
    def due_local(self) -> datetime | None:
        return self.due_at.astimezone(COPENHAGEN) if self.due_at is not None else None


@dataclass
class CaseworkerSection:
    caseworker_id: int | None
    name: str
    counts: Counts = field(default_factory=Counts)
    rows: list[FollowupRow] = field(default_factory=list)

    @property
    def filter_value(self) -> int:
        return self.caseworker_id if self.caseworker_id is not None else NO_CASEWORKER


@dataclass
class GroupSection:
    group: str
    counts: Counts = field(default_factory=Counts)
    caseworkers: list[CaseworkerSection] = field(default_factory=list)

    @property
    def label(self) -> str:
        return _group_label(self.group)


@dataclass
class UnitSection:
    unit_id: int
    code: str
    name: str
    counts: Counts = field(default_factory=Counts)
    groups: list[GroupSection] = field(default_factory=list)


@dataclass
class FollowupWeek:
    """The week's list: totals, the unit → group → caseworker tree, and the rows per bucket."""

    week_start: date
    today: date
    counts: Counts
    units: list[UnitSection]
    rows: list[FollowupRow]

    @property
    def week_end(self) -> date:
        return self.week_start + timedelta(days=6)

    @property
    def horizon_end(self) -> date:
        """The last day of the 'next two weeks' bucket."""
        return self.week_start + timedelta(days=20)

    @property
    def iso_week(self) -> str:
        year, week, _ = self.week_start.isocalendar()
        return f"{year}-W{week:02d}"

    @property
    def week_number(self) -> int:
        return self.week_start.isocalendar()[1]

    def bucket_rows(self, bucket: str) -> list[FollowupRow]:
        return [row for row in self.rows if row.bucket == bucket]

    @property
    def overdue_rows(self) -> list[FollowupRow]:
        return self.bucket_rows(OVERDUE)

    @property
    def this_week_rows(self) -> list[FollowupRow]:
        return self.bucket_rows(THIS_WEEK)

    @property
    def next_two_weeks_rows(self) -> list[FollowupRow]:
        return self.bucket_rows(NEXT_TWO_WEEKS)


def _group_label(group: str) -> str:
    return str(CaseGroup(group).label) if group in CaseGroup.values else NO_GROUP_LABEL


def _person_name(first: str | None, last: str | None, username: str | None) -> str:
    full = f"{first or ''} {last or ''}".strip()
    return full or username or NO_CASEWORKER_LABEL


def visible_units(scope: Scope) -> list[Unit]:
    """The units whose deadlines the user may see, decided by `can_view_unit`."""
    if not can_view_deadlines(scope) or scope.municipality_id is None:
        return []
    return list(Unit.objects.filter(visible_units_filter(scope)).order_by("code"))


def bucket_of(
    *, status: str, due_day: date, due_at: datetime | None, week_start: date, now: datetime | Cutoff
) -> str:
    """The bucket an open or overdue obligation falls in for the week, or '' when it is outside."""
    if is_overdue(status=status, due_day=due_day, due_at=due_at, now=now):
        return OVERDUE
    if status != ObligationStatus.OPEN:
        return ""
    offset = (due_day - week_start).days
    if 0 <= offset < 7:
        return THIS_WEEK
    if 7 <= offset < 21:
        return NEXT_TWO_WEEKS
    return ""


def followup_week(
    *,
    scope: Scope,
    week_start: date,
    unit_id: int | None = None,
    group: str | None = None,
    caseworker_id: int | None = None,
    now: datetime | None = None,
    units: Iterable[Unit] | None = None,
) -> FollowupWeek:
    """The deadline follow-up for the Danish week starting `week_start` (any day moves to its Monday).

    Raises PermissionDenied when the user may not see deadline lists at all (committee members, no
    roles), Http404 when they ask for a unit outside their scope (as for one that does not exist).
    `caseworker_id=NO_CASEWORKER` lists the cases without a caseworker. `units` may pass the result of
    `visible_units(scope)` to save its query.
    """
    if not can_view_deadlines(scope) or scope.municipality_id is None:
        raise PermissionDenied("Du har ikke adgang til fristlister.")
    cutoff = Cutoff.at(now or timezone.now())
    today = cutoff.day
    monday = week_monday(week_start)
    allowed = list(units) if units is not None else visible_units(scope)
    unit_ids = [u.pk for u in allowed]
    if unit_id is not None:
        # `allowed` is the queryset form of can_view_unit (visible_units_filter), by the unit's own
        # municipality: a unit of another municipality is never in it.
        if unit_id not in unit_ids:  # 404 as for a unit that does not exist (ADR 0017)
            raise Http404("Enheden findes ikke, eller du har ikke adgang til den.")
        unit_ids = [unit_id]
    horizon = monday + timedelta(days=21)
    open_until = max(horizon, today + timedelta(days=1))
    queryset = Obligation.objects.filter(
        unit_id__in=unit_ids,  # the obligation's copy of the unit: one index leads to a unit's list
        case__municipality_id=scope.municipality_id,
        case__unit_id__in=unit_ids,
    ).filter(Q(status=ObligationStatus.OVERDUE) | Q(status=ObligationStatus.OPEN, due_day__lt=open_until))
    if group:
        queryset = queryset.filter(case__group=group)
    if caseworker_id == NO_CASEWORKER:
        queryset = queryset.filter(case__caseworker__isnull=True)
    elif caseworker_id is not None:
        queryset = queryset.filter(case__caseworker_id=caseworker_id)
    # Tuples in _FIELDS order; sorted once, in Python, below (the database need not sort them).
    rows: list[FollowupRow] = []
    names: dict[int, str] = {}
    for value in case_store().fetch_all(queryset.order_by().values_list(*_FIELDS)):
        bucket = bucket_of(status=value[8], due_day=value[6], due_at=value[7], week_start=monday, now=cutoff)
        if bucket:
            rows.append(_row(value, bucket, names))
    rows = _sorted(rows)
    return FollowupWeek(week_start=monday, today=today, counts=_counts(rows), units=_tree(rows), rows=rows)


def _row(value: tuple[Any, ...], bucket: str, names: dict[int, str]) -> FollowupRow:
    """A listed row from a `_FIELDS` tuple; `names` caches caseworkers' display names by id."""
    caseworker_id = value[13]
    if caseworker_id is None:
        name = NO_CASEWORKER_LABEL
    else:
        name = names.get(caseworker_id) or names.setdefault(
            caseworker_id, _person_name(value[15], value[16], value[14])
        )
    return FollowupRow(
        obligation_id=value[0],
        case_id=value[1],
        child_id=value[3],
        case_ref=value[2],
        rule_id=value[4],
        rule_title=value[5],
        due_day=value[6],
        due_at=value[7],
        status=ObligationStatus.OVERDUE if bucket == OVERDUE else ObligationStatus.OPEN,
        bucket=bucket,
        unit_id=value[9],
        unit_code=value[10],
        unit_name=value[11],
        group=value[12] or "",
        caseworker_id=caseworker_id,
        caseworker_name=name,
    )


def _sorted(rows: list[FollowupRow]) -> list[FollowupRow]:
    order = {bucket: index for index, bucket in enumerate(BUCKETS)}
    # Within a day, hour deadlines come first (by instant); a date deadline runs to the end of the day.
    return sorted(
        rows,
        key=lambda r: (
            order[r.bucket],
            r.due_day,
            r.due_at.timestamp() if r.due_at is not None else float("inf"),
            r.case_ref,
            r.rule_id,
            r.obligation_id,
        ),
    )


def _counts(rows: Iterable[FollowupRow]) -> Counts:
    counts = Counts()
    for row in rows:
        counts.add(row.bucket)
    return counts


def _tree(rows: Iterable[FollowupRow]) -> list[UnitSection]:
    """The unit → group → caseworker tree of rows already in list order (`_sorted`)."""
    units: dict[int, UnitSection] = {}
    groups: dict[tuple[int, str], GroupSection] = {}
    people: dict[tuple[int, str, int | None], CaseworkerSection] = {}
    for row in rows:
        unit = units.get(row.unit_id)
        if unit is None:
            unit = units[row.unit_id] = UnitSection(row.unit_id, row.unit_code, row.unit_name)
        group = groups.get((row.unit_id, row.group))
        if group is None:
            group = groups[(row.unit_id, row.group)] = GroupSection(row.group)
            unit.groups.append(group)
        key = (row.unit_id, row.group, row.caseworker_id)
        person = people.get(key)
        if person is None:
            person = people[key] = CaseworkerSection(row.caseworker_id, row.caseworker_name)
            group.caseworkers.append(person)
        for counts in (unit.counts, group.counts, person.counts):
            counts.add(row.bucket)
        person.rows.append(row)
    group_order = {value: index for index, value in enumerate(CaseGroup.values)}
    for unit in units.values():
        unit.groups.sort(key=lambda g: group_order.get(g.group, len(group_order)))
        for group in unit.groups:
            group.caseworkers.sort(key=lambda p: (p.caseworker_id is None, p.name.lower()))
    return sorted(units.values(), key=lambda u: u.code)


@dataclass(frozen=True)
class CaseworkerOption:
    user_id: int
    name: str


def followup_caseworker_options(*, unit_ids: Iterable[int]) -> list[CaseworkerOption]:
    """The caseworkers of the units, for the filter (one query)."""
    rows = (
        RoleAssignment.objects.filter(role=Role.CASEWORKER, unit_id__in=list(unit_ids))
        .values_list("user_id", "user__first_name", "user__last_name", "user__username")
        .distinct()
    )
    options = {uid: _person_name(first, last, username) for uid, first, last, username in rows}
    return sorted(
        (CaseworkerOption(uid, name) for uid, name in options.items()), key=lambda o: o.name.lower()
    )


XLSX_HEADERS: tuple[str, ...] = (
    "Kategori",
    "Sag",
    "Regel",
    "Frist",
    "Klokkeslæt",
    "Status",
    "Enhed",
    "Gruppe",
    "Sagsbehandler",
)


def followup_export_rows(week: FollowupWeek) -> list[tuple[object, ...]]:
    """The listed rows as spreadsheet rows (case references only; never CPR or names of children)."""
    return [
        (
            row.bucket_label,
            row.case_ref,
            row.rule_title,
            row.due_day,
            row.due_local.strftime("%H:%M") if row.due_local else "",
            row.status_label,
            row.unit_name,
            row.group_label if row.group else "",
            row.caseworker_name,
        )
        for row in week.rows
    ]
