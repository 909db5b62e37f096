"""Obligations (forpligtelser) stored per case, recomputed from the case's events by the law core.

`obligations_recompute` runs inside the caller's transaction, so a change to a case's events and the
recomputation of its obligations are committed together or not at all.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from datetime import date, datetime

from django.db import transaction
from django.utils import timezone

from sagstilsyn.cases.models import CaseEvent, Obligation, ObligationStatus
from sagstilsyn.core.models import Municipality, User
from sagstilsyn.core.selectors import catalogue_get
from sagstilsyn.core.services.audit import audit_record
from sagstilsyn.law import Event, evaluate
from sagstilsyn.law.calendar import COPENHAGEN, local_date

EVENT_FIELDS = ("id", "case_id", "type", "day", "instant", "attrs")


def today() -> date:
    """Today in Danish time."""
    return timezone.now().astimezone(COPENHAGEN).date()


def law_event(row: dict[str, object]) -> Event:
    """A stored event as the law core's Event (its id is the database id, as text)."""
    instant = row["instant"]
    at = instant.astimezone(COPENHAGEN) if isinstance(instant, datetime) else row["day"]
    attrs = row["attrs"] if isinstance(row["attrs"], dict) else {}
    return Event(str(row["type"]), at, attrs, str(row["id"]))  # type: ignore[arg-type]


def _events_by_case(case_ids: list[int]) -> dict[int, list[Event]]:
    grouped: dict[int, list[Event]] = defaultdict(list)
    rows = (
        CaseEvent.objects.filter(case_id__in=case_ids).order_by("case_id", "day", "id").values(*EVENT_FIELDS)
    )
    for row in rows.iterator(chunk_size=5000):
        grouped[int(row["case_id"])].append(law_event(row))
    return grouped


def _chunks(items: list[int], size: int) -> Iterator[list[int]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def obligations_compute_rows(*, case_ids: list[int], as_of: date, computed_at: datetime) -> list[Obligation]:
    """Unsaved Obligation rows for the cases, computed by the law core from their stored events."""
    catalogue = catalogue_get()
    rows: list[Obligation] = []
    events = _events_by_case(case_ids)
    for case_id in case_ids:
        for item in evaluate(events.get(case_id, []), as_of=as_of, catalogue=catalogue, validate=False):
            due = item.due
            rows.append(
                Obligation(
                    case_id=case_id,
                    rule_id=item.rule_id,
                    rule_title=item.title,
                    rule_kind=item.kind,
                    statutory=item.statutory,
                    law=item.law,
                    rule_valid_from=item.valid_from,
                    citations=[
                        {"label": c.label, "url": c.url, "verified": c.verified} for c in item.citations
                    ],
                    catalogue_version=item.catalogue_version,
                    trigger_event_id=int(item.trigger.id or 0),
                    due_day=local_date(due),
                    due_at=due if isinstance(due, datetime) else None,
                    status=item.status,
                    satisfied_event_id=int(item.satisfied_by.id)
                    if item.satisfied_by and item.satisfied_by.id
                    else None,
                    released_event_id=int(item.released_by.id)
                    if item.released_by and item.released_by.id
                    else None,
                    period_start=item.period_start,
                    required_count=item.required_count,
                    explanation=item.explanation,
                    warnings=list(item.warnings),
                    judged_on=as_of,
                    computed_at=computed_at,
                )
            )
    return rows


def obligations_recompute(
    *,
    case_ids: Iterable[int],
    actor: User | None = None,
    municipality: Municipality | None = None,
    as_of: date | None = None,
    reason: str = "",
    chunk_size: int = 2000,
    progress: Callable[[int, int], None] | None = None,
) -> int:
    """Replace the stored obligations of the cases with freshly computed ones; returns how many."""
    ids = sorted(set(case_ids))
    judged_on = as_of or today()
    computed_at = timezone.now()
    total = 0
    with transaction.atomic():
        for done, chunk in enumerate(_chunks(ids, chunk_size), start=1):
            rows = obligations_compute_rows(case_ids=chunk, as_of=judged_on, computed_at=computed_at)
            Obligation.objects.filter(case_id__in=chunk).delete()
            Obligation.objects.bulk_create(rows, batch_size=5000)
            total += len(rows)
            if progress is not None:
                progress(min(done * chunk_size, len(ids)), len(ids))
        audit_record(
            actor=actor,
            action="obligations.recompute",
            municipality=municipality,
            target_type="case",
            target_id=ids[0] if len(ids) == 1 else "",
            target_label=f"{len(ids)} sager",
            after={
                "cases": len(ids),
                "obligations": total,
                "judged_on": judged_on.isoformat(),
                "reason": reason,
            },
        )
    return total


def obligations_mark_overdue(*, as_of: date | None = None, actor: User | None = None) -> int:
    """The daily job: open obligations whose deadline has passed become overdue; returns how many."""
    day = as_of or today()
    now = timezone.now()
    with transaction.atomic():
        by_day = Obligation.objects.filter(status=ObligationStatus.OPEN, due_at__isnull=True, due_day__lt=day)
        by_instant = Obligation.objects.filter(
            status=ObligationStatus.OPEN, due_at__isnull=False, due_at__lt=now
        )
        changed = by_day.update(status=ObligationStatus.OVERDUE, judged_on=day)
        changed += by_instant.update(status=ObligationStatus.OVERDUE, judged_on=day)
        audit_record(
            actor=actor,
            action="obligations.mark_overdue",
            after={"changed": changed, "judged_on": day.isoformat()},
        )
    return changed
