"""The cases app's Celery tasks (ADR 0015), found by the worker in this module. Each takes ids and codes
only; what it works on is read from the database.

- ``sagstilsyn.cases.import_job_run``: an upload's import (the file waits in its ImportJob row); defined
  beside the import jobs in `sagstilsyn.cases.importing.jobs`.
- ``sagstilsyn.cases.obligations_recompute``: recompute and store one municipality's obligations (what
  `sagstilsyn obligations recompute` does), e.g. after a catalogue change.

A later app's task (a sample draw, a report) is one more function registered the same way in its own
``tasks.py`` and submitted with `queue_submit`.
"""

from __future__ import annotations

from datetime import date

from sagstilsyn.cases.importing.jobs import import_job_task
from sagstilsyn.cases.models import Case
from sagstilsyn.cases.services.obligations import obligations_recompute
from sagstilsyn.core.models import Municipality
from sagstilsyn.core.queue.app import app

__all__ = ["import_job_task", "obligations_recompute_task"]


def _obligations_recompute(municipality_code: str, as_of: str | None = None) -> int:
    municipality = Municipality.objects.get(code=municipality_code)
    ids = list(Case.objects.filter(municipality=municipality).values_list("id", flat=True))
    if not ids:
        return 0
    return obligations_recompute(
        case_ids=ids,
        municipality=municipality,
        as_of=date.fromisoformat(as_of) if as_of else None,
        reason="baggrundsopgave: genberegning",
    )


obligations_recompute_task = app.task(name="sagstilsyn.cases.obligations_recompute")(_obligations_recompute)
