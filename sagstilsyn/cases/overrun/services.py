"""Writes of begrundelser for overskridelse: the caseworker records why a deadline was overrun (and
when it is planned to be done); a line leader acknowledges (kvitterer for) it. Both are audited."""

from __future__ import annotations

from datetime import date, timedelta

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from sagstilsyn.cases.models import Obligation, OverrunReason
from sagstilsyn.cases.overrun.keys import overrun_key
from sagstilsyn.cases.overrun.selectors import is_overrun
from sagstilsyn.core.access import can_acknowledge_overrun, can_record_overrun_reason, user_scope
from sagstilsyn.core.models import User
from sagstilsyn.core.services.audit import audit_record
from sagstilsyn.core.text_hygiene import free_text_problem
from sagstilsyn.law.calendar import today_local

TEXT_MAX = 2000
#: A planned date further ahead than this is surely a typing error.
PLANNED_HORIZON = timedelta(days=366)


class OverrunError(ValueError):
    """A Danish message explaining why a reason or an acknowledgement was refused."""


def _label(obligation: Obligation) -> str:
    return f"{obligation.case.source_ref}: {obligation.rule_id} frist {obligation.due_day:%d.%m.%Y}"


def _check_text(text: str) -> str:
    text = text.strip()
    if not text:
        raise OverrunError("Begrundelse: skriv, hvorfor fristen er overskredet")
    if len(text) > TEXT_MAX:
        raise OverrunError(f"Begrundelse: må højst være {TEXT_MAX} tegn (der er {len(text)})")
    problem = free_text_problem(text, multiline=True)
    if problem is not None:
        raise OverrunError(f"Begrundelse: {problem}")
    return text


def _check_planned(planned_day: date | None, *, today: date) -> None:
    if planned_day is None:
        return
    if planned_day < today:
        raise OverrunError(f"Planlagt udført: {planned_day:%d.%m.%Y} er før i dag; vælg en dato fra i dag")
    if planned_day > today + PLANNED_HORIZON:
        raise OverrunError(f"Planlagt udført: {planned_day:%d.%m.%Y} ligger mere end et år ude")


def overrun_reason_record(
    *, user: User, obligation: Obligation, text: str, planned_day: date | None = None
) -> OverrunReason:
    """Record (or change) the reason an obligation's deadline was overrun, with an optional planned
    date. Only for an overrun deadline, and only by a sagsbehandler or line leader of the case's unit.
    A changed reason must be acknowledged again."""
    case = obligation.case
    if not can_record_overrun_reason(
        user_scope(user), municipality_id=case.municipality_id, unit_id=case.unit_id
    ):
        raise PermissionDenied("Kun sagsbehandlere og ledere i sagens enhed kan begrunde en overskridelse.")
    if not is_overrun(obligation):
        raise OverrunError("Fristen er ikke overskredet, så der er intet at begrunde endnu")
    text = _check_text(text)
    _check_planned(planned_day, today=today_local())
    key = overrun_key(obligation.rule_id, obligation.trigger_event_id, obligation.due_day)
    with transaction.atomic():
        reason = OverrunReason.objects.select_for_update().filter(case=case, obligation_key=key).first()
        before = None
        if reason is None:
            reason = OverrunReason(
                case=case, obligation_key=key, rule_id=obligation.rule_id, due_day=obligation.due_day
            )
        else:
            before = {
                "text": reason.text,
                "planned_day": reason.planned_day.isoformat() if reason.planned_day else None,
                "acknowledged": reason.acknowledged_at is not None,
            }
            if reason.text == text and reason.planned_day == planned_day:
                return reason  # nothing changed: no new event, the acknowledgement stands
        reason.text, reason.planned_day = text, planned_day
        reason.recorded_by, reason.recorded_at = user, timezone.now()
        reason.acknowledged_by, reason.acknowledged_at = None, None
        reason.save()
        audit_record(
            actor=user,
            action="overrun.reason",
            municipality=case.municipality,
            target_type="case",
            target_id=case.pk,
            target_label=_label(obligation),
            before=before,
            after={"text": text, "planned_day": planned_day.isoformat() if planned_day else None},
        )
    return reason


def overrun_reason_acknowledge(*, user: User, obligation: Obligation) -> OverrunReason:
    """A line leader of the case's unit kvitterer for (acknowledges) the recorded reason. Not one's own
    reason: the point is that a second person has seen it."""
    case = obligation.case
    if not can_acknowledge_overrun(
        user_scope(user), municipality_id=case.municipality_id, unit_id=case.unit_id
    ):
        raise PermissionDenied("Kun ledere i sagens enhed kan kvittere for en begrundelse.")
    key = overrun_key(obligation.rule_id, obligation.trigger_event_id, obligation.due_day)
    with transaction.atomic():
        reason = OverrunReason.objects.select_for_update().filter(case=case, obligation_key=key).first()
        if reason is None:
            raise OverrunError("Der er ingen begrundelse at kvittere for endnu")
        if reason.recorded_by_id == user.pk:
            raise OverrunError("Du kan ikke kvittere for din egen begrundelse; en anden leder skal gøre det")
        if reason.acknowledged_at is not None:
            return reason
        reason.acknowledged_by, reason.acknowledged_at = user, timezone.now()
        reason.save(update_fields=["acknowledged_by", "acknowledged_at"])
        audit_record(
            actor=user,
            action="overrun.acknowledge",
            municipality=case.municipality,
            target_type="case",
            target_id=case.pk,
            target_label=_label(obligation),
            before={"acknowledged": False},
            after={"acknowledged": True, "text": reason.text},
        )
    return reason
