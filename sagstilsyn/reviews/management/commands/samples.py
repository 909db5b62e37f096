"""`sagstilsyn samples export|frame|verify` (supervision-contract.md §2).

export  every sample row with the contract's columns (CSV to stdout unless --output; XLSX needs --output)
frame   one sample's frame: case_id, stratum, risk_weight
verify  redraw every stored sample from its frame and seed; exit 1 on any difference
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import CommandParser

from sagstilsyn.core.management.base import Failed, PlainFailureCommand
from sagstilsyn.core.management.tables import table_write
from sagstilsyn.reviews.models import Sample
from sagstilsyn.reviews.programmes.draw import samples_verify
from sagstilsyn.reviews.programmes.export import (
    EXPORT_COLUMNS,
    FRAME_COLUMNS,
    sample_frame_rows,
    samples_export_rows,
)
from sagstilsyn.reviews.programmes.periods import PeriodError, period_parse


class Command(PlainFailureCommand):
    help = "Stikprøver: udtræk (export), rammen (frame) og kontrol ved genudtrækning (verify)."

    def add_arguments(self, parser: CommandParser) -> None:
        subparsers = parser.add_subparsers(dest="action", required=True, metavar="{export,frame,verify}")
        export = subparsers.add_parser("export", help="alle stikprøvernes rækker som CSV eller XLSX")
        export.add_argument(
            "--period", metavar="PERIODE", help="kun denne periode: 2025-03, 2025Q1 eller 2025"
        )
        export.add_argument("--programme", metavar="KODE", help="kun dette tilsynsprogram")
        export.add_argument(
            "--format", choices=("csv", "xlsx"), help="csv (standard) eller xlsx (kræver --output)"
        )
        export.add_argument("--output", metavar="FIL", help="skriv til denne fil i stedet for stdout")
        frame = subparsers.add_parser("frame", help="en stikprøves ramme: case_id, stratum, risk_weight")
        frame.add_argument("sample_id", metavar="SAMPLE_ID", help="stikprøvens id (sample_id i udtrækket)")
        frame.add_argument("--output", metavar="FIL", help="skriv til denne fil i stedet for stdout")
        subparsers.add_parser("verify", help="genudtræk alle gemte stikprøver; exit 1 ved enhver forskel")

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "export":
            period = ""
            if options["period"]:
                try:
                    period = period_parse(options["period"]).label
                except PeriodError as error:
                    raise Failed(f"--period: {error}") from error
            rows = samples_export_rows(period=period, programme=options["programme"] or "")
            self._write(EXPORT_COLUMNS, rows, options, "Stikprøver")
        elif action == "frame":
            sample = (
                Sample.objects.filter(pk=int(options["sample_id"])).first()
                if options["sample_id"].isdigit()
                else None
            )
            if sample is None:
                raise Failed(f"Stikprøven '{options['sample_id']}' findes ikke.")
            self._write(FRAME_COLUMNS, sample_frame_rows(sample), options, "Ramme")
        else:
            problems = samples_verify()
            for problem in problems:
                self.stderr.write(problem)
            if problems:
                raise Failed(f"{len(problems)} forskelle: stikprøverne kan ikke genudtrækkes som gemt.")
            self.stdout.write(f"{Sample.objects.count()} stikprøver genudtrukket uden forskelle.")

    def _write(
        self, headers: tuple[str, ...], rows: list[list[object]], options: dict[str, Any], sheet: str
    ) -> None:
        output = options.get("output")
        table_write(
            self.stdout, headers, rows, file_format=options.get("format"), output=output, sheet_title=sheet
        )
        if output:
            self.stderr.write(f"{len(rows)} rækker er skrevet til {output}.")
