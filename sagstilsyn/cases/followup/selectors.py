"""Reads for the weekly deadline follow-up (ugentlig fristopfølgning).

A week is a Danish week: Monday to Sunday in Europe/Copenhagen. An obligation is listed in exactly one
bucket:

- ``overdue`` (Overskredet): status ``overdue``, or still ``open`` although its deadline has passed
  (the law core's ``deadline_passed``: hour deadlines by their instant, date deadlines by their day) —
  the same test as the daily job ``obligations_mark_overdue``, so the list does not wait for the job;
- ``this_week`` (Frist i ugen): open, due from the selected Monday to Sunday (hour deadlines by
  their local date);
- ``next_two_weeks`` (Frist de næste to uger): open, due in the two weeks after that.

Met, met late and not applicable obligations are never listed, nor are obligations that can no
longer be met (`sagstilsyn.law.lapse`: a "before the decision" deadline that has passed, or a closed
case); those keep their status and show on the case as history (ADR 0020).

The page (`followup_screen`) splits the overdue by age into *Nye denne uge* (overdue 0–7 days) and the
bands 8–30, 31–90 and over 90 days; it reads a slim tuple per listed obligation to count and sort, and
the full rows only for the page it shows (at most `PAGE_SIZE`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.paginator import Page, Paginator
from django.db.models import Max, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from sagstilsyn.cases.models import CaseEvent, Obligation
from sagstilsyn.cases.overrun.selectors import (
    OVERRUN_XLSX_HEADERS,
    OverrunReasonView,
    overrun_reasons_for,
    overrun_xlsx_cells,
    reason_for,
)
from sagstilsyn.cases.selectors.cases import STATUS_BADGES
from sagstilsyn.cases.store import case_store
from sagstilsyn.core.access import Scope, can_view_deadlines, visible_units_filter
from sagstilsyn.core.models import CaseGroup, Role, RoleAssignment, Unit
from sagstilsyn.core.selectors import catalogue_get
from sagstilsyn.law.calendar import COPENHAGEN, Cutoff, deadline_passed
from sagstilsyn.law.lapse import CASE_CLOSED, obligation_lapse_reason
from sagstilsyn.law.model import ObligationStatus, Rule

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
    "trigger_event__day",
    "trigger_event_id",
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
    trigger_day: date | None = None
    trigger_event_id: int | None = None
    #: The begrundelse for overskridelse of an overdue row (`followup_screen` attaches it), or None.
    reason: OverrunReasonView | None = None
    #: Whole days since the deadline (0 for an hour deadline passed today, and for one not yet passed).
    days_overdue: int = 0
    section: str = ""

    @property
    def section_label(self) -> str:
        return SECTION_LABELS.get(self.section, "")

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


class WeekDates:
    """The dates of a Danish week that starts on `week_start` (a Monday), for the week's list and screen."""

    week_start: date

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


@dataclass
class FollowupWeek(WeekDates):
    """The week's list: totals, the unit → group → caseworker tree, and the rows per bucket."""

    week_start: date
    today: date
    counts: Counts
    units: list[UnitSection]
    rows: list[FollowupRow]

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
    queryset = _listed(
        municipality_id=scope.municipality_id,
        unit_ids=unit_ids,
        monday=monday,
        today=today,
        group=group,
        caseworker_id=caseworker_id,
    )
    # Tuples in _FIELDS order; sorted once, in Python, below (the database need not sort them).
    rows: list[FollowupRow] = []
    names: dict[int, str] = {}
    lapse = _LapseJudge(scope.municipality_id, today)
    for value in case_store().fetch_all(queryset.order_by().values_list(*_FIELDS)):
        bucket = bucket_of(status=value[8], due_day=value[6], due_at=value[7], week_start=monday, now=cutoff)
        if bucket and not lapse.lapsed(
            rule_id=value[4], overdue=bucket == OVERDUE, case_id=value[1], trigger_day=value[17]
        ):
            rows.append(_row(value, bucket, names, today=today))
    rows = _sorted(rows)
    units_tree = _tree(rows, _row_unit_names(rows))
    return FollowupWeek(week_start=monday, today=today, counts=_counts(rows), units=units_tree, rows=rows)


