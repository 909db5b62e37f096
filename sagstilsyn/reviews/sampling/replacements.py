"""Udskiftning (exclusions and replacements) of supervision-contract.md §2.

A drawn case that cannot be reviewed is kept with status `excluded` and its reason, and the next case
of the same stratum in key order takes its place with status `replacement`. "Next" is the first case
of the stratum, not already in the sample, whose (key, case_id) comes after the excluded case's,
wrapping round to the stratum's smallest key, that can be reviewed. A candidate that cannot be
reviewed either is passed over (it was never drawn, so it gets no row of its own; the replacement's
reason names it, or the excluded row's reason where no replacement is found), so the rows other than
`replacement` are always exactly the design's draw, which is what docs/supervision-redraw.md redraws.
A replacement keeps its own key, inclusion probability and weight (those of the design) and its reason
names the case it replaces.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace

from sagstilsyn.reviews.sampling.designs import pps_probabilities
from sagstilsyn.reviews.sampling.keys import case_key
from sagstilsyn.reviews.sampling.model import FrameCase, Sample, SampleRow

Exclusion = Callable[[str], str | None] | Mapping[str, str]
"""Says why a case cannot be reviewed: a mapping case_id → reason, or a function giving the reason or None."""


def _reason(exclusion: Exclusion, case_id: str) -> str | None:
    if callable(exclusion):
        return exclusion(case_id)
    return exclusion.get(case_id)


def replacement_reason(case_id: str, passed_over: Sequence[str] = ()) -> str:
    """The reason written on a replacement row (Danish): which case it replaces, and the cases passed
    over on the way because they could not be reviewed either."""
    skipped = f"; sprunget over: {', '.join(passed_over)}" if passed_over else ""
    return f"erstatter {case_id}{skipped}"


def _design_values(sample: Sample, frame: Sequence[FrameCase]) -> Callable[[FrameCase], tuple[float, float]]:
    """Inclusion probability and weight the design gives a case (as if drawn): λ and 1/λ in `pps`,
    else those of the drawn rows (of the case's stratum in `stratified`)."""
    drawn = [row for row in sample.rows if row.status != "replacement"]
    if sample.design == "pps":
        lam = pps_probabilities(frame, len(drawn))

        def pps_values(case: FrameCase) -> tuple[float, float]:
            p = lam.get(case.case_id, 0.0)
            return (p, 1 / p) if p > 0 else (0.0, 0.0)

        return pps_values
    by_stratum = {row.stratum: (row.inclusion_probability, row.weight) for row in drawn}
    overall = (drawn[0].inclusion_probability, drawn[0].weight) if drawn else (0.0, 0.0)

    def values(case: FrameCase) -> tuple[float, float]:
        if sample.design == "stratified":
            return by_stratum.get(case.stratum, overall)
        return overall

    return values


def apply_exclusions(sample: Sample, frame: Sequence[FrameCase], exclusion: Exclusion) -> Sample:
    """The sample with every drawn case that `exclusion` names marked `excluded` and replaced.

    Rows come out in the drawn order; each replacement row follows the row it replaces. A stratum
    with no case left gives no replacement.
    """
    strata: dict[str, list[tuple[float, str]]] = {}
    by_id = {case.case_id: case for case in frame}
    for case in frame:
        strata.setdefault(case.stratum, []).append((case_key(sample.seed, case.case_id), case.case_id))
    for keyed in strata.values():
        keyed.sort()
    used = {row.case_id for row in sample.rows}
    design_values = _design_values(sample, frame)
    rows: list[SampleRow] = []
    for row in sample.rows:
        reason = _reason(exclusion, row.case_id)
        if reason is None:
            rows.append(row)
            continue
        excluded_at = len(rows)
        rows.append(replace(row, status="excluded", reason=reason))
        keyed = strata.get(row.stratum, [])
        start = bisect.bisect_right(keyed, (row.key, row.case_id))
        passed_over: list[str] = []
        for key, case_id in keyed[start:] + keyed[:start]:
            if case_id in used:
                continue
            used.add(case_id)
            why = _reason(exclusion, case_id)
            if why is not None:
                passed_over.append(f"{case_id} ({why})")
                continue
            probability, weight = design_values(by_id[case_id])
            text = replacement_reason(row.case_id, passed_over)
            rows.append(SampleRow(row.stratum, case_id, key, probability, weight, "replacement", text))
            break
        else:
            if passed_over:  # no replacement: the excluded row names the cases passed over
                skipped = f"{reason}; sprunget over: {', '.join(passed_over)}"
                rows[excluded_at] = replace(rows[excluded_at], reason=skipped)
    return replace(sample, rows=tuple(rows))
