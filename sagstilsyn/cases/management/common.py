"""Shared pieces of the `import` and `obligations` commands (kommandoer): municipality choice, dates and
a text progress bar on stderr. Their failures are `sagstilsyn.core.management.base.Failed`."""

from __future__ import annotations

import argparse
from datetime import date

from django.core.management.base import OutputWrapper

from sagstilsyn.core.management.base import Failed
from sagstilsyn.core.models import Municipality


def iso_day(value: str) -> date:
    """An argparse type: an ISO date (ÅÅÅÅ-MM-DD)."""
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{value}' er ikke en dato på formen ÅÅÅÅ-MM-DD") from None


def municipality_resolve(code: str | None) -> Municipality:
    """The municipality named by --municipality, or the only one in the database."""
    if code:
        found = Municipality.objects.filter(code=code).first()
        if found is None:
            raise Failed(f"Kommunen med koden '{code}' findes ikke i databasen.")
        return found
    municipalities = list(Municipality.objects.order_by("code")[:11])
    if not municipalities:
        raise Failed(
            "Der er ingen kommuner i databasen. Indlæs først organisationsfilen: "
            "sagstilsyn import organisation FIL"
        )
    if len(municipalities) > 1:
        codes = ", ".join(m.code for m in municipalities[:10])
        raise Failed(f"Databasen rummer flere kommuner ({codes}); angiv hvilken med --municipality KODE.")
    return municipalities[0]


class ProgressBar:
    """A text progress bar: '\\r<label> [#####.....]  50 % (1000/2000)', a newline when done."""

    WIDTH = 30

    def __init__(self, stream: OutputWrapper, label: str):
        self.stream = stream
        self.label = label
        self.finished = False

    def __call__(self, done: int, total: int) -> None:
        if self.finished:
            return
        share = done / total if total else 1.0
        filled = round(share * self.WIDTH)
        bar = "#" * filled + "." * (self.WIDTH - filled)
        self.stream.write(f"\r{self.label} [{bar}] {share:4.0%} ({done}/{total})", ending="")
        if done >= total:
            self.stream.write("")
            self.finished = True
        self.stream.flush()
