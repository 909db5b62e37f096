"""The revisionsspor (audit trail): every service writes one AuditEvent (who, what, to whom, old → new).

Each event is appended to its municipality's hash chain (`chain_append`, ADR 0018), so that an altered,
deleted or inserted row is found by `sagstilsyn audit verify`."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from sagstilsyn.core.models import AuditEvent, Municipality, User
from sagstilsyn.core.services.chain import chain_append


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
    label = actor_label or (actor.username if actor is not None else "system")
    event = AuditEvent(
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
    chain_append([event])
    return event
