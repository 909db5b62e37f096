"""Fund (findings), sagsgenopretninger (case repairs), læringspunkter and handleplaner (issue 13 §5).

- A finding is a Nej or Delvist answer of a submitted review (after a level-2 resolution: the resolved
  answer). A finding on a case becomes a case repair owned by the caseworker.
- A case repair (sagsgenopretning) has a deadline; the caseworker marks it done, someone other than the
  reviewer signs it off by checking the question again on the case, and only a Ja (or Ikke relevant) on
  that re-check closes it. Open repairs show on the weekly list until closed.
- A learning point (læringspunkt) gathers the findings on one question across one unit in one period;
  a leader may turn it into a unit action plan (handleplan) with a baseline, a target and a window in
  which the compliance figures judge it.
- The caseworker's comments (bemærkninger) on a finding are kept with it.
"""

from __future__ import annotations

from django.db import models

from sagstilsyn.cases.models import Case
from sagstilsyn.core.models import Unit, User
from sagstilsyn.reviews.models.reviews import Answer, AnswerValue, Review


class Finding(models.Model):
    """Et fund: one question answered Nej or Delvist on one case in one review."""

    review = models.ForeignKey(Review, on_delete=models.PROTECT, related_name="findings")
    answer = models.OneToOneField(Answer, on_delete=models.PROTECT, related_name="finding")
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    questionnaire = models.CharField("spørgeskema", max_length=100)
    question = models.CharField("spørgsmål", max_length=100)
    value = models.CharField("svar", max_length=20, choices=AnswerValue.choices)
    created_at = models.DateTimeField("oprettet")

    class Meta:
        verbose_name = "fund"
        verbose_name_plural = "fund"
        indexes = [models.Index(fields=["unit", "questionnaire", "question"], name="finding_unit_question")]

    def __str__(self) -> str:
        return f"Fund {self.question} på {self.case}"


class RepairStatus(models.TextChoices):
    OPEN = "open", "Skal genoprettes"
    DONE = "done", "Meldt udført"
    CLOSED = "closed", "Lukket"


class CaseRepair(models.Model):
    """En sagsgenopretning: what the caseworker must put right on the case after a finding."""

    finding = models.OneToOneField(Finding, on_delete=models.PROTECT, related_name="repair")
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="+")
    owner = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    deadline = models.DateField("frist")
    status = models.CharField("status", max_length=10, choices=RepairStatus.choices, default="open")
    done_at = models.DateTimeField("meldt udført", null=True, blank=True)
    done_note = models.TextField("hvad er gjort", blank=True)
    #: The re-check (fornyet kontrol): who looked at the question again, what they answered, and when.
    recheck_answer = models.CharField(  # noqa: DJ001 - None (not re-checked) is not '' (an answer)
        "svar ved fornyet kontrol", max_length=20, choices=AnswerValue.choices, null=True, blank=True
    )
    recheck_note = models.TextField("note ved fornyet kontrol", blank=True)
    signed_off_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    signed_off_at = models.DateTimeField("kontrolleret", null=True, blank=True)
    closed_at = models.DateTimeField("lukket", null=True, blank=True)

    class Meta:
        verbose_name = "sagsgenopretning"
        verbose_name_plural = "sagsgenopretninger"
        indexes = [models.Index(fields=["owner", "status"], name="repair_owner_status")]

    def __str__(self) -> str:
        return f"Sagsgenopretning på {self.case}"


class FindingComment(models.Model):
    """En bemærkning: the caseworker's (or a leader's) answer to a finding on their case."""

    finding = models.ForeignKey(Finding, on_delete=models.PROTECT, related_name="comments")
    author = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    text = models.TextField("bemærkning")
    created_at = models.DateTimeField("skrevet")

    class Meta:
        verbose_name = "bemærkning"
        verbose_name_plural = "bemærkninger"
        ordering = ("created_at", "pk")

    def __str__(self) -> str:
        return f"Bemærkning til {self.finding}"


class LearningPoint(models.Model):
    """Et læringspunkt: findings on one question across one unit in one period."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    questionnaire = models.CharField("spørgeskema", max_length=100)
    question = models.CharField("spørgsmål", max_length=100)
    period = models.CharField("periode", max_length=10)
    findings = models.PositiveIntegerField("antal fund")
    reviewed = models.PositiveIntegerField("antal gennemgåede")
    updated_at = models.DateTimeField("opdateret")

    class Meta:
        verbose_name = "læringspunkt"
        verbose_name_plural = "læringspunkter"
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "questionnaire", "question", "period"], name="learning_point_unique"
            )
        ]

    def __str__(self) -> str:
        return f"Læringspunkt {self.question} ({self.unit}, {self.period})"


class ActionPlanStatus(models.TextChoices):
    ACTIVE = "active", "I gang"
    ENDED = "ended", "Afsluttet"


class ActionPlanPillar(models.TextChoices):
    """Which pillar of the compliance figures an action plan's requirement is measured in."""

    DATA = "data", "Data"
    REVIEW = "review", "Gennemgang"


class ActionPlan(models.Model):
    """En handleplan: a unit's plan for one requirement, with a baseline, a target and a measurement window.

    The requirement (`requirement`, `pillar`) is that of the compliance figures: a rule id (data pillar)
    or `questionnaire.question` (review pillar). A plan made from a learning point names its
    questionnaire and question too; a plan made from a risk area on the dashboard may rest on the
    requirement alone. Baseline and target are compliance shares (0–1); the figures of the window judge it."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    learning_point = models.ForeignKey(
        LearningPoint, on_delete=models.PROTECT, null=True, blank=True, related_name="action_plans"
    )
    requirement = models.CharField("krav", max_length=201)
    pillar = models.CharField("søjle", max_length=10, choices=ActionPlanPillar.choices)
    questionnaire = models.CharField("spørgeskema", max_length=100, blank=True)
    question = models.CharField("spørgsmål", max_length=100, blank=True)
    title = models.CharField("titel", max_length=200)
    actions = models.TextField("tiltag", blank=True)
    baseline = models.FloatField("udgangspunkt")
    target = models.FloatField("mål")
    window_start = models.DateField("målevindue fra")
    window_end = models.DateField("målevindue til")
    owner = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    status = models.CharField("status", max_length=10, choices=ActionPlanStatus.choices, default="active")
    created_at = models.DateTimeField("oprettet")

    class Meta:
        verbose_name = "handleplan"
        verbose_name_plural = "handleplaner"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(window_start__lte=models.F("window_end")), name="plan_window"
            ),
            models.CheckConstraint(
                condition=models.Q(baseline__gte=0, baseline__lte=1, target__gte=0, target__lte=1),
                name="plan_shares",
            ),
            models.CheckConstraint(
                condition=~models.Q(requirement="") & models.Q(pillar__in=["data", "review"]),
                name="plan_requirement",
            ),
        ]

    def __str__(self) -> str:
        return self.title
