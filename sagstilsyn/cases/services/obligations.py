"""Obligations (forpligtelser) stored per case, recomputed from the case's events by the law core.

`obligations_recompute` runs inside the caller's transaction, so a change to a case's events and the
recomputation of its obligations are committed together or not at all. Its steps: record the
catalogue's rule versions (ADR 0008) → write the differences (`recompute.recompute_write`, ADR 0007,
0009) → audit.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import date, datetime

from django.db import transaction
from django.utils import timezone

from sagstilsyn.cases.models import Obligation
from sagstilsyn.cases.services.recompute import FreshCase, recompute_write
from sagstilsyn.cases.services.rule_versions import rule_versions_record
from sagstilsyn.cases.store import case_store
from sagstilsyn.core.models import Municipality, User
from sagstilsyn.core.selectors import catalogue_get
from sagstilsyn.core.services.audit import audit_record
from sagstilsyn.law.calendar import Cutoff
from sagstilsyn.law.engine import AsOf
from sagstilsyn.law.model import ObligationStatus


def obligations_recompute(
    *,
    case_ids: Iterable[int],
    actor: User | None = None,
    municipality: Municipality | None = None,
    as_of: date | None = None,
    reason: str = "",
    chunk_size: int = 2000,
    progress: Callable[[int, int], None] | None = None,
    fresh: Mapping[int, FreshCase] | None = None,
) -> int:
    """Bring the stored obligations of the cases in line with the law core; returns how many they have.

    Obligations are judged on `as_of` (a date: the end of that day), by default now.

    Only differences are written (ADR 0007): a stored row whose content equals a computed obligation is
    kept, with its id and the day its status was judged; other stored rows are deleted and the missing
    ones inserted. The catalogue's rule versions are recorded first (ADR 0008). The result equals
    deleting and inserting everything, except `judged_on` and `computed_at`, which tell when each
    row's content was last decided.

    `fresh` holds cases the caller created in this transaction, with their events (ADR 0009); they are
    computed from memory. `progress(done, total)` counts cases: fresh ones when computed, the others
    when written.
    """
    ids = sorted(set(case_ids))
    # Without `as_of`, judged now (AsOf.stored_at): today's events are known, and a clock-hour deadline
    # later today is still open rather than overdue before its hour.
    point = AsOf.of(as_of) if as_of is not None else AsOf.stored_at(timezone.now())
    judged_on = point.day
    catalogue = catalogue_get()
    done = 0

    def report(cases: int) -> None:
        nonlocal done
        done += cases
        if progress is not None:
            progress(done, len(ids))

    store = case_store()
    with transaction.atomic(), store.bulk_work():
        # Writers to the same municipalities wait for each other (ADR 0013): the events read below
        # are then the committed ones, and the rows written are not overwritten by a stale recompute.
        store.lock_municipalities(
            [municipality.pk] if municipality is not None else store.municipalities_of_cases(ids)
        )
        version_ids = rule_versions_record(catalogue=catalogue, actor=actor)
        count = recompute_write(
            case_ids=ids,
            fresh=fresh or {},
            as_of=point,
            computed_at=timezone.now(),
            catalogue=catalogue,
            version_ids=version_ids,
            chunk_size=chunk_size,
            report=report,
        )
        audit_record(
            actor=actor,
            action="obligations.recompute",
            municipality=municipality,
            target_type="case",
            target_id=ids[0] if len(ids) == 1 else "",
            target_label=f"{len(ids)} sager",
            after={
                "cases": len(ids),
                "obligations": count.computed,
                "kept": count.kept,
                "written": count.written,
                "removed": count.removed,
                "judged_on": judged_on.isoformat(),
                "reason": reason,
            },
        )
    return count.computed


def obligations_mark_overdue(
    *,
    as_of: date | datetime | None = None,
    actor: User | None = None,
    municipality: Municipality | None = None,
) -> int:
    """The daily job: open obligations whose deadline has passed become overdue; returns how many.

    "Passed" is the law core's `deadline_passed` on `as_of` (an aware datetime: that moment; a date:
    the end of that day, as the engine judges it; None: now), applied in the database through the
    two limits of its `Cutoff`. With `municipality`, only that municipality's obligations (each
    municipality's run stands apart).
    """
    cutoff = Cutoff.at(as_of if as_of is not None else timezone.now())
    day = cutoff.day
    with transaction.atomic():
        if municipality is not None:  # not while an import of the municipality recomputes (ADR 0013)
            case_store().lock_municipalities([municipality.pk])
        open_ = Obligation.objects.filter(status=ObligationStatus.OPEN)
        if municipality is not None:
            open_ = open_.filter(case__municipality=municipality)
        by_day = open_.filter(due_at__isnull=True, due_day__lt=cutoff.day)
        by_instant = open_.filter(due_at__isnull=False, due_at__lt=cutoff.instant)
        changed = by_day.update(status=ObligationStatus.OVERDUE, judged_on=day)
        changed += by_instant.update(status=ObligationStatus.OVERDUE, judged_on=day)
        audit_record(
            actor=actor,
            action="obligations.mark_overdue",
            municipality=municipality,
            after={"changed": changed, "judged_on": day.isoformat()},
        )
    return changed
