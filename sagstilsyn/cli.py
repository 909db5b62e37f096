"""The `sagstilsyn` command.

``sagstilsyn rules ...`` runs the law core's own command line and ``sagstilsyn questionnaires ...`` the
questionnaires' (no Django, no database needed);
everything else is a Django management command: ``sagstilsyn migrate``, ``sagstilsyn runserver``, ...
"""

from __future__ import annotations

import importlib
import os
import sys
from collections.abc import Sequence


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if args and args[0] == "rules":
        # Imported lazily so that `sagstilsyn rules ...` never loads Django.
        law_cli = importlib.import_module("sagstilsyn.law.cli")
        return int(law_cli.main(args[1:]))
    if args and args[0] == "questionnaires":
        questionnaires_cli = importlib.import_module("sagstilsyn.reviews.questionnaires.cli")
        return int(questionnaires_cli.main(args[1:]))

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sagstilsyn.settings")
    from django.core.management import execute_from_command_line  # noqa: PLC0415 - only past `rules`

    execute_from_command_line(["sagstilsyn", *args])
    return 0


if __name__ == "__main__":
    sys.exit(main())
