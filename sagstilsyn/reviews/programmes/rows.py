"""Which rows of a sample belong to its draw (issue 13 §1, ADR 0029).

A hand-picked row (håndplukket sag) was added by an administrator, not drawn: it has no key, its inclusion
probability and design weight are 0, and it is never part of a unit's rate. A redraw (`samples verify`,
the sample page's "Genudtræk og sammenlign") and the contract's export leave it out: `rows_for_verify`.
"""

from __future__ import annotations

from django.db.models import QuerySet

from sagstilsyn.reviews.models import SampleRow

#: How a hand-picked row is shown (its status stays "drawn": the contract knows no other).
HAND_PICKED_LABEL = "Håndplukket"


def rows_for_verify(rows: QuerySet[SampleRow]) -> QuerySet[SampleRow]:
    """The rows a redraw must give again: every row but the hand-picked ones."""
    return rows.filter(hand_picked=False)
