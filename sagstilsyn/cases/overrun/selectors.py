"""Reads of begrundelser for overskridelse: by obligation for lists and the case page, and the
obligation an overrun page is about (if the user may open its case)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Protocol

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone

from sagstilsyn.cases.models import Obligation, OverrunReason
from sagstilsyn.cases.overrun.keys import overrun_key
from sagstilsyn.core.access import Scope, can_list_cases, can_view_case
from sagstilsyn.core.models import User
from sagstilsyn.law.calendar import COPENHAGEN, deadline_passed
from sagstilsyn.law.model import ObligationStatus

ReasonKey = tuple[int, str]


class ObligationLike(Protocol):
    """What `overrun_reasons_for` needs of a listed obligation (a model row or a list's row)."""

    @property
    def case_id(self) -> int: ...
    @property
    def rule_id(self) -> str: ...
    @property
    def trigger_event_id(self) -> int | None: ...
    @property
    def due_day(self) -> date: ...


def _name(user: User | None) -> str:
    return user.display_name if user is not None else ""


@dataclass(frozen=True, slots=True)
class OverrunReasonView:
    """A begrundelse for overskridelse as lists and pages show it."""

    text: str
    planned_day: date | None
    recorded_by_name: str
    recorded_at: datetime
    acknowledged_by_name: str
    acknowledged_at: datetime | None

    @property
    def acknowledged(self) -> bool:
        """Kvitteret: a leader has seen the reason."""
        return self.acknowledged_at is not None

    @property
    def summary(self) -> str:
        """One short Danish line for a table cell: the reason (cut), the planned date, the state."""
        text = self.text if len(self.text) <= 80 else self.text[:79] + "…"
        parts = [text]
        if self.planned_day is not None:
            parts.append(f"planlagt {self.planned_day:%d.%m.%Y}")
        parts.append("kvitteret" if self.acknowledged else "ikke kvitteret")
        return " · ".join(parts)


def overrun_view(reason: OverrunReason) -> OverrunReasonView:
    return OverrunReasonView(
        text=reason.text,
        planned_day=reason.planned_day,
        recorded_by_name=_name(reason.recorded_by),
        recorded_at=reason.recorded_at,
        acknowledged_by_name=_name(reason.acknowledged_by),
        acknowledged_at=reason.acknowledged_at,
    )


def reason_key(row: ObligationLike) -> ReasonKey:
    return (row.case_id, overrun_key(row.rule_id, row.trigger_event_id, row.due_day))


def overrun_reasons_for(rows: Iterable[ObligationLike]) -> dict[ReasonKey, OverrunReasonView]:
    """The reasons recorded for these obligations, by `reason_key` (one query; look up with
    `reason_for`). Obligations without a reason are absent."""
    keys = {reason_key(row) for row in rows}
    if not keys:
        return {}
    case_ids = sorted({case_id for case_id, _ in keys})
    found: dict[ReasonKey, OverrunReasonView] = {}
    queryset = OverrunReason.objects.filter(
        case_id__in=case_ids, obligation_key__in=sorted({key for _, key in keys})
    ).select_related("recorded_by", "acknowledged_by")
    for reason in queryset:
        key = (reason.case_id, reason.obligation_key)
        if key in keys:
            found[key] = overrun_view(reason)
    return found


def reason_for(
    reasons: Mapping[ReasonKey, OverrunReasonView], row: ObligationLike
) -> OverrunReasonView | None:
    """The reason recorded for `row` among `reasons` (from `overrun_reasons_for`), or None."""
    return reasons.get(reason_key(row))


def overrun_reason_get(obligation: Obligation) -> OverrunReason | None:
    """The stored reason of one obligation, or None."""
    key = overrun_key(obligation.rule_id, obligation.trigger_event_id, obligation.due_day)
    return (
        OverrunReason.objects.select_related("recorded_by", "acknowledged_by")
        .filter(case_id=obligation.case_id, obligation_key=key)
        .first()
    )


def is_overrun(obligation: Obligation, *, now: datetime | None = None) -> bool:
    """The deadline was overrun: overskredet, overholdt for sent, or still open with its deadline passed
    (`deadline_passed`, as the daily job will mark it)."""
    if obligation.status in (ObligationStatus.OVERDUE, ObligationStatus.MET_LATE):
        return True
    if obligation.status != ObligationStatus.OPEN:
        return False
    due = obligation.due_at if obligation.due_at is not None else obligation.due_day
    return deadline_passed(due, now or timezone.now())


def days_overrun(obligation: Obligation, *, today: date) -> int:
    """Days past the deadline: until it was met (overholdt for sent) or until today."""
    if obligation.status == ObligationStatus.MET_LATE and obligation.satisfied_event is not None:
        end = obligation.satisfied_event.day
    else:
        end = today
    return max((end - obligation.due_day).days, 0)  # due_day: the deadline's Danish date, hours too


def overrun_obligation_get(*, scope: Scope, obligation_id: int) -> Obligation:
    """The obligation, if the user may open its case: 403 for a role that opens no cases, 404 for one
    outside the user's units (as for one that does not exist, ADR 0017)."""
    if not can_list_cases(scope):
        raise PermissionDenied("Din rolle giver ikke adgang til sager.")
    obligation = (
        Obligation.objects.select_related(
            "case", "case__unit", "case__caseworker", "rule_version", "trigger_event", "satisfied_event"
        )
        .filter(pk=obligation_id)
        .first()
    )
    if obligation is None or not can_view_case(
        scope, municipality_id=obligation.case.municipality_id, unit_id=obligation.case.unit_id
    ):
        raise Http404("Fristen findes ikke, eller du har ikke adgang til den.")
    return obligation


OVERRUN_XLSX_HEADERS: tuple[str, ...] = (
    "Begrundelse for overskridelse",
    "Planlagt udført",
    "Begrundet af",
    "Kvitteret af",
    "Kvitteret",
)


def overrun_xlsx_cells(view: OverrunReasonView | None) -> tuple[object, ...]:
    """The reason's cells for a spreadsheet row (`OVERRUN_XLSX_HEADERS`); empty cells without one."""
    if view is None:
        return ("", None, "", "", None)
    acknowledged = view.acknowledged_at.astimezone(COPENHAGEN) if view.acknowledged_at else None
    return (view.text, view.planned_day, view.recorded_by_name, view.acknowledged_by_name, acknowledged)
