"""Lapsed obligations (kan ikke længere opfyldes): the one definition (ADR 0020).

An obligation that is still due (open, or overdue) *lapses* when it can no longer be met:

- its rule's deadline is a "before the decision" deadline (the catalogue key `lapses_at_deadline`,
  with the Danish reason) and the deadline has passed: the decision is made, a conversation with the
  child afterwards cannot come before it; or
- the case was closed (event type `case_closed`) on or after the day of the obligation's trigger:
  nothing more will be done in that case. An obligation triggered after the closing (the case was
  taken up again) does not lapse by it.

A lapsed obligation keeps its status (an overdue one stays overdue in the compliance figures); it only
leaves the to-do lists and is shown as history on the case. Met, met late and not applicable
obligations never lapse: they are done.
"""

from __future__ import annotations

from datetime import date

from sagstilsyn.law.model import ObligationStatus, Rule

#: The event type that closes a case (sag afsluttet), events.yaml.
CASE_CLOSED = "case_closed"
CASE_CLOSED_REASON = "Sagen er afsluttet, så fristen kan ikke længere opfyldes i sagen."


def obligation_lapse_reason(
    rule: Rule | None,
    *,
    status: str,
    trigger_day: date | None,
    closed_on: date | None,
) -> str | None:
    """Why the obligation can no longer be met (one Danish sentence), or None when it still can.

    `status` is the obligation's status as of now: pass ``overdue`` for an open obligation whose
    deadline has passed (the daily job will mark it so). `closed_on` is the day the case was closed
    (its latest `case_closed` event up to now), None when it is not closed. `trigger_day` is the day of
    the triggering event (None for a derived trigger: then a closing lapses it whenever it came).
    `rule` None (a rule no longer in the catalogue) lapses only by the closing.
    """
    if status not in (ObligationStatus.OPEN, ObligationStatus.OVERDUE):
        return None
    if closed_on is not None and (trigger_day is None or trigger_day <= closed_on):
        return CASE_CLOSED_REASON
    if status == ObligationStatus.OVERDUE and rule is not None and rule.lapses_at_deadline:
        return rule.lapses_at_deadline
    return None


def obligation_lapsed(
    rule: Rule | None,
    *,
    status: str,
    trigger_day: date | None,
    closed_on: date | None,
) -> bool:
    """True when the obligation can no longer be met (`obligation_lapse_reason`)."""
    return (
        obligation_lapse_reason(rule, status=status, trigger_day=trigger_day, closed_on=closed_on) is not None
    )
