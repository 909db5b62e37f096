"""Editing a programme part (ændring af et delprogram, issue 13 §1) with its history.

An edit never changes a version in force: it is saved as a new `ProgrammePart` row valid from the next
period of the part's kind (the next month, quarter or year; for an ad hoc part the next day), so every
sample keeps the version it was drawn by. A second edit before that period replaces the waiting version.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from sagstilsyn.core.models import User
from sagstilsyn.core.services.audit import audit_record
from sagstilsyn.law.calendar import today_local
from sagstilsyn.reviews.models import ProgrammePart
from sagstilsyn.reviews.models.programmes import CASEWORKER_PARTS, DESIGN_CHOICES, REVIEWER_RULES
from sagstilsyn.reviews.programmes.periods import Period, PeriodError, period_of_kind, period_parse
from sagstilsyn.reviews.questionnaire_store import QuestionnaireMissing, questionnaire_get


class PartChangeRefused(ValueError):
    """An edit of a part that is not saved; the message is Danish and names every problem."""


@dataclass(frozen=True)
class PartSettings:
    """What an administrator may change on a part (delprogrammets indstillinger)."""

    size: int
    stratum_size: int | None
    design: str
    open_obligation: bool
    decision_months: int | None
    reviewer_rule: str
    level2_share: float
    caseworker_part: str
    review_days: int
    level2_days: int
    repair_days: int
    questionnaire: str
    questionnaire_version: int | None
    hand_picking_allowed: bool
    active: bool


def part_settings(part: ProgrammePart) -> PartSettings:
    """The settings of one part version."""
    rules = part.eligibility or {}
    months = rules.get("decision_months")
    return PartSettings(
        size=part.size,
        stratum_size=part.stratum_size,
        design=part.design,
        open_obligation=bool(rules.get("open_obligation")),
        decision_months=int(months) if months else None,
        reviewer_rule=part.reviewer_rule,
        level2_share=part.level2_share,
        caseworker_part=part.caseworker_part,
        review_days=part.review_days,
        level2_days=part.level2_days,
        repair_days=part.repair_days,
        questionnaire=part.questionnaire,
        questionnaire_version=part.questionnaire_version,
        hand_picking_allowed=part.hand_picking_allowed,
        active=part.active,
    )


def valid_from_key(label: str) -> date:
    """When a `valid_from` label starts: a period (2026Q1) or, for ad hoc parts, a date (2026-11-30)."""
    try:
        return period_parse(label).start
    except PeriodError:
        return date.fromisoformat(label)


def period_next(period: Period) -> Period:
    """The period of the same kind after `period`."""
    if period.kind == "year":
        return Period("year", period.year + 1, 0)
    last = 12 if period.kind == "month" else 4
    if period.number == last:
        return Period(period.kind, period.year + 1, 1)
    return Period(period.kind, period.year, period.number + 1)


def next_valid_from(part: ProgrammePart, today: date) -> str:
    """The label an edit made `today` applies from: the next period of the part's kind (ad hoc: tomorrow)."""
    if part.period_kind == "adhoc":
        return (today + timedelta(days=1)).isoformat()
    return period_next(period_of_kind(Period("month", today.year, today.month), part.period_kind)).label


def part_versions(part: ProgrammePart) -> list[ProgrammePart]:
    """Every version of `part` (same programme and code), oldest first, with who changed it."""
    versions = ProgrammePart.objects.filter(programme_id=part.programme_id, code=part.code).select_related(
        "changed_by", "programme"
    )
    return sorted(versions, key=lambda p: valid_from_key(p.valid_from))


def part_latest(part: ProgrammePart) -> ProgrammePart:
    """The newest version of `part` (possibly one waiting for its period)."""
    return part_versions(part)[-1]


