"""`sagstilsyn demo load [--seed N] [--children N] [--as-of DATE]`: fill an empty database with demo data.

Loads a deterministic, Copenhagen-sized municipality (Københavns Kommune, six børnefamilieenheder and
Døgnvagten, about 150 caseworkers, about 4,000 children and 60,000 events) through the services, then
prints the compliance per rule. When the municipality already exists it says so and exits 0, so
`make run` can call it every time. The demo log-ins (password `demo1234`) are for the demo only.
"""

from __future__ import annotations

import sys
import time
from datetime import date
from typing import Any, TextIO

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from sagstilsyn.demo.load import (
    DEFAULT_CHILDREN,
    DEFAULT_SEED,
    EARLIEST_AS_OF,
    DatabaseNotEmpty,
    DemoExists,
    LoadResult,
    compliance_summary,
    demo_load,
    demo_logins,
)
from sagstilsyn.demo.people import DEMO_PASSWORD, MUNICIPALITY_CODE, MUNICIPALITY_NAME
from sagstilsyn.law.model import ObligationStatus

PROGRESS_LABELS = {
    "events": "Hændelser indlæses",
    "recompute": "Forpligtelser beregnes pr. as-of",
    "supervision": "Ledelsestilsyn indlæses",
}
#: What the progress counts per stage.
PROGRESS_UNITS = {"events": "børn", "supervision": "perioder"}
#: The summary's columns after the share met, with the law core's Danish labels.
STATUS_COLUMNS = tuple(
    (status, status.label)
    for status in (
        ObligationStatus.MET_LATE,
        ObligationStatus.OVERDUE,
        ObligationStatus.OPEN,
        ObligationStatus.NOT_APPLICABLE,
    )
)


def _n(number: int) -> str:
    """A count with Danish thousands separators (60.000)."""
    return f"{number:,}".replace(",", ".")


def _as_of(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"--as-of skal være en dato på formen ÅÅÅÅ-MM-DD, ikke '{value}'") from None


class ProgressBar:
    """A text progress bar on stderr: redrawn in place on a terminal, one line per batch otherwise."""

    def __init__(self, stream: TextIO, width: int = 30):
        self.stream = stream
        self.width = width
        self.tty = bool(getattr(stream, "isatty", lambda: False)())
        self.stage = ""

    def __call__(self, stage: str, done: int, total: int) -> None:
        if stage != self.stage and self.stage and self.tty:
            self.stream.write("\n")
        self.stage = stage
        share = done / total if total else 1.0
        filled = round(share * self.width)
        unit = PROGRESS_UNITS.get(stage, "sager")
        line = (
            f"{PROGRESS_LABELS.get(stage, stage)} [{'#' * filled}{'.' * (self.width - filled)}] "
            f"{share:4.0%} ({done:,}/{total:,} {unit})".replace(",", ".")
        )
        self.stream.write(f"\r{line}" if self.tty else f"{line}\n")
        if self.tty and done >= total:
            self.stream.write("\n")
        self.stream.flush()


class Command(BaseCommand):
    help = "Demodata: indlæser en fiktiv Københavns Kommune med sager og hændelser (kun til demo)."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="load")
        load = actions.add_parser(
            "load",
            help="fyld en tom database med demodata",
            description=(
                "Fylder en tom database med en fiktiv Københavns Kommune: seks børnefamilieenheder og "
                "Døgnvagten, medarbejdere, børn, sager og hændelser fra 2023-01-01 til dagen før as-of. "
                "Findes kommunen allerede, indlæses intet."
            ),
        )
        load.add_argument("--seed", type=int, default=DEFAULT_SEED, help=f"frø (standard {DEFAULT_SEED})")
        load.add_argument(
            "--children", type=int, default=DEFAULT_CHILDREN, help=f"antal børn (standard {DEFAULT_CHILDREN})"
        )
        load.add_argument(
            "--as-of",
            dest="as_of",
            type=_as_of,
            default=None,
            help="dato, sagerne bedømmes pr. (standard: i dag, dansk tid); ingen hændelser fra denne dag",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] != "load":  # argparse allows only "load"; kept for new subcommands
            raise CommandError("ukendt handling")
        if not settings.DEBUG:
            raise CommandError(
                "Demodata har kendte adgangskoder og indlæses kun i en udviklingsinstallation "
                "(DJANGO_DEBUG=1). Intet er indlæst."
            )
        if options["children"] < 1:
            raise CommandError("--children skal være mindst 1")
        as_of: date | None = options["as_of"]
        if as_of is not None and as_of < EARLIEST_AS_OF:
            raise CommandError(f"--as-of skal være {EARLIEST_AS_OF.isoformat()} eller senere")
        started = time.perf_counter()
        stream: TextIO = getattr(self.stderr, "_out", sys.stderr)
        try:
            result = demo_load(
                seed=options["seed"],
                children=options["children"],
                as_of=as_of,
                progress=ProgressBar(stream),
            )
        except DemoExists:
            self.stdout.write(
                f"Demo-data findes allerede: {MUNICIPALITY_NAME} (kommunekode {MUNICIPALITY_CODE}) er i "
                "databasen. Intet er indlæst."
            )
            return
        except DatabaseNotEmpty:  # exit status 0 too, so that `make run` still starts the server
            self.stdout.write(
                "Databasen indeholder allerede en anden kommune. Demodata (med kendte adgangskoder) "
                "indlæses kun i en tom database. Intet er indlæst."
            )
            return
        self._report(result, time.perf_counter() - started, options["seed"])

    def _report(self, result: LoadResult, seconds: float, seed: int) -> None:
        out = self.stdout
        out.write(
            f"Demodata indlæst på {seconds:.1f} s (frø {seed}, bedømt pr. {result.as_of.isoformat()}): "
            f"{result.municipality}"
        )
        out.write(
            f"  {_n(result.users)} medarbejdere, {_n(result.children)} børn ({_n(result.children_with_cpr)} "
            f"med fiktivt CPR-nummer), {_n(result.cases)} sager, {_n(result.events)} hændelser i "
            f"{result.batches} partier, {_n(result.obligations)} forpligtelser"
        )
        out.write(
            f"  Ledelsestilsyn fra januar 2023: {_n(result.reviews)} gennemgange, "
            f"{_n(result.findings)} fund, {_n(result.open_repairs)} åbne sagsgenopretninger"
        )
        out.write("")
        out.write("Lovoverholdelse pr. regel (n = afgjorte: overholdt, for sent eller overskredet)")
        width = max(len(label) for _, label in STATUS_COLUMNS)
        header = f"{'Regel':<40} {'n':>6} {ObligationStatus.MET.label:>9}"
        header += "".join(f" {label:>{width}}" for _, label in STATUS_COLUMNS)
        out.write(header)
        for row in compliance_summary(result.municipality):
            share = "–" if row.met_share is None else f"{row.met_share:.1%}".replace(".", ",")
            line = f"{row.rule_id:<40} {_n(row.n):>6} {share:>9}"
            line += "".join(f" {_n(row.counts.get(status, 0)):>{width}}" for status, _ in STATUS_COLUMNS)
            out.write(line)
        out.write("")
        out.write(f"Demo-log-ind (kun til demo), adgangskode {DEMO_PASSWORD}:")
        for user in demo_logins():
            roles = ", ".join(
                f"{a.get_role_display()}{f' i {a.unit.code}' if a.unit else ''}"
                for a in user.role_assignments.select_related("unit").order_by("role")
            )
            out.write(f"  {user.username:<16} {roles}")
