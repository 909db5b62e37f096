"""`sagstilsyn digest weekly [--dry-run]`: the weekly deadline e-mail to leaders (a scheduled job).

Run it every Monday morning (cron, systemd timer). Mail goes through Django's EMAIL_BACKEND: locally
files in var/mail/, or the console with DJANGO_EMAIL_BACKEND=django.core.mail.backends.console.EmailBackend.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from sagstilsyn.cases.followup.digest import digest_weekly_send
from sagstilsyn.cases.followup.views import parse_week
from sagstilsyn.core.models import Municipality
from sagstilsyn.law.calendar import today_local


class Command(BaseCommand):
    help = "Send den ugentlige fristmail til lederne (én mail pr. leder)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("kind", choices=["weekly"], help="hvilken mail: weekly (ugens frister)")
        parser.add_argument("--dry-run", action="store_true", help="vis mailene uden at sende dem")
        parser.add_argument(
            "--week", default="", help="ugen, fx 2025-W03 eller en dato (standard: denne uge)"
        )
        parser.add_argument("--municipality", default="", help="kun denne kommunekode, fx 101")
        parser.add_argument(
            "--base-url",
            default=None,
            help="adressen på Sagstilsyn i mailens link (standard: $SAGSTILSYN_SITE_URL)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        municipality = None
        if options["municipality"]:
            municipality = Municipality.objects.filter(code=options["municipality"]).first()
            if municipality is None:
                raise CommandError(f"kommunekoden {options['municipality']} findes ikke")
        week_start = parse_week(options["week"], today=today_local()) if options["week"] else None
        result = digest_weekly_send(
            week_start=week_start,
            municipality=municipality,
            dry_run=options["dry_run"],
            base_url=options["base_url"],
        )
        if result.dry_run:
            for digest in result.digests:
                self.stdout.write(f"Til: {digest.user.email or '(ingen e-mail)'}\nEmne: {digest.subject}\n")
                self.stdout.write(digest.body)
                self.stdout.write("-" * 72)
            self.stdout.write(f"Prøvekørsel: {len(result.digests)} mails ville blive sendt; intet er sendt.")
            return
        for username in result.skipped_no_email:
            self.stderr.write(f"{username} har ingen e-mailadresse og får ingen mail.")
        self.stdout.write(
            self.style.SUCCESS(
                f"Ugens frister (uge {result.week_start.isocalendar()[1]}): {result.sent} mails sendt."
            )
        )
