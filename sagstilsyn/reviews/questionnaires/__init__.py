"""Spørgeskemaer (questionnaires) for ledelsestilsyn: model, strict loader and `applies_when` conditions.

from sagstilsyn.reviews.questionnaires import load_questionnaires
questionnaires = load_questionnaires(extra_dirs)  # the shipped folder is always loaded
"""

from sagstilsyn.reviews.questionnaires.conditions import CaseEvent, CaseFacts, applies
from sagstilsyn.reviews.questionnaires.loader import (
    SHIPPED_DIR,
    QuestionnaireError,
    QuestionnaireProblem,
    load_questionnaires,
    split_dirs,
)
from sagstilsyn.reviews.questionnaires.model import ANSWERS, Question, Questionnaire

__all__ = [
    "ANSWERS",
    "SHIPPED_DIR",
    "CaseEvent",
    "CaseFacts",
    "Question",
    "Questionnaire",
    "QuestionnaireError",
    "QuestionnaireProblem",
    "applies",
    "load_questionnaires",
    "split_dirs",
]
