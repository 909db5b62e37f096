"""Reads for the core pages: the rule catalogue (regelkataloget) as plain rows for templates and exports.

Views call these functions and never reach into `sagstilsyn.law` themselves.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sagstilsyn.core.access import Scope, can_see_all_units, visible_units_filter
from sagstilsyn.core.checks import catalogue_dir
from sagstilsyn.core.models import Municipality, Unit
from sagstilsyn.law import Catalogue, Citation, Rule, RuleVersion, load_catalogue
from sagstilsyn.law.describe import deadline_texts, match_text, trigger_text
from sagstilsyn.law.loader import catalogue_version
from sagstilsyn.law.model import KIND_LABELS
from sagstilsyn.law.research import is_source_note, plain_text

_cache: dict[tuple[str, str], Catalogue] = {}
_cache_lock = threading.Lock()

LAW_NAMES_FALLBACK = {"local": "Lokal standard"}


@dataclass(frozen=True, slots=True)
class CitationRow:
    """A citation as the pages show it: its note only when it is about the law (research notes about our
    sources, and where the wording was read, are in docs/research/rule-notes.md)."""

    label: str
    url: str
    verified: bool
    note: str | None


@dataclass(frozen=True, slots=True)
class VersionRow:
    valid_from: date
    valid_to: date | None
    law: str
    law_name: str
    citations: tuple[CitationRow, ...]
    deadline: tuple[str, ...]
    note: str | None
    verified: bool
    satisfied_by: str | None = None


@dataclass(frozen=True, slots=True)
class RuleRow:
    id: str
    title: str
    kind: str
    kind_label: str
    statutory: bool
    statutory_label: str
    verified: bool
    description: str
    question: str | None
    trigger: str | None
    satisfied_by: str | None
    released_by: str | None
    source_file: str
    versions: tuple[VersionRow, ...]
    catalogue_version: str
    interpretation: str | None = None


@dataclass(frozen=True, slots=True)
class CatalogueOverview:
    version: str
    rules: tuple[RuleRow, ...]
    unverified_count: int

    @property
    def rule_count(self) -> int:
        return len(self.rules)


def catalogue_get() -> Catalogue:
    """The catalogue in use (settings.RULE_CATALOGUE_DIR or the shipped one), loaded once per content."""
    root: Path = catalogue_dir()
    key = (str(root.resolve()), catalogue_version(root))
    with _cache_lock:
        catalogue = _cache.get(key)
        if catalogue is None:
            catalogue = load_catalogue(root)
            _cache.clear()
            _cache[key] = catalogue
    return catalogue


def catalogue_overview() -> CatalogueOverview:
    """Every rule of the catalogue, in catalogue order, with versions and citations."""
    catalogue = catalogue_get()
    rows = tuple(_rule_row(rule, catalogue) for rule in catalogue.rules)
    return CatalogueOverview(
        version=catalogue.version,
        rules=rows,
        unverified_count=sum(1 for row in rows if not row.verified),
    )


def rule_detail(*, rule_id: str) -> RuleRow | None:
    """One rule in full, or None when the catalogue has no rule with that id."""
    catalogue = catalogue_get()
    try:
        rule = catalogue.rule(rule_id)
    except KeyError:
        return None
    return _rule_row(rule, catalogue)


def catalogue_export_rows() -> tuple[list[str], list[list[object]]]:
    """The catalogue list as a table, one row per rule version (for the XLSX download). Rules are named
    by their Danish title; the rule's id comes last, small print for the lawyer who matches the
    compliance figures' export (supervision-contract §4, whose `requirement` is the rule id)."""
    overview = catalogue_overview()
    headers = [
        "Titel",
        "Type",
        "Lovkrav eller lokal standard",
        "Lov",
        "Gælder fra",
        "Gælder til",
        "Frist",
        "Henvisninger",
        "Henvisninger verificeret",
        "Katalogversion",
        "Regel-id (i udtræk af tal)",
    ]
    rows: list[list[object]] = []
    for rule in overview.rules:
        for version in rule.versions:
            rows.append(
                [
                    rule.title,
                    rule.kind_label,
                    rule.statutory_label,
                    version.law_name,
                    version.valid_from,
                    version.valid_to,
                    "; ".join(version.deadline),
                    "; ".join(
                        c.label + ("" if c.verified else " (ikke verificeret)") for c in version.citations
                    ),
                    "Ja" if version.verified else "Nej",
                    overview.version,
                    rule.id,
                ]
            )
    return headers, rows


