"""`sagstilsyn otp reset USERNAME`: remove a user's code app (tofaktor-log-ind), when their phone is lost
or replaced. At their next local log-in they set up a new one. Audited as `otp.device_reset`."""

from __future__ import annotations

from typing import Any

from django.core.management.base import CommandParser

from sagstilsyn.core.login.services import otp_device_reset
from sagstilsyn.core.management.base import Failed, PlainFailureCommand
from sagstilsyn.core.models import User


class Command(PlainFailureCommand):
    help = "Tofaktor-log-ind: nulstil en brugers kodeapp (reset)."

    def add_arguments(self, parser: CommandParser) -> None:
        subparsers = parser.add_subparsers(dest="action", required=True, metavar="{reset}")
        reset = subparsers.add_parser(
            "reset",
            help="fjern brugerens kodeapp; ved næste log-ind opsætter brugeren en ny",
            description="Fjern brugerens kodeapp (mistet eller ny telefon). Ved næste log-ind med "
            "adgangskode opsætter brugeren en ny.",
        )
        reset.add_argument("username", help="brugernavnet")

    def handle(self, *args: Any, **options: Any) -> None:
        username: str = options["username"]
        user = User.objects.filter(username=username).first()
        if user is None:
            raise Failed(f"Brugernavn: '{username}' findes ikke.")
        removed = otp_device_reset(user=user, actor=None)
        if removed:
            self.stdout.write(f"{username}: kodeappen er nulstillet. Ved næste log-ind opsættes en ny.")
        else:
            self.stdout.write(f"{username} havde ingen kodeapp; intet at nulstille.")
