"""`sagstilsyn audit verify [--municipality KODE]`: check the hash chains of the revisionsspor and the
adgangslog (ADR 0018).

Walks every chain (one per table and municipality) and reports, in Danish, the first findings of each:
an altered row, deleted rows, inserted rows. Exits 1 when anything was found, so cron mails the output.
A progress line on stderr when stderr is a terminal (or with --progress).
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import CommandParser

from sagstilsyn.core.chain_check import EVERY, ChainCheck, audit_chain_verify
from sagstilsyn.core.management.base import Failed, PlainFailureCommand
from sagstilsyn.core.models import Municipality

SHOWN = 10


def _thousands(number: int) -> str:
    return f"{number:,}".replace(",", ".")


def _rows(number: int) -> str:
    return f"{_thousands(number)} {'række' if number == 1 else 'rækker'}"


class Command(PlainFailureCommand):
    help = "Revisionsspor og adgangslog: kontrollér hash-kæderne (verify)."

    def add_arguments(self, parser: CommandParser) -> None:
        subparsers = parser.add_subparsers(dest="action", required=True, metavar="{verify}")
        verify = subparsers.add_parser(
            "verify",
            help="kontrollér, at ingen række i revisionsspor og adgangslog er ændret, slettet eller indsat",
            description="Går hver kæde igennem (én pr. tabel og kommune), genberegner hver rækkes hash og "
            "melder ændrede, slettede og indsatte rækker. Afslutter med status 1, hvis noget blev fundet.",
        )
        verify.add_argument("--municipality", metavar="KODE", help="kun denne kommunes kæder")
        verify.add_argument("--progress", action="store_true", help="vis fremdrift, også uden terminal")

    def handle(self, *args: Any, **options: Any) -> None:
        municipality_id: int | None = EVERY
        if options["municipality"]:
            municipality = Municipality.objects.filter(code=options["municipality"]).first()
            if municipality is None:
                raise Failed(f"Kommunen med kode '{options['municipality']}' findes ikke.")
            municipality_id = municipality.pk
        show_progress = options["progress"] or self.stderr.isatty()
        check = audit_chain_verify(
            municipality_id=municipality_id, progress=self._progress if show_progress else None
        )
        self._report(check)
        if not check.ok:
            raise Failed(f"Kæderne er brudt: {_thousands(check.count)} fund i {_rows(check.rows)}.")

    def _progress(self, done: int, total: int) -> None:
        self.stderr.write(f"\rKontrollerer: {_thousands(done)} af {_thousands(total)} rækker", ending="")
        if done >= total:
            self.stderr.write("")
        self.stderr.flush()

    def _report(self, check: ChainCheck) -> None:
        if not check.chains:
            self.stdout.write("Ingen kæder endnu: revisionssporet og adgangsloggen er tomme.")
        for chain in check.chains:
            rows = _rows(chain.rows)
            if chain.ok:
                self.stdout.write(self.style.SUCCESS(f"{chain.label}: {rows}, intakt."))
                continue
            self.stdout.write(f"{chain.label}: {rows}, {_thousands(chain.count)} fund:")
            for finding in chain.findings[:SHOWN]:
                self.stdout.write(f"  {finding.message}")
            if chain.count > SHOWN:
                self.stdout.write(f"  … og {_thousands(chain.count - SHOWN)} fund mere.")
        if check.ok and check.chains:
            self.stdout.write(f"Alle kæder er intakte ({_rows(check.rows)} kontrolleret).")