def _listed(
    *,
    municipality_id: int,
    unit_ids: list[int],
    monday: date,
    today: date,
    group: str | None,
    caseworker_id: int | None,
) -> QuerySet[Obligation]:
    """The obligations that may be listed for the week: overdue, or open and due before the horizon."""
    horizon = monday + timedelta(days=21)
    open_until = max(horizon, today + timedelta(days=1))
    queryset = Obligation.objects.filter(
        unit_id__in=unit_ids,  # the obligation's copy of the unit: one index leads to a unit's list
        case__municipality_id=municipality_id,
        case__unit_id__in=unit_ids,
    ).filter(Q(status=ObligationStatus.OVERDUE) | Q(status=ObligationStatus.OPEN, due_day__lt=open_until))
    if group:
        queryset = queryset.filter(case__group=group)
    if caseworker_id == NO_CASEWORKER:
        queryset = queryset.filter(case__caseworker__isnull=True)
    elif caseworker_id is not None:
        queryset = queryset.filter(case__caseworker_id=caseworker_id)
    return queryset.order_by()


class _LapseJudge:
    """Asks `obligation_lapse_reason` for many obligations of the listed units: the catalogue's rules
    by id, and the closed cases (latest `case_closed` up to today) read once, lazily."""

    def __init__(self, municipality_id: int, today: date) -> None:
        self.rules: dict[str, Rule] = {rule.id: rule for rule in catalogue_get().rules}
        self.closed_on: dict[int, date] = dict(
            # Every closed case of the municipality (the partial index event_case_closed): fewer rows
            # than a join to the listed units would read; only the listed cases are looked up.
            CaseEvent.objects.filter(municipality_id=municipality_id, type=CASE_CLOSED, day__lte=today)
            .values("case_id")
            .annotate(closed=Max("day"))
            .values_list("case_id", "closed")
            .order_by()
        )

    def lapsed(self, *, rule_id: str, overdue: bool, case_id: int, trigger_day: date | None) -> bool:
        return (
            obligation_lapse_reason(
                self.rules.get(rule_id),
                status=ObligationStatus.OVERDUE if overdue else ObligationStatus.OPEN,
                trigger_day=trigger_day,
                closed_on=self.closed_on.get(case_id),
            )
            is not None
        )


def days_overdue(due_day: date, today: date) -> int:
    """Whole days from the deadline to today (0 when it is today or later)."""
    return max(0, (today - due_day).days)


def _row(value: tuple[Any, ...], bucket: str, names: dict[int, str], *, today: date) -> FollowupRow:
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
        trigger_day=value[17],
        trigger_event_id=value[18],
        days_overdue=days_overdue(value[6], today) if bucket == OVERDUE else 0,
        section=bucket if bucket != OVERDUE else overdue_section(days_overdue(value[6], today)),
    )


def _row_unit_names(rows: Iterable[FollowupRow]) -> Callable[[int], tuple[str, str]]:
    """The code and name of each unit, as the listed rows carry them."""
    names = {row.unit_id: (row.unit_code, row.unit_name) for row in rows}
    return lambda unit_id: names[unit_id]


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


