"""Ad hoc samples (enkeltstående stikprøver, issue 13 §1, ADR 0029): the quality and learning unit's yearly
visit (kvalitetsbesøg: a large sample of one unit, read within a week) and an external audit (ekstern
revision: a simple random sample of N cases from chosen units for an external reviewer), closed by an
administrator, and a later follow-up audit compared with the first (`Sample.follows`).

Each kind is a programme (`kvalitet`, `ekstern`) with one part of period kind "adhoc", made on first use.
An ad hoc sample's period label is the day it is drawn (`2026-11-30`), which `period_parse` does not read:
`supervision_draw` never draws ad hoc parts (no period is of kind "adhoc"). The draw is the contract's
`srs` (`sagstilsyn.reviews.sampling`) over the part's eligible cases in the chosen units; a case the named
reviewer works on is excluded and replaced (contract §2). The reviewer is named at the draw, so the part's
reviewer rule is not used.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.utils import timezone

from sagstilsyn.core.access import is_external_reviewer, leads_units, user_scope
from sagstilsyn.core.models import Municipality, Unit, User
from sagstilsyn.core.services.audit import audit_record
from sagstilsyn.law.calendar import today_local
from sagstilsyn.reviews import sampling
from sagstilsyn.reviews.models import Programme, ProgrammePart, Sample, SampleFrameCase, SampleRow
from sagstilsyn.reviews.programmes.defaults import DEFAULT_ELIGIBILITY
from sagstilsyn.reviews.programmes.draw import eligible_cases, sample_row_of
from sagstilsyn.reviews.programmes.editing import part_versions, valid_from_key
from sagstilsyn.reviews.programmes.periods import Period
from sagstilsyn.reviews.services.reviews import reviews_assign_sample

#: kind → (programme name, part code, part name, default size, days to read)
ADHOC_KINDS: dict[str, tuple[str, str, str, int, int]] = {
    "kvalitet": ("Kvalitets- og læringsenhedens besøg", "besoeg", "Stor stikprøve fra én enhed", 40, 7),
    "ekstern": ("Ekstern revision", "revision", "Tilfældige sager fra valgte enheder", 50, 30),
}
ADHOC_KIND_LABELS = {"kvalitet": "Kvalitetsbesøg", "ekstern": "Ekstern revision"}
#: The questionnaire ad hoc samples answer unless an administrator changes the part.
ADHOC_QUESTIONNAIRE = ("quarterly_legal_review", 1)
WORKS_ON_IT = "bedømmeren arbejder selv på sagen"


class AdhocRefused(ValueError):
    """An ad hoc sample that is not drawn or closed; the message is Danish and names every problem."""


@transaction.atomic
def adhoc_part_ensure(municipality: Municipality, kind: str) -> ProgrammePart:
    """The part (in force today) of the ad hoc programme `kind`; the programme is made on first use."""
    name, code, part_name, size, days = ADHOC_KINDS[kind]
    programme, _ = Programme.objects.get_or_create(
        municipality=municipality, code=kind, defaults={"name": name}
    )
    part = ProgrammePart.objects.filter(programme=programme, code=code).order_by("pk").first()
    if part is None:
        part = ProgrammePart.objects.create(
            programme=programme,
            code=code,
            name=part_name,
            valid_from="2000",
            period_kind="adhoc",
            design="srs",
            size=size,
            eligibility=DEFAULT_ELIGIBILITY,
            reviewer_rule="centre_lawyers",
            questionnaire=ADHOC_QUESTIONNAIRE[0],
            questionnaire_version=ADHOC_QUESTIONNAIRE[1],
            review_days=days,
        )
    today = today_local()
    in_force = [p for p in part_versions(part) if valid_from_key(p.valid_from) <= today]
    return in_force[-1]


@dataclass(frozen=True)
class AdhocRequest:
    """What an administrator asks for: the kind, units, size, last day, reviewer and the audit followed."""

    kind: str
    units: list[Unit]
    size: int
    closes_on: date | None
    reviewer: User | None
    follows: Sample | None = None


def _problems(municipality: Municipality, request: AdhocRequest, today: date) -> list[str]:
    problems: list[str] = []
    if request.kind not in ADHOC_KINDS:
        problems.append("Vælg kvalitetsbesøg eller ekstern revision")
    if not request.units:
        problems.append("Vælg mindst én enhed")
    elif request.kind == "kvalitet" and len(request.units) != 1:
        problems.append("Et kvalitetsbesøg gælder én enhed")
    if any(unit.municipality_id != municipality.pk for unit in request.units):
        problems.append("En af enhederne hører ikke til kommunen")
    if request.size < 1:
        problems.append("Stikprøvens størrelse skal være mindst 1")
    if request.closes_on is None:
        problems.append("Angiv den sidste dag for gennemgangen")
    elif request.closes_on < today:
        problems.append("Den sidste dag for gennemgangen er overskredet")
    reviewer = request.reviewer
    if reviewer is None or reviewer.municipality_id != municipality.pk or not reviewer.is_active:
        problems.append("Vælg bedømmeren")
    elif request.kind == "ekstern" and not is_external_reviewer(user_scope(reviewer)):
        problems.append(f"{reviewer.display_name} er ikke ekstern gennemgår")
    elif request.kind == "kvalitet" and not leads_units(user_scope(reviewer)):
        problems.append(f"{reviewer.display_name} kan ikke gennemgå sager i et kvalitetsbesøg")
    follows = request.follows
    if follows is not None and (
        follows.part.programme.municipality_id != municipality.pk
        or follows.part.programme.code != request.kind
    ):
        problems.append("Den tidligere stikprøve er ikke af samme slags")
    return problems


@transaction.atomic
def adhoc_sample_draw(
    *, municipality: Municipality, request: AdhocRequest, actor: User, today: date | None = None
) -> Sample:
    """Draw an ad hoc sample and assign its reviews to the named reviewer (deadline: its last day).

    Refused (AdhocRefused, Danish) with every problem; nothing is written then."""
    today = today or today_local()
    problems = _problems(municipality, request, today)
    if problems:
        raise AdhocRefused("; ".join(problems))
    reviewer = request.reviewer
    if reviewer is None:  # _problems names it; for the type checker
        raise AdhocRefused("Vælg bedømmeren")
    part = adhoc_part_ensure(municipality, request.kind)
    unit_ids = {unit.pk for unit in request.units}
    cases = [
        case
        for case in eligible_cases(municipality, part, Period("month", today.year, today.month))
        if case.unit_id in unit_ids
    ]
    if not cases:
        raise AdhocRefused("Ingen sager i de valgte enheder opfylder udvælgelsesgrundlaget")
    label = today.isoformat()
    scope = "+".join(sorted(unit.code for unit in request.units))[:40]
    if Sample.objects.filter(part=part, period=label, scope=scope).exists():
        raise AdhocRefused("Der er allerede udtrukket en stikprøve af samme slags fra de samme enheder i dag")
    by_id = {case.source_ref: case for case in cases}
    frame = sorted((sampling.FrameCase(case.source_ref) for case in cases), key=lambda fc: fc.case_id)
    seed = sampling.new_seed()
    drawn = sampling.srs(frame, min(request.size, len(frame)), seed)
    works_on = {ref for ref, case in by_id.items() if case.caseworker_id == reviewer.pk}
    result = sampling.apply_exclusions(drawn, frame, dict.fromkeys(works_on, WORKS_ON_IT))
    sample = Sample.objects.create(
        part=part,
        period=label,
        scope=scope,
        design="srs",
        size=request.size,
        eligibility=part.eligibility,
        seed=seed,
        frame_hash=result.frame_hash,
        frame_size=result.frame_size,
        drawn_at=timezone.now(),
        closes_on=request.closes_on,
        follows=request.follows,
    )
    SampleFrameCase.objects.bulk_create(
        SampleFrameCase(sample=sample, case_id=by_id[fc.case_id].pk) for fc in frame
    )
    SampleRow.objects.bulk_create(
        sample_row_of(sample, position, row, case_id=by_id[row.case_id].pk, reviewer_id=reviewer.pk)
        for position, row in enumerate(result.rows, start=1)
    )
    audit_record(
        actor=actor,
        action="sample_draw",
        municipality=municipality,
        target_type="sample",
        target_id=sample.pk,
        target_label=f"{part.programme.code}/{part.code} {label} {scope}",
        after={
            "design": "srs",
            "seed": seed,
            "frame_hash": sample.frame_hash,
            "frame_size": sample.frame_size,
            "rows": len(result.rows),
            "reviewer": reviewer.username,
            "closes_on": sample.closes_on.isoformat() if sample.closes_on else None,
            "follows": request.follows.pk if request.follows else None,
        },
    )
    reviews_assign_sample(sample=sample, actor=actor)
    return sample


@transaction.atomic
def sample_close(*, sample: Sample, actor: User) -> Sample:
    """Close an ad hoc sample (luk stikprøven): from now its external reviewer sees none of its cases."""
    sample = (
        Sample.objects.select_for_update().select_related("part__programme__municipality").get(pk=sample.pk)
    )
    if sample.part.period_kind != "adhoc":
        raise AdhocRefused("Kun enkeltstående stikprøver lukkes; de faste lukkes med deres gennemgange")
    if sample.closed_at is not None:
        raise AdhocRefused("Stikprøven er allerede lukket")
    sample.closed_at = timezone.now()
    sample.save(update_fields=["closed_at"])
    audit_record(
        actor=actor,
        action="sample_close",
        municipality=sample.part.programme.municipality,
        target_type="sample",
        target_id=sample.pk,
        target_label=f"{sample.part.programme.code}/{sample.part.code} {sample.period} {sample.scope}",
        after={"closed_at": sample.closed_at.isoformat()},
    )
    return sample