def _problems(settings: PartSettings, strata: str) -> list[str]:
    problems: list[str] = []
    designs = {code for code, _ in DESIGN_CHOICES}
    if settings.design not in designs:
        problems.append("Vælg et af de fire udtræksdesign")
    if settings.design == "stratified" and strata == "none":
        problems.append("Et stratificeret udtræk kræver strata; delprogrammet har ingen")
    if settings.design == "stratified" and not settings.stratum_size and settings.size < 1:
        problems.append("Angiv stikprøvens størrelse eller antal pr. stratum")
    if settings.design != "stratified" and settings.size < 1:
        problems.append("Stikprøvens størrelse skal være mindst 1")
    if settings.stratum_size is not None and settings.stratum_size < 1:
        problems.append("Antal pr. stratum skal være mindst 1 eller stå tomt")
    if settings.decision_months is not None and not 1 <= settings.decision_months <= 120:
        problems.append("Måneder med afgørelse skal være mellem 1 og 120")
    if not settings.open_obligation and not settings.decision_months:
        problems.append("Angiv udvælgelsesgrundlaget: åben forpligtelse og/eller måneder med afgørelse")
    if settings.reviewer_rule not in {code for code, _ in REVIEWER_RULES}:
        problems.append("Vælg en bedømmerregel")
    if not 0.0 <= settings.level2_share <= 1.0:
        problems.append("Andelen til 2. niveau skal være mellem 0 og 100 %")
    if settings.caseworker_part not in {code for code, _ in CASEWORKER_PARTS}:
        problems.append("Vælg sagsbehandlerens rolle")
    for label, days in (
        ("Dage til gennemgang", settings.review_days),
        ("Dage til fornyet gennemgang", settings.level2_days),
        ("Dage til sagsgenopretning", settings.repair_days),
    ):
        if not 1 <= days <= 365:
            problems.append(f"{label} skal være mellem 1 og 365")
    if settings.questionnaire:
        try:
            questionnaire_get(settings.questionnaire, settings.questionnaire_version or 0)
        except QuestionnaireMissing:
            problems.append(
                f"Spørgeskemaet {settings.questionnaire} version {settings.questionnaire_version} findes ikke"
            )
    else:
        problems.append("Vælg et spørgeskema")
    return problems


@transaction.atomic
def programme_part_change(
    *, part: ProgrammePart, settings: PartSettings, actor: User, today: date | None = None
) -> ProgrammePart:
    """Save `settings` as the part's version from the next period; the version saved.

    Refused (PartChangeRefused, Danish) when nothing changed or a value is bad; nothing is written then."""
    today = today or today_local()
    latest = part_latest(part)
    before = part_settings(latest)
    if settings == before:
        raise PartChangeRefused("Intet er ændret: delprogrammet er gemt som før")
    problems = _problems(settings, latest.strata)
    if problems:
        raise PartChangeRefused("; ".join(problems))
    valid_from = next_valid_from(latest, today)
    if latest.valid_from == valid_from:
        version = latest  # waiting for its period: the new edit replaces it
    else:
        version = ProgrammePart(
            programme=latest.programme,
            code=latest.code,
            name=latest.name,
            valid_from=valid_from,
            period_kind=latest.period_kind,
            strata=latest.strata,
            per_unit=latest.per_unit,
            unit_kind=latest.unit_kind,
        )
    eligibility: dict[str, object] = dict(latest.eligibility or {})
    eligibility["open_obligation"] = settings.open_obligation
    if settings.decision_months:
        eligibility["decision_months"] = settings.decision_months
    else:
        eligibility.pop("decision_months", None)
    for field, value in asdict(settings).items():
        if field not in ("open_obligation", "decision_months"):
            setattr(version, field, value)
    version.eligibility = eligibility
    version.changed_by = actor
    version.changed_at = timezone.now()
    version.save()
    changed = {k: v for k, v in asdict(settings).items() if asdict(before)[k] != v}
    audit_record(
        actor=actor,
        action="programme_part_change",
        municipality=latest.programme.municipality,
        target_type="programme_part",
        target_id=version.pk,
        target_label=f"{latest.programme.code}/{latest.code} fra {valid_from}",
        before={k: asdict(before)[k] for k in changed},
        after=changed,
    )
    return version
