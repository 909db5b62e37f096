"""An answered questionnaire version never changes (supervision-contract.md §1): it is sealed with its
fingerprint at the first answer or import; a changed one refuses answers and imports and stops the start."""

from __future__ import annotations

import dataclasses
import io
import os
import subprocess
import sys

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.utils import timezone

from sagstilsyn.cases.importing import ImportRejected
from sagstilsyn.core.models import Role
from sagstilsyn.reviews.importing import reviews_import_file
from sagstilsyn.reviews.models import QuestionnaireSeal
from sagstilsyn.reviews.questionnaire_store import questionnaire_fingerprint, questionnaire_get
from sagstilsyn.reviews.services.reviews import answer_save, review_questions
from sagstilsyn.reviews.services.seals import (
    QuestionnaireChanged,
    questionnaire_seal,
    questionnaire_seal_problems,
)
from tests.factories import make_case, make_municipality, make_unit, make_user
from tests.reviews.worlds import review_of, started_quarter, supervision_world

pytestmark = pytest.mark.django_db

FILE = (
    "review_id,questionnaire,questionnaire_version,case_id,reviewer,level,reviewed_on,question,answer,note\n"
    "R1,monthly_case_review,1,SAG-1,koordinator,1,2025-03-04,child_conversation,ja,\n"
)


def test_the_first_answer_seals_the_version_once() -> None:
    municipality = supervision_world()
    review = review_of(started_quarter(municipality), part="enhed")
    for question in review_questions(review)[:2]:
        answer_save(review=review, question_id=question.id, answer="ja", note="", actor=review.reviewer)
    seal = QuestionnaireSeal.objects.get()
    assert (seal.questionnaire, seal.version) == (review.questionnaire, review.questionnaire_version)
    assert seal.fingerprint == questionnaire_fingerprint(questionnaire_get(review.questionnaire, 1))
    assert questionnaire_seal_problems() == []


def test_a_changed_question_text_is_refused_after_the_seal() -> None:
    questionnaire = questionnaire_get("monthly_case_review", 1)
    questionnaire_seal(questionnaire)
    first = questionnaire.questions[0]
    changed = dataclasses.replace(
        questionnaire,
        questions=(dataclasses.replace(first, text=first.text + " (ny)"), *questionnaire.questions[1:]),
    )
    assert questionnaire_fingerprint(changed) != questionnaire_fingerprint(questionnaire)
    with pytest.raises(QuestionnaireChanged, match="ny version"):
        questionnaire_seal(changed)


def test_an_import_against_a_changed_version_loads_nothing() -> None:
    municipality = make_municipality()
    make_unit(municipality)
    make_case(municipality, "SAG-1")
    make_user(municipality, Role.COORDINATOR, username="koordinator")
    QuestionnaireSeal.objects.create(
        questionnaire="monthly_case_review", version=1, fingerprint="0" * 64, sealed_at=timezone.now()
    )
    with pytest.raises(ImportRejected) as rejected:
        reviews_import_file(data=FILE.encode(), municipality=municipality, filename="g.csv")
    [error] = rejected.value.errors
    assert (error.row, error.column, error.value) == (2, "questionnaire", "monthly_case_review")
    assert "er ændret, efter at der er svaret på det" in error.message


def test_the_start_stops_on_a_changed_or_missing_sealed_version() -> None:
    now = timezone.now()
    QuestionnaireSeal.objects.create(
        questionnaire="monthly_case_review", version=1, fingerprint="0" * 64, sealed_at=now
    )
    QuestionnaireSeal.objects.create(
        questionnaire="gammelt_skema", version=3, fingerprint="1" * 64, sealed_at=now
    )
    problems = questionnaire_seal_problems()
    assert problems == [
        "spørgeskemaet gammelt_skema version 3 er besvaret, men filen findes ikke",
        "spørgeskemaet monthly_case_review version 1 er ændret, efter at der er svaret på det; "
        "gør ændringen til en ny version",
    ]
    with pytest.raises(SystemCheckError, match=r"sagstilsyn\.E004"):
        call_command("check", "--database", "default", stdout=io.StringIO(), stderr=io.StringIO())


def test_the_fingerprint_is_the_same_in_every_process() -> None:
    """Sets (a condition's measures) are ordered differently from process to process (hash seeds)."""
    script = (
        "import django, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'sagstilsyn.settings'); "
        "django.setup(); "
        "from sagstilsyn.reviews.questionnaire_store import questionnaire_fingerprint, questionnaire_get; "
        "print(questionnaire_fingerprint(questionnaire_get('monthly_case_review', 1)))"
    )
    prints = {
        subprocess.run(
            [sys.executable, "-c", script],
            env={**os.environ, "PYTHONHASHSEED": str(seed)},
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        for seed in (1, 2, 3, 4)
    }
    assert prints == {questionnaire_fingerprint(questionnaire_get("monthly_case_review", 1))}
