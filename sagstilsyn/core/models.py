"""Organisation, people, roles, audit events and the access log.

Danish glossary: kommune (Municipality), borgercenter (Centre), enhed / børnefamilieenhed and
Døgnvagten (Unit), gruppe — undersøgelse, børn, unge (CaseGroup), medarbejder (User), rolle
(Role, RoleAssignment), revisionsspor (AuditEvent), adgangslog (AccessLogEntry), kædehoved (AuditChainHead),
kørsel af et planlagt job (JobRun).
Models hold data and constraints only; business logic lives in services and selectors.
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q


class Municipality(models.Model):
    """A kommune, e.g. code 101 Københavns Kommune. Several can share a deployment, strictly apart."""

    code = models.CharField("kommunekode", max_length=8, unique=True)
    name = models.CharField("navn", max_length=200)

    class Meta:
        verbose_name = "kommune"
        verbose_name_plural = "kommuner"
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class Centre(models.Model):
    """A borgercenter, e.g. Borgercenter Børn og Unge."""

    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="centres")
    name = models.CharField("navn", max_length=200)

    class Meta:
        verbose_name = "borgercenter"
        verbose_name_plural = "borgercentre"
        constraints = [models.UniqueConstraint(fields=["municipality", "name"], name="centre_unique_name")]

    def __str__(self) -> str:
        return self.name


class UnitKind(models.TextChoices):
    UNIT = "unit", "Enhed"
    EMERGENCY = "emergency", "Døgnvagt"


class Unit(models.Model):
    """An enhed: a børnefamilieenhed or the emergency service (Døgnvagten)."""

    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="units")
    centre = models.ForeignKey(Centre, on_delete=models.PROTECT, null=True, blank=True, related_name="units")
    code = models.CharField("enhedskode", max_length=40)
    name = models.CharField("navn", max_length=200)
    kind = models.CharField("type", max_length=20, choices=UnitKind.choices, default=UnitKind.UNIT)

    class Meta:
        verbose_name = "enhed"
        verbose_name_plural = "enheder"
        ordering = ["municipality__code", "code"]
        constraints = [models.UniqueConstraint(fields=["municipality", "code"], name="unit_unique_code")]

    def __str__(self) -> str:
        return self.name


class CaseGroup(models.TextChoices):
    """The groups of a unit: undersøgelse, børn, unge."""

    INVESTIGATION = "investigation", "Undersøgelse"
    CHILDREN = "children", "Børn"
    YOUTH = "youth", "Unge"


class User(AbstractUser):
    """A medarbejder (or committee member). Roles come from RoleAssignment, never from flags here."""

    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, null=True, blank=True, related_name="users"
    )

    class Meta:
        verbose_name = "bruger"
        verbose_name_plural = "brugere"

    @property
    def display_name(self) -> str:
        return self.get_full_name() or self.username


class Role(models.TextChoices):
    CASEWORKER = "caseworker", "Sagsbehandler"
    COORDINATOR = "coordinator", "Faglig koordinator"
    DEPARTMENT_LEADER = "department_leader", "Afdelingsleder"
    AREA_CHIEF = "area_chief", "Områdechef"
    AREA_LAWYER = "area_lawyer", "Områdejurist"
    CENTRE_LAWYER = "centre_lawyer", "Centerjurist"
    CENTRAL_LAWYER = "central_lawyer", "Central jurist"
    ADMINISTRATOR = "administrator", "Administrator"
    COMMITTEE_MEMBER = "committee_member", "Udvalgsmedlem"
    DATA_PROTECTION_OFFICER = "data_protection_officer", "Databeskyttelsesrådgiver"
    EXTERNAL_REVIEWER = "external_reviewer", "Ekstern gennemgår"


#: Roles held in one unit; the other roles span the whole municipality.
UNIT_ROLES: tuple[str, ...] = (
    Role.CASEWORKER,
    Role.COORDINATOR,
    Role.DEPARTMENT_LEADER,
    Role.AREA_CHIEF,
    Role.AREA_LAWYER,
)
MUNICIPALITY_ROLES: tuple[str, ...] = (
    Role.CENTRE_LAWYER,
    Role.CENTRAL_LAWYER,
    Role.ADMINISTRATOR,
    Role.COMMITTEE_MEMBER,
    Role.DATA_PROTECTION_OFFICER,
    Role.EXTERNAL_REVIEWER,
)


class RoleAssignment(models.Model):
    """A rolle held by a user: in one unit (and group), or across the municipality."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_assignments")
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="role_assignments")
    role = models.CharField("rolle", max_length=30, choices=Role.choices)
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, null=True, blank=True, related_name="role_assignments"
    )
    group = models.CharField("gruppe", max_length=20, choices=CaseGroup.choices, blank=True)

    class Meta:
        verbose_name = "rolle"
        verbose_name_plural = "roller"
        constraints = [
            models.UniqueConstraint(fields=["user", "role", "unit"], name="role_unique_per_unit"),
            models.CheckConstraint(
                condition=(Q(role__in=UNIT_ROLES) & Q(unit__isnull=False))
                | (Q(role__in=MUNICIPALITY_ROLES) & Q(unit__isnull=True)),
                name="role_scope_matches_unit",
            ),
        ]

    def __str__(self) -> str:
        where = self.unit.name if self.unit else self.municipality.name
        return f"{self.get_role_display()} i {where}"


