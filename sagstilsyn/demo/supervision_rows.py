"""Writing the demo's supervision history fast: plain INSERTs instead of `bulk_create`.

Four years of supervision are ~170,000 frame rows (rammen: every case open when a sample was drawn),
~45,000 answers and ~40,000 other rows. Compiling `bulk_create`'s SQL per object costs more than all the
rest of the history, so the rows are written with one `executemany` per table, with the values the model
fields store (dates, times and JSON through the database backend's own adapters), and the new ids read
back in the order written (one transaction, one writer: ids grow in that order).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from django.db import connection
from django.db.models import DateField, DateTimeField, Field, ForeignKey, JSONField, Model
from django.utils import timezone

from sagstilsyn.core.store.rows import rows_insert
from sagstilsyn.demo.supervision_reviews import AnswerRow
from sagstilsyn.reviews.models import Answer, SampleFrameCase

ANSWER_FIELDS = (
    "review",
    "question",
    "answer",
    "note",
    "suggested_answer",
    "suggestion_basis",
    "answered_at",
)


def _converter(field: Field[Any, Any]) -> Callable[[Any], Any] | None:
    """How a field's value becomes the database's (None: as it is)."""
    if isinstance(field, DateTimeField):
        return connection.ops.adapt_datetimefield_value
    if isinstance(field, DateField):
        return connection.ops.adapt_datefield_value
    if isinstance(field, JSONField):
        return lambda value: field.get_db_prep_save(value, connection)
    return None


def objects_insert(objects: Sequence[Model]) -> None:
    """Write unsaved model instances of one model, as `bulk_create` would, and set their ids: a foreign
    key set to an object saved since takes its id, `auto_now` fields take the time of the call."""
    if not objects:
        return
    model = type(objects[0])
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    now = timezone.now()
    specs = [
        (
            field.attname,
            field.name if isinstance(field, ForeignKey) else None,
            getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False),
            _converter(field),
        )
        for field in fields
    ]
    rows = []
    for obj in objects:
        values = obj.__dict__
        cache = obj._state.fields_cache
        row = []
        for attname, relation, auto, convert in specs:
            value = values.get(attname)
            if relation is not None and value is None and cache.get(relation) is not None:
                value = values[attname] = cache[relation].pk
            elif auto:
                value = values[attname] = now
            row.append(value if convert is None or value is None else convert(value))
        rows.append(tuple(row))
    ids = rows_insert(model, [f.name for f in fields], rows)
    for obj, pk in zip(objects, ids, strict=True):
        obj.pk = pk
        obj._state.adding = False


def frame_insert(rows: list[tuple[int, int, str, float]]) -> None:
    """Frame rows as (sample id, case id, stratum, risk weight)."""
    rows_insert(SampleFrameCase, ("sample", "case", "stratum", "risk_weight"), rows, ids=False)  # type: ignore[arg-type]


def answers_insert(answers: list[AnswerRow]) -> None:
    """Write the answers (their reviews saved) and set each one's `pk`."""
    moment = connection.ops.adapt_datetimefield_value
    ids = rows_insert(
        Answer,
        ANSWER_FIELDS,
        [
            (
                a.review.pk,
                a.question,
                a.answer,
                a.note,
                a.suggested_answer,
                a.suggestion_basis,
                moment(a.answered_at),
            )
            for a in answers
        ],
    )
    for answer, pk in zip(answers, ids, strict=True):
        answer.pk = pk
