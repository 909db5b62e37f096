"""Obligations (forpligtelser) as the law core judges them on a day, from the stored events (reads only)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import date

from sagstilsyn.cases.store import case_store
from sagstilsyn.core.selectors import catalogue_get
from sagstilsyn.law import Catalogue, evaluate
from sagstilsyn.law import model as law
from sagstilsyn.law.engine import AsOf


def obligations_judged(
    *,
    case_ids: Iterable[int],
    events: Mapping[int, list[law.Event]],
    birth_of: Mapping[int, date | None],
    as_of: date | AsOf,
    catalogue: Catalogue,
) -> Iterator[tuple[int, law.Obligation]]:
    """The cases' obligations as the law core judges them on `as_of`, from events and birth dates
    already read (no query), with each case's id."""
    for case_id in case_ids:
        for item in evaluate(
            events.get(case_id, []),
            as_of=as_of,
            catalogue=catalogue,
            validate=False,
            birth_date=birth_of.get(case_id),
        ):
            yield case_id, item


def obligations_evaluate(*, case_ids: Sequence[int], as_of: date) -> Iterator[tuple[int, law.Obligation]]:
    """The cases' obligations as the law core judges them on `as_of`, from their stored events and
    their children's birth dates, with each case's id: nothing is read from the stored obligations and
    nothing is written."""
    store = case_store()
    _, birth_of = store.case_facts(case_ids)
    yield from obligations_judged(
        case_ids=case_ids,
        events=store.events_by_case(case_ids),
        birth_of=birth_of,
        as_of=as_of,
        catalogue=catalogue_get(),
    )
