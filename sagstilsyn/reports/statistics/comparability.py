"""Sammenlignelighed (comparability): may two figures be compared (a change from the last period, two
units side by side)? Not when they rest on different versions of a rule (frist) or a questionnaire, or
when a version took effect inside the compared span, the law change of 1 January 2024 (barnets lov)
above all. The caller passes the versions each side was computed under; the answer says why in Danish."""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from sagstilsyn.law.calendar import long_date


class VersionKind(enum.Enum):
    """What a version belongs to, with the Danish word the reasons use."""

    RULE = "Reglen"
    QUESTIONNAIRE = "Spørgeskemaet"


@dataclass(frozen=True, slots=True)
class Version:
    """One version of a rule or a questionnaire a figure was computed under: `code` names the rule or
    questionnaire (shown to the user), `version` the version, `valid_from` the day it took effect."""

    kind: VersionKind
    code: str
    version: str
    valid_from: date


@dataclass(frozen=True, slots=True)
class Comparability:
    """Whether a comparison is allowed, and the Danish reasons when it is not ("Ikke sammenlignelig")."""

    comparable: bool
    reasons: tuple[str, ...]


NOT_COMPARABLE = "Ikke sammenlignelig"


def comparability(
    a: Iterable[Version], b: Iterable[Version], *, span: tuple[date, date] | None = None
) -> Comparability:
    """Compare the versions side a was computed under with side b's. `span`, the first and last day the
    two sides cover together, also catches a version that took effect after its first day."""
    side_a, side_b = _by_item(a), _by_item(b)
    reasons: list[str] = []
    for kind, code in sorted(side_a.keys() | side_b.keys(), key=lambda item: (item[0].name, item[1])):
        name = f"{kind.value} «{code}»"
        in_a, in_b = side_a.get((kind, code), frozenset()), side_b.get((kind, code), frozenset())
        inside = {v.valid_from for v in in_a | in_b if span and span[0] < v.valid_from <= span[1]}
        if not in_a or not in_b:
            reasons.append(f"{name} indgår kun i den ene side af sammenligningen.")
        elif in_a != in_b:
            changed = max(v.valid_from for v in in_a | in_b)  # the newest version took effect then
            reasons.append(f"{name} er ændret med virkning fra {long_date(changed)}.")
        elif inside:
            reasons.append(
                f"{name} er ændret med virkning fra {long_date(max(inside))}, inden for sammenligningen."
            )
    return Comparability(comparable=not reasons, reasons=tuple(reasons))


def _by_item(versions: Iterable[Version]) -> dict[tuple[VersionKind, str], frozenset[Version]]:
    grouped: dict[tuple[VersionKind, str], set[Version]] = {}
    for version in versions:
        grouped.setdefault((version.kind, version.code), set()).add(version)
    return {item: frozenset(found) for item, found in grouped.items()}
