"""Gennemgangssøjlen (the review pillar): per questionnaire question × unit, the share of Ja among the
applicable answers of the period's reviews (supervision-contract.md §4; ADR 0035).

- Reviews counted: submitted or closed, `reviewed_on` in the period, never calibration reviews
  (kalibrering) and never hand-picked sample rows (håndplukkede: findings, not a unit's rate).
- Each level-1 review counts once per question it answers. A level-2 review (fornyet gennemgang) of the
  same case and questionnaire in the period replaces the level-1 answer to each question it answers
  (the latest level-2 review, by day then id, where there are several); it adds no answers of its own.
- n counts the answers other than `ikke_relevant`, the numerator the `ja`; the unit is the case's.
- Design weight: the level-1 review's sample row's weight, 1 for a review without a sample row. A cell
  is weighted when one of its reviews comes from a sample with unequal weights (a weighted sample) and
  the cell's weights are unequal; otherwise it is numerator/n with the Wilson interval.
- Design strata: each answer's (sample, stratum) of its sample row, with the stratum's sampling fraction
  from the stored frame for the finite population correction (`weighted.py`; ADR 0040).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping
from datetime import date
from typing import Any

from django.db.models import Count, Max, Min

from sagstilsyn.core.models import Municipality
from sagstilsyn.reports.compliance.data_pillar import Breakdown
from sagstilsyn.reports.compliance.figures import ALL, Figure, ReviewValue, review_figure
from sagstilsyn.reviews.models import (
    Answer,
    AnswerValue,
    ReviewLevel,
    ReviewStatus,
    SampleFrameCase,
    SampleRow,
)

#: (case id, questionnaire id): the key under which a level-2 review replaces level-1 answers.
_Key = tuple[int, str]


def _answers(municipality: Municipality, start: date, end: date) -> Iterable[Mapping[str, Any]]:
    return (
        Answer.objects.filter(
            review__municipality=municipality,
            review__reviewed_on__gte=start,
            review__reviewed_on__lte=end,
            review__status__in=(ReviewStatus.SUBMITTED, ReviewStatus.CLOSED),
            review__calibration_case__isnull=True,
        )
        .exclude(review__sample_row__hand_picked=True)
        .values(
            "review_id",
            "review__level",
            "review__reviewed_on",
            "review__case_id",
            "review__case__unit__code",
            "review__case__group",
            "review__case__caseworker_id",
            "review__questionnaire",
            "review__sample_row__weight",
            "review__sample_row__sample_id",
            "review__sample_row__stratum",
            "question",
            "answer",
        )
        .order_by("review__reviewed_on", "review_id", "question")
    )


def weighted_samples(sample_ids: Iterable[int]) -> set[int]:
    """The samples among `sample_ids` whose rows (drawn or replacement) have unequal design weights:
    stratified or risk-weighted samples, not a simple random one."""
    rows = (
        SampleRow.objects.filter(sample_id__in=set(sample_ids))
        .exclude(status="excluded")
        .values("sample_id")
        .annotate(low=Min("weight"), high=Max("weight"))
        .order_by()
    )
    return {row["sample_id"] for row in rows if row["high"] - row["low"] > 1e-9 * row["high"]}


def sampling_fractions(sample_ids: Iterable[int]) -> dict[tuple[int, str], float]:
    """The sampling fraction f_h = n_h/N_h of every stratum of these samples, by (sample id, stratum):
    n_h the rows read by design (drawn or replacement, not hand-picked), N_h the stored frame's cases.
    A stratum without a stored frame gets no fraction (no finite population correction)."""
    ids = set(sample_ids)
    frame = {
        (row["sample_id"], row["stratum"]): row["cases"]
        for row in SampleFrameCase.objects.filter(sample_id__in=ids)
        .values("sample_id", "stratum")
        .annotate(cases=Count("id"))
        .order_by()
    }
    read = (
        SampleRow.objects.filter(sample_id__in=ids, hand_picked=False)
        .exclude(status="excluded")
        .values("sample_id", "stratum")
        .annotate(rows=Count("id"))
        .order_by()
    )
    return {
        (row["sample_id"], row["stratum"]): min(1.0, row["rows"] / frame[row["sample_id"], row["stratum"]])
        for row in read
        if frame.get((row["sample_id"], row["stratum"]))
    }


_CELL_FIELD = {
    "unit": "review__case__unit__code",
    "group": "review__case__group",
    "caseworker": "review__case__caseworker_id",
}


def review_figures(
    *,
    municipality: Municipality,
    start: date,
    end: date,
    unit: str | None = None,
    units: Collection[str] | None = None,
    by: Breakdown = "unit",
) -> list[Figure]:
    """The review pillar's figures for the reviews made from `start` to `end` (both included): one per
    question × unit of the case and, without `unit`, one per question for ALL. `units` keeps only those
    units' cases (ALL is then their total); `by` makes the cells groups or caseworkers (as data_figures)."""
    second: dict[_Key, dict[str, str]] = defaultdict(dict)
    first: dict[int, list[Mapping[str, Any]]] = defaultdict(list)
    for row in _answers(municipality, start, end):
        if row["review__level"] == ReviewLevel.SECOND:
            key = (row["review__case_id"], row["review__questionnaire"])
            second[key][row["question"]] = row["answer"]  # ordered: the latest wins
        else:
            first[row["review_id"]].append(row)
    sample_ids = {
        row["review__sample_row__sample_id"]
        for answers in first.values()
        for row in answers
        if row["review__sample_row__sample_id"] is not None
    }
    weighted = weighted_samples(sample_ids)
    fractions = sampling_fractions(weighted)
    cells: dict[tuple[str, str], list[ReviewValue]] = defaultdict(list)
    for answers in first.values():
        for row in answers:
            questionnaire = row["review__questionnaire"]
            replaced = second.get((row["review__case_id"], questionnaire), {})
            answer = replaced.get(row["question"], row["answer"])
            if answer == AnswerValue.IKKE_RELEVANT:
                continue
            case_unit = row["review__case__unit__code"]
            if (unit is not None and case_unit != unit) or (units is not None and case_unit not in units):
                continue
            cell = row[_CELL_FIELD[by]]
            cell = "" if cell is None else str(cell)
            weight = row["review__sample_row__weight"]
            sample_id = row["review__sample_row__sample_id"]
            value = ReviewValue(
                answer == AnswerValue.JA,
                1.0 if weight is None else float(weight),
                sample_id in weighted,
                None if sample_id is None else (sample_id, row["review__sample_row__stratum"]),
            )
            requirement = f"{questionnaire}.{row['question']}"
            cells[requirement, cell].append(value)
            if unit is None:
                cells[requirement, ALL].append(value)
    return [
        review_figure(requirement=requirement, unit=cell_unit, values=values, fractions=fractions)
        for (requirement, cell_unit), values in cells.items()
    ]


