"""The identity of an overrun deadline that survives recomputes (`OverrunReason.obligation_key`)."""

from __future__ import annotations

from datetime import date


def overrun_key(rule_id: str, trigger_event_id: int | None, due_day: date) -> str:
    """The obligation's identity within its case: rule, triggering event (empty when the law core
    derived the trigger itself, e.g. the 16th birthday) and due date. A recompute that replaces the
    obligation's row keeps the key; a corrected trigger date gives a new deadline and a new key."""
    trigger = "" if trigger_event_id is None else str(trigger_event_id)
    return f"{rule_id}:{trigger}:{due_day.isoformat()}"
