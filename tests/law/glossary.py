"""Reads docs/glossary.md's table `| Dansk | Identifikator | Definition | Kilde |`: the identifiers it
names. Shared by the glossary tests of the law core and of the case register. Pure Python, no Django."""

from __future__ import annotations

import re
from pathlib import Path

GLOSSARY = Path(__file__).resolve().parents[2] / "docs" / "glossary.md"
HEADER = ("Dansk", "Identifikator", "Definition", "Kilde")
IDENTIFIER = re.compile(r"`([^`]+)`")


class GlossaryFormatError(AssertionError):
    """The glossary has no table with the expected header."""


def _cells(line: str) -> list[str]:
    return [cell.strip() for cell in line.strip().strip("|").split("|")]


def glossary_identifiers(text: str) -> set[str]:
    """Every identifier written in backticks in the Identifikator column of the glossary table."""
    lines = text.splitlines()
    column: int | None = None
    seen_header = False
    found: set[str] = set()
    for number, line in enumerate(lines):
        if not line.lstrip().startswith("|"):
            column = None
            continue
        cells = _cells(line)
        if column is None:
            if tuple(cells) == HEADER:
                column = HEADER.index("Identifikator")
                seen_header = True
            continue
        if all(set(cell) <= set("-: ") for cell in cells):
            continue  # the |---|---| separator
        if len(cells) != len(HEADER):
            raise GlossaryFormatError(
                f"glossary.md linje {number + 1}: {len(cells)} kolonner, ventede {len(HEADER)}"
            )
        found.update(IDENTIFIER.findall(cells[column]))
    if not seen_header:
        raise GlossaryFormatError(f"glossary.md har ingen tabel med overskriften | {' | '.join(HEADER)} |")
    return found
