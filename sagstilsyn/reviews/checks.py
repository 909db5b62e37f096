"""System check: every questionnaire (spørgeskema) in use must load strictly, so a broken questionnaire
file cannot be deployed (supervision-contract.md §1). Runs with `check`, `migrate`, `runserver` and every
command that runs system checks; each problem is one error naming the file."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.apps import AppConfig
from django.core import checks

from sagstilsyn.law import CatalogueError
from sagstilsyn.reviews.questionnaire_store import questionnaires_in_use
from sagstilsyn.reviews.questionnaires import QuestionnaireError

CHECK_ID = "sagstilsyn.E003"


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