def _tree(
    items: Iterable[FollowupRow | ListedObligation], unit_names: Callable[[int], tuple[str, str]]
) -> list[UnitSection]:
    """The unit → group → caseworker tree with its counts, of items already in list order; a listed row
    (`FollowupRow`) is kept under its caseworker too. `unit_names` gives a unit's code and name."""
    units: dict[int, UnitSection] = {}
    groups: dict[tuple[int, str], GroupSection] = {}
    people: dict[tuple[int, str, int | None], CaseworkerSection] = {}
    for item in items:
        unit = units.get(item.unit_id)
        if unit is None:
            unit = units[item.unit_id] = UnitSection(item.unit_id, *unit_names(item.unit_id))
        group = groups.get((item.unit_id, item.group))
        if group is None:
            group = groups[(item.unit_id, item.group)] = GroupSection(item.group)
            unit.groups.append(group)
        key = (item.unit_id, item.group, item.caseworker_id)
        person = people.get(key)
        if person is None:
            person = people[key] = CaseworkerSection(item.caseworker_id, item.caseworker_name)
            group.caseworkers.append(person)
        for counts in (unit.counts, group.counts, person.counts):
            counts.add(item.bucket)
        if isinstance(item, FollowupRow):
            person.rows.append(item)
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
    "Afsnit",
    "Sag",
    "Regel",
    "Udløst",
    "Frist",
    "Klokkeslæt",
    "Dage over fristen",
    "Status",
    "Enhed",
    "Gruppe",
    "Sagsbehandler",
    *OVERRUN_XLSX_HEADERS,
)


def followup_export_rows(rows: Iterable[FollowupRow]) -> list[tuple[object, ...]]:
    """The rows as spreadsheet rows (case references only; never CPR or names of children)."""
    return [
        (
            row.section_label or row.bucket_label,
            row.case_ref,
            row.rule_title,
            row.trigger_day,
            row.due_day,
            row.due_local.strftime("%H:%M") if row.due_local else "",
            row.days_overdue if row.bucket == OVERDUE else "",
            row.status_label,
            row.unit_name,
            row.group_label if row.group else "",
            row.caseworker_name,
            *overrun_xlsx_cells(row.reason),
        )
        for row in rows
    ]


# -- The page: sections, bands, sorting and paging (ADR 0020) ----------------------------------------------

NEW = "new"
BAND_8_30 = "band_8_30"
BAND_31_90 = "band_31_90"
BAND_OVER_90 = "band_over_90"
#: The page's sections, in the order the page shows them.
SECTIONS: tuple[str, ...] = (NEW, THIS_WEEK, NEXT_TWO_WEEKS, BAND_8_30, BAND_31_90, BAND_OVER_90)
OVERDUE_SECTIONS: tuple[str, ...] = (NEW, BAND_8_30, BAND_31_90, BAND_OVER_90)
BANDS: tuple[str, ...] = (BAND_8_30, BAND_31_90, BAND_OVER_90)
SECTION_LABELS: dict[str, str] = {
    NEW: "Nye denne uge",
    THIS_WEEK: "Forfalder i ugen",
    NEXT_TWO_WEEKS: "Næste to uger",
    BAND_8_30: "Overskredet 8–30 dage",
    BAND_31_90: "Overskredet 31–90 dage",
    BAND_OVER_90: "Overskredet mere end 90 dage",
}
#: The sections' values in the address (`?afsnit=`).
SECTION_SLUGS: dict[str, str] = {
    NEW: "nye",
    THIS_WEEK: "ugen",
    NEXT_TWO_WEEKS: "to-uger",
    BAND_8_30: "8-30",
    BAND_31_90: "31-90",
    BAND_OVER_90: "over-90",
}
SECTION_BY_SLUG: dict[str, str] = {slug: section for section, slug in SECTION_SLUGS.items()}
#: An obligation overdue this many days or fewer is new this week.
NEW_DAYS = 7
SORT_DAYS = "dage"
SORT_DUE = "frist"
SORT_CASEWORKER = "sagsbehandler"
SORT_LABELS: dict[str, str] = {
    SORT_DAYS: "Flest dage over fristen",
    SORT_DUE: "Nærmeste frist først",
    SORT_CASEWORKER: "Sagsbehandler",
}
#: Rows on one page of a section (and at most on the first screen per section).
PAGE_SIZE = 100

_SLIM_FIELDS = (
    "id",
    "case_id",
    "rule_id",
    "status",
    "due_day",
    "due_at",
    "trigger_event__day",
    "case__unit_id",
    "case__group",
    "case__caseworker_id",
    "case__caseworker__first_name",
    "case__caseworker__last_name",
    "case__caseworker__username",
    "trigger_event_id",
)


