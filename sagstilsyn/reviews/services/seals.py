"""Låste spørgeskemaer (sealed questionnaires): a questionnaire version is sealed with its fingerprint when
it is first answered (here or by import), and may not change after (supervision-contract.md §1)."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from sagstilsyn.core.services.audit import audit_record
from sagstilsyn.reviews.models import QuestionnaireSeal
from sagstilsyn.reviews.questionnaire_store import questionnaire_fingerprint, questionnaires_in_use
from sagstilsyn.reviews.questionnaires import Questionnaire


class QuestionnaireChanged(Exception):
    """A sealed questionnaire version's file now says something else; the message is Danish."""


def _changed(questionnaire_id: str, version: int) -> str:
    return (
        f"spørgeskemaet {questionnaire_id} version {version} er ændret, efter at der er svaret på det; "
        "gør ændringen til en ny version"
    )


@transaction.atomic
def questionnaire_seal(questionnaire: Questionnaire) -> QuestionnaireSeal:
    """Seal `questionnaire` (first answer); QuestionnaireChanged if it is sealed with another content."""
    fingerprint = questionnaire_fingerprint(questionnaire)
    seal, created = QuestionnaireSeal.objects.get_or_create(
        questionnaire=questionnaire.id,
        version=questionnaire.version,
        defaults={"fingerprint": fingerprint, "sealed_at": timezone.now()},
    )
    if created:
        audit_record(
            actor=None,
            action="questionnaire_seal",
            target_type="questionnaire",
            target_id=f"{questionnaire.id}.v{questionnaire.version}",
            target_label=questionnaire.title,
            after={"fingerprint": fingerprint},
        )
    elif seal.fingerprint != fingerprint:
        raise QuestionnaireChanged(_changed(questionnaire.id, questionnaire.version))
    return seal


def questionnaire_seal_problems() -> list[str]:
    """Every sealed version whose file is gone or says something else (Danish), for the system check."""
    loaded = {(q.id, q.version): q for q in questionnaires_in_use()}
    problems: list[str] = []
    for seal in QuestionnaireSeal.objects.order_by("questionnaire", "version"):
        questionnaire = loaded.get((seal.questionnaire, seal.version))
        if questionnaire is None:
            problems.append(
                f"spørgeskemaet {seal.questionnaire} version {seal.version} er besvaret, "
                "men filen findes ikke"
            )
        elif questionnaire_fingerprint(questionnaire) != seal.fingerprint:
            problems.append(_changed(seal.questionnaire, seal.version))
    return problems
