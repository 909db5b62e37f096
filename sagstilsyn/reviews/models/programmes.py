"""Tilsynsprogrammer and stikprøver (supervision-contract.md §2, ADR 0026).

A `Programme` has parts (`ProgrammePart`); a part is versioned by `valid_from` (a period label): an edit is
a new row whose `valid_from` is the next period, so the history stays. A `Sample` is one draw of one part
version for one period (and scope: one unit for designs drawn unit by unit); its frame (`SampleFrameCase`)
and rows (`SampleRow`) are kept so anyone can redraw it.
"""

from __future__ import annotations

from django.db import models

from sagstilsyn.cases.models import Case
from sagstilsyn.core.models import Municipality, User

PERIOD_KINDS = (("month", "Måned"), ("quarter", "Kvartal"), ("year", "År"), ("adhoc", "Enkeltstående"))
DESIGN_CHOICES = (
    ("srs", "Simpel tilfældig"),
    ("stratified", "Stratificeret"),
    ("pps", "Risikovægtet"),
    ("systematic", "Systematisk"),
)
STRATA_CHOICES = (("none", "Ingen"), ("unit", "Enhed"), ("group", "Gruppe"), ("caseworker", "Sagsbehandler"))
REVIEWER_RULES = (
    ("unit_leader", "Faglig koordinator eller afdelingsleder"),
    ("area", "Områdechef eller områdejurist"),
    ("centre_lawyers", "Centerjurister på skift"),
    ("exchange", "Faglig koordinator eller afdelingsleder i makkerenheden"),
)
ROW_STATUS_CHOICES = (("drawn", "Udtrukket"), ("excluded", "Udeladt"), ("replacement", "Erstatning"))
#: The caseworker's part in a programme's reviews (sagsbehandlerens rolle): by default told and shown
#: the findings on their cases, free to answer them.
CASEWORKER_PARTS = (
    ("none", "Ingen"),
    ("sees", "Ser fundene og kan svare"),
    ("must_comment", "Skal kommentere fundene"),
    ("must_comment_nej", "Skal kommentere Nej og Delvist"),
)


class Programme(models.Model):
    """A tilsynsprogram, e.g. Københavns månedlige sagsgennemgang."""

    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="+")
    code = models.CharField("kode", max_length=40)
    name = models.CharField("navn", max_length=200)

    class Meta:
        verbose_name = "tilsynsprogram"
        verbose_name_plural = "tilsynsprogrammer"
        ordering = (
            "municipality",
            "code",
        )
        constraints = (
            models.UniqueConstraint(fields=["municipality", "code"], name="programme_unique_code"),
        )

    def __str__(self) -> str:
        return self.name


class ProgrammePart(models.Model):
    """One version of a programme's part (delprogram): what to draw, how often, from where, read by whom."""

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="parts")
    code = models.CharField("kode", max_length=40)
    name = models.CharField("navn", max_length=200)
    valid_from = models.CharField("gælder fra periode", max_length=10)
    period_kind = models.CharField("periode", max_length=10, choices=PERIOD_KINDS)
    design = models.CharField("design", max_length=12, choices=DESIGN_CHOICES)
    size = models.PositiveIntegerField("stikprøvestørrelse")
    strata = models.CharField("strata", max_length=12, choices=STRATA_CHOICES, default="none")
    stratum_size = models.PositiveIntegerField("antal pr. stratum", null=True, blank=True)
    per_unit = models.BooleanField("én stikprøve pr. enhed", default=False)
    unit_kind = models.CharField("enhedstype", max_length=20, blank=True, default="")
    eligibility = models.JSONField("udvælgelsesgrundlag", default=dict)
    reviewer_rule = models.CharField("bedømmerregel", max_length=20, choices=REVIEWER_RULES)
    level2_share = models.FloatField("andel til 2. niveau", default=0.0)
    active = models.BooleanField("aktiv", default=True)
    #: The questionnaire the part's reviews answer (id and version of supervision-contract.md §1).
    questionnaire = models.CharField("spørgeskema", max_length=100, blank=True, default="")
    questionnaire_version = models.PositiveIntegerField("spørgeskemaets version", null=True, blank=True)
    caseworker_part = models.CharField(
        "sagsbehandlerens rolle", max_length=20, choices=CASEWORKER_PARTS, default="sees"
    )
    #: Days from assignment to the level-1 deadline, from submission to the level-2 deadline, and from
    #: a finding to its case repair's deadline.
    review_days = models.PositiveIntegerField("dage til gennemgang", default=30)
    level2_days = models.PositiveIntegerField("dage til fornyet gennemgang", default=30)
    repair_days = models.PositiveIntegerField("dage til sagsgenopretning", default=30)
    #: Hand-picked cases (håndplukkede sager) allowed by an administrator; never part of a unit's rate.
    hand_picking_allowed = models.BooleanField("håndplukning tilladt", default=False)
    changed_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    changed_at = models.DateTimeField("ændret", null=True, blank=True)

    class Meta:
        verbose_name = "delprogram"
        verbose_name_plural = "delprogrammer"
        ordering = (
            "programme",
            "code",
            "valid_from",
        )
        constraints = (
            models.UniqueConstraint(fields=["programme", "code", "valid_from"], name="part_unique_version"),
        )

    def __str__(self) -> str:
        return f"{self.programme.code}/{self.code} fra {self.valid_from}"


