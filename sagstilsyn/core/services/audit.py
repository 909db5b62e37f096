"""The revisionsspor (audit trail): every service writes one AuditEvent (who, what, to whom, old → new).

Each event is appended to its municipality's hash chain (`chain_append`, ADR 0018), so that an altered,
deleted or inserted row is found by `sagstilsyn audit verify`. A service that audits many objects at
once (the cases an import moves) builds them with `audit_event_build` and writes them in one append
with `audit_record_many`."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.utils import timezone

from sagstilsyn.core.models import AuditEvent, Municipality, User
from sagstilsyn.core.services.chain import chain_append


def audit_event_build(
    *,
    actor: User | None,
    action: str,
    municipality: Municipality | None = None,
    target_type: str = "",
    target_id: object = "",
    target_label: str = "",
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    actor_label: str | None = None,
) -> AuditEvent:
    """One audit event, not yet written. `actor` None means the system (a command or a scheduled job)."""
    label = actor_label or (actor.username if actor is not None else "system")
    return AuditEvent(
        at=timezone.now(),
        actor=actor,
        actor_label=label,
        municipality=municipality,
        action=action,
        target_type=target_type,
        target_id=str(target_id),
        target_label=target_label,
        before=before,
        after=after,
    )


def audit_record(
    *,
    actor: User | None,
    action: str,
    municipality: Municipality | None = None,
    target_type: str = "",
    target_id: object = "",
    target_label: str = "",
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    actor_label: str | None = None,
) -> AuditEvent:
    """Write one audit event. `actor` None means the system (a command or a scheduled job)."""
    event = audit_event_build(
        actor=actor,
        action=action,
        municipality=municipality,
        target_type=target_type,
        target_id=target_id,
        target_label=target_label,
        before=before,
        after=after,
        actor_label=actor_label,
    )
    chain_append([event])
    return event


def audit_record_many(events: Iterable[AuditEvent]) -> int:
    """Write audit events built by `audit_event_build`, in their order, in one append; how many."""
    written = list(events)
    chain_append(written)
    return len(written)
