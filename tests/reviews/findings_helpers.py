"""Findings and case repairs for the tests, made through the services: the real review flow
(`finding_from_review`) on the supervision world, or an imported review (`imported_repair`) on any case,
for worlds without programmes (the access matrix)."""

from __future__ import annotations

import io

from openpyxl import load_workbook

from sagstilsyn.cases.models import Case
from sagstilsyn.core.models import User
from sagstilsyn.law.calendar import today_local
from sagstilsyn.reviews.importing import reviews_import_file
from sagstilsyn.reviews.models import CaseRepair, Finding, ProgrammePart, Review
from sagstilsyn.reviews.services.findings import findings_record
from sagstilsyn.reviews.services.reviews import answer_save, review_questions, review_submit
from tests.reviews.worlds import review_of, started_quarter, supervision_world, user

IMPORT_HEADER = (
    "review_id,questionnaire,questionnaire_version,case_id,reviewer,level,reviewed_on,question,answer,note"
)


def answer_and_submit(review: Review, nej: dict[str, str] | None = None) -> None:
    """Answer every question Ja (or the question's first answer), but `nej`'s questions with their
    answer, with a note; submit."""
    for question in review_questions(review):
        chosen = (nej or {}).get(question.id, "ja")
        if chosen not in question.answers:
            chosen = question.answers[0]
        answer_save(
            review=review,
            question_id=question.id,
            answer=chosen,
            note="Set i journalen",
            actor=review.reviewer,
        )
    review_submit(review=review, actor=review.reviewer)


def finding_from_review(part: str = "enhed", value: str = "nej") -> tuple[Review, Finding]:
    """The supervision world, its quarter started, one review of `part` answered with one `value` on its
    first question and submitted: the review and its finding (with its case repair)."""
    municipality = supervision_world()
    review = review_of(started_quarter(municipality), part=part, level2=False)
    first = review_questions(review)[0]
    answer_and_submit(review, {first.id: value})
    return review, Finding.objects.select_related("case", "repair").get(review=review)


def signer_for(review: Review) -> User:
    """A leader of the case's unit who neither reviewed the case nor works on it."""
    unit = review.case.unit.code
    name = {"BFE-NORD": "nord", "BFE-SYD": "syd", "DV": "dv"}[unit]
    for username in (f"koord-{name}", f"chef-{name}"):
        candidate = user(username)
        if candidate.pk not in (review.reviewer_id, review.case.caseworker_id):
            return candidate
    raise LookupError(unit)


def imported_repair(case: Case, reviewer: User, *, question: str = "bisidder_informed") -> CaseRepair:
    """A level-1 review of `case` imported (contract §3) with a Nej on `question`, reviewed today, and its
    finding recorded: the finding's case repair."""
    rows = [
        IMPORT_HEADER,
        f"M-{case.pk},monthly_case_review,1,{case.source_ref},{reviewer.username},1,"
        f"{today_local().isoformat()},{question},nej,Ikke vejledt",
    ]
    reviews_import_file(
        data="\n".join(rows).encode(), municipality=case.municipality, filename="gennemgange.csv"
    )
    review = Review.objects.get(municipality=case.municipality, source_review_id=f"M-{case.pk}")
    findings_record(review=review, values={question: "nej"}, actor=None)
    return CaseRepair.objects.get(finding__review=review)


def caseworker_of(review: Review) -> User:
    """The caseworker of the review's case (every case of the supervision world has one)."""
    caseworker = review.case.caseworker
    assert caseworker is not None
    return caseworker


def part_of(review: Review) -> ProgrammePart:
    """The programme part the review was drawn for."""
    row = review.sample_row
    assert row is not None
    return row.sample.part


def cells(data: bytes) -> list[object]:
    """Every cell's value of an Excel download's sheet."""
    sheet = load_workbook(io.BytesIO(data)).active
    assert sheet is not None
    return [cell.value for row in sheet.iter_rows() for cell in row]
