"""Children, cases, events (hændelser) and the obligations (forpligtelser) computed from them.

Danish glossary: barn (Child), sag (Case), hændelse (CaseEvent), forpligtelse (Obligation).
Obligations are never typed in: they are computed by the law core from a case's events and stored
with the rule version and catalogue version that produced them.
"""

from __future__ import annotations

from django.db import models

from sagstilsyn.core.models import CaseGroup, Municipality, Unit, User
from sagstilsyn.law.model import ObligationStatus


class Child(models.Model):
    """A barn. `source_ref` is the case system's child id (never a CPR number); the CPR number itself
    is stored encrypted (`cpr_cipher`) with a keyed hash (`cpr_digest`) for exact look-up, and the
    child's name, when the case system sends it, encrypted too (`name_cipher`)."""

    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="children")
    source_ref = models.CharField("barn-id i fagsystemet", max_length=80)
    cpr_cipher = models.TextField("CPR (krypteret)", blank=True)
    cpr_digest = models.CharField("CPR (nøglet hash)", max_length=64, blank=True, db_index=True)
    birth_date = models.DateField("fødselsdato", null=True, blank=True)
    #: The child's name from the case system, encrypted like the CPR number (`core.child_name`).
    name_cipher = models.TextField("navn (krypteret)", blank=True, default="")

    class Meta:
        verbose_name = "barn"
        verbose_name_plural = "børn"
        constraints = [
            models.UniqueConstraint(fields=["municipality", "source_ref"], name="child_unique_source_ref")
        ]

    def __str__(self) -> str:
        return f"Barn {self.source_ref}"


class Case(models.Model):
    """A sag in the municipality's case system, held by a unit (and group) and a caseworker."""

    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="cases")
    source_ref = models.CharField("sagsnummer", max_length=80)
    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="cases")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="cases")
    group = models.CharField("gruppe", max_length=20, choices=CaseGroup.choices, blank=True)
    caseworker = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="cases"
    )
    created_at = models.DateTimeField("oprettet")
    updated_at = models.DateTimeField("ændret")

    class Meta:
        verbose_name = "sag"
        verbose_name_plural = "sager"
        ordering = ["source_ref"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "source_ref"], name="case_unique_source_ref")
        ]
        indexes = [models.Index(fields=["unit", "caseworker"], name="case_unit_caseworker")]

    def __str__(self) -> str:
        return f"Sag {self.source_ref}"


class CaseEvent(models.Model):
    """A hændelse: one dated case fact from the case system (the event types of the rule catalogue).

    `day` is the Danish calendar date; `instant` is the aware moment for types whose rules count
    hours (null for date-only events). `source` + `source_event_id` identify the row in the source.
    """

    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    source = models.CharField("kilde", max_length=60)
    source_event_id = models.CharField("hændelses-id i kilden", max_length=120)
    type = models.CharField("hændelsestype", max_length=60)
    day = models.DateField("dato")
    instant = models.DateTimeField("tidspunkt", null=True, blank=True)
    attrs = models.JSONField("egenskaber", default=dict, blank=True)
    recorded_at = models.DateTimeField("registreret")

    class Meta:
        verbose_name = "hændelse"
        verbose_name_plural = "hændelser"
        ordering = ["day", "instant", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "source", "source_event_id"], name="event_unique_source_id"
            )
        ]
        indexes = [
            models.Index(fields=["case", "day"], name="event_case_day"),
            # The closed cases, read by every follow-up page (ADR 0020): a few rows, not every event.
            models.Index(
                fields=["municipality", "case", "day"],
                name="event_case_closed",
                condition=models.Q(type="case_closed"),
            ),
            # The events dated after an as-of day, read by the compliance figures (ADR 0040): a range
            # scan instead of a full scan of every municipality's events.
            models.Index(fields=["municipality", "day"], name="event_municipality_day"),
        ]

    def __str__(self) -> str:
        return f"{self.type} {self.day.isoformat()}"


