"""Make and verify a stored committee report (udvalgsrapport, issue 14 §5, ADR 0039).

`committee_report_make` computes the quarter's figures (`content.committee_content`), stores them as
canonical JSON with their SHA-256 and everything they rest on, and audits it. `committee_report_verify`
computes them again from the register with the stored inputs (period, as-of day, standard) and says
whether the hash still matches, naming every differing cell in Danish.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.utils import timezone

from sagstilsyn.core.models import Municipality, User
from sagstilsyn.core.selectors import catalogue_get
from sagstilsyn.core.services.audit import audit_record
from sagstilsyn.reports.committee.canonical import canonical_json, differences, figures_hash
from sagstilsyn.reports.committee.content import JSON, committee_content
from sagstilsyn.reports.compliance.readings import requirement_title
from sagstilsyn.reports.models import CommitteeReport
from sagstilsyn.reports.standards import Standard, standard_of
from sagstilsyn.reviews.models import Review, ReviewStatus
from sagstilsyn.reviews.programmes.periods import Period, period_parse
from sagstilsyn.reviews.questionnaire_store import (
    QuestionnaireMissing,
    questionnaire_fingerprint,
    questionnaire_get,
)


@dataclass(frozen=True, slots=True)
class Verification:
    """Whether a stored report's figures are still what the register gives, and, when not, each
    difference in Danish; `notes` names inputs that changed since (catalogue, questionnaires)."""

    report: CommitteeReport
    matches: bool
    figures_hash: str
    differences: tuple[str, ...]
    notes: tuple[str, ...]


def _inputs(
    municipality: Municipality, period: Period, figures: dict[str, object]
) -> tuple[dict[str, str], list[int]]:
    reviews = (
        Review.objects.filter(
            municipality=municipality,
            reviewed_on__gte=period.start,
            reviewed_on__lte=period.end,
            status__in=(ReviewStatus.SUBMITTED, ReviewStatus.CLOSED),
        )
        .values_list("questionnaire", "questionnaire_version", "sample_row__sample_id")
        .distinct()
        .order_by()
    )
    versions: set[tuple[str, int]] = set()
    samples: set[int] = set()
    for questionnaire, version, sample in reviews:
        versions.add((questionnaire, version))
        if sample is not None:
            samples.add(sample)
    audits = figures.get("audits")
    for audit in audits if isinstance(audits, list) else []:
        samples.update((audit["baseline"]["sample"], audit["follow_up"]["sample"]))
        if audit["questionnaire"]:
            versions.add((audit["questionnaire"], audit["questionnaire_version"] or 0))
    fingerprints = {}
    for questionnaire, version in sorted(versions):
        try:
            fingerprints[f"{questionnaire}.v{version}"] = questionnaire_fingerprint(
                questionnaire_get(questionnaire, version)
            )
        except QuestionnaireMissing:
            fingerprints[f"{questionnaire}.v{version}"] = ""
    return fingerprints, sorted(samples)


@transaction.atomic
def committee_report_make(
    *, municipality: Municipality, period: Period, as_of: date, actor: User | None
) -> CommitteeReport:
    """Compute and store the committee report of `period` judged on `as_of` with the municipality's
    standard today; audited. `actor` None is the system (the `report` command)."""
    standard = standard_of(municipality)
    figures = committee_content(municipality=municipality, period=period, as_of=as_of, standard=standard)
    text = canonical_json(figures)
    questionnaires, samples = _inputs(municipality, period, figures)
    report = CommitteeReport.objects.create(
        municipality=municipality,
        period=period.label,
        as_of=as_of,
        catalogue_version=catalogue_get().version,
        questionnaires=questionnaires,
        sample_ids=samples,
        standard=figures["standard"],
        figures=text,
        figures_hash=figures_hash(text),
        created_at=timezone.now(),
        created_by=actor,
    )
    audit_record(
        actor=actor,
        action="committee_report_make",
        municipality=municipality,
        target_type="committee_report",
        target_id=report.pk,
        target_label=f"udvalgsrapport {period.label}",
        after={
            "period": period.label,
            "as_of": as_of.isoformat(),
            "hash": report.figures_hash,
            "catalogue_version": report.catalogue_version,
            "samples": len(samples),
        },
    )
    return report


#: What identifies a report's recomputation: municipality, period, as-of day and standard.
ContentKey = tuple[int, str, str, float, float, float, float]


def committee_report_verify(
    report: CommitteeReport, computed: dict[ContentKey, JSON] | None = None
) -> Verification:
    """Compute the report's figures again with its stored period, as-of day and standard, and compare.
    `computed` shares the recomputed figures between reports with the same inputs (a list of reports
    downloaded again and again for one quarter recomputes it once)."""
    stored = report.standard
    standard = Standard(
        target=stored["target"], lower=stored["lower"], alpha=stored["alpha"], beta=stored["beta"]
    )
    period = period_parse(report.period)
    key: ContentKey = (
        report.municipality_id,
        report.period,
        report.as_of.isoformat(),
        standard.target,
        standard.lower,
        standard.alpha,
        standard.beta,
    )
    cache = computed if computed is not None else {}
    if key not in cache:
        cache[key] = committee_content(
            municipality=report.municipality, period=period, as_of=report.as_of, standard=standard
        )
    figures = cache[key]
    text = canonical_json(figures)
    digest = figures_hash(text)
    found: tuple[str, ...] = ()
    if digest != report.figures_hash:
        found = tuple(differences(json.loads(report.figures), figures, requirement_title))
        if not found:
            found = ("Tallene er de samme, men den gemte tekst er ændret.",)
    notes = []
    version = catalogue_get().version
    if version != report.catalogue_version:
        notes.append(
            f"Regelkataloget er nu version {version}; rapporten blev lavet med {report.catalogue_version}."
        )
    questionnaires, _ = _inputs(report.municipality, period, figures)
    for name, fingerprint in sorted(report.questionnaires.items()):
        if questionnaires.get(name, fingerprint) != fingerprint:
            notes.append(f"Spørgeskemaet {name} er ændret, siden rapporten blev lavet.")
    return Verification(report, digest == report.figures_hash, digest, found, tuple(notes))
