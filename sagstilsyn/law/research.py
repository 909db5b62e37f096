"""What the rule pages show of the catalogue's notes, and what goes to `docs/research/rule-notes.md`.

The catalogue's notes are of two kinds. Some state the law as a lawyer reads it ("Senest 3 måneder efter
afgørelsen."); they stay on the rule pages. Others are about our sources: what was read where, what has
not been seen in the statute yet ("lovteksten er ikke set", "kun sekundære kilder"), and each citation's
`read_in` (where its wording was read). Those are research notes: they are kept in the catalogue (they
explain why a citation is not verified) and listed in `docs/research/rule-notes.md`, not on the pages.

`plain_text` writes a rule's own text for the pages: another rule named by its id ("se
complaint_forwarding") is named by its Danish title instead.

Regenerate the research file after a catalogue change: `python -m sagstilsyn.law.research`
(a test fails while it is out of step).
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from sagstilsyn.law.loader import load_catalogue
from sagstilsyn.law.model import Catalogue

#: Words by which a note speaks of our sources rather than of the law.
SOURCE_WORDS = re.compile(
    r"ikke (?:set|fundet|bekræftet|verificeret|kontrolleret)|kilde|oplyse[rs]\b|beskrive[rs]?\b|beskrevet"
    r"|henfører|[Bb]ekræfte[rt]?\b|\.dk\b|lovforslag|[Aa]dressen er|[Tt]idligere citeret|gengive[rt]?\b"
    r"|citerer|\bslutning\b"
)

RESEARCH_FILE = Path(__file__).resolve().parents[2] / "docs" / "research" / "rule-notes.md"


def is_source_note(text: str | None) -> bool:
    """True when a note is about our sources (a research note), not about the law."""
    return bool(text) and SOURCE_WORDS.search(text or "") is not None


def plain_text(catalogue: Catalogue, text: str) -> str:
    """`text` with each rule id it names replaced by that rule's Danish title, in «…»."""
    titles = {rule.id: rule.title for rule in catalogue.rules}
    if not titles:
        return text
    pattern = re.compile(r"\b(" + "|".join(sorted(map(re.escape, titles), key=len, reverse=True)) + r")\b")
    return pattern.sub(lambda match: f"«{titles[match.group(1)]}»", text)


def _period(valid_from: object, valid_to: object) -> str:
    return f"{valid_from} til {valid_to}" if valid_to else f"fra {valid_from}"


def research_notes_markdown(catalogue: Catalogue) -> str:
    """The research notes of every rule, as `docs/research/rule-notes.md`."""
    lines = [
        "# Regelkatalogets kildenoter",
        "",
        "Generated from the rule catalogue by `python -m sagstilsyn.law.research`; do not edit by hand.",
        "These are the catalogue's notes about our sources (where a citation's wording was read, what has",
        "not been seen in the statute yet). The rule pages show only the notes about the law itself",
        "(`sagstilsyn/law/research.py` tells the two apart); a test keeps this file in step.",
        "",
    ]
    for rule in catalogue.rules:
        entries: list[str] = []
        for version in rule.versions:
            version_entries: list[str] = []
            if is_source_note(version.note):
                version_entries.append(f"- Versionen: {' '.join((version.note or '').split())}")
            for citation in version.citations:
                if citation.read_in:
                    version_entries.append(
                        f"- {citation.label}: ordlyden er læst i {' '.join(citation.read_in.split())}"
                    )
                if is_source_note(citation.note):
                    version_entries.append(f"- {citation.label}: {' '.join((citation.note or '').split())}")
            if version_entries:
                entries.append(f"### {version.law}, {_period(version.valid_from, version.valid_to)}")
                entries.append("")
                entries.extend(version_entries)
                entries.append("")
        if entries:
            lines.append(f"## {rule.title} (`{rule.id}`)")
            lines.append("")
            lines.extend(entries)
    return "\n".join(lines).rstrip() + "\n"


def main() -> int:
    RESEARCH_FILE.write_text(research_notes_markdown(load_catalogue()), encoding="utf-8")
    sys.stdout.write(f"Skrev {RESEARCH_FILE}\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
