"""The programme overview's figures (tilsynets fremdrift, issue 13 §7): per part and per reviewer, for one
quarter, counted from the samples' rows (`SampleRow`) and their reviews (`Review`).

The quarter covers the samples of its months, of the quarter itself, of the year it lies in, and the
ad hoc samples (labelled by their first day, ADR 0029) drawn in it. A leader counts only the rows of the
cases of their own units; centre and central lawyers and administrators count every row.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Q, QuerySet

from sagstilsyn.cases.models import Case
from sagstilsyn.core.access import Scope, can_see_all_units, cases_filter
from sagstilsyn.reviews.models import Review, ReviewLevel, ReviewStatus, Sample, SampleRow
from sagstilsyn.reviews.programmes.periods import Period, period_of_kind

#: Reviews handed in (afleveret) or closed after.
DONE = (ReviewStatus.SUBMITTED, ReviewStatus.CLOSED)
OPEN = (ReviewStatus.ASSIGNED, ReviewStatus.IN_PROGRESS)


@dataclass
class PartProgress:
    """One part's figures: drawn (udtrukket), assigned (tildelt), submitted (afleveret), re-read (2. niveau
    afleveret), closed (lukket) and overdue (fristen overskredet, ikke afleveret)."""

    programme: str
    part: str
    samples: int = 0
    drawn: int = 0
    assigned: int = 0
    submitted: int = 0
    reread: int = 0
    closed: int = 0
    overdue: int = 0
    hand_picked: int = 0

    @property
    def percent(self) -> int:
        """Submitted level-1 reviews as a whole percentage of the drawn cases (the bar)."""
        return round(100 * self.submitted / self.drawn) if self.drawn else 0


@dataclass
class ReviewerProgress:
    """One reviewer's reviews (both levels): assigned, submitted, closed and overdue."""

    name: str
    username: str
    assigned: int = 0
    submitted: int = 0
    closed: int = 0
    overdue: int = 0

    @property
    def percent(self) -> int:
        return round(100 * self.submitted / self.assigned) if self.assigned else 0


@dataclass
class Progress:
    parts: list[PartProgress] = field(default_factory=list)
    reviewers: list[ReviewerProgress] = field(default_factory=list)
    samples: list[Sample] = field(default_factory=list)


def quarter_of(day: date) -> Period:
    """The quarter `day` lies in."""
    return period_of_kind(Period("month", day.year, day.month), "quarter")


def quarters_offered(today: date, first: date | None) -> list[Period]:
    """The quarters to choose from, newest first: from the first sample's quarter (or a year back) to the
    next quarter."""
    current = quarter_of(today)
    start = quarter_of(first) if first else Period("quarter", current.year - 1, current.number)
    start = min(start, Period("quarter", current.year - 1, current.number), key=lambda p: p.start)
    end = Period("quarter", current.year + (current.number == 4), current.number % 4 + 1)
    quarters: list[Period] = []
    year, number = start.year, start.number
    while (year, number) <= (end.year, end.number):
        quarters.append(Period("quarter", year, number))
        year, number = (year + 1, 1) if number == 4 else (year, number + 1)
    return list(reversed(quarters))


def _labels(quarter: Period) -> list[str]:
    first = 3 * quarter.number - 2
    months = [Period("month", quarter.year, m).label for m in range(first, first + 3)]
    return [*months, quarter.label, Period("year", quarter.year, 0).label]


def samples_of_quarter(municipality_id: int, quarter: Period) -> QuerySet[Sample]:
    """The samples the quarter covers (see the module's doc), in their part's order."""
    adhoc = Q(
        part__period_kind="adhoc",
        period__gte=quarter.start.isoformat(),
        period__lte=quarter.end.isoformat(),
    )
    return (
        Sample.objects.filter(part__programme__municipality_id=municipality_id)
        .filter(Q(period__in=_labels(quarter)) | adhoc)
        .select_related("part__programme")
        .order_by("part__programme__code", "part__code", "period", "scope", "pk")
    )


def visible_rows(scope: Scope, samples: Iterable[Sample]) -> QuerySet[SampleRow]:
    """The rows of `samples` whose case the user may see, excluded rows left out."""
    visible = Case.objects.filter(cases_filter(scope)).values("pk")
    return (
        SampleRow.objects.filter(sample__in=[s.pk for s in samples], case_id__in=visible)
        .exclude(status="excluded")
        .select_related("sample__part__programme")
    )


def programme_progress(*, scope: Scope, quarter: Period, today: date) -> Progress:
    """The overview of `quarter` as `scope` may see it: per part and per reviewer."""
    if scope.municipality_id is None:
        return Progress()
    samples = list(samples_of_quarter(scope.municipality_id, quarter))
    rows = list(visible_rows(scope, samples))
    shown = {row.sample_id for row in rows}
    samples = [s for s in samples if s.pk in shown or can_see_all_units(scope)]
    parts: dict[tuple[str, str], PartProgress] = {}
    for sample in samples:
        key = (sample.part.programme.name, sample.part.name)
        parts.setdefault(key, PartProgress(programme=key[0], part=key[1])).samples += 1
    for row in rows:
        progress = parts[(row.sample.part.programme.name, row.sample.part.name)]
        progress.drawn += 1
        progress.hand_picked += row.hand_picked
    reviews = Review.objects.filter(sample_row__in=[row.pk for row in rows]).select_related(
        "reviewer", "sample_row__sample__part__programme"
    )
    reviewers: dict[int, ReviewerProgress] = {}
    for review in reviews.order_by("pk"):
        if review.sample_row is None:  # filtered on sample_row; for the type checker
            continue
        part = review.sample_row.sample.part
        progress = parts[(part.programme.name, part.name)]
        overdue = review.status in OPEN and review.deadline is not None and review.deadline < today
        done = review.status in DONE
        if review.level == ReviewLevel.FIRST:
            progress.assigned += 1
            progress.submitted += done
            progress.closed += review.status == ReviewStatus.CLOSED
        else:
            progress.reread += done
        progress.overdue += overdue
        person = reviewers.setdefault(
            review.reviewer_id,
            ReviewerProgress(name=review.reviewer.display_name, username=review.reviewer.username),
        )
        person.assigned += 1
        person.submitted += done
        person.closed += review.status == ReviewStatus.CLOSED
        person.overdue += overdue
    return Progress(
        parts=list(parts.values()),
        reviewers=sorted(reviewers.values(), key=lambda r: (r.name.lower(), r.username)),
        samples=samples,
    )
