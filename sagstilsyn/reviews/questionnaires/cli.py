"""`sagstilsyn questionnaires …`: the questionnaires on the command line, without Django or a database.

sagstilsyn questionnaires list [DIR ...]    id, version, title and question count of every questionnaire
sagstilsyn questionnaires check [DIR ...]   loads the shipped folder and DIRs; exit 1 with the problems

Without DIRs, the folders of the environment variable SAGSTILSYN_QUESTIONNAIRE_DIRS (`:`-separated).
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from sagstilsyn.reviews.questionnaires.loader import QuestionnaireError, load_questionnaires, split_dirs

SETTING = "SAGSTILSYN_QUESTIONNAIRE_DIRS"


def _folders(given: Sequence[str]) -> list[Path]:
    return [Path(folder) for folder in given] if given else split_dirs(os.environ.get(SETTING))


def main(argv: Sequence[str] | None = None, out: TextIO | None = None, err: TextIO | None = None) -> int:
    out = out or sys.stdout
    err = err or sys.stderr
    parser = argparse.ArgumentParser(prog="sagstilsyn questionnaires", description="Spørgeskemaer")
    commands = parser.add_subparsers(dest="command", required=True)
    for name, help_text in (
        ("list", "vis spørgeskemaerne: id, version, titel og antal spørgsmål"),
        ("check", "kontrollér spørgeskemaerne; afslutter med 1 ved fejl"),
    ):
        command = commands.add_parser(name, help=help_text)
        command.add_argument("dirs", nargs="*", metavar="DIR", help="ekstra mapper med spørgeskemaer")
    args = parser.parse_args(list(sys.argv[1:] if argv is None else argv))
    try:
        questionnaires = load_questionnaires(_folders(args.dirs))
    except QuestionnaireError as error:
        err.write(f"{error}\n")
        return 1
    if args.command == "check":
        out.write(f"{len(questionnaires)} spørgeskemaer er i orden.\n")
        return 0
    for questionnaire in questionnaires:
        out.write(
            f"{questionnaire.id}\tv{questionnaire.version}\t{questionnaire.title}\t"
            f"{len(questionnaire.questions)} spørgsmål\n"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
