"""Udvalgsrapporter (stored committee reports, issue 14 §5, ADR 0039): the figures of a quarter's report
to the political committee as canonical JSON with their SHA-256, and everything they rest on, so the same
report made again later gives the same numbers and `sagstilsyn report verify` can say so."""

from __future__ import annotations

from django.db import models

from sagstilsyn.core.models import Municipality, User


class CommitteeReport(models.Model):
    """En udvalgsrapport: the quarter (`period`, "2025Q1"), the day its figures were judged on (`as_of`),
    the rule catalogue's version, the questionnaire versions used ("id.vN" → fingerprint), the samples
    its reviews came from, the compliance standard applied, the figures (canonical JSON: aggregates only,
    counts of cases, never a child, case or person) and their SHA-256."""

    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="+")
    period = models.CharField("periode", max_length=10)
    as_of = models.DateField("opgjort pr.")
    catalogue_version = models.CharField("katalogversion", max_length=40)
    questionnaires = models.JSONField("spørgeskemaversioner", default=dict)
    sample_ids = models.JSONField("stikprøver", default=list)
    standard = models.JSONField("målsætning")
    figures = models.TextField("tal (kanonisk JSON)")
    figures_hash = models.CharField("tallenes SHA-256", max_length=64)
    created_at = models.DateTimeField("lavet")
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    class Meta:
        verbose_name = "udvalgsrapport"
        verbose_name_plural = "udvalgsrapporter"
        ordering = ("-created_at", "-pk")

    def __str__(self) -> str:
        return f"Udvalgsrapport {self.period} ({self.figures_hash[:12]})"
