"""The questionnaires in use (spørgeskemaer): the shipped ones and those in SAGSTILSYN_QUESTIONNAIRE_DIRS,
loaded strictly once per set of folders and catalogue, and looked up by id and version.

The system check
(`sagstilsyn.reviews.checks`) loads them at start-up, so a broken questionnaire cannot be deployed.
"""

from __future__ import annotations

import hashlib
import os
import threading

from sagstilsyn.core.selectors import catalogue_get
from sagstilsyn.reviews.questionnaires.loader import load_questionnaires, split_dirs
from sagstilsyn.reviews.questionnaires.model import AllOf, AnyOf, AppliesWhen, MeasureIn, Questionnaire

#: Extra folders of questionnaire files (`:`-separated), besides the shipped folder.
QUESTIONNAIRE_DIRS_SETTING = "SAGSTILSYN_QUESTIONNAIRE_DIRS"

_lock = threading.Lock()
_cache: dict[tuple[str, int], tuple[Questionnaire, ...]] = {}


class QuestionnaireMissing(LookupError):
    """No questionnaire with that id and version is loaded; the message is Danish."""


def questionnaires_in_use() -> tuple[Questionnaire, ...]:
    """Every loaded questionnaire (raises QuestionnaireError, with every problem, when a file is bad)."""
    folders = os.environ.get(QUESTIONNAIRE_DIRS_SETTING) or ""
    catalogue = catalogue_get()
    key = (folders, id(catalogue))
    with _lock:
        found = _cache.get(key)
        if found is None:
            found = load_questionnaires(split_dirs(folders), catalogue)
            _cache.clear()
            _cache[key] = found
    return found


def questionnaire_get(questionnaire_id: str, version: int) -> Questionnaire:
    """The questionnaire `questionnaire_id` version `version`; QuestionnaireMissing if it is not loaded."""
    for questionnaire in questionnaires_in_use():
        if questionnaire.id == questionnaire_id and questionnaire.version == version:
            return questionnaire
    raise QuestionnaireMissing(f"spørgeskemaet {questionnaire_id} version {version} findes ikke")


def _canonical(condition: AppliesWhen | None) -> object:
    """A condition as plain, ordered values: a set's order (its repr) changes from process to process."""
    if isinstance(condition, MeasureIn):
        return ("measure_in", tuple(sorted(condition.measures)))
    if isinstance(condition, AllOf | AnyOf):
        return (type(condition).__name__, tuple(_canonical(part) for part in condition.conditions))
    return repr(condition)


def questionnaire_fingerprint(questionnaire: Questionnaire) -> str:
    """SHA-256 of what a questionnaire version says (id, version, title, first day, questions with their
    texts, rules, conditions, answers, notes and guidance) — not of its file, so comments, layout and
    the file's place may change; a word of a question may not."""
    content = (
        questionnaire.id,
        questionnaire.version,
        questionnaire.title,
        questionnaire.valid_from.isoformat(),
        tuple(
            (q.id, q.text, q.rules, _canonical(q.applies_when), q.answers, q.note_required_for, q.guidance)
            for q in questionnaire.questions
        ),
    )
    return hashlib.sha256(repr(content).encode()).hexdigest()
