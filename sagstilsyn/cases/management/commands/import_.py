"""`sagstilsyn import organisation|staff|events FILE`: indlæs organisationsfilen, medarbejderfilen eller
hændelsesfilen; and the kinds higher layers register (`reviews`, see cases/importing/registry.py).

All or nothing: a file with any bad row imports nothing, every bad row is printed as
'Række N, kolonne X, værdi V: hvad der er galt' (CPR masked), then 'Intet er indlæst.', and the exit
status is 1. With --report FILE.xlsx the same errors are also written as a Danish XLSX report; a file
without errors writes no report (and leaves an old report at that path alone).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import CommandParser

from sagstilsyn.cases.importing import (
    DEFAULT_SOURCE,
    NOTHING_IMPORTED,
    ImportRejected,
    error_text,
    import_events_file,
    import_organisation_file,
    import_report_xlsx,
    import_staff_file,
)
from sagstilsyn.cases.importing.registry import import_kinds
from sagstilsyn.cases.importing.services import OrganisationResult
from sagstilsyn.cases.management.common import ProgressBar, municipality_resolve
from sagstilsyn.cases.services.event_inputs import EventsResult, RowError
from sagstilsyn.core.management.base import Failed, PlainFailureCommand
from sagstilsyn.core.services.staff import StaffResult

ACTOR_LABEL = "kommando: sagstilsyn import"


class Command(PlainFailureCommand):
    help = (
        "Indlæs organisationsfilen (enheder), medarbejderfilen (medarbejdere og roller) eller "
        "hændelsesfilen (sagsfakta) fra CSV (UTF-8, komma- eller semikolonsepareret) eller XLSX (første "
        "ark). Alt eller intet: er én række forkert, indlæses intet. Se docs/contracts/data-contract.md."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        kinds = ",".join(("organisation", "staff", "events", *(kind.name for kind in import_kinds())))
        subparsers = parser.add_subparsers(dest="what", required=True, metavar=f"{{{kinds}}}")
        organisation = subparsers.add_parser(
            "organisation",
            help="indlæs kommuner og enheder (én række pr. enhed)",
            description="Indlæs organisationsfilen: municipality, municipality_name, centre, unit, "
            "unit_name, kind (unit eller emergency). Kan indlæses igen uden at ændre noget.",
        )
        self._common(organisation)
        staff = subparsers.add_parser(
            "staff",
            help="indlæs medarbejdere og deres roller (én række pr. rolle)",
            description="Indlæs medarbejderfilen: municipality, username, name, email, role, unit, group. "
            "Kan indlæses igen uden at ændre noget. Nye medarbejdere får ingen adgangskode (kommunens "
            "log-in, eller en administrator sætter en).",
        )
        self._common(staff)
        staff.add_argument(
            "--municipality",
            metavar="KODE",
            help="kommunekoden (fx 101): hver række skal høre til denne kommune",
        )
        staff.add_argument(
            "--deactivate-missing",
            action="store_true",
            help="afslut de roller i filens kommuner, som filen ikke nævner, og deaktivér medarbejdere "
            "uden roller bagefter",
        )
        events = subparsers.add_parser(
            "events",
            help="indlæs hændelser (én række pr. hændelse)",
            description="Indlæs hændelsesfilen og genberegn forpligtelserne for de berørte sager. "
            "Kan indlæses igen uden at ændre noget: en hændelse med samme event_id og kilde opdateres.",
        )
        self._common(events)
        events.add_argument(
            "--municipality",
            metavar="KODE",
            help="kommunekoden (fx 101); kun nødvendig, når databasen rummer flere kommuner",
        )
        events.add_argument(
            "--source",
            default=DEFAULT_SOURCE,
            metavar="NAVN",
            help=f"kildens navn, fx fagsystemets (DUBU, Nexus); standard: '{DEFAULT_SOURCE}'. "
            "event_id er entydigt pr. kilde, så brug samme navn for alle filer fra samme fagsystem "
            "(ikke filens navn)",
        )

        for kind in import_kinds():
            registered = subparsers.add_parser(kind.name, help=kind.help, description=kind.description)
            self._common(registered)
            registered.add_argument(
                "--municipality",
                metavar="KODE",
                help="kommunekoden (fx 101); kun nødvendig, når databasen rummer flere kommuner",
            )

    @staticmethod
    def _common(parser: CommandParser) -> None:
        parser.add_argument("file", metavar="FIL", help="CSV- eller XLSX-filen")
        parser.add_argument("--dry-run", action="store_true", help="kontrollér filen uden at gemme noget")
        parser.add_argument(
            "--ignore-unknown-columns", action="store_true", help="se bort fra ukendte kolonner"
        )
        parser.add_argument("--report", metavar="RAPPORT.xlsx", help="skriv fejlrapporten som XLSX her")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        try:
            data = path.read_bytes()
        except OSError:
            raise Failed(f"Filen '{path.name}' kan ikke læses (findes den?).\n{NOTHING_IMPORTED}") from None
        progress = ProgressBar(self.stderr, "Indlæser") if self.stderr.isatty() else None
        errors: list[RowError] = []
        scope_label = ""  # the municipality's name in the report's title, once it is known
        try:
            if options["what"] == "organisation":
                organisation = import_organisation_file(
                    data=data,
                    filename=path.name,
                    dry_run=options["dry_run"],
                    ignore_unknown_columns=options["ignore_unknown_columns"],
                    progress=progress,
                )
                summary = _organisation_summary(organisation)
            elif options["what"] == "staff":
                municipality = None
                if options["municipality"]:
                    try:
                        municipality = municipality_resolve(options["municipality"])
                    except Failed as failure:
                        raise Failed(f"{failure}\n{NOTHING_IMPORTED}") from None
                staff = import_staff_file(
                    data=data,
                    filename=path.name,
                    municipality=municipality,
                    actor_label=ACTOR_LABEL,
                    dry_run=options["dry_run"],
                    deactivate_missing=options["deactivate_missing"],
                    ignore_unknown_columns=options["ignore_unknown_columns"],
                    progress=progress,
                )
                summary = staff_summary(staff)
            elif options["what"] != "events":
                kind = {kind.name: kind for kind in import_kinds()}[options["what"]]
                try:
                    municipality = municipality_resolve(options["municipality"])
                except Failed as failure:
                    raise Failed(f"{failure}\n{NOTHING_IMPORTED}") from None
                scope_label = municipality.name
                summary = kind.handler(
                    data=data,
                    filename=path.name,
                    municipality=municipality,
                    actor_label=ACTOR_LABEL,
                    dry_run=options["dry_run"],
                    ignore_unknown_columns=options["ignore_unknown_columns"],
                )
            else:
                try:
                    municipality = municipality_resolve(options["municipality"])
                except Failed as failure:
                    raise Failed(f"{failure}\n{NOTHING_IMPORTED}") from None
                scope_label = municipality.name
                result = import_events_file(
                    data=data,
                    municipality=municipality,
                    filename=path.name,
                    source=options["source"],
                    actor_label=ACTOR_LABEL,
                    dry_run=options["dry_run"],
                    ignore_unknown_columns=options["ignore_unknown_columns"],
                    progress=progress,
                )
                summary = _events_summary(result, municipality.name)
        except ImportRejected as rejected:
            errors = rejected.errors
            self.stderr.write(rejected.summary)
            for error in errors:
                self.stderr.write(error_text(error))
            self._report(options["report"], errors, filename=path.name, scope_label=scope_label)
            raise Failed(NOTHING_IMPORTED) from None
        if options["dry_run"]:
            self.stdout.write("Prøvekørsel – intet gemt: filen er i orden.")
        self.stdout.write(summary)

    def _report(self, target: str | None, errors: list[RowError], *, filename: str, scope_label: str) -> None:
        if target and errors:
            Path(target).write_bytes(import_report_xlsx(errors, filename=filename, scope_label=scope_label))
            self.stderr.write(f"Fejlrapporten er skrevet til {target}.")


def _events_summary(result: EventsResult, municipality: str) -> str:
    verb = "Ville indlæse" if result.dry_run else "Indlæst"
    return (
        f"{verb} {result.rows} rækker i {municipality}: hændelser {result.events_created} nye, "
        f"{result.events_updated} ændrede, {result.events_unchanged} uændrede; "
        f"sager {result.cases_created} nye, {result.cases_moved} flyttede; "
        f"børn {result.children_created} nye; "
        f"forpligtelser genberegnet for {result.cases_recomputed} sager ({result.obligations} forpligtelser)."
    )


def _organisation_summary(result: OrganisationResult) -> str:
    verb = "Ville indlæse" if result.dry_run else "Indlæst"
    return (
        f"{verb} {result.rows} rækker: kommuner {result.municipalities_created} nye, "
        f"{result.municipalities_renamed} omdøbte; enheder {result.units_created} nye, "
        f"{result.units_updated} ændrede, {result.units_unchanged} uændrede."
    )


def staff_summary(result: StaffResult) -> str:
    """One Danish line: what a staff import did (or would do)."""
    verb = "Ville indlæse" if result.dry_run else "Indlæst"
    return (
        f"{verb} {result.rows} rækker: medarbejdere {result.users_created} nye, {result.users_updated} "
        f"ændrede, {result.users_reactivated} genaktiverede, {result.users_unchanged} uændrede; "
        f"roller {result.roles_assigned} nye, {result.roles_changed} ændrede, {result.roles_unchanged} "
        f"uændrede, {result.roles_ended} afsluttede; {result.users_deactivated} medarbejdere deaktiveret."
    )
