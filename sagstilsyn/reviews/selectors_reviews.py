"""Reads for the reviewer's pages (gennemgange): Mine gennemgange, one review's form (spørgsmål with their
henvisninger, vejledning, the case's facts and the suggested answer), and the comparison of the levels.

Access is decided by `sagstilsyn.core.access.can_open_review` on plain values: the selectors hand the
views the review only when the reader may open it, so another's review answers as a missing one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import QuerySet

from sagstilsyn.core.access import Scope, can_answer_review, can_open_review
from sagstilsyn.core.selectors import catalogue_get
from sagstilsyn.law.calendar import today_local
from sagstilsyn.law.model import Catalogue
from sagstilsyn.reviews.models import Answer, AnswerValue, Disagreement, Review, ReviewLevel, ReviewStatus
from sagstilsyn.reviews.services.reviews import OPEN_STATUSES, review_missing, review_questions
from sagstilsyn.reviews.suggestions import case_obligations, question_facts

#: Statuses after hand-in.
HANDED_IN = (ReviewStatus.SUBMITTED, ReviewStatus.CLOSED)


def _sample_closed(review: Review) -> bool:
    row = review.sample_row
    return row is not None and row.sample.closed_at is not None


def _blind(scope: Scope, review: Review) -> bool:
    """True when the reader re-reads this level-1 review's case at level 2 and has not handed in."""
    if review.level != ReviewLevel.FIRST or scope.user_id is None:
        return False
    return Review.objects.filter(
        first_review=review, reviewer_id=scope.user_id, status__in=OPEN_STATUSES
    ).exists()


def may_open(scope: Scope, review: Review) -> bool:
    """`can_open_review` for `review` (see core.access)."""
    return can_open_review(
        scope,
        municipality_id=review.municipality_id,
        unit_id=review.case.unit_id,
        reviewer_id=review.reviewer_id,
        sample_closed=_sample_closed(review),
        blind=_blind(scope, review),
    )


def may_answer(scope: Scope, review: Review) -> bool:
    """`can_answer_review` for `review`, and the review still open to answers."""
    return review.status in OPEN_STATUSES and can_answer_review(
        scope,
        municipality_id=review.municipality_id,
        reviewer_id=review.reviewer_id,
        sample_closed=_sample_closed(review),
    )


def _reviews() -> QuerySet[Review]:
    return Review.objects.select_related(
        "case",
        "case__unit",
        "case__child",
        "reviewer",
        "sample_row__sample__part__programme",
        "calibration_case__programme",
        "first_review",
    )


def review_for_reader(*, scope: Scope, review_id: int) -> Review | None:
    """The review, when `scope` may open it; None otherwise (as for a review that does not exist)."""
    if scope.municipality_id is None:
        return None
    review = _reviews().filter(pk=review_id, municipality_id=scope.municipality_id).first()
    if review is None or not may_open(scope, review):
        return None
    return review


# --- Mine gennemgange --------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReviewListRow:
    """One line of Mine gennemgange."""

    id: int
    deadline: date | None
    case_ref: str
    unit: str
    part: str
    level: int
    level_label: str
    status: str
    status_label: str
    overdue: bool
    submitted_at: datetime | None


def review_part_label(review: Review) -> str:
    """The programme part the review was drawn for, "Kalibrering", or "Indlæst" for an imported one."""
    if review.calibration_case_id is not None and review.calibration_case is not None:
        return f"Kalibrering · {review.calibration_case.programme.name}"
    row = review.sample_row
    if row is not None:
        part = row.sample.part
        return f"{part.programme.name} · {part.name}"
    return "Indlæst gennemgang" if review.source else "Gennemgang"


def _list_row(review: Review, today: date) -> ReviewListRow:
    return ReviewListRow(
        id=review.pk,
        deadline=review.deadline,
        case_ref=review.case.source_ref,
        unit=review.case.unit.name,
        part=review_part_label(review),
        level=review.level,
        level_label=ReviewLevel(review.level).label,
        status=review.status,
        status_label=ReviewStatus(review.status).label,
        overdue=review.status in OPEN_STATUSES and review.deadline is not None and review.deadline < today,
        submitted_at=review.submitted_at,
    )


