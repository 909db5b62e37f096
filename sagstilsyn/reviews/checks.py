"""System check: every questionnaire (spørgeskema) in use must load strictly, so a broken questionnaire
file cannot be deployed (supervision-contract.md §1). Runs with `check`, `migrate`, `runserver` and every
command that runs system checks; each problem is one error naming the file. A questionnaire version that
has been answered must still say what it said then (`questionnaire_seals_check`, a database check)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.apps import AppConfig
from django.core import checks
from django.db import DEFAULT_DB_ALIAS, DatabaseError

from sagstilsyn.law import CatalogueError
from sagstilsyn.reviews.questionnaire_store import questionnaires_in_use
from sagstilsyn.reviews.questionnaires import QuestionnaireError
from sagstilsyn.reviews.services.seals import questionnaire_seal_problems

CHECK_ID = "sagstilsyn.E003"
SEAL_CHECK_ID = "sagstilsyn.E004"


def questionnaires_check(
    app_configs: Sequence[AppConfig] | None = None, **kwargs: Any
) -> list[checks.CheckMessage]:
    try:
        questionnaires_in_use()
    except CatalogueError:
        return []  # the catalogue's own check (sagstilsyn.E001) names its problems
    except QuestionnaireError as error:
        return [
            checks.Error(f"Spørgeskemaer: {problem}", hint=f"Ret filen {problem.file}", id=CHECK_ID)
            for problem in error.problems
        ]
    return []


def questionnaire_seals_check(
    app_configs: Sequence[AppConfig] | None = None, databases: Sequence[str] | None = None, **kwargs: Any
) -> list[checks.CheckMessage]:
    """A questionnaire version changed (or gone) after it was answered stops the start. A database check:
    it runs with `migrate` and `check --database default`; without the table there is nothing to compare."""
    if not databases or DEFAULT_DB_ALIAS not in databases:
        return []
    try:
        problems = questionnaire_seal_problems()
    except (DatabaseError, CatalogueError, QuestionnaireError):
        return []  # no table yet, or the file checks above name the problem
    return [
        checks.Error(
            f"Spørgeskemaer: {problem}",
            hint="Læg ændringen i en ny version af spørgeskemaet",
            id=SEAL_CHECK_ID,
        )
        for problem in problems
    ]
