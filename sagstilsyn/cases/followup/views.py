"""Pages of the weekly deadline follow-up (Ugens frister): the first screen (new this week, due this week,
the backlog's bands as counts), a section's own paged view, and the Excel export of either (ADR 0020)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from sagstilsyn.cases.followup.extras import FollowupExtraRequest, followup_extra_sections
from sagstilsyn.cases.followup.selectors import (
    NO_CASEWORKER,
    PAGE_SIZE,
    SECTION_BY_SLUG,
    SECTION_LABELS,
    SECTION_SLUGS,
    SORT_LABELS,
    XLSX_HEADERS,
    FollowupScreen,
    followup_caseworker_options,
    followup_export_rows,
    followup_screen,
    visible_units,
    week_monday,
)
from sagstilsyn.core.access import Scope, can_view_deadlines, followup_default_group, leads_units, user_scope
from sagstilsyn.core.exports import export_title, xlsx_response
from sagstilsyn.core.models import CaseGroup, Unit, User
from sagstilsyn.core.query_params import query_id, query_week_monday
from sagstilsyn.core.selectors import export_scope_label
from sagstilsyn.core.services.access_log import access_log_record_many
from sagstilsyn.law.calendar import today_local

ALL = "alle"
#: Weeks the week picker offers around the chosen week.
PICKER_WEEKS_BEFORE = 26
PICKER_WEEKS_AFTER = 12
MONTHS_SHORT = ("jan.", "feb.", "mar.", "apr.", "maj", "jun.", "jul.", "aug.", "sep.", "okt.", "nov.", "dec.")


def parse_week(value: str | None, *, today: date) -> date:
    """The Monday of the week given as ISO week ('2025-W03') or a date ('2025-01-15'); else this week.
    A week that cannot exist (2024-W60, 0001-W01) is a 400 (`query_week_monday`)."""
    return query_week_monday(value, name="uge") or week_monday(today)


def iso_week(day: date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def week_label(monday: date) -> str:
    """'Uge 49, 2026' (the ISO week's own year)."""
    year, week, _ = monday.isocalendar()
    return f"Uge {week}, {year}"


def _short(day: date) -> str:
    return f"{day.day}. {MONTHS_SHORT[day.month - 1]}"


@dataclass(frozen=True)
class WeekOption:
    value: str
    label: str
    selected: bool


def week_options(chosen: date, *, today: date) -> list[WeekOption]:
    """The Danish week picker's choices: 'Uge 49, 2026 (30. nov.–6. dec.)', around the chosen week."""
    this_monday = week_monday(today)
    first = min(chosen, this_monday) - timedelta(weeks=PICKER_WEEKS_BEFORE)
    last = max(chosen, this_monday) + timedelta(weeks=PICKER_WEEKS_AFTER)
    options: list[WeekOption] = []
    monday = first
    while monday <= last:
        label = f"{week_label(monday)} ({_short(monday)}–{_short(monday + timedelta(days=6))})"
        if monday == this_monday:
            label += " – denne uge"
        options.append(WeekOption(iso_week(monday), label, monday == chosen))
        monday += timedelta(weeks=1)
    return options


@dataclass(frozen=True)
class Filters:
    week_start: date
    unit_id: int | None
    group: str | None
    group_param: str
    caseworker_id: int | None
    caseworker_param: str
    section: str
    sort: str
    page: int
    without_reason: bool = False

    def query(self, **changes: object) -> str:
        """The query string for these filters with some changed (None drops a parameter)."""
        params: dict[str, object] = {
            "uge": iso_week(self.week_start),
            "enhed": self.unit_id,
            "gruppe": self.group_param,
            "sagsbehandler": self.caseworker_param,
            "afsnit": SECTION_SLUGS.get(self.section),
            "sortering": self.sort,
            "uden_begrundelse": "1" if self.without_reason else None,
        }
        params.update(changes)
        return urlencode({k: v for k, v in params.items() if v not in (None, "")})


def parse_filters(request: HttpRequest, scope: Scope, user: User) -> Filters:
    today = today_local()
    raw_group = request.GET.get("gruppe")
    if raw_group is None:
        # A koordinator or afdelingsleder with a group starts at it; they may widen to the unit.
        default = followup_default_group(user) if leads_units(scope) else None
        group = default
        group_param = default or ""
    elif raw_group in CaseGroup.values:
        group, group_param = raw_group, raw_group
    else:
        group, group_param = None, ALL
    raw = request.GET.get("sagsbehandler")
    if raw is None:
        # Caseworkers start with their own cases; leaders with all their units.
        raw = ALL if leads_units(scope) else str(user.pk)
    caseworker_id = None if raw == ALL else query_id(raw, name="sagsbehandler")
    sort = request.GET.get("sortering") or ""
    return Filters(
        week_start=parse_week(request.GET.get("uge"), today=today),
        unit_id=query_id(request.GET.get("enhed"), name="enhed"),
        group=group,
        group_param=group_param,
        caseworker_id=caseworker_id,
        caseworker_param=ALL if caseworker_id is None else str(caseworker_id),
        section=SECTION_BY_SLUG.get(request.GET.get("afsnit") or "", ""),
        sort=sort if sort in SORT_LABELS else "",
        page=query_id(request.GET.get("side"), name="side") or 1,
        without_reason=request.GET.get("uden_begrundelse") == "1",
    )


def _screen_for(
    request: HttpRequest, *, all_rows: bool = False
) -> tuple[Scope, Filters, FollowupScreen, list[Unit]]:
    user = request.user
    assert isinstance(user, User)  # noqa: S101 - the views require a log-in
    scope = user_scope(user)
    if not can_view_deadlines(scope):
        raise PermissionDenied("Fristopfølgningen viser børns sager; din rolle giver ikke adgang til dem.")
    filters = parse_filters(request, scope, user)
    units = visible_units(scope)
    screen = followup_screen(
        scope=scope,
        week_start=filters.week_start,
        section=filters.section,
        sort=filters.sort,
        page=filters.page,
        unit_id=filters.unit_id,
        group=filters.group,
        caseworker_id=filters.caseworker_id,
        units=units,
        without_reason=filters.without_reason,
        all_rows=all_rows,
    )
    return scope, filters, screen, units


@login_required
def followup(request: HttpRequest) -> HttpResponse:
    scope, filters, screen, units = _screen_for(request)
    assert isinstance(request.user, User)  # noqa: S101
    # The sections the ledelsestilsyn adds (sagsgenopretninger), on the week's overview only.
    extras = (
        []
        if filters.section
        else followup_extra_sections(
            FollowupExtraRequest(
                scope=scope,
                user=request.user,
                week_start=screen.week_start,
                unit_id=filters.unit_id,
                caseworker_id=filters.caseworker_id,
            )
        )
    )
    # Only the rows actually shown are read (the counts name no case).
    shown = [(r.child_id, r.case_id) for r in screen.rows]
    shown += [(r.child_id, r.case_id) for extra in extras for r in extra.rows]
    access_log_record_many(user=request.user, cases=shown, purpose="followup_list")
    unit_ids = [filters.unit_id] if filters.unit_id is not None else [u.pk for u in units]
    today = today_local()
    context = {
        "screen": screen,
        "extra_sections": extras,
        "week": screen,
        "week_label": week_label(screen.week_start),
        "week_options": week_options(screen.week_start, today=today),
        "is_this_week": screen.week_start == week_monday(today),
        "filters": filters,
        "is_leader": leads_units(scope),
        "units": units,
        # One unit or one group chosen: the rows need not repeat it (the table fits a narrower screen).
        "show_unit": filters.unit_id is None and len(units) > 1,
        "show_group": not filters.group,
        "groups": CaseGroup.choices,
        "caseworkers": followup_caseworker_options(unit_ids=unit_ids),
        "no_caseworker": NO_CASEWORKER,
        "all": ALL,
        "sorts": SORT_LABELS.items(),
        "page_size": PAGE_SIZE,
        "previous_query": filters.query(uge=iso_week(screen.week_start - timedelta(days=7)), afsnit=None),
        "next_query": filters.query(uge=iso_week(screen.week_start + timedelta(days=7)), afsnit=None),
        "this_week_query": filters.query(uge=iso_week(week_monday(today)), afsnit=None),
        "overview_query": filters.query(afsnit=None, sortering=None),
        "widen_query": filters.query(gruppe=ALL),
        "xlsx_query": filters.query(),
        "sort_queries": [(key, label, filters.query(sortering=key)) for key, label in SORT_LABELS.items()],
    }
    return render(request, "cases/followup.html", context)


def followup_export_title(
    scope: Scope, filters: Filters, screen: FollowupScreen, *, now: datetime | None = None
) -> str:
    """The export's title row: what (the section or the week's deadlines, the week), for whom (the
    units, the group), as of when, e.g. "Overskredet 8–30 dage, uge 49 2026 · Børnefamilieenheden
    Nørrebro, gruppe børn · udtrukket 30.11.2026 kl. 17.40"."""
    what = SECTION_LABELS[screen.section] if screen.section else "Ugens frister"
    where = export_scope_label(scope, unit_ids=[filters.unit_id] if filters.unit_id is not None else None)
    if filters.group:
        where += f", gruppe {CaseGroup(filters.group).label.lower()}"
    if filters.without_reason:
        what += " uden begrundelse"
    return export_title(f"{what}, uge {screen.week_number} {screen.year}", where, now)


@login_required
def followup_xlsx(request: HttpRequest) -> HttpResponse:
    """The section (or every section) with the page's filters, all rows, as .xlsx (case references,
    never CPR), under a title row: what, for whom, as of when."""
    scope, filters, screen, _ = _screen_for(request, all_rows=True)
    assert isinstance(request.user, User)  # noqa: S101
    access_log_record_many(
        user=request.user, cases=((r.child_id, r.case_id) for r in screen.rows), purpose="followup_xlsx"
    )
    slug = f"-{SECTION_SLUGS[screen.section]}" if screen.section else ""
    return xlsx_response(
        filename=f"frister-{screen.iso_week}{slug}.xlsx",
        title=followup_export_title(scope, filters, screen),
        sheet_title=f"Frister uge {screen.week_number}",
        headers=XLSX_HEADERS,
        rows=followup_export_rows(screen.rows),
    )