@dataclass(frozen=True)
class MyReviews:
    open: list[ReviewListRow]
    done: list[ReviewListRow]


def my_reviews(*, scope: Scope) -> MyReviews:
    """The reader's own reviews they may still open: open ones by deadline (none last), then the handed-in
    ones, newest first. An ekstern gennemgår's reviews go from the list when their sample closes."""
    today = today_local()
    if scope.municipality_id is None:
        return MyReviews(open=[], done=[])
    # The reader's own reviews: never blind to them (nobody re-reads a case they read at level 1).
    reviews = [
        review
        for review in _reviews().filter(reviewer_id=scope.user_id, municipality_id=scope.municipality_id)
        if can_open_review(
            scope,
            municipality_id=review.municipality_id,
            unit_id=review.case.unit_id,
            reviewer_id=review.reviewer_id,
            sample_closed=_sample_closed(review),
        )
    ]
    open_rows = sorted(
        (_list_row(r, today) for r in reviews if r.status in OPEN_STATUSES),
        key=lambda row: (row.deadline is None, row.deadline or today, row.case_ref, row.id),
    )
    done_rows = sorted(
        (_list_row(r, today) for r in reviews if r.status not in OPEN_STATUSES),
        key=lambda row: (
            row.submitted_at is None,
            -(row.submitted_at.timestamp() if row.submitted_at else 0),
            row.id,
        ),
    )
    return MyReviews(open=open_rows, done=done_rows)


EXPORT_HEADERS = (
    "Frist",
    "Sagsnummer",
    "Enhed",
    "Tilsyn",
    "Niveau",
    "Status",
    "Frist overskredet",
    "Afleveret",
)


def my_reviews_export_rows(reviews: MyReviews) -> list[list[object]]:
    return [
        [
            row.deadline,
            row.case_ref,
            row.unit,
            row.part,
            row.level_label,
            row.status_label,
            "Ja" if row.overdue else "Nej",
            row.submitted_at,
        ]
        for row in (*reviews.open, *reviews.done)
    ]


# --- the form ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CitationLink:
    label: str
    url: str
    verified: bool


@dataclass(frozen=True)
class QuestionRow:
    """One question on the form: its text and where it rests in the law, where to look, what the case's
    obligations say (with the suggested answer) and what the reviewer answered so far."""

    number: int
    id: str
    text: str
    guidance: str
    citations: tuple[CitationLink, ...]
    choices: tuple[tuple[str, str], ...]
    note_required_for: tuple[str, ...]
    facts: tuple[str, ...]
    suggested: str | None
    answer: str | None
    note: str
    answered_at: datetime | None

    @property
    def suggested_label(self) -> str:
        return AnswerValue(self.suggested).label if self.suggested else ""

    @property
    def answer_label(self) -> str:
        return AnswerValue(self.answer).label if self.answer else "Ikke besvaret"

    @property
    def selected(self) -> str | None:
        """The radio shown checked: the stored answer, else the suggestion (marked until confirmed)."""
        return self.answer or self.suggested

    @property
    def unconfirmed(self) -> bool:
        """A suggestion shown preselected that the reviewer has not confirmed (saved) yet."""
        return self.answer is None and self.suggested is not None

    @property
    def note_required(self) -> bool:
        return self.answer is not None and self.answer in self.note_required_for and not self.note.strip()

    @property
    def missing(self) -> bool:
        return self.answer is None or self.note_required

    @property
    def anchor(self) -> str:
        return f"spoergsmaal-{self.id}"


def _citations(catalogue: Catalogue, rule_ids: tuple[str, ...], day: date) -> tuple[CitationLink, ...]:
    links: list[CitationLink] = []
    for rule_id in rule_ids:
        try:
            rule = catalogue.rule(rule_id)
        except KeyError:
            continue
        versions = [v for v in rule.versions if v.covers(day)] or list(rule.versions[-1:])
        for version in versions[-1:]:
            links.extend(CitationLink(c.label, c.url, c.verified) for c in version.citations)
    unique: dict[str, CitationLink] = {}
    for link in links:
        unique.setdefault(link.label, link)
    return tuple(unique.values())


