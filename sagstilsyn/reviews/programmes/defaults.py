"""Københavns tilsynsmodel as data (issue 13 §1): the default programme a municipality starts with."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from sagstilsyn.core.models import Municipality
from sagstilsyn.core.services.audit import audit_record
from sagstilsyn.reviews.models import Programme, ProgrammePart

#: open (an obligation open on the period's first day) or a decision (measure_decided) in the 12 months
#: before the period; not read in the 12 months before it; a case another sample of the period holds is
#: excluded and replaced (`programmes/eligibility.py`, ADR 0030)
#: Days a reviewer has from assignment, by period kind: a month's review within the month, a quarter's
#: within the quarter (drawn on its first days: 75), a year's within the year.
DEFAULT_REVIEW_DAYS: dict[str, int] = {"month": 30, "quarter": 75, "year": 300}

DEFAULT_ELIGIBILITY: dict[str, Any] = {
    "open_obligation": True,
    "decision_months": 12,
    "not_reviewed_months": 12,
    "not_drawn_in_period": True,
}

#: The questionnaire (id, version) each default programme's reviews answer: the monthly review reads the
#: screening's findings A–G (seed 001), the quarterly and yearly ones the whole legal review.
DEFAULT_QUESTIONNAIRES: dict[str, tuple[str, int]] = {
    "maanedlig": ("monthly_case_review", 1),
    "kvartal": ("quarterly_legal_review", 1),
    "aarlig": ("quarterly_legal_review", 1),
}

#: programme code, name, parts: (code, name, period kind, design, size, strata, per-stratum size,
#: unit kind, reviewer rule, level-2 share)
DEFAULT_PROGRAMMES: tuple[tuple[str, str, tuple[tuple[Any, ...], ...]], ...] = (
    (
        "maanedlig",
        "Månedlig sagsgennemgang",
        (
            (
                "sagsbehandler",
                "Én sag pr. sagsbehandler",
                "month",
                "stratified",
                0,
                "caseworker",
                1,
                "unit",
                "unit_leader",
                0.0,
            ),
        ),
    ),
    (
        "kvartal",
        "Kvartalsvis tilsyn",
        (
            ("enhed", "20 sager pr. enhed", "quarter", "stratified", 0, "unit", 20, "unit", "area", 0.0),
            (
                "doegnvagt",
                "5 sager fra Døgnvagten",
                "quarter",
                "srs",
                5,
                "none",
                None,
                "emergency",
                "area",
                0.0,
            ),
            (
                "center",
                "60 sager på tværs af enhederne",
                "quarter",
                "stratified",
                60,
                "unit",
                None,
                "unit",
                "centre_lawyers",
                0.5,
            ),
            (
                "udveksling",
                "Tværgående udveksling: 2 sager pr. gruppe pr. enhed, læst af makkerenheden",
                "quarter",
                "stratified",
                0,
                "group",
                2,
                "unit",
                "exchange",
                0.0,
            ),
        ),
    ),
    (
        "aarlig",
        "Årligt risikobaseret tilsyn",
        (
            (
                "risiko",
                "Mindst 20 sager pr. enhed efter risiko",
                "year",
                "pps",
                20,
                "unit",
                None,
                "unit",
                "area",
                0.0,
            ),
        ),
    ),
)


@transaction.atomic
def programme_default_ensure(municipality: Municipality, *, valid_from: str = "2000") -> list[Programme]:
    """Create Copenhagen's default programmes in `municipality` where missing; existing
    ones stay as they are."""
    programmes: list[Programme] = []
    for code, name, parts in DEFAULT_PROGRAMMES:
        programme, created = Programme.objects.get_or_create(
            municipality=municipality, code=code, defaults={"name": name}
        )
        programmes.append(programme)
        if not created:
            continue
        for part_code, part_name, kind, design, size, strata, n_h, unit_kind, rule, share in parts:
            ProgrammePart.objects.create(
                programme=programme,
                code=part_code,
                name=part_name,
                valid_from=valid_from,
                period_kind=kind,
                design=design,
                size=size,
                strata=strata,
                stratum_size=n_h,
                unit_kind=unit_kind,
                per_unit=design == "pps" or rule == "exchange",
                eligibility=DEFAULT_ELIGIBILITY,
                reviewer_rule=rule,
                review_days=DEFAULT_REVIEW_DAYS[kind],
                level2_share=share,
                questionnaire=DEFAULT_QUESTIONNAIRES[code][0],
                questionnaire_version=DEFAULT_QUESTIONNAIRES[code][1],
            )
        audit_record(
            actor=None,
            action="programme_create",
            municipality=municipality,
            target_type="programme",
            target_id=programme.pk,
            target_label=programme.name,
            after={"code": code, "parts": [part[0] for part in parts]},
        )
    return programmes
