"""What the dashboards say about a requirement beyond its Danish name (`requirement_title`, from the
readings): whether it exists, the rules a question rests on, its questionnaire, and the other pillar's
requirements of the same ground."""

from __future__ import annotations

from sagstilsyn.core.selectors import catalogue_get
from sagstilsyn.law.model import Catalogue
from sagstilsyn.reports.compliance.readings import requirement_title
from sagstilsyn.reviews.questionnaire_store import questionnaires_in_use


def requirement_known(requirement: str) -> bool:
    """Whether a requirement is a rule of the catalogue or a question of a questionnaire in use."""
    if "." not in requirement:
        return any(rule.id == requirement for rule in catalogue_get().rules)
    questionnaire_id, question_id = requirement.split(".", 1)
    return any(
        question.id == question_id
        for questionnaire in questionnaires_in_use()
        if questionnaire.id == questionnaire_id
        for question in questionnaire.questions
    )


def question_rules(requirement: str) -> tuple[str, ...]:
    """The catalogue rules a review requirement (`questionnaire.question`) rests on, computed rules
    (with a data pillar) first, in the question's order; () for a rule id or an unknown question."""
    if "." not in requirement:
        return ()
    questionnaire_id, question_id = requirement.split(".", 1)
    catalogue = catalogue_get()
    for questionnaire in sorted(questionnaires_in_use(), key=lambda q: -q.version):
        if questionnaire.id != questionnaire_id:
            continue
        for question in questionnaire.questions:
            if question.id == question_id:
                computed = [r for r in question.rules if _computed(catalogue, r)]
                return (*computed, *(r for r in question.rules if r not in computed))
    return ()


def questionnaire_title(requirement: str) -> str:
    """The title of a review requirement's questionnaire ('' for a rule id)."""
    if "." not in requirement:
        return ""
    questionnaire_id = requirement.split(".", 1)[0]
    found = sorted((q for q in questionnaires_in_use() if q.id == questionnaire_id), key=lambda q: -q.version)
    return found[0].title if found else questionnaire_id


def _computed(catalogue: Catalogue, rule_id: str) -> bool:
    try:
        return catalogue.rule(rule_id).computed
    except KeyError:
        return False


def related_requirements(requirement: str) -> list[tuple[str, str]]:
    """The other pillar's requirements of the same ground, as (requirement, Danish name): for a rule the
    questions resting on it (named with their questionnaire), for a question the rules it rests on."""
    if "." in requirement:
        return [(rule, requirement_title(rule)) for rule in question_rules(requirement)]
    found: dict[str, str] = {}
    for questionnaire in sorted(questionnaires_in_use(), key=lambda q: (q.id, -q.version)):
        for question in questionnaire.questions:
            key = f"{questionnaire.id}.{question.id}"
            if requirement in question.rules and key not in found:
                found[key] = f"{questionnaire.title}: {question.text}"
    return sorted(found.items())
