"""`sagstilsyn supervision draw --period PERIOD`: draw every sample the active programmes owe and give each
sampled case its review (`supervision_start`).

A month also draws what a quarter or year owes when that month starts it; drawing again changes nothing.
A municipality without programmes gets Copenhagen's default programme first (`programme_default_ensure`).
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import CommandParser

from sagstilsyn.cases.management.common import municipality_resolve
from sagstilsyn.core.management.base import Failed, PlainFailureCommand
from sagstilsyn.core.models import Municipality
from sagstilsyn.reviews.models import Programme
from sagstilsyn.reviews.programmes.defaults import programme_default_ensure
from sagstilsyn.reviews.programmes.periods import PeriodError, period_parse
from sagstilsyn.reviews.services.reviews import supervision_start


class Command(PlainFailureCommand):
    help = "Ledelsestilsyn: udtræk periodens stikprøver (draw)."

    def add_arguments(self, parser: CommandParser) -> None:
        subparsers = parser.add_subparsers(dest="action", required=True, metavar="{draw}")
        draw = subparsers.add_parser("draw", help="udtræk alle stikprøver, programmerne skylder for perioden")
        draw.add_argument("--period", required=True, metavar="PERIODE", help="2025-03, 2025Q1 eller 2025")
        draw.add_argument("--municipality", metavar="KODE", help="kun denne kommune (standard: alle)")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            period = period_parse(options["period"])
        except PeriodError as error:
            raise Failed(f"--period: {error}") from error
        if options["municipality"]:
            municipalities = [municipality_resolve(options["municipality"])]
        else:
            municipalities = list(Municipality.objects.order_by("code"))
        total = 0
        for municipality in municipalities:
            if not Programme.objects.filter(municipality=municipality).exists():
                programme_default_ensure(municipality)
            samples = supervision_start(municipality=municipality, period=period, actor=None)
            total += len(samples)
            for sample in samples:
                self.stdout.write(
                    f"{municipality.name}: stikprøve {sample.pk} "
                    f"{sample.part.programme.code}/{sample.part.code} {sample.period} {sample.scope} "
                    f"({sample.frame_size} sager i rammen)".replace("  ", " ")
                )
        self.stdout.write(f"{total} nye stikprøver for {period.label}.")