def _law_note(catalogue: Catalogue, note: str | None) -> str | None:
    """A note for the pages: None when it is about our sources (sagstilsyn.law.research)."""
    return None if not note or is_source_note(note) else plain_text(catalogue, note)


def _citation_row(catalogue: Catalogue, citation: Citation) -> CitationRow:
    return CitationRow(
        label=citation.label,
        url=citation.url,
        verified=citation.verified,
        note=_law_note(catalogue, citation.note),
    )


def _law_name(catalogue: Catalogue, law_id: str) -> str:
    law = catalogue.laws.get(law_id)
    return law.name if law else LAW_NAMES_FALLBACK.get(law_id, law_id)


def _version_row(catalogue: Catalogue, rule: Rule, version: RuleVersion) -> VersionRow:
    return VersionRow(
        valid_from=version.valid_from,
        valid_to=version.valid_to,
        law=version.law,
        law_name=_law_name(catalogue, version.law),
        citations=tuple(_citation_row(catalogue, c) for c in version.citations),
        deadline=deadline_texts(catalogue, rule, version),
        note=_law_note(catalogue, version.note),
        verified=version.verified,
        satisfied_by=match_text(catalogue, version.satisfied_by),
    )


def _rule_row(rule: Rule, catalogue: Catalogue) -> RuleRow:
    return RuleRow(
        id=rule.id,
        title=rule.title,
        kind=rule.kind,
        kind_label=KIND_LABELS[rule.kind],
        statutory=rule.statutory,
        statutory_label="Lovkrav" if rule.statutory else "Lokal standard",
        verified=rule.verified,
        description=plain_text(catalogue, rule.description),
        question=plain_text(catalogue, rule.question) if rule.question else None,
        trigger=trigger_text(catalogue, rule),
        satisfied_by=match_text(catalogue, rule.satisfied_by),
        released_by=match_text(catalogue, rule.released_by),
        source_file=rule.source_file,
        versions=tuple(_version_row(catalogue, rule, v) for v in rule.versions),
        catalogue_version=catalogue.version,
        interpretation=plain_text(catalogue, rule.interpretation) if rule.interpretation else None,
    )


# --- who an export is for --------------------------------------------------------------------------

#: More units than this are counted in an export's title rather than named.
SCOPE_UNITS_NAMED = 3


def export_scope_label(scope: Scope, *, unit_ids: Iterable[int] | None = None) -> str:
    """Whom an export is for, in words, for its title row (`export_title`): the units filtered on
    (`unit_ids`), else the municipality when the user sees all of it, else the user's own units, e.g.
    "Børnefamilieenheden Nørrebro" or "Københavns Kommune" ("3 enheder i Københavns Kommune" beyond
    three units)."""
    if scope.municipality_id is None:
        return ""
    municipality = (
        Municipality.objects.filter(pk=scope.municipality_id).values_list("name", flat=True).first()
    )
    if unit_ids is not None:
        units = Unit.objects.filter(municipality_id=scope.municipality_id, pk__in=list(unit_ids))
    elif can_see_all_units(scope):
        return municipality or ""
    else:
        units = Unit.objects.filter(visible_units_filter(scope))
    names = sorted(units.values_list("name", flat=True))
    if not names:
        return municipality or ""
    if len(names) > SCOPE_UNITS_NAMED:
        return f"{len(names)} enheder i {municipality}" if municipality else f"{len(names)} enheder"
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} og {names[-1]}"