class ChainedRow(models.Model):
    """A row of a hash chain (ADR 0018): its place in its municipality's chain (`seq`, from 1), the
    previous row's hash and its own keyed hash over its content and `prev_hash`. Written only by
    `core.services.chain.chain_append`; `sagstilsyn audit verify` recomputes them."""

    seq = models.BigIntegerField("nr. i kæden")
    prev_hash = models.CharField("forrige hash", max_length=64)
    hash = models.CharField("hash", max_length=64)

    class Meta:
        abstract = True


class AuditEvent(ChainedRow):
    """A revisionsspor entry: who did what, to whom, with old and new values. Written by every service.

    The actor is protected: a user who has acted is deactivated, never deleted (the hash covers the id)."""

    at = models.DateTimeField("tidspunkt", db_index=True)
    actor = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    actor_label = models.CharField("udført af", max_length=200)
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, null=True, blank=True)
    action = models.CharField("handling", max_length=80, db_index=True)
    target_type = models.CharField("objekttype", max_length=60, blank=True)
    target_id = models.CharField("objekt-id", max_length=60, blank=True)
    target_label = models.CharField("objekt", max_length=300, blank=True)
    before = models.JSONField("før", null=True, blank=True)
    after = models.JSONField("efter", null=True, blank=True)

    class Meta:
        verbose_name = "revisionsspor"
        verbose_name_plural = "revisionsspor"
        ordering = ["-at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "seq"], name="auditevent_unique_seq"),
            models.UniqueConstraint(
                fields=["seq"], condition=Q(municipality__isnull=True), name="auditevent_unique_seq_system"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.action} {self.target_label}".strip()


class AccessLogEntry(ChainedRow):
    """An adgangslog entry: a user saw a child's data (one row per page view or export).

    The user is protected: a user who has read is deactivated, never deleted (the hash covers the id)."""

    at = models.DateTimeField("tidspunkt", db_index=True)
    user = models.ForeignKey(User, on_delete=models.PROTECT, null=True, related_name="+")
    user_label = models.CharField("bruger", max_length=200)
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, null=True)
    child_id = models.BigIntegerField("barn (id)", null=True, db_index=True)
    case_id = models.BigIntegerField("sag (id)", null=True, db_index=True)
    purpose = models.CharField("visning", max_length=80)

    class Meta:
        verbose_name = "adgangslog"
        verbose_name_plural = "adgangslog"
        ordering = ["-at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "seq"], name="accesslog_unique_seq"),
            models.UniqueConstraint(
                fields=["seq"], condition=Q(municipality__isnull=True), name="accesslog_unique_seq_system"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_label}: {self.purpose}"


class AuditChainHead(models.Model):
    """A kædehoved: the last row of one hash chain (one per table and municipality, ADR 0018). Appending
    locks it, so two writers never chain to the same predecessor; `audit verify` compares the chain's
    last row with it, so rows deleted from the end are found too."""

    key = models.CharField("kæde", max_length=40, unique=True)
    seq = models.BigIntegerField("sidste nr.")
    hash = models.CharField("sidste hash", max_length=64)

    class Meta:
        verbose_name = "kædehoved"
        verbose_name_plural = "kædehoveder"

    def __str__(self) -> str:
        return f"{self.key} #{self.seq}"


class JobOutcome(models.TextChoices):
    """The udfald (outcome) of a kørsel: running while it runs, then ok or failed."""

    RUNNING = "running", "I gang"
    OK = "ok", "OK"
    FAILED = "failed", "Fejlet"


class JobRun(models.Model):
    """A kørsel (run) of a planlagt job (scheduled job) for one municipality and one slot, "planlagt
    til": the day of a daily job, the ISO week's Monday of a weekly one. Each municipality's runs stand
    apart: one row per (job, municipality, slot), and inserting it claims the slot, so two worker
    processes never run the same job for the same municipality and slot. `worker` (``host:pid``) is the
    process running it, so a run whose process died is found (ADR 0015). The jobs themselves are in
    `core.jobs.registry`."""

    job = models.CharField("job", max_length=60)
    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="job_runs", verbose_name="kommune"
    )
    slot = models.DateField("planlagt til")
    started_at = models.DateTimeField("startet")
    finished_at = models.DateTimeField("afsluttet", null=True, blank=True)
    outcome = models.CharField(
        "udfald", max_length=10, choices=JobOutcome.choices, default=JobOutcome.RUNNING
    )
    attempts = models.PositiveSmallIntegerField("forsøg", default=1)
    count = models.IntegerField("antal", null=True, blank=True)
    summary = models.CharField("resultat", max_length=300, blank=True)
    error = models.TextField("fejl", blank=True)
    worker = models.CharField("arbejdsproces", max_length=255, blank=True, default="")

    class Meta:
        verbose_name = "kørsel"
        verbose_name_plural = "kørsler"
        ordering = ["-started_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["job", "municipality", "slot"], name="jobrun_unique_slot"),
            models.CheckConstraint(condition=Q(outcome__in=JobOutcome.values), name="jobrun_outcome_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.job} {self.slot.isoformat()}: {self.get_outcome_display()}"


class CprKeyCheck(models.Model):
    """The kontrolværdi (check value) of the CPR key: a keyed hash of a fixed label under the key that
    encrypted the stored CPR numbers (`core.cpr.cpr_key_check_value`). One row, written on the first
    start with the key; every later start compares the key in use with it (ADR 0017)."""

    check_value = models.CharField("kontrolværdi", max_length=64)
    created_at = models.DateTimeField("gemt")

    class Meta:
        verbose_name = "kontrolværdi for CPR-nøglen"
        verbose_name_plural = "kontrolværdier for CPR-nøglen"

    def __str__(self) -> str:
        return f"Kontrolværdi gemt {self.created_at:%Y-%m-%d %H:%M}"
