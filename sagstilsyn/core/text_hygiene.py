"""Forbidden characters in text input (styretegn): the one definition, for every text a user or a
case system sends (the import files, the API, form fields such as the oversigtsskema's note).

A forbidden character is one no field of Sagstilsyn has a use for, and which breaks something when
stored: NUL (PostgreSQL refuses it: a 500), the other C0 controls (an Excel export refuses them), DEL,
the C1 controls, lone surrogates (not UTF-8, so not storable), and the invisible bidi controls
(U+200E/U+200F, U+061C, U+202A–U+202E, U+2066–U+2069), which make text display in an order other than
the one it is stored in. TAB, LF and CR are allowed only where a field may hold several lines (a
note); in a single-line field (a reference, a code, a name, a date) they are refused too.

A message never repeats the character itself: it is shown as its code point, e.g. U+000B.
"""

from __future__ import annotations

import re

from sagstilsyn.core.cpr import CPR_IN_TEXT, contains_cpr, redact

#: The line breaks and the tab that a multi-line field (a note) may hold.
MULTILINE_ALLOWED = frozenset("\t\n\r")
#: What a reader strips from both ends of a single-line value before checking it (a cell's stray
#: trailing tab or line break is dropped, as the readers always did; inside the value it is refused).
EDGE_WHITESPACE = " \t\r\n"
_FORBIDDEN_RANGES = (
    (0x00, 0x1F),  # C0 controls (TAB, LF, CR allowed in multi-line fields only)
    (0x7F, 0x9F),  # DEL and the C1 controls
    (0x061C, 0x061C),  # arabic letter mark
    (0x200E, 0x200F),  # left-to-right and right-to-left marks
    (0x202A, 0x202E),  # bidi embeddings and overrides
    (0x2066, 0x2069),  # bidi isolates
    (0xD800, 0xDFFF),  # lone surrogates (from JSON "\ud800"): not UTF-8
)
FORBIDDEN = re.compile("[" + "".join(f"\\u{lo:04x}-\\u{hi:04x}" for lo, hi in _FORBIDDEN_RANGES) + "]")
#: Said when a text is refused for holding a forbidden character.
FORBIDDEN_TEXT = "indeholder et styretegn, som ikke er tilladt ({chars}); fjern det og send værdien igen"
#: The longest value an error message shows; the rest is cut off with "…".
SHOWN_MAX = 60


def code_point(char: str) -> str:
    """The character as its code point, e.g. 'U+000B'."""
    return f"U+{ord(char):04X}"


def forbidden_characters(text: str, *, multiline: bool = False) -> list[str]:
    """The distinct forbidden characters of `text`, in order of appearance (see the module's doc)."""
    found: list[str] = []
    for match in FORBIDDEN.finditer(text):
        char = match.group()
        if multiline and char in MULTILINE_ALLOWED:
            continue
        if char not in found:
            found.append(char)
    return found


def text_problem(text: str, *, multiline: bool = False) -> str | None:
    """A Danish message if `text` holds a forbidden character (naming each by code point), else None."""
    found = forbidden_characters(text, multiline=multiline)
    if not found:
        return None
    return FORBIDDEN_TEXT.format(chars=", ".join(code_point(char) for char in found[:5]))


def free_text_problem(text: str, *, multiline: bool = False) -> str | None:
    """Why a caller's free text (a name, a source, a note) is refused, in Danish after its subject ("noten
    …", "kilden …"): a forbidden character, or a CPR number (core.cpr's detector); None when it is fine."""
    return text_problem(text, multiline=multiline) or (CPR_IN_TEXT if contains_cpr(text) else None)


def escaped(text: str, *, limit: int | None = SHOWN_MAX, multiline: bool = False) -> str:
    """`text` as it may be shown: each forbidden character as [U+XXXX], cut to `limit` characters."""
    head = text if limit is None else text[: limit + 1]  # never escape 10 MB to show 60 characters
    shown = FORBIDDEN.sub(
        lambda m: m.group() if multiline and m.group() in MULTILINE_ALLOWED else f"[{code_point(m.group())}]",
        head,
    )
    if limit is not None and len(shown) > limit:
        return shown[: limit - 1] + "…"
    return shown


#: How much of a long text is redacted before it is cut to what is shown.
_REDACT_HEAD = 1000


def safe_text(text: str, *, limit: int = SHOWN_MAX) -> str:
    """`text` safe to show back: CPR numbers masked, control characters as [U+XXXX], cut to `limit`."""
    return escaped(redact(text[: max(limit, _REDACT_HEAD)]), limit=limit)
