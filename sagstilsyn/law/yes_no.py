"""Yes and no (ja/nej) in files people write: the one vocabulary for boolean attributes.

The jurist case files (law/cases.py) and the events import (cases/importing/cells.py) read a boolean
attribute such as `abuse` with `parse_yes_no`, so both accept the same words: the data contract's
true/false, ja/nej and 1/0, and also yes/no and sand/falsk (docs/contract-extensions.md). Any case and
surrounding spaces are allowed. Their Danish error messages name the words with `YES_NO_WORDS`. The
API takes JSON `true`/`false` and no words.
"""

from __future__ import annotations

#: The words for yes and no, pair by pair, in the order the error messages name them.
YES_NO_PAIRS: tuple[tuple[str, str], ...] = (
    ("true", "false"),
    ("ja", "nej"),
    ("yes", "no"),
    ("sand", "falsk"),
    ("1", "0"),
)
TRUE_WORDS: frozenset[str] = frozenset(yes for yes, _ in YES_NO_PAIRS)
FALSE_WORDS: frozenset[str] = frozenset(no for _, no in YES_NO_PAIRS)
#: The accepted words as Danish text for error messages: 'true/false, ja/nej, …, sand/falsk eller 1/0'.
YES_NO_WORDS = (
    ", ".join(f"{yes}/{no}" for yes, no in YES_NO_PAIRS[:-1])
    + f" eller {YES_NO_PAIRS[-1][0]}/{YES_NO_PAIRS[-1][1]}"
)


def parse_yes_no(value: object) -> bool | None:
    """True or False for a bool or one of the words (an int 1 or 0 too), None for anything else."""
    if isinstance(value, bool):
        return value
    if isinstance(value, str | int):
        word = str(value).strip().lower()
        if word in TRUE_WORDS:
            return True
        if word in FALSE_WORDS:
            return False
    return None
