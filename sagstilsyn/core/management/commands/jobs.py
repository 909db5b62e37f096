"""`sagstilsyn jobs list|run-due`: de planlagte job (scheduled jobs), run without a broker.

list     every municipality's jobs: when each runs, its latest run and the next time it is due
run-due  run every job whose current slot has not run yet, once for each municipality; exits 1 when a
         run failed. Each call also marks background jobs whose worker died as failed (ADR 0015).
         With --loop it keeps running as a simple worker process, checking every --interval seconds,
         until Ctrl-C (or SIGTERM).

Run it from cron (`*/15 * * * * sagstilsyn jobs run-due`) or as a worker (`sagstilsyn jobs run-due --loop`).
"""

from __future__ import annotations

import argparse
import signal
import time
from datetime import date
from types import FrameType
from typing import Any

from django.core.management.base import CommandParser
from django.db import close_old_connections

from sagstilsyn.core.cpr import redact
from sagstilsyn.core.jobs.registry import Job
from sagstilsyn.core.jobs.selectors import jobs_overview_by_municipality
from sagstilsyn.core.jobs.services import DueRun, jobs_run_due
from sagstilsyn.core.management.base import Failed, PlainFailureCommand
from sagstilsyn.core.models import Municipality
from sagstilsyn.core.queue.services import queue_sweep

DEFAULT_INTERVAL = 60
NO_MUNICIPALITIES = "Ingen kommuner endnu: jobbene kører for hver kommune, når den er oprettet."
#: Indirection so tests can stop the loop without waiting.
sleep = time.sleep


def _interval(value: str) -> int:
    try:
        seconds = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{value}' er ikke et helt antal sekunder") from None
    if seconds < 1:
        raise argparse.ArgumentTypeError("intervallet skal være mindst 1 sekund")
    return seconds


def _stop_on_sigterm(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt


class Command(PlainFailureCommand):
    help = "Planlagte job: vis dem (list) og kør dem, der er forfaldne (run-due)."

    def add_arguments(self, parser: CommandParser) -> None:
        subparsers = parser.add_subparsers(dest="action", required=True, metavar="{list,run-due}")
        subparsers.add_parser(
            "list",
            help="vis jobbene, deres seneste kørsel og næste tidspunkt",
            description="Én linje pr. kommune og job: kommune, navn, hvornår det kører, seneste kørsel og "
            "næste tidspunkt.",
        )
        run_due = subparsers.add_parser(
            "run-due",
            help="kør de job, der ikke er kørt for deres seneste tidspunkt",
            description="Kører hvert job, hvis seneste tidspunkt (dagen eller ugen) ikke er kørt endnu, "
            "én gang for hver kommune. Har maskinen været slukket, køres kun det seneste tidspunkt. "
            "Afslutter med status 1, hvis en kørsel fejlede (uden --loop).",
        )
        run_due.add_argument(
            "--loop", action="store_true", help="bliv ved: en arbejdsproces, der stoppes med Ctrl-C"
        )
        run_due.add_argument(
            "--interval",
            type=_interval,
            default=DEFAULT_INTERVAL,
            metavar="SEKUNDER",
            help=f"sekunder mellem kaldene med --loop (standard {DEFAULT_INTERVAL})",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "list":
            self._list()
        elif options["loop"]:
            self._loop(options["interval"])
        else:
            failed = [run for run in self._run_due() if not run.ok]
            if failed:
                names = ", ".join(f"{run.job.name} ({run.municipality.code})" for run in failed)
                raise Failed(f"{len(failed)} {'kørsel' if len(failed) == 1 else 'kørsler'} fejlede: {names}.")

    def _list(self) -> None:
        overview = jobs_overview_by_municipality()
        if not overview:
            self.stdout.write(NO_MUNICIPALITIES)
            return
        table = [("Kommune", "Job", "Titel", "Hvornår", "Seneste kørsel", "Næste gang")]
        for municipality_jobs in overview:
            municipality = municipality_jobs.municipality
            for row in municipality_jobs.jobs:
                last = "ikke kørt endnu"
                if row.last_run is not None:
                    last = f"{row.last_run.slot.isoformat()} {row.last_run.outcome_label}"
                    if row.last_run.summary:
                        last += f": {row.last_run.summary}"
                table.append(
                    (
                        f"{municipality.code} {municipality.name}",
                        row.job.name,
                        row.job.title,
                        row.schedule_label,
                        last,
                        f"{row.next_start:%Y-%m-%d %H:%M}",
                    )
                )
        widths = [max(len(line[i]) for line in table) for i in range(len(table[0]) - 1)]
        for line in table:
            cells = [cell.ljust(width) for cell, width in zip(line, widths, strict=False)]
            self.stdout.write("  ".join([*cells, line[-1]]))

    def _started(self, job: Job, municipality: Municipality, slot: date) -> None:
        self.stdout.write(f"Kører «{job.title}» for {municipality.name} ({job.schedule.slot_label(slot)}) …")

    def _done(self, due: DueRun) -> None:
        if due.ok:
            self.stdout.write(self.style.SUCCESS(f"  OK: {due.run.summary}."))
        else:
            self.stderr.write(f"  Fejlede (forsøg {due.run.attempts}): {due.run.error}")

    def _run_due(self, *, quiet: bool = False) -> list[DueRun]:
        marked = queue_sweep()  # jobs whose worker died are marked failed (ADR 0015)
        if marked:
            self.stderr.write(f"{marked} baggrundsjob med en død arbejdsproces er markeret som fejlet.")
        runs = jobs_run_due(on_start=self._started, on_done=self._done)
        if not runs and not quiet:
            if Municipality.objects.exists():
                self.stdout.write("Intet at køre: alle job er kørt for deres seneste tidspunkt.")
            else:
                self.stdout.write(NO_MUNICIPALITIES)
        return runs

    def _loop(self, interval: int) -> None:
        every = "hvert sekund" if interval == 1 else f"hvert {interval}. sekund"
        self.stdout.write(f"Kører de planlagte job, når de er forfaldne; ser efter {every}.")
        self.stdout.write("Stop med Ctrl-C.")
        previous = signal.signal(signal.SIGTERM, _stop_on_sigterm)
        try:
            while True:
                close_old_connections()
                try:
                    self._run_due(quiet=True)
                except Exception as error:  # the worker keeps going when the database is away a moment
                    self.stderr.write(redact(f"Kunne ikke køre jobbene: {type(error).__name__}: {error}"))
                sleep(interval)
        except KeyboardInterrupt:
            self.stdout.write("Stoppet.")
        finally:
            signal.signal(signal.SIGTERM, previous)
            close_old_connections()
