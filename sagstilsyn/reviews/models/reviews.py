"""Gennemgange (reviews) and svar (answers): one case read by one reviewer at one level, and its answers.

A review is read against one questionnaire version (supervision contract §1), held by its id and
version, not by a foreign key: questionnaires live in YAML files, not in the database. Imported reviews
(contract §3) keep their source and the id they had there (`source_review_id`), unique per municipality
and source, so a second import of the same file changes nothing.

Not linked to samples yet: samples are built in parallel; the link (a review drawn for a sample, with
its design weight) is added when the two are merged. An imported review belongs to no sample (weight 1).
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from sagstilsyn.cases.models import Case
from sagstilsyn.core.models import Municipality, User


class ReviewLevel(models.IntegerChoices):
    FIRST = 1, "Første gennemgang"
    SECOND = 2, "Fornyet gennemgang"


class ReviewStatus(models.TextChoices):
    ASSIGNED = "assigned", "Tildelt"
    IN_PROGRESS = "in_progress", "I gang"
    SUBMITTED = "submitted", "Afleveret"
    CLOSED = "closed", "Lukket"


class AnswerValue(models.TextChoices):
    JA = "ja", "Ja"
    NEJ = "nej", "Nej"
    DELVIST = "delvist", "Delvist"
    IKKE_RELEVANT = "ikke_relevant", "Ikke relevant for sagen"


class Review(models.Model):
    """En gennemgang: one case read by one reviewer at level 1 or 2 against one questionnaire version."""

    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="reviews")
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="reviews")
    questionnaire = models.CharField("spørgeskema", max_length=100)
    questionnaire_version = models.PositiveIntegerField("version")
    reviewer = models.ForeignKey(User, on_delete=models.PROTECT, related_name="reviews")
    level = models.PositiveSmallIntegerField("niveau", choices=ReviewLevel.choices)
    status = models.CharField("status", max_length=20, choices=ReviewStatus.choices)
    reviewed_on = models.DateField("gennemgået", null=True, blank=True)
    #: Where an imported review came from (e.g. 'import') and its id there; both empty when made here.
    source = models.CharField("kilde", max_length=60, blank=True)
    source_review_id = models.CharField("kildens review_id", max_length=100, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "gennemgang"
        verbose_name_plural = "gennemgange"
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "source", "source_review_id"],
                condition=~Q(source_review_id=""),
                name="review_unique_source_id",
            ),
            models.CheckConstraint(condition=Q(level__in=[1, 2]), name="review_level_1_or_2"),
        ]
        indexes = [models.Index(fields=["municipality", "reviewed_on"], name="review_municipality_day")]

    def __str__(self) -> str:
        return f"Gennemgang {self.source_review_id or self.pk} af {self.case}"


class Answer(models.Model):
    """Et svar: the answer to one question of a review, with its written note (begrundelse)."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="answers")
    question = models.CharField("spørgsmål", max_length=100)
    answer = models.CharField("svar", max_length=20, choices=AnswerValue.choices)
    note = models.TextField("note", blank=True)
    #: The answer Sagstilsyn suggests from the case's data, where it can (none for imported reviews).
    suggested_answer = models.CharField(  # noqa: DJ001 - None (no suggestion) is not '' (an answer)
        "foreslået svar", max_length=20, choices=AnswerValue.choices, null=True, blank=True
    )

    class Meta:
        verbose_name = "svar"
        verbose_name_plural = "svar"
        constraints = [models.UniqueConstraint(fields=["review", "question"], name="answer_unique_question")]

    def __str__(self) -> str:
        return f"{self.question}: {self.answer}"
