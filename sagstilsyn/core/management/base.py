"""What every Sagstilsyn command (kommando) may build on: a failure that prints plainly and exits with a
non-zero status (`Failed`, raised in a `PlainFailureCommand`)."""

from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError


class Failed(CommandError):
    """The command did not do its job: the message is printed as it is, the exit status is 1."""


class PlainFailureCommand(BaseCommand):
    """A command whose Failed is printed without 'CommandError:' when run from the command line."""

    def execute(self, *args: Any, **options: Any) -> str | None:
        try:
            return super().execute(*args, **options)
        except Failed as failure:
            if not getattr(self, "_called_from_command_line", False) or options.get("traceback"):
                raise
            self.stderr.write(str(failure))
            sys.exit(failure.returncode)
