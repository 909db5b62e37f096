"""Rule versions (regelversioner) of the catalogue in use, stored once for all obligations (ADR 0008).

An obligation refers to the rule version it was computed under; the version holds the texts every
obligation under it shares (title, kind, statutory, law, citations). Rows are added, never changed or
deleted: the catalogue version is a content hash, so a changed text is a new catalogue version.
"""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone

from sagstilsyn.cases.models import RuleVersion
from sagstilsyn.core.models import User
from sagstilsyn.core.services.audit import audit_record
from sagstilsyn.law import Catalogue

#: (rule id, the version's first day) → the stored rule version's id, for one catalogue version.
VersionIds = dict[tuple[str, date], int]


def _stored(catalogue_version: str) -> VersionIds:
    rows = RuleVersion.objects.filter(catalogue_version=catalogue_version).values_list(
        "id", "rule_id", "valid_from"
    )
    return {(rule_id, valid_from): pk for pk, rule_id, valid_from in rows}


def rule_versions_record(*, catalogue: Catalogue, actor: User | None = None) -> VersionIds:
    """Store the catalogue's rule versions not stored yet; returns every one's id by (rule, valid from).

    Runs in the caller's transaction (the recompute's), before obligations that refer to the rows are
    written. Writes an audit event only when it adds rows. Two transactions recording the same new
    catalogue at once both succeed: the unique key lets the second skip the rows the first wrote.
    """
    stored = _stored(catalogue.version)
    now = timezone.now()
    missing = [
        RuleVersion(
            catalogue_version=catalogue.version,
            rule_id=rule.id,
            valid_from=version.valid_from,
            title=rule.title,
            kind=rule.kind,
            statutory=rule.statutory,
            law=version.law,
            citations=[{"label": c.label, "url": c.url, "verified": c.verified} for c in version.citations],
            recorded_at=now,
        )
        for rule in catalogue.rules
        for version in rule.versions
        if (rule.id, version.valid_from) not in stored
    ]
    if not missing:
        return stored
    with transaction.atomic():
        RuleVersion.objects.bulk_create(missing, ignore_conflicts=True)
        recorded = _stored(catalogue.version)
        audit_record(
            actor=actor,
            action="rule_versions.record",
            target_type="catalogue",
            target_id=catalogue.version,
            target_label=f"katalogversion {catalogue.version}",
            after={"catalogue_version": catalogue.version, "recorded": len(recorded) - len(stored)},
        )
    return recorded
