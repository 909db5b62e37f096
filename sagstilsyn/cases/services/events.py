"""Recording case facts (hændelser) from a case system: the shared core of file import and the API.

`events_record` validates every input first and writes nothing if anything is wrong (all or nothing,
with every bad row named). It is idempotent: recording the same events again changes nothing. Cases and
children not seen before are created; a case whose unit, group or caseworker changed moves. The
obligations of every case whose events changed are recomputed in the same transaction.

The steps live in their own modules: `event_inputs` (the inputs and their validation),
`event_upsert` (children, cases and events written), `obligations` (the recompute).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import asdict
from datetime import date

from django.db import transaction
from django.utils import timezone

from sagstilsyn.cases.services.event_inputs import EventInput, EventsRejected, EventsResult, inputs_check
from sagstilsyn.cases.services.event_upsert import (
    case_placement,
    cases_upsert,
    children_upsert,
    events_upsert,
    fresh_cases,
)
from sagstilsyn.cases.services.obligations import obligations_recompute
from sagstilsyn.cases.store import case_store
from sagstilsyn.core.models import Municipality, User
from sagstilsyn.core.services.audit import audit_event_build, audit_record, audit_record_many


def events_record(
    *,
    municipality: Municipality,
    inputs: Sequence[EventInput],
    source: str,
    actor: User | None = None,
    dry_run: bool = False,
    actor_label: str | None = None,
    as_of: date | None = None,
    progress: Callable[[int, int], None] | None = None,
    wait_seconds: float | None = None,
) -> EventsResult:
    """Validate and record events; raise EventsRejected (writing nothing) if any row is wrong.

    Obligations are judged on `as_of` (default today); `progress(done, total)` follows the recompute.
    With `wait_seconds`, raise CasesBusy (writing nothing) rather than wait longer for another writer
    to the municipality (an API call behind a long import).
    """
    store = case_store()
    result = EventsResult(rows=len(inputs), dry_run=dry_run)
    now = timezone.now()
    with transaction.atomic(), store.bulk_work():
        # Another writer to the municipality's cases finishes first; then everything below reads
        # what it wrote (ADR 0013), so no update is lost and no new case is created twice.
        store.lock_municipalities([municipality.pk], wait_seconds=wait_seconds)
        checked = inputs_check(municipality=municipality, inputs=inputs)
        if checked.errors:
            raise EventsRejected(checked.errors)
        children = children_upsert(municipality=municipality, inputs=inputs, result=result)
        cases = cases_upsert(
            municipality=municipality,
            inputs=inputs,
            children=children.by_ref,
            units=checked.units,
            users=checked.users,
            now=now,
            result=result,
        )
        written = events_upsert(
            municipality=municipality,
            inputs=inputs,
            cases=cases.by_ref,
            source=source,
            now=now,
            result=result,
        )
        # A new case, a changed event and a new birth date (the 16th birthday moves) change obligations.
        touched = {case.pk for case in cases.new} | written.touched
        touched |= store.case_ids_of_children(sorted(children.born))
        result.cases_recomputed = len(touched)
        if touched:
            result.obligations = obligations_recompute(
                case_ids=touched,
                actor=actor,
                municipality=municipality,
                reason=f"import fra {source}",
                as_of=as_of,
                progress=progress,
                fresh=fresh_cases(
                    municipality=municipality, source=source, new_cases=cases.new, written=written
                ),
            )
        audit_record_many(  # one append to the audit chain for every moved case (ADR 0018)
            audit_event_build(
                actor=actor,
                actor_label=actor_label,
                action="case.move",
                municipality=municipality,
                target_type="case",
                target_id=case.pk,
                target_label=case.source_ref,
                before=before,
                after=case_placement(case),
            )
            for case, before in cases.moved
        )
        audit_record(
            actor=actor,
            actor_label=actor_label,
            action="events.record",
            municipality=municipality,
            target_type="source",
            target_id=source,
            target_label=f"{len(inputs)} hændelser fra {source}",
            after=asdict(result),
        )
        if dry_run:
            transaction.set_rollback(True)
    return result
