"""Obligations (forpligtelser) as the law core judges them on a day, from the stored events (reads only)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import date

from sagstilsyn.cases.store import case_store
from sagstilsyn.core.selectors import catalogue_get
from sagstilsyn.law import evaluate
from sagstilsyn.law import model as law


def obligations_evaluate(*, case_ids: Sequence[int], as_of: date) -> Iterator[tuple[int, law.Obligation]]:
    """The cases' obligations as the law core judges them on `as_of`, from their stored events and
    their children's birth dates, with each case's id: nothing is read from the stored obligations and
    nothing is written."""
    store = case_store()
    events = store.events_by_case(case_ids)
    _, birth_of = store.case_facts(case_ids)
    catalogue = catalogue_get()
    for case_id in case_ids:
        for item in evaluate(
            events.get(case_id, []),
            as_of=as_of,
            catalogue=catalogue,
            validate=False,
            birth_date=birth_of.get(case_id),
        ):
            yield case_id, item
