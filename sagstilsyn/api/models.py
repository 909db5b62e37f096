"""API clients (API-klienter): one token for one case system in one municipality.

Glossary: API-klient (ApiClient), API-nøgle (token), kilde (source: the system's name, e.g. DUBU).
The token is stored only as a SHA-256 hash; the plaintext is shown once, when the client is created.
"""

from __future__ import annotations

from django.db import models

from sagstilsyn.core.models import Municipality, User


class ApiClient(models.Model):
    """A case system allowed to push events into one municipality, under one source name."""

    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="api_clients")
    source = models.CharField("kilde", max_length=60, help_text="fagsystemets navn, fx DUBU")
    token_hash = models.CharField("API-nøgle (SHA-256)", max_length=64, unique=True)
    token_prefix = models.CharField("API-nøglens begyndelse", max_length=16)
    created_at = models.DateTimeField("oprettet")
    created_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    created_by_label = models.CharField("oprettet af", max_length=200)
    last_used_at = models.DateTimeField("senest brugt", null=True, blank=True)
    active = models.BooleanField("aktiv", default=True)
    revoked_at = models.DateTimeField("tilbagekaldt", null=True, blank=True)

    class Meta:
        verbose_name = "API-klient"
        verbose_name_plural = "API-klienter"
        ordering = ["municipality__code", "source", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(active=True, revoked_at__isnull=True)
                | models.Q(active=False, revoked_at__isnull=False),
                name="api_client_revoked_iff_inactive",
            ),
            models.CheckConstraint(condition=~models.Q(source=""), name="api_client_source_not_empty"),
        ]

    def __str__(self) -> str:
        return f"{self.source} ({self.token_prefix}…)"