def overdue_section(days: int) -> str:
    """The section of an obligation overdue `days` whole days: new (0–7), then the age bands."""
    if days <= NEW_DAYS:
        return NEW
    if days <= 30:
        return BAND_8_30
    if days <= 90:
        return BAND_31_90
    return BAND_OVER_90


@dataclass(slots=True)
class ListedObligation:
    """What the page needs of every listed obligation to count, sort and page it (not to show it)."""

    obligation_id: int
    case_id: int
    rule_id: str
    due_day: date
    due_at: datetime | None
    section: str
    days_overdue: int
    unit_id: int
    group: str
    caseworker_id: int | None
    caseworker_name: str
    trigger_event_id: int | None

    @property
    def bucket(self) -> str:
        return OVERDUE if self.section in OVERDUE_SECTIONS else self.section


@dataclass
class SectionView:
    """One section of the page: its count, and the rows shown (a page of them)."""

    section: str
    count: int
    rows: list[FollowupRow]
    page: Page[ListedObligation] | None = None

    @property
    def label(self) -> str:
        return SECTION_LABELS[self.section]

    @property
    def slug(self) -> str:
        return SECTION_SLUGS[self.section]

    @property
    def is_band(self) -> bool:
        return self.section in BANDS

    @property
    def more(self) -> int:
        """Rows of the section not shown here."""
        return self.count - len(self.rows)


@dataclass
class FollowupScreen(WeekDates):
    """The follow-up page: counts of every section, the leader's tree, and the rows shown.

    With no section chosen, the first screen shows the newly overdue and this week's rows (at most
    `PAGE_SIZE` each) and the other sections as counts; with a section, a page of its rows.
    """

    week_start: date
    today: date
    counts: dict[str, int]
    units: list[UnitSection]
    shown: list[SectionView]
    section: str = ""
    sort: str = SORT_DAYS

    @property
    def year(self) -> int:
        return self.week_start.isocalendar()[0]

    @property
    def overdue_count(self) -> int:
        return sum(self.counts[s] for s in OVERDUE_SECTIONS)

    @property
    def backlog_count(self) -> int:
        return sum(self.counts[s] for s in BANDS)

    @property
    def rows(self) -> list[FollowupRow]:
        """Every row shown on the page (what the access log records)."""
        return [row for view in self.shown for row in view.rows]

    def count_of(self, section: str) -> int:
        return self.counts[section]

    @property
    def sections(self) -> list[tuple[str, str, str, int]]:
        """(section, slug, label, count) of every section, in page order."""
        return [(s, SECTION_SLUGS[s], SECTION_LABELS[s], self.counts[s]) for s in SECTIONS]


def _sort_key(sort: str, section: str) -> Any:
    upcoming = section not in OVERDUE_SECTIONS

    def instant(item: ListedObligation) -> float:
        return item.due_at.timestamp() if item.due_at is not None else float("inf")

    if sort == SORT_CASEWORKER:
        return lambda i: (
            i.caseworker_id is None,
            i.caseworker_name.lower(),
            i.due_day,
            instant(i),
            i.case_id,
            i.obligation_id,
        )
    if sort == SORT_DUE and not upcoming:
        # The nearest deadline first: the most recently passed.
        return lambda i: (-i.due_day.toordinal(), -instant(i), i.case_id, i.obligation_id)
    return lambda i: (i.due_day, instant(i), i.case_id, i.obligation_id)


