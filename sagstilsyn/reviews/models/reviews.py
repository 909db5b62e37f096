"""Gennemgange (reviews) and svar (answers): one case read by one reviewer at one level, and its answers.

A review is read against one questionnaire version (supervision contract §1), held by its id and
version, not by a foreign key: questionnaires live in YAML files, not in the database. Imported reviews
(contract §3) keep their source and the id they had there (`source_review_id`), unique per municipality
and source, so a second import of the same file changes nothing.

A review made here belongs to the sample row it was drawn for (`sample_row`, whose design weight counts
in the estimates); an imported review, a hand-picked one and a calibration review may belong to none.
A level-2 review (fornyet gennemgang) points at the level-1 review it re-reads (`first_review`) and is
blind: it does not see the level-1 answers until it is submitted.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from sagstilsyn.cases.models import Case
from sagstilsyn.core.models import Municipality, User
from sagstilsyn.reviews.models.programmes import Programme, SampleRow


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
    sample_row = models.ForeignKey(
        SampleRow, on_delete=models.PROTECT, null=True, blank=True, related_name="reviews"
    )
    #: The level-1 review a level-2 review re-reads.
    first_review = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="second_reviews"
    )
    #: A calibration review (kalibrering): a new reviewer's answers to a programme's calibration case,
    #: compared with its answer key; never a finding, never in a rate.
    calibration_case = models.ForeignKey(
        "CalibrationCase", on_delete=models.PROTECT, null=True, blank=True, related_name="reviews"
    )
    deadline = models.DateField("frist", null=True, blank=True)
    assigned_at = models.DateTimeField("tildelt", null=True, blank=True)
    started_at = models.DateTimeField("påbegyndt", null=True, blank=True)
    submitted_at = models.DateTimeField("afleveret", null=True, blank=True)
    closed_at = models.DateTimeField("lukket", null=True, blank=True)
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
    #: The case's facts behind the suggestion, as shown to the reviewer ("Børnefaglig undersøgelse
    #: afsluttet 12.03.2025 — frist 28.02.2025 — overskredet").
    suggestion_basis = models.TextField("grundlag for forslaget", blank=True)
    answered_at = models.DateTimeField("besvaret", null=True, blank=True)

    class Meta:
        verbose_name = "svar"
        verbose_name_plural = "svar"
        constraints = [models.UniqueConstraint(fields=["review", "question"], name="answer_unique_question")]

    def __str__(self) -> str:
        return f"{self.question}: {self.answer}"


class CalibrationCase(models.Model):
    """En kalibreringssag: a case with an answer key that new reviewers of a programme answer first."""

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="calibration_cases")
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="+")
    questionnaire = models.CharField("spørgeskema", max_length=100)
    questionnaire_version = models.PositiveIntegerField("version")
    #: question id → the agreed answer (ja | nej | delvist | ikke_relevant)
    answer_key = models.JSONField("facitliste", default=dict)
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "kalibreringssag"
        verbose_name_plural = "kalibreringssager"
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "case", "questionnaire", "questionnaire_version"],
                name="calibration_unique_case",
            )
        ]

    def __str__(self) -> str:
        return f"Kalibrering {self.case} ({self.programme})"


class Disagreement(models.Model):
    """En uenighed: level 1 and level 2 answered one question differently; a named person resolves it.

    Both answers stay as they were; the resolution is kept beside them."""

    first_answer = models.ForeignKey(Answer, on_delete=models.PROTECT, related_name="+")
    second_answer = models.OneToOneField(Answer, on_delete=models.PROTECT, related_name="disagreement")
    resolved_answer = models.CharField(  # noqa: DJ001 - None (unresolved) is not '' (an answer)
        "afgjort svar", max_length=20, choices=AnswerValue.choices, null=True, blank=True
    )
    resolved_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    resolved_at = models.DateTimeField("afgjort", null=True, blank=True)
    note = models.TextField("begrundelse", blank=True)

    class Meta:
        verbose_name = "uenighed"
        verbose_name_plural = "uenigheder"

    def __str__(self) -> str:
        return f"Uenighed om {self.second_answer.question}"


class QuestionnaireSeal(models.Model):
    """Et låst spørgeskema: the fingerprint of a questionnaire version when it was first answered.

    An answered version never changes (supervision-contract.md §1): the system check compares the loaded
    file with its seal and stops the start when they differ; a change must be a new version."""

    questionnaire = models.CharField("spørgeskema", max_length=100)
    version = models.PositiveIntegerField("version")
    fingerprint = models.CharField("fingeraftryk", max_length=64)
    sealed_at = models.DateTimeField("låst")

    class Meta:
        verbose_name = "låst spørgeskema"
        verbose_name_plural = "låste spørgeskemaer"
        constraints = [
            models.UniqueConstraint(fields=["questionnaire", "version"], name="questionnaire_seal_unique")
        ]

    def __str__(self) -> str:
        return f"{self.questionnaire} v{self.version}"