class Sample(models.Model):
    """One drawn stikprøve: a part version, a period and a scope (a unit code, or empty)."""

    part = models.ForeignKey(ProgrammePart, on_delete=models.PROTECT, related_name="samples")
    period = models.CharField("periode", max_length=10)
    scope = models.CharField("omfang", max_length=40, blank=True, default="")
    design = models.CharField("design", max_length=12, choices=DESIGN_CHOICES)
    size = models.PositiveIntegerField("stikprøvestørrelse")
    stratum_sizes = models.JSONField("antal pr. stratum", default=dict, blank=True)
    eligibility = models.JSONField("udvælgelsesgrundlag", default=dict)
    seed = models.CharField("seed", max_length=64)
    frame_hash = models.CharField("rammens hash", max_length=64)
    frame_size = models.PositiveIntegerField("rammens størrelse")
    drawn_at = models.DateTimeField("udtrukket")
    #: Ad hoc samples (an external audit, the quality unit's visit): the reviewers' last day, when the
    #: sample was closed (an external reviewer sees its cases only until then), and the earlier audit a
    #: follow-up audit is compared with.
    closes_on = models.DateField("frist", null=True, blank=True)
    closed_at = models.DateTimeField("lukket", null=True, blank=True)
    follows = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    class Meta:
        verbose_name = "stikprøve"
        verbose_name_plural = "stikprøver"
        ordering = ("pk",)
        constraints = (
            models.UniqueConstraint(fields=["part", "period", "scope"], name="sample_unique_period"),
        )

    def __str__(self) -> str:
        return f"Stikprøve {self.pk} ({self.period})"


class SampleFrameCase(models.Model):
    """One case of a sample's frame (rammen), with its stratum and risk weight."""

    sample = models.ForeignKey(Sample, on_delete=models.CASCADE, related_name="frame")
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="+")
    stratum = models.CharField("stratum", max_length=80, blank=True)
    risk_weight = models.FloatField("risikovægt", default=1.0)

    class Meta:
        verbose_name = "rammesag"
        verbose_name_plural = "rammesager"
        ordering = ("sample", "pk")

    def __str__(self) -> str:
        return f"{self.case} i stikprøve {self.sample_id}"


class SampleRow(models.Model):
    """One row of a sample: a case drawn, excluded (with its reason) or put in as a replacement."""

    sample = models.ForeignKey(Sample, on_delete=models.CASCADE, related_name="rows")
    position = models.PositiveIntegerField("nr.")
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="+")
    stratum = models.CharField("stratum", max_length=80, blank=True)
    key = models.FloatField("nøgle")
    inclusion_probability = models.FloatField("inklusionssandsynlighed")
    weight = models.FloatField("designvægt")
    status = models.CharField("status", max_length=12, choices=ROW_STATUS_CHOICES)
    reason = models.TextField("begrundelse", blank=True)
    level2 = models.BooleanField("genlæses på 2. niveau", default=False)
    reviewer = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    #: Picked by hand (håndplukket), where the part allows it: shown as such, never in a unit's rate.
    hand_picked = models.BooleanField("håndplukket", default=False)

    class Meta:
        verbose_name = "stikprøverække"
        verbose_name_plural = "stikprøverækker"
        ordering = ("sample", "position")

    def __str__(self) -> str:
        return f"{self.case} ({self.status})"
