"""Reads for the sample page (stikprøvesiden, issue 13 §7): which samples a user may open, the eligibility
in words, the rows with their reviews, and the redraw.

A sample is the user's to open when it is of their municipality and they see the supervision pages, and
(for a leader of some units) one of its rows is a case of their units; such a leader sees only those rows.
"""

from __future__ import annotations

from dataclasses import dataclass

from sagstilsyn.cases.models import Case
from sagstilsyn.core.access import Scope, can_see_all_units, can_view_supervision, cases_filter
from sagstilsyn.reviews.models import Review, ReviewLevel, ReviewStatus, Sample, SampleRow
from sagstilsyn.reviews.programmes.draw import sample_redraw_problems
from sagstilsyn.reviews.programmes.rows import HAND_PICKED_LABEL


#: The words of each period kind, for the eligibility sentence.
def sample_for(scope: Scope, sample_id: int) -> Sample | None:
    """The sample `scope` may open, else None (missing and out of scope answer alike)."""
    if not can_view_supervision(scope) or scope.municipality_id is None:
        return None
    sample = (
        Sample.objects.filter(pk=sample_id, part__programme__municipality_id=scope.municipality_id)
        .select_related("part__programme", "follows")
        .first()
    )
    if sample is None or can_see_all_units(scope):
        return sample
    visible = Case.objects.filter(cases_filter(scope)).values("pk")
    return sample if sample.rows.filter(case_id__in=visible).exists() else None


@dataclass(frozen=True)
class RowLine:
    """One row as the sample page shows it."""

    row: SampleRow
    status: str
    review_status: str


def sample_rows(scope: Scope, sample: Sample) -> list[RowLine]:
    """The sample's rows `scope` may see, in order, with the level-1 review's status."""
    rows = sample.rows.select_related("case__unit", "reviewer").order_by("position")
    if not can_see_all_units(scope):
        rows = rows.filter(case_id__in=Case.objects.filter(cases_filter(scope)).values("pk"))
    found = list(rows)
    statuses = dict(
        Review.objects.filter(sample_row__in=[r.pk for r in found], level=ReviewLevel.FIRST).values_list(
            "sample_row_id", "status"
        )
    )
    return [
        RowLine(
            row=row,
            status=HAND_PICKED_LABEL if row.hand_picked else row.get_status_display(),
            review_status=ReviewStatus(statuses[row.pk]).label if row.pk in statuses else "Ikke tildelt",
        )
        for row in found
    ]


@dataclass(frozen=True)
class Redraw:
    """The redraw's outcome: the same cases, or the differences (shown in full only to who sees every row)."""

    same: bool
    problems: list[str]


def sample_redraw(scope: Scope, sample: Sample) -> Redraw:
    """Redraw `sample` from its stored frame and seed and compare (draw.py's `sample_redraw_problems`)."""
    problems = sample_redraw_problems(sample)
    if problems and not can_see_all_units(scope):
        problems = [f"Genudtrækningen afviger i {len(problems)} forhold"]
    return Redraw(same=not problems, problems=problems)
