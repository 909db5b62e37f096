"""The Danish name of a requirement: a rule's title (data pillar), a questionnaire question's text
(review pillar, `questionnaire.question`); the id itself when neither is known."""

from __future__ import annotations

from functools import lru_cache

from sagstilsyn.core.selectors import catalogue_get
from sagstilsyn.reviews.questionnaire_store import questionnaires_in_use


@lru_cache(maxsize=1024)
def _title(requirement: str, catalogue_version: str) -> str:
    if "." in requirement:
        questionnaire_id, question_id = requirement.split(".", 1)
        found = [
            question.text
            for questionnaire in sorted(questionnaires_in_use(), key=lambda q: -q.version)
            if questionnaire.id == questionnaire_id
            for question in questionnaire.questions
            if question.id == question_id
        ]
        return found[0] if found else requirement
    try:
        return catalogue_get().rule(requirement).title
    except KeyError:
        return requirement


def requirement_title(requirement: str) -> str:
    """The requirement's Danish name."""
    return _title(requirement, catalogue_get().version)
