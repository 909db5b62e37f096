"""`sagstilsyn reviews agreement --period PERIOD [--format csv|xlsx] [--output FILE]`: enighed mellem
første og fornyet gennemgang (supervision contract §4).

Columns, in this order: requirement, pairs, agreement, kappa, ac1. Shares and coefficients with four
decimals and a point; empty where undefined. CSV (UTF-8, comma) to standard output or FILE; XLSX needs
--output and has the header as its first row (the columns are a public contract).
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import CommandParser

from sagstilsyn.cases.management.common import municipality_resolve
from sagstilsyn.core.management.base import Failed, PlainFailureCommand
from sagstilsyn.core.management.tables import table_arguments, table_write
from sagstilsyn.reviews.agreement import Agreement, period_bounds
from sagstilsyn.reviews.selectors import review_agreement

HEADERS = ("requirement", "pairs", "agreement", "kappa", "ac1")


def _number(value: float | None) -> str:
    return "" if value is None else f"{value:.4f}"


def agreement_rows(results: list[tuple[str, Agreement]]) -> list[list[object]]:
    return [
        [requirement, a.pairs, _number(a.agreement), _number(a.kappa), _number(a.ac1)]
        for requirement, a in results
    ]


class Command(PlainFailureCommand):
    help = "Ledelsestilsyn: gennemgange (se docs/supervision-contract.md §4)."

    def add_arguments(self, parser: CommandParser) -> None:
        commands = parser.add_subparsers(dest="what", required=True, metavar="{agreement}")
        agreement = commands.add_parser(
            "agreement",
            help="enighed mellem niveau 1 og 2 pr. spørgsmål: andel ens svar, Cohens kappa og Gwets AC1",
        )
        agreement.add_argument(
            "--period", required=True, metavar="PERIODE", help="2025-03, 2025Q1 eller 2025"
        )
        table_arguments(agreement)
        agreement.add_argument(
            "--municipality", metavar="KODE", help="kommunekoden; kun nødvendig ved flere kommuner"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            start, end = period_bounds(options["period"])
        except ValueError as error:
            raise Failed(str(error)) from None
        municipality = municipality_resolve(options["municipality"])
        rows = agreement_rows(review_agreement(municipality=municipality, start=start, end=end))
        table_write(
            self.stdout,
            HEADERS,
            rows,
            file_format=options["format"],
            output=options["output"],
            sheet_title="Enighed",
        )
