"""`sagstilsyn worker`: a Celery worker for Sagstilsyn's background work (ADR 0015).

It runs the imports from the upload page, recomputes and, with its embedded scheduler (beat, on unless
--no-beat), the planlagte job every minute and the sweep that marks jobs of dead workers failed. Needs
SAGSTILSYN_BROKER_URL (and SAGSTILSYN_CACHE_URL); without a broker there is nothing to start, since the
work runs in the web process. Stop it with Ctrl-C or SIGTERM: it finishes the tasks it is running first.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import CommandParser

from sagstilsyn.core.management.base import Failed, PlainFailureCommand
from sagstilsyn.core.queue.app import app

NO_BROKER = (
    "SAGSTILSYN_BROKER_URL er ikke sat: uden kø kører indlæsninger og genberegninger i webprocessen, "
    "og de planlagte job køres af `sagstilsyn jobs run-due`. Sæt fx "
    "SAGSTILSYN_BROKER_URL=redis://127.0.0.1:6379/0 og SAGSTILSYN_CACHE_URL=redis://127.0.0.1:6379/1."
)


class Command(PlainFailureCommand):
    help = "Start en arbejdsproces (Celery), der kører baggrundsopgaverne fra køen."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--concurrency", type=int, metavar="N", help="antal opgaver ad gangen (standard: antal kerner)"
        )
        parser.add_argument(
            "--pool",
            choices=("prefork", "solo", "threads"),
            default="prefork",
            help="prefork (standard): en proces pr. opgave; solo: alt i denne ene proces",
        )
        parser.add_argument(
            "--no-beat",
            action="store_true",
            help="uden den indbyggede planlægger (de planlagte job og oprydningen hvert minut); "
            "brug den, når en anden arbejdsproces eller cron kører dem",
        )
        parser.add_argument("--loglevel", default="INFO", help="logniveau (standard INFO)")

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.QUEUE_BROKER_URL:
            raise Failed(NO_BROKER)
        argv = [
            "worker",
            f"--loglevel={options['loglevel']}",
            f"--pool={options['pool']}",
            f"--queues={settings.QUEUE_NAME}",
        ]
        if options["concurrency"]:
            argv.append(f"--concurrency={options['concurrency']}")
        if not options["no_beat"]:
            schedule = settings.BASE_DIR / "var" / "celerybeat-schedule"
            schedule.parent.mkdir(parents=True, exist_ok=True)
            argv += ["--beat", f"--schedule={schedule}"]
        app.worker_main(argv)
