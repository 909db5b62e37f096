"""The committee report's figures as canonical JSON, their SHA-256, and the differences between two sets
of figures named in Danish (ADR 0039). Pure Python."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterator
from typing import Any

JSON = dict[str, Any]

#: The Danish name of each column of a table and of each side of an audit comparison.
COLUMN_NAMES = {"data": "datasøjlen", "review": "gennemgangssøjlen", "level2": "2. niveau"}
SIDE_NAMES = {"then": "før", "now": "opfølgning"}
FIELD_NAMES = {
    "n": "n",
    "numerator": "opfyldt",
    "percentage": "procent",
    "low": "interval fra",
    "high": "interval til",
    "mark": "skjult",
    "light": "trafiklys",
    "risk": "risikoområde",
    "change": "ændring",
    "comparable": "sammenlignelig",
    "previous_hidden": "forrige kvartal skjult",
}


def canonical_json(figures: JSON) -> str:
    """Sorted keys, no spaces, UTF-8 text: the same figures always give the same text."""
    return json.dumps(figures, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def figures_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _cells(figures: JSON, title: Callable[[str], str]) -> Iterator[tuple[str, JSON | None]]:
    for table in figures.get("tables", []):
        name = title(table["key"])
        for row in table["rows"]:
            unit = "hele kommunen" if row["unit"] == "ALL" else f"enhed {row['unit']}"
            for column, column_name in COLUMN_NAMES.items():
                yield f"«{name}», {unit}, {column_name}", row.get(column)
    for audit in figures.get("audits", []):
        label = f"opfølgende revision {audit['follow_up']['day']}"
        for question in audit["questions"]:
            for side, side_name in SIDE_NAMES.items():
                yield f"{label}, spørgsmål {question['question']}, {side_name}", question.get(side)


def _shown(value: object) -> str:
    if value is None:
        return "intet"
    if isinstance(value, dict) and {"points", "p_value"} <= value.keys():
        marked = ", markeret" if value.get("significant") else ""
        return f"{value['points']:+} point (p = {value['p_value']}{marked})".replace(".", ",")
    if isinstance(value, bool):
        return "ja" if value else "nej"
    if isinstance(value, dict):
        return canonical_json(value)
    if isinstance(value, float):
        return str(value).replace(".", ",")  # Danish decimals
    return str(value)


def differences(stored: JSON, now: JSON, title: Callable[[str], str]) -> list[str]:
    """Each cell whose figures differ, in Danish: "«Titel», enhed BFE-NORD, datasøjlen: n var 12, er nu
    13". A cell only in one of them is named as come or gone."""
    before = dict(_cells(stored, title))
    after = dict(_cells(now, title))
    found: list[str] = []
    for place in list(before) + [p for p in after if p not in before]:
        old, new = before.get(place), after.get(place)
        if old == new:
            continue
        if old is None or new is None:
            found.append(f"{place}: {'findes ikke længere' if new is None else 'er kommet til'}")
            continue
        changed = [
            f"{FIELD_NAMES.get(key, key)} var {_shown(old.get(key))}, er nu {_shown(new.get(key))}"
            for key in sorted(
                set(old) | set(new), key=lambda k: list(FIELD_NAMES).index(k) if k in FIELD_NAMES else 99
            )
            if old.get(key) != new.get(key)
        ]
        found.append(f"{place}: {'; '.join(changed)}")
    for key, name in (("period", "perioden"), ("as_of", "opgørelsesdagen"), ("standard", "målsætningen")):
        if stored.get(key) != now.get(key):
            found.append(f"{name} var {_shown(stored.get(key))}, er nu {_shown(now.get(key))}")
    return found
