"""Pages of the weekly deadline follow-up: the week's list (with filters) and its Excel export."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from sagstilsyn.cases.followup.selectors import (
    BUCKET_LABELS,
    NEXT_TWO_WEEKS,
    NO_CASEWORKER,
    OVERDUE,
    XLSX_HEADERS,
    FollowupWeek,
    followup_caseworker_options,
    followup_export_rows,
    followup_week,
    visible_units,
    week_monday,
)
from sagstilsyn.core.access import Scope, can_view_deadlines, leads_units, user_scope
from sagstilsyn.core.exports import export_title, xlsx_response
from sagstilsyn.core.models import CaseGroup, Unit, User
from sagstilsyn.core.query_params import query_id, query_week_monday
from sagstilsyn.core.selectors import export_scope_label
from sagstilsyn.core.services.access_log import access_log_record_many
from sagstilsyn.law.calendar import today_local

ALL = "alle"


def parse_week(value: str | None, *, today: date) -> date:
    """The Monday of the week given as ISO week ('2025-W03') or a date ('2025-01-15'); else this week.
    A week that cannot exist (2024-W60, 0001-W01) is a 400 (`query_week_monday`)."""
    return query_week_monday(value, name="uge") or week_monday(today)


@dataclass(frozen=True)
class Filters:
    week_start: date
    unit_id: int | None
    group: str | None
    caseworker_id: int | None
    caseworker_param: str

    def query(self, **changes: object) -> str:
        """The query string for these filters with some changed (None drops a parameter)."""
        year, week, _ = self.week_start.isocalendar()
        params: dict[str, object] = {
            "uge": f"{year}-W{week:02d}",
            "enhed": self.unit_id,
            "gruppe": self.group,
            "sagsbehandler": self.caseworker_param,
        }
        params.update(changes)
        return urlencode({k: v for k, v in params.items() if v not in (None, "")})


def parse_filters(request: HttpRequest, scope: Scope, user: User) -> Filters:
    today = today_local()
    group = request.GET.get("gruppe") or None
    if group is not None and group not in CaseGroup.values:
        group = None
    raw = request.GET.get("sagsbehandler")
    if raw is None:
        # Caseworkers start with their own cases; leaders with all their units.
        raw = ALL if leads_units(scope) else str(user.pk)
    caseworker_id = None if raw == ALL else query_id(raw, name="sagsbehandler")
    return Filters(
        week_start=parse_week(request.GET.get("uge"), today=today),
        unit_id=query_id(request.GET.get("enhed"), name="enhed"),
        group=group,
        caseworker_id=caseworker_id,
        caseworker_param=ALL if caseworker_id is None else str(caseworker_id),
    )


def _week_for(request: HttpRequest) -> tuple[Scope, Filters, FollowupWeek, list[Unit]]:
    user = request.user
    assert isinstance(user, User)  # noqa: S101 - the views require a log-in
    scope = user_scope(user)
    if not can_view_deadlines(scope):
        raise PermissionDenied("Fristopfølgningen viser børns sager; din rolle giver ikke adgang til dem.")
    filters = parse_filters(request, scope, user)
    units = visible_units(scope)
    week = followup_week(
        scope=scope,
        week_start=filters.week_start,
        unit_id=filters.unit_id,
        group=filters.group,
        caseworker_id=filters.caseworker_id,
        units=units,
    )
    return scope, filters, week, units


@login_required
def followup(request: HttpRequest) -> HttpResponse:
    scope, filters, week, units = _week_for(request)
    assert isinstance(request.user, User)  # noqa: S101
    access_log_record_many(
        user=request.user, cases=((r.child_id, r.case_id) for r in week.rows), purpose="followup_list"
    )
    unit_ids = [filters.unit_id] if filters.unit_id is not None else [u.pk for u in units]
    context = {
        "week": week,
        "filters": filters,
        "is_leader": leads_units(scope),
        "units": units,
        "groups": CaseGroup.choices,
        "caseworkers": followup_caseworker_options(unit_ids=unit_ids),
        "no_caseworker": NO_CASEWORKER,
        "previous_query": filters.query(uge=_iso(week.week_start - timedelta(days=7))),
        "next_query": filters.query(uge=_iso(week.week_start + timedelta(days=7))),
        "this_week_query": filters.query(uge=_iso(week_monday(today_local()))),
        "xlsx_query": filters.query(),
        "buckets": [
            ("overdue", BUCKET_LABELS[OVERDUE], week.overdue_rows),
            ("this-week", f"Frist i uge {week.week_number}", week.this_week_rows),
            ("next-two-weeks", BUCKET_LABELS[NEXT_TWO_WEEKS], week.next_two_weeks_rows),
        ],
    }
    return render(request, "cases/followup.html", context)


def _iso(day: date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


@login_required
def followup_xlsx(request: HttpRequest) -> HttpResponse:
    """The rows shown on the page with the same filters, as .xlsx (case references, never CPR)."""
    scope, filters, week, _ = _week_for(request)
    assert isinstance(request.user, User)  # noqa: S101
    access_log_record_many(
        user=request.user, cases=((r.child_id, r.case_id) for r in week.rows), purpose="followup_xlsx"
    )
    return xlsx_response(
        filename=f"frister-{week.iso_week}.xlsx",
        title=export_title(
            f"Frister uge {week.week_number} {week.week_start.isocalendar()[0]}",
            export_scope_label(scope, unit_ids=[filters.unit_id] if filters.unit_id is not None else None),
        ),
        sheet_title=f"Frister uge {week.week_number}",
        headers=XLSX_HEADERS,
        rows=followup_export_rows(week),
    )