def review_form(review: Review) -> list[QuestionRow]:
    """The review's questions (those that apply to its case) as the form shows them, numbered."""
    questions = review_questions(review)
    catalogue = catalogue_get()
    day = review.reviewed_on or today_local()
    obligations = case_obligations(review.case, [rule for q in questions for rule in q.rules])
    answers: dict[str, Answer] = {a.question: a for a in review.answers.all()}
    rows = []
    for number, question in enumerate(questions, start=1):
        facts = question_facts(question, obligations)
        stored = answers.get(question.id)
        rows.append(
            QuestionRow(
                number=number,
                id=question.id,
                text=question.text,
                guidance=question.guidance or "",
                citations=_citations(catalogue, question.rules, day),
                choices=tuple((value, AnswerValue(value).label) for value in question.answers),
                note_required_for=tuple(question.note_required_for),
                facts=facts.lines,
                suggested=stored.suggested_answer if stored is not None else facts.suggested,
                answer=stored.answer if stored is not None else None,
                note=stored.note if stored is not None else "",
                answered_at=stored.answered_at if stored is not None else None,
            )
        )
    return rows


_NUMBER = re.compile(r"Spørgsmål (\d+)")


def missing_links(review: Review, rows: list[QuestionRow]) -> list[tuple[str, str]]:
    """What stops hand-in (`review_missing`), each line with the anchor of its question."""
    anchors = {row.number: row.anchor for row in rows}
    links = []
    for line in review_missing(review):
        found = _NUMBER.match(line)
        links.append((line, anchors.get(int(found.group(1)), "") if found else ""))
    return links


# --- the comparison of the levels --------------------------------------------------------------------


def review_pair(review: Review) -> tuple[Review, Review] | None:
    """(level 1, level 2) of the review's chain once level 2 is handed in; None before."""
    first: Review | None
    second: Review | None
    if review.level == ReviewLevel.SECOND:
        first, second = review.first_review, review
    else:
        first = review
        second = Review.objects.filter(first_review=review, status__in=HANDED_IN).order_by("-pk").first()
    if first is None or second is None or second.status not in HANDED_IN:
        return None
    return first, second


@dataclass(frozen=True)
class ComparisonRow:
    number: int
    id: str
    text: str
    first: Answer | None
    second: Answer | None
    disagreement: Disagreement | None

    @property
    def differs(self) -> bool:
        return self.disagreement is not None

    @property
    def resolved_label(self) -> str:
        value = self.disagreement.resolved_answer if self.disagreement else None
        return AnswerValue(value).label if value else ""


def review_comparison(first: Review, second: Review) -> list[ComparisonRow]:
    """Per question of the questionnaire answered at either level: both answers and notes side by side,
    with the disagreement (uenighed) where they differ."""
    firsts = {a.question: a for a in first.answers.all()}
    seconds = {a.question: a for a in second.answers.all()}
    disagreements = {
        d.second_answer.question: d
        for d in Disagreement.objects.filter(second_answer__review=second).select_related(
            "first_answer", "second_answer", "resolved_by"
        )
    }
    questionnaire_rows = [q for q in review_questions(second) if q.id in firsts or q.id in seconds]
    known = {q.id for q in questionnaire_rows}
    rows = [
        ComparisonRow(
            number=number,
            id=question.id,
            text=question.text,
            first=firsts.get(question.id),
            second=seconds.get(question.id),
            disagreement=disagreements.get(question.id),
        )
        for number, question in enumerate(questionnaire_rows, start=1)
    ]
    for extra in sorted((set(firsts) | set(seconds)) - known):
        rows.append(
            ComparisonRow(
                number=len(rows) + 1,
                id=extra,
                text=extra,
                first=firsts.get(extra),
                second=seconds.get(extra),
                disagreement=disagreements.get(extra),
            )
        )
    return rows
