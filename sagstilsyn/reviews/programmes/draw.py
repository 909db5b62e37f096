"""The draw of supervision-contract.md §2 from the database: frames, samples, reviewers, verification.

The draw itself is `sagstilsyn.reviews.sampling` (the one implementation); this module builds the frame
from stored facts as of the period's first day (`eligibility.py`), stores the result and redraws stored
samples.

One `supervision_draw` loads what every part needs once (ADR 0030): the municipality's cases, the
eligibility sets, the risk weights, the reviewers of each reviewer rule and the cases each period has
already drawn, so the draw runs a fixed number of queries per part and sample, never one per case.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from sagstilsyn.cases.models import Case, CaseEvent, Obligation
from sagstilsyn.core.access import sample_reviewer_assignments_filter
from sagstilsyn.core.models import Municipality, RoleAssignment, Unit, UnitKind, User
from sagstilsyn.core.services.audit import audit_record
from sagstilsyn.core.store.rows import rows_insert
from sagstilsyn.law.yes_no import parse_yes_no
from sagstilsyn.reviews import sampling
from sagstilsyn.reviews.models import ProgrammePart, Sample, SampleFrameCase, SampleRow
from sagstilsyn.reviews.programmes.eligibility import (
    ALREADY_DRAWN,
    Eligibility,
    not_drawn_in_period,
    open_at_filter,
)
from sagstilsyn.reviews.programmes.periods import Period, period_parse
from sagstilsyn.reviews.programmes.rows import rows_for_verify

NO_REVIEWER = "ingen bedømmer, der ikke arbejder på sagen"
#: Reviewer rules whose readers take the cases in turn (the others: the first reader of the unit).
TAKEN_IN_TURN = ("centre_lawyers", "area")
#: Rows written per INSERT when a frame or sample is stored.
BATCH = 2000


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


def _risk_weights(municipality_ids: set[int], as_of: date) -> dict[int, float]:
    """Risk weight per case of the municipalities (only cases above 1.0 are listed)."""
    weights: dict[int, float] = {}
    overdue = Counter(
        Obligation.objects.filter(case__municipality_id__in=municipality_ids, due_day__lt=as_of)
        .filter(open_at_filter(as_of))
        .values_list("case_id", flat=True)
    )
    for case_id, count in overdue.items():
        weights[case_id] = 1.0 + float(count)
    flagged: set[tuple[int, str]] = set()
    events = CaseEvent.objects.filter(municipality_id__in=municipality_ids, day__lt=as_of).filter(
        Q(type="measure_decided", attrs__measure="placement_without_consent") | Q(attrs__has_key="abuse")
    )
    for case_id, type_, attrs in events.values_list("case_id", "type", "attrs"):
        facts = attrs or {}
        if type_ == "measure_decided" and facts.get("measure") == "placement_without_consent":
            flagged.add((case_id, "placement"))
        if parse_yes_no(facts.get("abuse")):
            flagged.add((case_id, "abuse"))
    for case_id, _flag in flagged:
        weights[case_id] = weights.get(case_id, 1.0) + 2.0
    return weights


def risk_weights(cases: Sequence[Case], as_of: date) -> dict[int, float]:
    """Risk weight 1 + obligations overdue on `as_of` (the period's first day) + 2 for a placement without
    consent + 2 for an abuse concern, each from facts dated before `as_of`."""
    found = _risk_weights({case.municipality_id for case in cases}, as_of) if cases else {}
    return {case.pk: found.get(case.pk, 1.0) for case in cases}


@dataclass(frozen=True)
class CaseFacts:
    """What the draw needs of a case, read in one query for the municipality: no model instances."""

    pk: int
    source_ref: str
    unit_id: int
    unit_code: str
    unit_kind: str
    group: str
    caseworker_id: int | None
    caseworker_name: str


def cases_facts(municipality: Municipality) -> list[CaseFacts]:
    """Every case of the municipality, by case number."""
    rows = (
        Case.objects.filter(municipality=municipality)
        .order_by("source_ref")
        .values_list(
            "pk",
            "source_ref",
            "unit_id",
            "unit__code",
            "unit__kind",
            "group",
            "caseworker_id",
            "caseworker__username",
        )
    )
    return [CaseFacts(*row[:7], row[7] or "") for row in rows]


def _stratum(part: ProgrammePart, case: CaseFacts) -> str:
    if part.strata == "unit":
        return case.unit_code
    if part.strata == "group":
        return case.group
    if part.strata == "caseworker":
        return case.caseworker_name
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
class _Staff:
    """The active holders of the roles that may read under one reviewer rule, loaded once: (unit id,
    group, user) by user name."""

    rule: str
    holders: list[tuple[int | None, str, User]]
    partners: dict[int, int]
    _by_unit: dict[int | None, list[tuple[str, User]]] = field(default_factory=dict)
    _cache: dict[tuple[int | None, str], list[User]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for unit_id, group, user in self.holders:
            self._by_unit.setdefault(unit_id, []).append((group, user))

    @classmethod
    def load(cls, municipality: Municipality, rule: str, partners: dict[int, int]) -> _Staff:
        roles = RoleAssignment.objects.filter(
            sample_reviewer_assignments_filter(rule), municipality=municipality, user__is_active=True
        ).select_related("user")
        holders = [(a.unit_id, a.group, a.user) for a in roles.order_by("user__username", "pk")]
        return cls(rule, holders, partners)

    def _readers(self, unit_id: int | None, group: str) -> list[User]:
        if self.rule == "centre_lawyers":
            users = [user for _, _, user in self.holders]
        elif self.rule == "exchange":
            partner = self.partners.get(unit_id) if unit_id is not None else None
            held = self._by_unit.get(partner, []) if partner else []
            users = [user for g, user in held if g in ("", group)]
        else:
            held = self._by_unit.get(unit_id, [])
            if self.rule == "unit_leader" and group and any(g == group for g, _ in held):
                held = [(g, user) for g, user in held if g == group]
            users = [user for _, user in held]
        return list({user.pk: user for user in users}.values())

    def candidates(self, case: CaseFacts) -> list[User]:
        """Who may read `case` under the rule, by user name; never the case's caseworker."""
        key = (None, "") if self.rule == "centre_lawyers" else (case.unit_id, case.group)
        if key not in self._cache:
            self._cache[key] = self._readers(*key)
        return [user for user in self._cache[key] if user.pk != case.caseworker_id]


@dataclass
class _Reviewers:
    part: ProgrammePart
    staff: _Staff
    turn: int = 0

    def candidates(self, case: CaseFacts) -> list[User]:
        return self.staff.candidates(case)

    def pick(self, case: CaseFacts) -> User | None:
        """In turn for the centre lawyers and for the unit's områdechef and områdejurist (who share the
        quarter's cases); else the first in the unit (by user name). Never the caseworker."""
        found = self.candidates(case)
        if not found:
            return None
        if self.part.reviewer_rule in TAKEN_IN_TURN:
            user = found[self.turn % len(found)]
            self.turn += 1
            return user
        return found[0]


def reviewer_for(part: ProgrammePart, case: Case) -> User | None:
    """Who reads one case under `part`'s reviewer rule, outside a draw (a hand-picked case): the first
    by user name (centre lawyers: the first in turn); never the case's caseworker."""
    municipality = part.programme.municipality
    staff = _Staff.load(municipality, part.reviewer_rule, exchange_partners(municipality))
    facts = CaseFacts(
        pk=case.pk,
        source_ref=case.source_ref,
        unit_id=case.unit_id,
        unit_code=case.unit.code,
        unit_kind=case.unit.kind,
        group=case.group,
        caseworker_id=case.caseworker_id,
        caseworker_name=case.caseworker.username if case.caseworker else "",
    )
    return _Reviewers(part, staff).pick(facts)


class _DrawState:
    """What one `supervision_draw` loads once for a municipality."""

    def __init__(self, municipality: Municipality) -> None:
        self.municipality = municipality
        self.eligibility = Eligibility(municipality)
        self.partners = exchange_partners(municipality)
        self._cases: list[CaseFacts] | None = None
        self._staff: dict[str, _Staff] = {}
        self._weights: dict[date, dict[int, float]] = {}
        self._taken: dict[str, set[str]] = {}
        self.drawn = set(
            Sample.objects.filter(part__programme__municipality=municipality).values_list(
                "part_id", "period", "scope"
            )
        )

    def cases(self) -> list[CaseFacts]:
        if self._cases is None:
            self._cases = cases_facts(self.municipality)
        return self._cases

    def eligible(self, part: ProgrammePart, period: Period) -> list[CaseFacts]:
        admits = self.eligibility.admits(part.eligibility or {}, period.start)
        return [
            case
            for case in self.cases()
            if (not part.unit_kind or case.unit_kind == part.unit_kind) and admits(case.pk)
        ]

    def weights(self, as_of: date) -> dict[int, float]:
        if as_of not in self._weights:
            self._weights[as_of] = _risk_weights({self.municipality.pk}, as_of)
        return self._weights[as_of]

    def reviewers(self, part: ProgrammePart) -> _Reviewers:
        rule = part.reviewer_rule
        if rule not in self._staff:
            self._staff[rule] = _Staff.load(self.municipality, rule, self.partners)
        return _Reviewers(part, self._staff[rule])

    def taken(self, period_label: str) -> set[str]:
        """Case numbers already drawn (not excluded) into a sample of the period."""
        if period_label not in self._taken:
            self._taken[period_label] = set(
                SampleRow.objects.filter(
                    sample__part__programme__municipality=self.municipality, sample__period=period_label
                )
                .exclude(status="excluded")
                .values_list("case__source_ref", flat=True)
            )
        return self._taken[period_label]


def eligible_cases(municipality: Municipality, part: ProgrammePart, period: Period) -> list[CaseFacts]:
    """The frame's cases: the part's unit kind and its eligibility as of the period's first day
    (`eligibility.py`), by case number."""
    return _DrawState(municipality).eligible(part, period)


def _frame_store(sample: Sample, rows: list[tuple[int, str, float]]) -> None:
    """Write the sample's frame (case id, stratum, risk weight per case) as plain INSERTs: a national frame
    is tens of thousands of rows a sample, and building a model instance for each (bulk_create) cost more
    than the draw itself (ADR 0030)."""
    fields = ("sample", "case", "stratum", "risk_weight")
    rows_insert(SampleFrameCase, fields, [(sample.pk, *row) for row in rows], ids=False)


def design_draw(
    design: str, frame: list[sampling.FrameCase], size: int, stratum_sizes: dict[str, int], seed: str
) -> sampling.Sample:
    """The design's draw from the frame, called the same way by the draw, the demo and `samples verify`."""
    if design == "stratified":
        return sampling.stratified(frame, stratum_sizes or size, seed)
    if design == "pps":
        return sampling.pps(frame, min(size, len(frame)), seed)
    if design == "systematic":
        return sampling.systematic(frame, min(size, len(frame)), seed)
    return sampling.srs(frame, min(size, len(frame)), seed)


def sample_of(
    part: ProgrammePart,
    period_label: str,
    scope: str,
    *,
    seed: str,
    stratum_sizes: dict[str, int],
    result: sampling.Sample,
    drawn_at: datetime,
) -> Sample:
    """The unsaved stored sample for one draw of `part` (its design, size and eligibility at the draw)."""
    return Sample(
        part=part,
        period=period_label,
        scope=scope,
        design=part.design,
        size=part.size,
        stratum_sizes=stratum_sizes,
        eligibility=part.eligibility,
        seed=seed,
        frame_hash=result.frame_hash,
        frame_size=result.frame_size,
        drawn_at=drawn_at,
    )


def level2_case_ids(rows: Sequence[sampling.SampleRow], share: float) -> set[str]:
    """The cases level 2 re-reads: of the rows to be read, the floor(share · rows) with the smallest keys
    (a random part across all strata)."""
    reviewed = sorted(
        (row for row in rows if row.status != "excluded"), key=lambda row: (row.key, row.case_id)
    )
    return {row.case_id for row in reviewed[: math.floor(len(reviewed) * share)]}


def sample_row_of(
    sample: Sample,
    position: int,
    row: sampling.SampleRow,
    *,
    case_id: int,
    reviewer_id: int | None,
    level2: bool = False,
) -> SampleRow:
    """The stored row for one row of a draw's result: no reviewer and no level 2 when it is excluded."""
    excluded = row.status == "excluded"
    return SampleRow(
        sample=sample,
        position=position,
        case_id=case_id,
        stratum=row.stratum,
        key=row.key,
        inclusion_probability=row.inclusion_probability,
        weight=row.weight,
        status=row.status,
        reason=row.reason,
        level2=level2 and not excluded,
        reviewer_id=None if excluded else reviewer_id,
    )


def _exclusion(
    reviewers: _Reviewers, by_id: dict[str, CaseFacts], taken: set[str]
) -> tuple[Callable[[str], str | None], dict[str, User | None]]:
    """Why a drawn case cannot be read: already drawn in the period, or nobody but its caseworker may read
    it; and the reviewer chosen for each case asked about."""
    chosen: dict[str, User | None] = {}

    def exclusion(case_id: str) -> str | None:
        if case_id in taken:
            return ALREADY_DRAWN
        if case_id not in chosen:
            chosen[case_id] = reviewers.pick(by_id[case_id])
        return NO_REVIEWER if chosen[case_id] is None else None

    return exclusion, chosen


def _draw_one(
    part: ProgrammePart,
    period: Period,
    scope: str,
    cases: list[CaseFacts],
    *,
    actor: User | None,
    state: _DrawState,
) -> Sample | None:
    if (part.pk, period.label, scope) in state.drawn:
        return None
    by_id = {case.source_ref: case for case in cases}
    weights = state.weights(period.start) if part.design == "pps" else {}
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
    drawn = design_draw(part.design, frame, part.size, stratum_sizes, seed)
    taken = state.taken(period.label) if not_drawn_in_period(part.eligibility) else set()
    exclusion, chosen = _exclusion(state.reviewers(part), by_id, taken)
    result = sampling.apply_exclusions(drawn, frame, exclusion)
    sample = sample_of(
        part,
        period.label,
        scope,
        seed=seed,
        stratum_sizes=stratum_sizes,
        result=result,
        drawn_at=timezone.now(),
    )
    sample.save()
    state.drawn.add((part.pk, period.label, scope))
    _frame_store(sample, [(by_id[fc.case_id].pk, fc.stratum, fc.risk_weight) for fc in frame])
    reviewed = [row for row in result.rows if row.status != "excluded"]
    state.taken(period.label).update(row.case_id for row in reviewed)
    level2 = level2_case_ids(result.rows, part.level2_share)
    SampleRow.objects.bulk_create(
        (
            sample_row_of(
                sample,
                position,
                row,
                case_id=by_id[row.case_id].pk,
                reviewer_id=user.pk if (user := chosen.get(row.case_id)) else None,
                level2=row.case_id in level2,
            )
            for position, row in enumerate(result.rows, start=1)
        ),
        batch_size=BATCH,
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

    Idempotent: a part, period and scope already drawn is left as it is. Parts draw in the order of
    programme code and part code (per unit by unit code); a case an earlier sample of the same period
    holds is excluded from the later ones (`ALREADY_DRAWN`) and replaced."""
    state = _DrawState(municipality)
    created: list[Sample] = []
    for owed in period.owed():
        for part in parts_active(municipality, owed):
            cases = state.eligible(part, owed)
            if part.per_unit:
                by_unit: dict[str, list[CaseFacts]] = {}
                for case in cases:
                    by_unit.setdefault(case.unit_code, []).append(case)
                for code in sorted(by_unit):
                    sample = _draw_one(part, owed, code, by_unit[code], actor=actor, state=state)
                    if sample:
                        created.append(sample)
            else:
                sample = _draw_one(part, owed, "", cases, actor=actor, state=state)
                if sample:
                    created.append(sample)
    return created


def sample_frame(sample: Sample) -> list[sampling.FrameCase]:
    """The stored frame as the pure draw's values, sorted by case_id."""
    rows = sample.frame.values_list("case__source_ref", "stratum", "risk_weight")
    return sorted(
        (sampling.FrameCase(case_id, stratum, weight) for case_id, stratum, weight in rows),
        key=lambda fc: fc.case_id,
    )


def passed_over(reason: str) -> list[tuple[str, str]]:
    """The cases a replacement's reason names as passed over, with their reasons:
    "erstatter A; sprunget over: B (lukket), C (x, y)" → [("B", "lukket"), ("C", "x, y")]."""
    marker = "; sprunget over: "
    if marker not in reason:
        return []
    text = reason.split(marker, 1)[1]
    found: list[tuple[str, str]] = []
    at = 0
    while at < len(text):
        opening = text.find(" (", at)
        if opening < 0:
            break
        depth, end = 0, opening + 1
        while end < len(text):
            depth += {"(": 1, ")": -1}.get(text[end], 0)
            if depth == 0:
                break
            end += 1
        found.append((text[at:opening], text[opening + 2 : end]))
        at = end + 1
        if text.startswith(", ", at):
            at += 2
    return found


def sample_redraw_problems(sample: Sample) -> list[str]:
    """Redraw one stored sample from its frame and seed; the differences (Danish), empty when it matches."""
    frame = sample_frame(sample)
    problems: list[str] = []
    where = f"stikprøve {sample.pk} ({sample.period})"
    digest = sampling.frame_hash([fc.case_id for fc in frame])
    if digest != sample.frame_hash or len(frame) != sample.frame_size:
        problems.append(f"{where}: rammen passer ikke med frame_hash/frame_size")
    actual = list(
        rows_for_verify(sample.rows.all())
        .order_by("position")
        .values_list(
            "stratum", "case__source_ref", "key", "inclusion_probability", "weight", "status", "reason"
        )
    )
    excluded: dict[str, str] = {}
    for row in actual:
        if row[5] == "excluded":
            excluded[row[1]] = row[6] or "udeladt"
        if row[5] in ("excluded", "replacement"):
            for case_id, why in passed_over(row[6]):
                excluded.setdefault(case_id, why or "sprunget over")
    stratum_sizes = {str(k): int(v) for k, v in (sample.stratum_sizes or {}).items()}
    try:
        redrawn = sampling.apply_exclusions(
            design_draw(sample.design, frame, sample.size, stratum_sizes, sample.seed), frame, excluded
        )
    except sampling.SamplingError as error:
        return [*problems, f"{where}: {error}"]
    expected = [
        (r.stratum, r.case_id, r.key, r.inclusion_probability, r.weight, r.status) for r in redrawn.rows
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
