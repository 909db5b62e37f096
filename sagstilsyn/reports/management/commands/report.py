"""`sagstilsyn report committee --period 2025Q1 [--as-of DATE] [--output FILE.pdf|FILE.xlsx]
[--municipality CODE]`: make and store the quarter's committee report (udvalgsrapport), write it as PDF or
XLSX, and print its number and hash. `sagstilsyn report verify [--id N]`: compute stored reports again
from the register and say whether their figures still match; exit 1, naming the differences in Danish,
when one does not (issue 14 §5, ADR 0039)."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from django.core.management.base import CommandParser

from sagstilsyn.cases.management.common import iso_day, municipality_resolve
from sagstilsyn.core.management.base import Failed, PlainFailureCommand
from sagstilsyn.law.calendar import today_local
from sagstilsyn.reports.committee.pdf import committee_report_pdf
from sagstilsyn.reports.committee.services import committee_report_make, committee_report_verify
from sagstilsyn.reports.committee.xlsx import committee_report_xlsx
from sagstilsyn.reports.models import CommitteeReport
from sagstilsyn.reviews.programmes.periods import PeriodError, period_parse

WRITERS = {".pdf": committee_report_pdf, ".xlsx": committee_report_xlsx}


class Command(PlainFailureCommand):
    help = "Udvalgsrapporten: lav og gem kvartalets rapport (PDF eller XLSX), eller efterprøv de gemte."

    def add_arguments(self, parser: CommandParser) -> None:
        subparsers = parser.add_subparsers(dest="what", required=True, metavar="{committee,verify}")
        committee = subparsers.add_parser(
            "committee",
            help="lav, gem og skriv udvalgsrapporten for en periode",
            description="Lav udvalgsrapporten for perioden, gem dens tal og grundlag, og skriv den som PDF "
            "eller XLSX. Udskriver rapportens nummer og tallenes kontrolsum (SHA-256).",
        )
        committee.add_argument("--period", required=True, metavar="PERIODE", help="fx 2025Q1")
        committee.add_argument(
            "--as-of", type=iso_day, metavar="DATO", help="opgør pr. denne dato (ÅÅÅÅ-MM-DD); standard: i dag"
        )
        committee.add_argument("--output", metavar="FIL", help="FIL.pdf eller FIL.xlsx")
        committee.add_argument("--municipality", metavar="KODE", help="kommunekoden; kun ved flere kommuner")
        verify = subparsers.add_parser(
            "verify",
            help="efterprøv gemte udvalgsrapporter mod registeret",
            description="Regn de gemte rapporters tal igen fra registeret med deres egen opgørelsesdato, og "
            "sig, om de stadig er de samme. Afslutter med kode 1, når en rapport ikke længere passer.",
        )
        verify.add_argument("--id", type=int, metavar="N", help="kun rapport nummer N; standard: alle")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["what"] == "verify":
            self._verify(options["id"])
        else:
            self._committee(options)

    def _committee(self, options: dict[str, Any]) -> None:
        try:
            period = period_parse(options["period"])
        except PeriodError as error:
            raise Failed(f"Perioden kan ikke læses: {error}.") from None
        output = Path(options["output"]) if options["output"] else None
        if output is not None and output.suffix.lower() not in WRITERS:
            raise Failed(f"Filen '{output.name}' skal ende på .pdf eller .xlsx.")
        if output is not None and not output.parent.is_dir():
            raise Failed(f"Mappen '{output.parent}' findes ikke.")
        municipality = municipality_resolve(options["municipality"])
        started = time.perf_counter()
        report = committee_report_make(
            municipality=municipality, period=period, as_of=options["as_of"] or today_local(), actor=None
        )
        made = time.perf_counter() - started
        if output is not None:
            output.write_bytes(WRITERS[output.suffix.lower()](report))
        self.stdout.write(f"Udvalgsrapport nr. {report.pk} for {period.label} gemt.")
        self.stdout.write(f"Kontrolsum (SHA-256): {report.figures_hash}")
        if output is not None:
            self.stdout.write(
                f"Skrevet til {output} ({time.perf_counter() - started:.1f} s; tallene {made:.1f} s)."
            )

    def _verify(self, report_id: int | None) -> None:
        reports = CommitteeReport.objects.select_related("municipality").order_by("pk")
        if report_id is not None:
            reports = reports.filter(pk=report_id)
            if not reports.exists():
                raise Failed(f"Der er ingen udvalgsrapport med nummer {report_id}.")
        failed = 0
        for report in reports:
            result = committee_report_verify(report)
            name = f"Udvalgsrapport nr. {report.pk} ({report.period}, opgjort pr. {report.as_of:%d.%m.%Y})"
            if result.matches:
                self.stdout.write(f"{name}: tallene passer.")
            else:
                failed += 1
                self.stdout.write(f"{name}: tallene passer IKKE længere.")
                for difference in result.differences:
                    self.stdout.write(f"  - {difference}")
            for note in result.notes:
                self.stdout.write(f"  Bemærk: {note}")
        if failed:
            raise Failed(f"{failed} udvalgsrapport(er) passer ikke længere med registeret.")
