"""The draw of supervision-contract.md §2 from the database: frames, samples, reviewers, verification.

The draw itself is `sagstilsyn.reviews.sampling` (the one implementation); this module builds the frame
from stored facts, stores the result and redraws stored samples.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from sagstilsyn.cases.models import Case, CaseEvent, Obligation
from sagstilsyn.core.access import sample_reviewer_assignments_filter
from sagstilsyn.core.models import Municipality, RoleAssignment, Unit, UnitKind, User
from sagstilsyn.core.services.audit import audit_record
from sagstilsyn.law.model import ObligationStatus
from sagstilsyn.law.yes_no import parse_yes_no
from sagstilsyn.reviews import sampling
from sagstilsyn.reviews.models import ProgrammePart, Sample, SampleFrameCase, SampleRow
from sagstilsyn.reviews.programmes.periods import Period, period_parse

OPEN_STATUSES = (ObligationStatus.OPEN.value, ObligationStatus.OVERDUE.value)
NO_REVIEWER = "ingen bedømmer, der ikke arbejder på sagen"


def _months_before(day: date, months: int) -> date:
    month_index = day.year * 12 + day.month - 1 - months
    return date(month_index // 12, month_index % 12 + 1, 1)


def parts_active(municipality: Municipality, period: Period) -> list[ProgrammePart]:
    """The part versions in force for `period` (of the part's period kind): the latest `valid_from`."""
    chosen: dict[tuple[int, str], ProgrammePart] = {}
    parts = ProgrammePart.objects.filter(programme__municipality=municipality, period_kind=period.kind)
    for part in parts.select_related("programme").order_by("pk"):
        if period_parse(part.valid_from).start > period.start:
            continue
        key = (part.programme_id, part.code)
        current = chosen.get(key)
        if current is None or period_parse(current.valid_from).start <= period_parse(part.valid_from).start:
            chosen[key] = part
    return [part for part in sorted(chosen.values(), key=lambda p: (p.programme.code, p.code)) if part.active]


def eligible_cases(municipality: Municipality, part: ProgrammePart, period: Period) -> list[Case]:
    """The frame's cases: the part's unit kind, and open or with a decision in the months
    before the period."""
    rules: dict[str, Any] = part.eligibility or {}
    start = period.start
    condition = Q()
    if rules.get("open_obligation"):
        condition |= Q(obligations__status__in=OPEN_STATUSES)
    months = rules.get("decision_months")
    if months:
        condition |= Q(
            events__type="measure_decided",
            events__day__gte=_months_before(start, int(months)),
            events__day__lt=start,
        )
    cases = Case.objects.filter(municipality=municipality)
    if part.unit_kind:
        cases = cases.filter(unit__kind=part.unit_kind)
    if condition:
        cases = cases.filter(condition)
    return list(cases.distinct().select_related("unit", "caseworker").order_by("source_ref"))


def risk_weights(cases: Sequence[Case], as_of: date) -> dict[int, float]:
    """Risk weight 1 + overdue obligations + 2 for a placement without consent + 2 for an abuse concern."""
    ids = [case.pk for case in cases]
    overdue = dict(
        Obligation.objects.filter(case_id__in=ids, status=ObligationStatus.OVERDUE.value)
        .values_list("case_id")
        .annotate(n=Count("pk"))
        .values_list("case_id", "n")
    )
    weights = {case_id: 1.0 + float(overdue.get(case_id, 0)) for case_id in ids}
    flagged_placement: set[int] = set()
    flagged_abuse: set[int] = set()
    for case_id, type_, attrs in CaseEvent.objects.filter(case_id__in=ids, day__lt=as_of).values_list(
        "case_id", "type", "attrs"
    ):
        facts = attrs or {}
        if type_ == "measure_decided" and facts.get("measure") == "placement_without_consent":
            flagged_placement.add(case_id)
        if parse_yes_no(facts.get("abuse")):
            flagged_abuse.add(case_id)
    for case_id in flagged_placement:
        weights[case_id] += 2.0
    for case_id in flagged_abuse:
        weights[case_id] += 2.0
    return weights


def _stratum(part: ProgrammePart, case: Case) -> str:
    if part.strata == "unit":
        return case.unit.code
    if part.strata == "group":
        return case.group
    if part.strata == "caseworker":
        return case.caseworker.username if case.caseworker else ""
    return ""


def exchange_partners(municipality: Municipality) -> dict[int, int]:
    """Unit id → its partner's in the cross-unit exchange: the units (kind `unit`) by code, paired in
    turn (1-2, 3-4, …); an odd last unit is read by the first unit's leaders."""
    units = Unit.objects.filter(municipality=municipality, kind=UnitKind.UNIT).order_by("code")
    ids = list(units.values_list("pk", flat=True))
    partners: dict[int, int] = {}
    for first, second in zip(ids[0::2], ids[1::2], strict=False):
        partners[first], partners[second] = second, first
    if len(ids) % 2 == 1 and len(ids) > 1:
        partners[ids[-1]] = ids[0]
    return partners


@dataclass
class _Reviewers:
    part: ProgrammePart
    municipality: Municipality
    turn: int = 0

    def candidates(self, case: Case) -> list[User]:
        rule = self.part.reviewer_rule
        roles = RoleAssignment.objects.filter(sample_reviewer_assignments_filter(rule))
        if rule == "centre_lawyers":
            roles = roles.filter(municipality=self.municipality)
        elif rule == "exchange":
            partner = exchange_partners(self.municipality).get(case.unit_id)
            roles = roles.filter(unit_id=partner, group__in=["", case.group]) if partner else roles.none()
        else:
            roles = roles.filter(unit=case.unit)
            if rule == "unit_leader" and case.group:
                in_group = roles.filter(group=case.group)
                if in_group.exists():
                    roles = in_group
        users = [a.user for a in roles.select_related("user").order_by("user__username") if a.user.is_active]
        return [user for user in dict.fromkeys(users) if user.pk != case.caseworker_id]

    def pick(self, case: Case) -> User | None:
        """Round-robin for centre lawyers; else the first in the unit (by user name). Never the caseworker."""
        found = self.candidates(case)
        if not found:
            return None
        if self.part.reviewer_rule == "centre_lawyers":
            user = found[self.turn % len(found)]
            self.turn += 1
            return user
        return found[0]


def _draw(
    design: str, frame: list[sampling.FrameCase], size: int, stratum_sizes: dict[str, int], seed: str
) -> sampling.Sample:
    if design == "stratified":
        return sampling.stratified(frame, stratum_sizes or size, seed)
    if design == "pps":
        return sampling.pps(frame, min(size, len(frame)), seed)
    if design == "systematic":
        return sampling.systematic(frame, min(size, len(frame)), seed)
    return sampling.srs(frame, min(size, len(frame)), seed)


def _draw_one(
    part: ProgrammePart, period: Period, scope: str, cases: list[Case], actor: User | None
) -> Sample | None:
    if Sample.objects.filter(part=part, period=period.label, scope=scope).exists():
        return None
    by_id = {case.source_ref: case for case in cases}
    weights = risk_weights(cases, period.start) if part.design == "pps" else {}
    frame = sorted(
        (
            sampling.FrameCase(case.source_ref, _stratum(part, case), weights.get(case.pk, 1.0))
            for case in cases
        ),
        key=lambda fc: fc.case_id,
    )
    stratum_sizes: dict[str, int] = {}
    if part.design == "stratified" and part.stratum_size is not None:
        stratum_sizes = {fc.stratum: part.stratum_size for fc in frame}
    seed = sampling.new_seed()
    drawn = _draw(part.design, frame, part.size, stratum_sizes, seed)
    reviewers = _Reviewers(part, part.programme.municipality)
    chosen: dict[str, User | None] = {}

    def exclusion(case_id: str) -> str | None:
        if case_id not in chosen:
            chosen[case_id] = reviewers.pick(by_id[case_id])
        return NO_REVIEWER if chosen[case_id] is None else None

    result = sampling.apply_exclusions(drawn, frame, exclusion)
    sample = Sample.objects.create(
        part=part,
        period=period.label,
        scope=scope,
        design=part.design,
        size=part.size,
        stratum_sizes=stratum_sizes,
        eligibility=part.eligibility,
        seed=seed,
        frame_hash=result.frame_hash,
        frame_size=result.frame_size,
        drawn_at=timezone.now(),
    )
    SampleFrameCase.objects.bulk_create(
        SampleFrameCase(sample=sample, case=by_id[fc.case_id], stratum=fc.stratum, risk_weight=fc.risk_weight)
        for fc in frame
    )
    reviewed = [row for row in result.rows if row.status != "excluded"]
    # level 2 re-reads the reviewed rows with the smallest keys: a random half across all strata
    by_key = sorted(reviewed, key=lambda row: (row.key, row.case_id))
    level2 = {row.case_id for row in by_key[: math.floor(len(reviewed) * part.level2_share)]}
    SampleRow.objects.bulk_create(
        SampleRow(
            sample=sample,
            position=position,
            case=by_id[row.case_id],
            stratum=row.stratum,
            key=row.key,
            inclusion_probability=row.inclusion_probability,
            weight=row.weight,
            status=row.status,
            reason=row.reason,
            level2=row.status != "excluded" and row.case_id in level2,
            reviewer=None if row.status == "excluded" else chosen.get(row.case_id),
        )
        for position, row in enumerate(result.rows, start=1)
    )
    audit_record(
        actor=actor,
        action="sample_draw",
        municipality=part.programme.municipality,
        target_type="sample",
        target_id=sample.pk,
        target_label=f"{part.programme.code}/{part.code} {period.label} {scope}".strip(),
        after={
            "design": sample.design,
            "seed": seed,
            "frame_hash": sample.frame_hash,
            "frame_size": sample.frame_size,
            "rows": len(result.rows),
        },
    )
    return sample


@transaction.atomic
def supervision_draw(*, municipality: Municipality, period: Period, actor: User | None) -> list[Sample]:
    """Draw every sample the active parts owe for `period` (and the quarter/year it starts); the new ones.

    Idempotent: a part, period and scope already drawn is left as it is."""
    created: list[Sample] = []
    for owed in period.owed():
        for part in parts_active(municipality, owed):
            cases = eligible_cases(municipality, part, owed)
            if part.per_unit:
                units = sorted({case.unit.code for case in cases})
                for code in units:
                    sample = _draw_one(part, owed, code, [c for c in cases if c.unit.code == code], actor)
                    if sample:
                        created.append(sample)
            else:
                sample = _draw_one(part, owed, "", cases, actor)
                if sample:
                    created.append(sample)
    return created


def sample_frame(sample: Sample) -> list[sampling.FrameCase]:
    """The stored frame as the pure draw's values, sorted by case_id."""
    rows = sample.frame.select_related("case")
    return sorted(
        (sampling.FrameCase(r.case.source_ref, r.stratum, r.risk_weight) for r in rows),
        key=lambda fc: fc.case_id,
    )


def sample_redraw_problems(sample: Sample) -> list[str]:
    """Redraw one stored sample from its frame and seed; the differences (Danish), empty when it matches."""
    frame = sample_frame(sample)
    problems: list[str] = []
    where = f"stikprøve {sample.pk} ({sample.period})"
    digest = sampling.frame_hash([fc.case_id for fc in frame])
    if digest != sample.frame_hash or len(frame) != sample.frame_size:
        problems.append(f"{where}: rammen passer ikke med frame_hash/frame_size")
    stored = list(sample.rows.select_related("case").order_by("position"))
    excluded: dict[str, str] = {}
    for row in stored:
        if row.status == "excluded":
            excluded[row.case.source_ref] = row.reason or "udeladt"
        if row.status == "replacement" and "; sprunget over: " in row.reason:
            for case_id in row.reason.split("; sprunget over: ", 1)[1].split(", "):
                excluded.setdefault(case_id, "sprunget over")
    stratum_sizes = {str(k): int(v) for k, v in (sample.stratum_sizes or {}).items()}
    try:
        redrawn = sampling.apply_exclusions(
            _draw(sample.design, frame, sample.size, stratum_sizes, sample.seed), frame, excluded
        )
    except sampling.SamplingError as error:
        return [*problems, f"{where}: {error}"]
    expected = [
        (r.stratum, r.case_id, r.key, r.inclusion_probability, r.weight, r.status) for r in redrawn.rows
    ]
    actual = [
        (r.stratum, r.case.source_ref, r.key, r.inclusion_probability, r.weight, r.status) for r in stored
    ]
    if len(expected) != len(actual):
        problems.append(f"{where}: {len(actual)} rækker gemt, genudtrækningen giver {len(expected)}")
    for position, (want, got) in enumerate(zip(expected, actual, strict=False), start=1):
        same = (
            want[:2] == got[:2]
            and want[5] == got[5]
            and all(
                math.isclose(a, b, rel_tol=1e-12, abs_tol=1e-15)
                for a, b in zip(want[2:5], got[2:5], strict=True)
            )
        )
        if not same:
            problems.append(
                f"{where}, række {position}: gemt {got[1]} ({got[5]}), genudtrukket {want[1]} ({want[5]})"
            )
    return problems


def samples_verify() -> list[str]:
    """Redraw every stored sample; every difference (Danish)."""
    problems: list[str] = []
    for sample in Sample.objects.order_by("pk"):
        problems.extend(sample_redraw_problems(sample))
    return problems
