"""Reads for the core pages: the rule catalogue (regelkataloget) as plain rows for templates and exports.

Views call these functions and never reach into `sagstilsyn.law` themselves.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sagstilsyn.core.checks import catalogue_dir
from sagstilsyn.law import Catalogue, Citation, Rule, RuleVersion, load_catalogue
from sagstilsyn.law.engine import describe_offset
from sagstilsyn.law.loader import catalogue_version
from sagstilsyn.law.model import KIND_LABELS, AtEvent, Condition, DeadlineCase, EventMatch, Offset, Trigger

_cache: dict[tuple[str, str], Catalogue] = {}
_cache_lock = threading.Lock()

LAW_NAMES_FALLBACK = {"local": "Lokal standard"}


@dataclass(frozen=True, slots=True)
class CitationRow:
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
    """The catalogue list as a table, one row per rule version (for the XLSX download)."""
    overview = catalogue_overview()
    headers = [
        "Id",
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
    ]
    rows: list[list[object]] = []
    for rule in overview.rules:
        for version in rule.versions:
            rows.append(
                [
                    rule.id,
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
                ]
            )
    return headers, rows


# --- Danish wording of the rule structure -------------------------------------------------------


def _citation_row(citation: Citation) -> CitationRow:
    return CitationRow(label=citation.label, url=citation.url, verified=citation.verified, note=citation.note)


def _law_name(catalogue: Catalogue, law_id: str) -> str:
    law = catalogue.laws.get(law_id)
    return law.name if law else LAW_NAMES_FALLBACK.get(law_id, law_id)


def _event_label(catalogue: Catalogue, type_id: str) -> str:
    event_type = catalogue.event_types.get(type_id)
    return event_type.label if event_type else type_id


def _condition_text(catalogue: Catalogue, condition: Condition, event_types: Iterable[str]) -> str:
    types = [catalogue.event_types[t] for t in event_types if t in catalogue.event_types]
    parts: list[str] = []
    for name, values in condition.allowed:
        spec = next((t.attributes[name] for t in types if name in t.attributes), None)
        if spec is None:
            parts.append(f"{name}: {', '.join(sorted(map(str, values)))}")
            continue
        if spec.kind == "bool":
            shown = sorted("ja" if value is True else "nej" for value in values)
        else:
            shown = sorted(spec.values.get(str(value), str(value)) for value in values)
        parts.append(f"{spec.label}: {' eller '.join(shown)}")
    return "; ".join(parts)


def _events_text(catalogue: Catalogue, events: tuple[str, ...], condition: Condition) -> str:
    text = " eller ".join(_event_label(catalogue, t) for t in events)
    extra = _condition_text(catalogue, condition, events)
    return f"{text} ({extra})" if extra else text


def _trigger_text(catalogue: Catalogue, trigger: Trigger | None) -> str | None:
    return _events_text(catalogue, trigger.events, trigger.when) if trigger else None


def _match_text(catalogue: Catalogue, match: EventMatch | None) -> str | None:
    if match is None:
        return None
    text = _events_text(catalogue, match.events, match.when)
    if match.start == "after_trigger":
        text += ", efter udløsningen"
    elif match.start == "any":
        text += ", også før udløsningen"
        if match.lookback is not None:
            text += f" (højst {describe_offset(match.lookback)} før)"
    if match.by_due:
        text += ", senest ved fristen"
    return text


def _part_text(catalogue: Catalogue, part: Offset | AtEvent) -> str:
    if isinstance(part, AtEvent):
        return f"når «{_event_label(catalogue, part.event_type)}» foreligger"
    if part.amount == 0:
        return "samme dag som udløsningen"
    return f"{describe_offset(part)} efter udløsningen"


def _deadline_case_text(catalogue: Catalogue, case: DeadlineCase, trigger: Trigger | None) -> str:
    parts = [_part_text(catalogue, part) for part in case.parts]
    text = parts[0] if len(parts) == 1 else "det tidligste af: " + "; ".join(parts)
    condition = _condition_text(catalogue, case.when, trigger.events if trigger else ())
    return f"Når {condition}: {text}" if condition else text[:1].upper() + text[1:]


def _version_deadline(catalogue: Catalogue, rule: Rule, version: RuleVersion) -> tuple[str, ...]:
    if rule.kind == "deadline":
        return tuple(_deadline_case_text(catalogue, case, rule.trigger) for case in version.deadline)
    if rule.kind == "recurring" and version.period is not None:
        count = version.min_count or 1
        times = "gang" if count == 1 else "gange"
        return (f"Mindst {count} {times} inden for hver periode på {describe_offset(version.period)}",)
    return ()


def _version_row(catalogue: Catalogue, rule: Rule, version: RuleVersion) -> VersionRow:
    return VersionRow(
        valid_from=version.valid_from,
        valid_to=version.valid_to,
        law=version.law,
        law_name=_law_name(catalogue, version.law),
        citations=tuple(_citation_row(c) for c in version.citations),
        deadline=_version_deadline(catalogue, rule, version),
        note=version.note,
        verified=version.verified,
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
        description=rule.description,
        question=rule.question,
        trigger=_trigger_text(catalogue, rule.trigger),
        satisfied_by=_match_text(catalogue, rule.satisfied_by),
        released_by=_match_text(catalogue, rule.released_by),
        source_file=rule.source_file,
        versions=tuple(_version_row(catalogue, rule, v) for v in rule.versions),
        catalogue_version=catalogue.version,
    )
