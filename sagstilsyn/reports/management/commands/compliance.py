"""`sagstilsyn compliance --period PERIOD [--as-of DATE] [--unit CODE] [--format csv|xlsx] [--output FILE]`:
lovoverholdelsesprocenter (supervision-contract.md §4, ADR 0035).

One row per requirement × unit (and ALL) × pillar, columns in this order: requirement, unit, pillar, n,
numerator, percentage, ci_low, ci_high. Percentages with two decimals and a point; rows with n = 0 left
out. CSV (UTF-8, comma) to standard output or FILE; XLSX needs --output and has the header as its first
row (the columns are a public contract).
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import CommandParser

from sagstilsyn.cases.management.common import iso_day, municipality_resolve
from sagstilsyn.core.management.base import Failed, PlainFailureCommand
from sagstilsyn.core.management.tables import table_arguments, table_write
from sagstilsyn.core.models import Unit
from sagstilsyn.law.calendar import today_local
from sagstilsyn.reports.compliance import Figure, compliance_figures
from sagstilsyn.reviews.programmes.periods import PeriodError, period_parse

HEADERS = ("requirement", "unit", "pillar", "n", "numerator", "percentage", "ci_low", "ci_high")


def _percent(share: float) -> str:
    return f"{100 * share:.2f}"


def compliance_rows(figures: list[Figure]) -> list[list[object]]:
    """The export's rows, in the contract's column order."""
    return [
        [f.requirement, f.unit, f.pillar, f.n, f.numerator, *map(_percent, (f.share, f.low, f.high))]
        for f in figures
    ]


class Command(PlainFailureCommand):
    help = "Lovoverholdelsesprocenter pr. krav og enhed: data og gennemgange (se supervision-contract.md §4)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--period", required=True, metavar="PERIODE", help="2025-03, 2025Q1 eller 2025")
        parser.add_argument(
            "--as-of", type=iso_day, metavar="DATO", help="bedøm pr. denne dato (ÅÅÅÅ-MM-DD); standard: i dag"
        )
        parser.add_argument("--unit", metavar="KODE", help="kun denne enheds rækker (enhedskoden)")
        table_arguments(parser)
        parser.add_argument(
            "--municipality", metavar="KODE", help="kommunekoden; kun nødvendig ved flere kommuner"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            period = period_parse(options["period"])
        except PeriodError as error:
            raise Failed(str(error)) from None
        if options["format"] == "xlsx" and not options["output"]:
            raise Failed("XLSX skal skrives til en fil: angiv --output FIL.xlsx.")
        municipality = municipality_resolve(options["municipality"])
        unit = options["unit"]
        if unit is not None and not Unit.objects.filter(municipality=municipality, code=unit).exists():
            raise Failed(f"Enheden med koden '{unit}' findes ikke i kommunen {municipality.code}.")
        figures = compliance_figures(
            municipality=municipality,
            start=period.start,
            end=period.end,
            as_of=options["as_of"] or today_local(),
            unit=unit,
        )
        rows = compliance_rows(figures)
        table_write(
            self.stdout,
            HEADERS,
            rows,
            file_format=options["format"],
            output=options["output"],
            sheet_title="Lovoverholdelse",
        )
