"""The reports' stored settings: each municipality's compliance standard (målsætning) — the target a
requirement's compliance is judged against and the LQAS traffic light's thresholds (ADR 0037)."""

from __future__ import annotations

from django.db import models

from sagstilsyn.core.models import Municipality, User


class ComplianceStandard(models.Model):
    """En kommunes målsætning for lovoverholdelse: `target` (e.g. 90 %) is the share a requirement
    should reach — below it, with the interval wholly under it, a requirement is a risk area
    (risikoområde); `lower` is the LQAS lower threshold (a unit at it should read "Under standarden");
    `alpha` and `beta` the traffic light's risks. Shares in [0, 1]. One row per municipality; without a
    row the defaults of `reports.standards` apply."""

    municipality = models.OneToOneField(Municipality, on_delete=models.PROTECT, related_name="+")
    target = models.FloatField("målsætning")
    lower = models.FloatField("nedre tærskel")
    alpha = models.FloatField("risiko for fejlagtigt 'under standarden'")
    beta = models.FloatField("risiko for fejlagtigt 'lever op til standarden'")
    changed_at = models.DateTimeField("ændret")
    changed_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, related_name="+")

    class Meta:
        verbose_name = "målsætning for lovoverholdelse"
        verbose_name_plural = "målsætninger for lovoverholdelse"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(lower__gt=0, target__lt=1, lower__lt=models.F("target")),
                name="standard_thresholds",
            ),
            models.CheckConstraint(
                condition=models.Q(alpha__gt=0, alpha__lt=0.5, beta__gt=0, beta__lt=0.5),
                name="standard_risks",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.municipality}: {self.target:.0%}"