class RuleVersion(models.Model):
    """A regelversion of one catalogue release: the texts that every obligation under it shares.

    Keyed by catalogue version (a content hash of the whole catalogue), rule id and the version's
    first day, so equal keys mean equal texts. Rows are added by the recompute and never changed or
    deleted: an old catalogue's versions stay as history (ADR 0008).
    """

    catalogue_version = models.CharField("katalogversion", max_length=20)
    rule_id = models.CharField("regel", max_length=80)
    valid_from = models.DateField("gælder fra")
    title = models.CharField("titel", max_length=300)
    kind = models.CharField("regeltype", max_length=20)
    statutory = models.BooleanField("lovkrav", default=True)
    law = models.CharField("lov", max_length=40)
    citations = models.JSONField("henvisninger", default=list)
    recorded_at = models.DateTimeField("registreret")

    class Meta:
        verbose_name = "regelversion"
        verbose_name_plural = "regelversioner"
        constraints = [
            models.UniqueConstraint(
                fields=["catalogue_version", "rule_id", "valid_from"], name="rule_version_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.rule_id} fra {self.valid_from.isoformat()} ({self.catalogue_version})"


class Obligation(models.Model):
    """A forpligtelse computed by the law core: rule version, due date, status and evidence.

    `status` is judged on `judged_on`; a daily job turns `open` into `overdue` as days pass.
    `due_day` is the Danish date of the deadline; `due_at` the exact instant for hour deadlines.
    """

    #: Looked up through the (case, due_day) index below: no index of its own (ADR 0007).
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="obligations", db_index=False)
    #: The case's unit, copied here so a unit's deadline list reads one index (kept in step on moves);
    #: looked up through the (unit, status, due_day) index below. A derived copy: no database foreign
    #: key (ADR 0007); the case's own unit is the checked reference.
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, null=True, related_name="+", db_index=False, db_constraint=False
    )
    #: A copy of the rule version's rule id, for filtering and sorting by rule.
    rule_id = models.CharField("regel", max_length=80)
    #: Title, law, citations and catalogue version (ADR 0008). Written by the recompute before the
    #: obligations, in the same transaction, and never deleted: no database constraint, no index.
    rule_version = models.ForeignKey(
        RuleVersion, on_delete=models.PROTECT, related_name="+", db_index=False, db_constraint=False
    )
    # The event references are derived: the recompute takes them from the case's own events in the
    # same transaction, and events are never deleted. They have neither a database foreign key nor an
    # index (ADR 0007): checking them at commit locked every referenced event row, half the cost of
    # writing an obligation. Django still applies on_delete if an event is ever deleted. A trigger the
    # law core derives itself (the 16th birthday, from the child's birth date) is no stored event: null.
    trigger_event = models.ForeignKey(
        CaseEvent,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    due_day = models.DateField("frist")
    due_at = models.DateTimeField("frist (tidspunkt)", null=True, blank=True)
    #: Values and Danish labels from the law core's `ObligationStatus`, the one definition.
    status = models.CharField("status", max_length=20, choices=ObligationStatus.choices())
    satisfied_event = models.ForeignKey(
        CaseEvent,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    released_event = models.ForeignKey(
        CaseEvent,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    period_start = models.DateField("periode fra", null=True, blank=True)
    required_count = models.PositiveSmallIntegerField("krævet antal", null=True, blank=True)
    explanation = models.TextField("forklaring", blank=True)
    warnings = models.JSONField("advarsler", default=list, blank=True)
    judged_on = models.DateField("bedømt pr.")
    computed_at = models.DateTimeField("beregnet")

    class Meta:
        verbose_name = "forpligtelse"
        verbose_name_plural = "forpligtelser"
        ordering = ["due_day", "rule_id"]
        indexes = [
            models.Index(fields=["status", "due_day"], name="obligation_status_due"),
            models.Index(fields=["unit", "status", "due_day"], name="obligation_unit_status_due"),
            models.Index(fields=["case", "due_day"], name="obligation_case_due"),
        ]

    def __str__(self) -> str:
        return f"{self.rule_id} {self.due_day.isoformat()} {self.status}"


class ChecklistMark(models.Model):
    """A manual mark on one item of a placement case's oversigtsskema: ticked (or not) with a note.

    `item_id` names an item of `sagstilsyn.cases.checklist.items.CHECKLIST`; `choice` holds the
    item's classification where it has one (samvær: støttet / overvåget). Written only by
    `checklist_mark_set`, which also writes the audit event.
    """

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="checklist_marks")
    item_id = models.CharField("punkt", max_length=60)
    checked = models.BooleanField("afkrydset", default=False)
    choice = models.CharField("klassifikation", max_length=40, blank=True)
    note = models.TextField("note", blank=True)
    marked_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    marked_at = models.DateTimeField("markeret")

    class Meta:
        verbose_name = "markering i oversigtsskema"
        verbose_name_plural = "markeringer i oversigtsskema"
        ordering = ["case", "item_id"]
        constraints = [models.UniqueConstraint(fields=["case", "item_id"], name="checklist_mark_unique_item")]

    def __str__(self) -> str:
        return f"{self.item_id}: {'ja' if self.checked else 'nej'}"


class ChecklistSignOff(models.Model):
    """The faglig koordinator's (or afdelingsleder's) sign-off of a placement case's oversigtsskema at
    the monthly case review with the caseworker (seed 001). Each review adds one; `snapshot` holds each
    item's done flag at that moment, so a later change shows. Written only by `checklist_sign_off`,
    which also writes the audit event."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="checklist_sign_offs")
    signed_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    signed_at = models.DateTimeField("godkendt")
    note = models.TextField("note", blank=True)
    items_done = models.PositiveSmallIntegerField("punkter opfyldt")
    items_total = models.PositiveSmallIntegerField("punkter i alt")
    snapshot = models.JSONField("punkternes status", default=dict)

    class Meta:
        verbose_name = "godkendelse af oversigtsskema"
        verbose_name_plural = "godkendelser af oversigtsskema"
        ordering = ["case", "-signed_at"]
        indexes = [models.Index(fields=["case", "signed_at"], name="checklist_signoff_case_at")]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.signed_at:%Y-%m-%d}"


class ImportKind(models.TextChoices):
    """What an indlæsning reads: the events file (§1), the organisation file (§0), the staff file (§0b)."""

    EVENTS = "events", "Hændelser"
    ORGANISATION = "organisation", "Organisation"
    STAFF = "staff", "Medarbejdere"


class ImportJobStatus(models.TextChoices):
    RUNNING = "running", "I gang"
    DONE = "done", "Indlæst"
    REJECTED = "rejected", "Afvist – intet indlæst"
    FAILED = "failed", "Fejlet – intet indlæst"


class ImportJob(models.Model):
    """An indlæsning started from the upload page: who, which file, how it ended and its error report.

    Progress while it runs lives in the cache (the import's own transaction hides it from the
    database); the outcome, counts and the Danish errors (CPR masked) are stored here when it ends.
    The uploaded file waits in `payload` until a worker has run it (a queue message carries only the
    job's id), and is emptied when the job ends. `worker` (``host:pid``) is the process that took the
    job, empty while it waits in the queue (ADR 0015).
    """

    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="+")
    created_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    kind = models.CharField("filtype", max_length=20, choices=ImportKind.choices, default=ImportKind.EVENTS)
    filename = models.CharField("filnavn", max_length=255)
    dry_run = models.BooleanField("prøvekørsel", default=False)
    status = models.CharField("status", max_length=20, choices=ImportJobStatus.choices)
    result = models.JSONField("resultat", default=dict, blank=True)
    errors = models.JSONField("fejl", default=list, blank=True)
    created_at = models.DateTimeField("startet")
    finished_at = models.DateTimeField("afsluttet", null=True, blank=True)
    options = models.JSONField("valg", default=dict, blank=True)
    payload = models.BinaryField("fil", default=b"", blank=True)
    worker = models.CharField("arbejdsproces", max_length=255, blank=True, default="")
    started_at = models.DateTimeField("påbegyndt", null=True, blank=True)

    class Meta:
        verbose_name = "indlæsning"
        verbose_name_plural = "indlæsninger"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.filename} ({self.get_status_display()})"


class OverrunReason(models.Model):
    """A begrundelse for overskridelse: why a deadline was overrun (seed 001: "overskridelser begrundes i
    sagen"), with an optional planned date (planlagt udført), and the leader's kvittering
    (acknowledgement) that they have seen it.

    An obligation's row is replaced when a recompute changes it (ADR 0007), so the reason is tied to the
    obligation's identity instead: the case and `obligation_key` (rule, triggering event, due date; see
    `sagstilsyn.cases.overrun.keys.overrun_key`). Written only by `overrun_reason_record` and
    `overrun_reason_acknowledge`, which also write the audit events.
    """

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="overrun_reasons")
    obligation_key = models.CharField("forpligtelse", max_length=200)
    rule_id = models.CharField("regel", max_length=80)
    due_day = models.DateField("frist")
    text = models.TextField("begrundelse")
    planned_day = models.DateField("planlagt udført", null=True, blank=True)
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, related_name="+")
    recorded_at = models.DateTimeField("begrundet")
    acknowledged_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    acknowledged_at = models.DateTimeField("kvitteret", null=True, blank=True)

    class Meta:
        verbose_name = "begrundelse for overskridelse"
        verbose_name_plural = "begrundelser for overskridelse"
        ordering = ["case", "due_day", "rule_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "obligation_key"], name="overrun_reason_unique_obligation"
            ),
            models.CheckConstraint(
                condition=models.Q(acknowledged_by__isnull=True, acknowledged_at__isnull=True)
                | models.Q(acknowledged_by__isnull=False, acknowledged_at__isnull=False),
                name="overrun_reason_acknowledged_by_and_at",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.rule_id} {self.due_day.isoformat()}: {self.text[:40]}"
