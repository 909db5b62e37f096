"""The page Usædvanlig adgang and its Excel export: the databeskyttelsesrådgiver only
(`can_review_access`), their own municipality's access log over a chosen period, with the check of the
audit chains. Both are access-logged themselves (they name staff users and case numbers)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from sagstilsyn.cases.access_review.selectors import (
    EXPORT_HEADERS,
    MAX_DAYS,
    unusual_access,
    unusual_access_export_rows,
)
from sagstilsyn.core.access import Scope, can_review_access, user_scope
from sagstilsyn.core.chain_check import audit_chain_last_run, audit_chain_rows, audit_chain_verify
from sagstilsyn.core.danish_dates import DANISH_DATE_EXAMPLE, danish_date
from sagstilsyn.core.exports import export_title, xlsx_response
from sagstilsyn.core.selectors import export_scope_label
from sagstilsyn.core.services.access_log import access_log_record
from sagstilsyn.core.text_hygiene import safe_text
from sagstilsyn.law.calendar import today_local

DENIED = "Kun databeskyttelsesrådgiveren kan se usædvanlig adgang."
DEFAULT_DAYS = 7


@dataclass(frozen=True)
class Period:
    start: date
    end: date
    error: str = ""

    @property
    def query(self) -> str:
        return urlencode({"fra": self.start.isoformat(), "til": self.end.isoformat()})


def _day(value: str | None, name: str) -> tuple[date | None, str]:
    if not value:
        return None, ""
    try:
        return danish_date(value), ""
    except ValueError:
        shown = safe_text(value.strip(), limit=20)  # a CPR number masked, a control character as U+…
        return None, f"Feltet '{name}': '{shown}' er ikke en dato (skriv den som fx {DANISH_DATE_EXAMPLE})."


def parse_period(request: HttpRequest) -> Period:
    """The period from ?fra=&til= (dates, both included); the last seven days by default. A wrong value
    gives the default period and a Danish error naming the field."""
    today = today_local()
    default = Period(today - timedelta(days=DEFAULT_DAYS - 1), today)
    start, start_error = _day(request.GET.get("fra"), "fra")
    end, end_error = _day(request.GET.get("til"), "til")
    if start_error or end_error:
        return Period(default.start, default.end, start_error or end_error)
    end = end or today
    start = start or end - timedelta(days=DEFAULT_DAYS - 1)
    if start > end:
        return Period(default.start, default.end, "Feltet 'fra' skal ligge før eller på 'til'.")
    if (end - start).days + 1 > MAX_DAYS:
        return Period(default.start, default.end, f"Perioden må højst være {MAX_DAYS} dage.")
    return Period(start, end)


def _require_reviewer(request: HttpRequest) -> Scope:
    scope = user_scope(request.user)
    if not can_review_access(scope):
        raise PermissionDenied(DENIED)
    return scope


@login_required
@require_GET
def unusual_access_page(request: HttpRequest) -> HttpResponse:
    scope = _require_reviewer(request)
    period = parse_period(request)
    report = unusual_access(scope=scope, start=period.start, end=period.end)
    access_log_record(user=request.user, purpose="unusual_access", municipality_id=scope.municipality_id)
    assert scope.municipality_id is not None  # noqa: S101 - can_review_access asks for one
    rows = audit_chain_rows(municipality_id=scope.municipality_id)
    long_chains = rows > settings.AUDIT_PAGE_CHECK_ROWS
    context = {
        "municipality": getattr(request.user, "municipality", None),
        "period": period,
        "report": report,
        "chain_rows": rows,
        # Short chains are checked here; long ones by the daily job, whose latest run is shown.
        "chains": None if long_chains else audit_chain_verify(municipality_id=scope.municipality_id),
        "last_run": audit_chain_last_run(municipality_id=scope.municipality_id) if long_chains else None,
    }
    return render(request, "cases/unusual_access.html", context, status=400 if period.error else 200)


@login_required
@require_GET
def unusual_access_xlsx(request: HttpRequest) -> HttpResponse:
    scope = _require_reviewer(request)
    period = parse_period(request)
    report = unusual_access(scope=scope, start=period.start, end=period.end)
    access_log_record(user=request.user, purpose="unusual_access_xlsx", municipality_id=scope.municipality_id)
    return xlsx_response(
        filename=f"usaedvanlig-adgang-{period.start.isoformat()}-{period.end.isoformat()}.xlsx",
        title=export_title(
            f"Usædvanlig adgang {period.start:%d.%m.%Y}–{period.end:%d.%m.%Y}", export_scope_label(scope)
        ),
        sheet_title="Usædvanlig adgang",
        headers=EXPORT_HEADERS,
        rows=unusual_access_export_rows(report),
    )