def level2_figures(
    *, municipality: Municipality, start: date, end: date, unit: str | None = None
) -> list[Figure]:
    """The level-2 results on their own (fornyet gennemgang, the committee report's own column): per
    question × unit of the case and, without `unit`, per question for ALL, the share of Ja among the
    applicable answers of the level-2 reviews made from `start` to `end`. Where a case and questionnaire
    were re-read more than once in the period, the latest level-2 answer to each question counts (as in
    the review pillar). Never weighted: a level-2 re-read is a subsample, not a design."""
    latest: dict[tuple[int, str, str], tuple[str, str]] = {}
    for row in _answers(municipality, start, end):
        if row["review__level"] != ReviewLevel.SECOND:
            continue
        key = (row["review__case_id"], row["review__questionnaire"], row["question"])
        latest[key] = (row["review__case__unit__code"], row["answer"])  # ordered: the latest wins
    cells: dict[tuple[str, str], list[ReviewValue]] = defaultdict(list)
    for (_, questionnaire, question), (case_unit, answer) in latest.items():
        if answer == AnswerValue.IKKE_RELEVANT or (unit is not None and case_unit != unit):
            continue
        requirement = f"{questionnaire}.{question}"
        value = ReviewValue(yes=answer == AnswerValue.JA, weight=1.0, from_weighted_sample=False)
        cells[requirement, case_unit].append(value)
        if unit is None:
            cells[requirement, ALL].append(value)
    return [
        review_figure(requirement=requirement, unit=cell_unit, values=values)
        for (requirement, cell_unit), values in cells.items()
    ]
