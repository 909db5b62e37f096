"""`sagstilsyn obligations export|recompute|mark-overdue`: forpligtelser.

export        one row per obligation (data-contract.md §2), statuses judged on --as-of by the law core
recompute     recompute and store the obligations of every case (a progress bar on stderr); with --queue
              sent to the worker as one task per municipality when a broker is configured (ADR 0015)
mark-overdue  the daily job: open obligations whose deadline has passed become overdue
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import CommandParser

from sagstilsyn.cases.management.common import ProgressBar, iso_day, municipality_resolve
from sagstilsyn.cases.models import Case
from sagstilsyn.cases.selectors.export import (
    obligations_export_csv,
    obligations_export_rows,
    obligations_export_xlsx,
)
from sagstilsyn.cases.services.obligations import obligations_mark_overdue, obligations_recompute
from sagstilsyn.cases.tasks import obligations_recompute_task
from sagstilsyn.core.management.base import Failed, PlainFailureCommand
from sagstilsyn.core.models import Municipality, Unit
from sagstilsyn.core.queue.services import Fallback, queue_configured, queue_submit
from sagstilsyn.law.calendar import today_local

AS_OF_HELP = "bedøm pr. denne dato (ÅÅÅÅ-MM-DD); standard: i dag"


class Command(PlainFailureCommand):
    help = "Forpligtelser: udtræk (export), genberegning (recompute) og det daglige overskridelsesjob."

    def add_arguments(self, parser: CommandParser) -> None:
        subparsers = parser.add_subparsers(
            dest="action", required=True, metavar="{export,recompute,mark-overdue}"
        )
        export = subparsers.add_parser(
            "export",
            help="udtræk forpligtelserne som CSV eller XLSX",
            description="Én række pr. forpligtelse: case_id, unit, rule, law, trigger_event_id, due, "
            "status, satisfied_event_id; sorteret efter sag, frist og regel. Status bedømmes pr. "
            "--as-of ud fra sagernes hændelser. CSV skrives til stdout, medmindre --output er givet.",
        )
        export.add_argument("--as-of", type=iso_day, metavar="DATO", help=AS_OF_HELP)
        export.add_argument("--unit", metavar="KODE", help="kun sager i denne enhed")
        export.add_argument(
            "--municipality",
            metavar="KODE",
            help="kommunekoden; kun nødvendig, når databasen rummer flere kommuner",
        )
        export.add_argument(
            "--format",
            choices=("csv", "xlsx"),
            help="csv (standard) eller xlsx (kræver --output); standard efter --output's endelse",
        )
        export.add_argument("--output", metavar="FIL", help="skriv til denne fil i stedet for stdout")
        recompute = subparsers.add_parser(
            "recompute",
            help="genberegn og gem alle sagers forpligtelser",
            description="Genberegn forpligtelserne for alle sager (i kommunen), bedømt pr. --as-of.",
        )
        recompute.add_argument("--municipality", metavar="KODE", help="kun sager i denne kommune")
        recompute.add_argument("--as-of", type=iso_day, metavar="DATO", help=AS_OF_HELP)
        recompute.add_argument(
            "--queue",
            action="store_true",
            help="send genberegningen til køen (sagstilsyn worker) i stedet for at køre den her; "
            "uden SAGSTILSYN_BROKER_URL køres den her",
        )
        overdue = subparsers.add_parser(
            "mark-overdue",
            help="det daglige job: åbne forpligtelser med overskreden frist bliver overskredne",
        )
        overdue.add_argument("--as-of", type=iso_day, metavar="DATO", help=AS_OF_HELP)

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "export":
            self._export(options)
        elif action == "recompute":
            self._recompute(options)
        else:
            changed = obligations_mark_overdue(as_of=options["as_of"])
            self.stdout.write(
                f"{changed} forpligtelser er markeret som overskredne "
                f"(pr. {(options['as_of'] or today_local()).isoformat()})."
            )

    def _export(self, options: dict[str, Any]) -> None:
        municipality = municipality_resolve(options["municipality"])
        unit = None
        if options["unit"]:
            unit = Unit.objects.filter(municipality=municipality, code=options["unit"]).first()
            if unit is None:
                raise Failed(f"Enheden '{options['unit']}' findes ikke i {municipality.name}.")
        output = options["output"]
        kind = options["format"] or ("xlsx" if output and output.lower().endswith(".xlsx") else "csv")
        if kind == "xlsx" and not output:
            raise Failed("--format xlsx kræver --output FIL.xlsx.")
        rows = obligations_export_rows(
            municipality=municipality, unit=unit, as_of=options["as_of"] or today_local()
        )
        if kind == "xlsx":
            Path(output).write_bytes(obligations_export_xlsx(rows))
        elif output:
            Path(output).write_text(obligations_export_csv(rows), encoding="utf-8", newline="")
        else:
            self.stdout.write(obligations_export_csv(rows), ending="")
        if output:
            self.stderr.write(f"{len(rows)} forpligtelser er skrevet til {output}.")

    def _recompute(self, options: dict[str, Any]) -> None:
        if options["municipality"]:
            municipalities = [municipality_resolve(options["municipality"])]
        else:
            municipalities = list(Municipality.objects.order_by("code"))
        as_of = options["as_of"] or today_local()
        if options["queue"] and queue_configured():
            for municipality in municipalities:
                queue_submit(
                    obligations_recompute_task,
                    kwargs={"municipality_code": municipality.code, "as_of": as_of.isoformat()},
                    fallback=Fallback.INLINE,
                )
            names = ", ".join(municipality.name for municipality in municipalities)
            self.stdout.write(f"Genberegningen er sendt til køen ({names or 'ingen kommuner'}).")
            return
        cases = obligations = 0
        for municipality in municipalities:
            ids = list(Case.objects.filter(municipality=municipality).values_list("id", flat=True))
            if not ids:
                continue
            bar = ProgressBar(self.stderr, f"{municipality.name}:")
            obligations += obligations_recompute(
                case_ids=ids,
                municipality=municipality,
                as_of=as_of,
                reason="kommando: sagstilsyn obligations recompute",
                progress=bar,
            )
            cases += len(ids)
        self.stdout.write(
            f"Genberegnet {obligations} forpligtelser for {cases} sager (bedømt pr. {as_of.isoformat()})."
        )