def followup_listed(
    *,
    scope: Scope,
    week_start: date,
    unit_ids: list[int],
    group: str | None = None,
    caseworker_id: int | None = None,
    now: datetime | None = None,
) -> tuple[date, list[ListedObligation]]:
    """Today and every obligation the week lists in `unit_ids` (already checked against the scope),
    with its section; lapsed obligations left out. Two queries: the obligations, the closed cases."""
    if scope.municipality_id is None:
        raise PermissionDenied("Du har ikke adgang til fristlister.")
    cutoff = Cutoff.at(now or timezone.now())
    today = cutoff.day
    monday = week_monday(week_start)
    queryset = _listed(
        municipality_id=scope.municipality_id,
        unit_ids=unit_ids,
        monday=monday,
        today=today,
        group=group,
        caseworker_id=caseworker_id,
    )
    lapse = _LapseJudge(scope.municipality_id, today)
    names: dict[int, str] = {}
    listed: list[ListedObligation] = []
    for value in case_store().fetch_all(queryset.values_list(*_SLIM_FIELDS)):
        bucket = bucket_of(status=value[3], due_day=value[4], due_at=value[5], week_start=monday, now=cutoff)
        if not bucket or lapse.lapsed(
            rule_id=value[2], overdue=bucket == OVERDUE, case_id=value[1], trigger_day=value[6]
        ):
            continue
        days = days_overdue(value[4], today) if bucket == OVERDUE else 0
        caseworker = value[9]
        if caseworker is None:
            name = NO_CASEWORKER_LABEL
        else:
            name = names.get(caseworker) or names.setdefault(
                caseworker, _person_name(value[10], value[11], value[12])
            )
        listed.append(
            ListedObligation(
                obligation_id=value[0],
                case_id=value[1],
                rule_id=value[2],
                due_day=value[4],
                due_at=value[5],
                section=overdue_section(days) if bucket == OVERDUE else bucket,
                days_overdue=days,
                unit_id=value[7],
                group=value[8] or "",
                caseworker_id=caseworker,
                caseworker_name=name,
                trigger_event_id=value[13],
            )
        )
    return today, listed


def followup_rows(items: Iterable[ListedObligation], *, today: date) -> list[FollowupRow]:
    """The full rows of `items`, in their order and with their sections (one query)."""
    wanted = {item.obligation_id: item for item in items}
    if not wanted:
        return []
    found = {
        value[0]: value
        for value in case_store().fetch_all(
            Obligation.objects.filter(pk__in=list(wanted)).order_by().values_list(*_FIELDS)
        )
    }
    names: dict[int, str] = {}
    rows: list[FollowupRow] = []
    for obligation_id, item in wanted.items():
        value = found.get(obligation_id)
        if value is not None:
            row = _row(value, item.bucket, names, today=today)
            row.section, row.days_overdue = item.section, item.days_overdue
            rows.append(row)
    return rows


def followup_screen(  # noqa: PLR0913 - the page's filters, each optional
    *,
    scope: Scope,
    week_start: date,
    section: str = "",
    sort: str = "",
    page: int = 1,
    unit_id: int | None = None,
    group: str | None = None,
    caseworker_id: int | None = None,
    now: datetime | None = None,
    units: Iterable[Unit] | None = None,
    without_reason: bool = False,
    all_rows: bool = False,
) -> FollowupScreen:
    """The follow-up page for the Danish week starting `week_start` (see `FollowupScreen`).

    Refuses as `followup_week` does (PermissionDenied, Http404 for a unit outside the scope). `section`
    '' is the first screen; `page` counts from 1 (past the last page gives the last). `without_reason`
    keeps only the overdue without a begrundelse for overskridelse (before counting). `all_rows`
    (the export) gives every row of the section, or of every section when none is chosen, unpaged.
    """
    if not can_view_deadlines(scope) or scope.municipality_id is None:
        raise PermissionDenied("Du har ikke adgang til fristlister.")
    allowed = list(units) if units is not None else visible_units(scope)
    unit_ids = [u.pk for u in allowed]
    if unit_id is not None:
        if unit_id not in unit_ids:  # 404 as for a unit that does not exist (ADR 0017)
            raise Http404("Enheden findes ikke, eller du har ikke adgang til den.")
        unit_ids = [unit_id]
    today, listed = followup_listed(
        scope=scope,
        week_start=week_start,
        unit_ids=unit_ids,
        group=group,
        caseworker_id=caseworker_id,
        now=now,
    )
    if without_reason:
        overdue = [item for item in listed if item.section in OVERDUE_SECTIONS]
        reasons = overrun_reasons_for(overdue)
        listed = [item for item in overdue if reason_for(reasons, item) is None]
    by_section: dict[str, list[ListedObligation]] = {s: [] for s in SECTIONS}
    for item in listed:
        by_section[item.section].append(item)
    counts = {s: len(items) for s, items in by_section.items()}
    chosen = section if section in SECTIONS else ""
    if all_rows:
        shown_sections = [chosen] if chosen else list(SECTIONS)
    else:
        shown_sections = [chosen] if chosen else [NEW, THIS_WEEK]
    order = sort if sort in SORT_LABELS else (SORT_DAYS)
    shown: list[tuple[str, list[ListedObligation], Page[ListedObligation] | None]] = []
    for name in shown_sections:
        items = sorted(by_section[name], key=_sort_key(order, name))
        if all_rows:
            shown.append((name, items, None))
        elif chosen:
            paginator = Paginator(items, PAGE_SIZE)
            current = paginator.get_page(page)
            shown.append((name, list(current.object_list), current))
        else:
            shown.append((name, items[:PAGE_SIZE], None))
    wanted = [item for _, items, _ in shown for item in items]
    full = {row.obligation_id: row for row in followup_rows(wanted, today=today)}
    overdue_rows = [row for row in full.values() if row.bucket == OVERDUE]
    shown_reasons = overrun_reasons_for(overdue_rows)
    for row in overdue_rows:
        row.reason = reason_for(shown_reasons, row)
    views = [
        SectionView(name, counts[name], [full[i.obligation_id] for i in items if i.obligation_id in full], pg)
        for name, items, pg in shown
    ]
    units_by_id = {u.pk: u for u in allowed}
    return FollowupScreen(
        week_start=week_monday(week_start),
        today=today,
        counts=counts,
        units=_listed_tree(listed, units_by_id),
        shown=views,
        section=chosen,
        sort=order,
    )


def _listed_tree(listed: Iterable[ListedObligation], units_by_id: dict[int, Unit]) -> list[UnitSection]:
    """The unit → group → caseworker counts of the listed obligations."""

    def names(unit_id: int) -> tuple[str, str]:
        known = units_by_id.get(unit_id)
        return (known.code, known.name) if known else ("", "")

    return _tree(listed, names)


def case_lapsed_obligations(*, case_id: int, now: datetime | None = None) -> dict[int, str]:
    """The case's obligations that can no longer be met, by obligation id, with the Danish reason
    (`obligation_lapse_reason`): for the case page, which shows them as history rather than as work.
    Their status is unchanged (an overdue one still counts as overdue). Two small queries."""
    cutoff = Cutoff.at(now or timezone.now())
    closed_on = (
        CaseEvent.objects.filter(case_id=case_id, type=CASE_CLOSED, day__lte=cutoff.day)
        .order_by("-day")
        .values_list("day", flat=True)
        .first()
    )
    rules = {rule.id: rule for rule in catalogue_get().rules}
    found: dict[int, str] = {}
    for obligation_id, rule_id, status, due_day, due_at, trigger_day in Obligation.objects.filter(
        case_id=case_id, status__in=(ObligationStatus.OPEN, ObligationStatus.OVERDUE)
    ).values_list("id", "rule_id", "status", "due_day", "due_at", "trigger_event__day"):
        overdue = is_overdue(status=status, due_day=due_day, due_at=due_at, now=cutoff)
        reason = obligation_lapse_reason(
            rules.get(rule_id),
            status=ObligationStatus.OVERDUE if overdue else ObligationStatus.OPEN,
            trigger_day=trigger_day,
            closed_on=closed_on,
        )
        if reason is not None:
            found[obligation_id] = reason
    return found
