"""`sagstilsyn import reviews` (supervision contract §3): all or nothing, idempotent, audited."""

from __future__ import annotations

import io
from datetime import datetime
from pathlib import Path

import pytest
from django.core.management import call_command
from openpyxl import Workbook

from sagstilsyn.cases.importing import ImportRejected
from sagstilsyn.core.management.base import Failed
from sagstilsyn.core.models import AuditEvent, Municipality, Role
from sagstilsyn.reviews.importing import ReviewsResult, reviews_import_file
from sagstilsyn.reviews.models import Answer, Review, ReviewStatus
from tests.factories import make_case, make_municipality, make_unit, make_user

pytestmark = pytest.mark.django_db

HEADER = (
    "review_id,questionnaire,questionnaire_version,case_id,reviewer,level,reviewed_on,question,answer,note"
)
GOOD = [
    "R1,monthly_case_review,1,SAG-1,koordinator,1,2025-03-04,child_conversation,ja,",
    "R1,monthly_case_review,1,SAG-1,koordinator,1,2025-03-04,bisidder_informed,nej,Ikke vejledt",
    "R2,monthly_case_review,1,SAG-1,jurist,2,2025-03-20,child_conversation,delvist,Kun delvist",
]


@pytest.fixture
def municipality() -> Municipality:
    municipality = make_municipality()
    make_unit(municipality)
    make_case(municipality, "SAG-1")
    make_user(municipality, Role.COORDINATOR, username="koordinator")
    make_user(municipality, Role.CENTRAL_LAWYER, username="jurist")
    return municipality


def _file(*rows: str, header: str = HEADER) -> bytes:
    return ("\n".join((header, *rows)) + "\n").encode()


def _import(municipality: Municipality, data: bytes, *, dry_run: bool = False) -> ReviewsResult:
    return reviews_import_file(
        data=data, municipality=municipality, filename="gennemgange.csv", dry_run=dry_run
    )


def _state() -> list[tuple[object, ...]]:
    return sorted(
        Answer.objects.values_list(
            "review__source_review_id", "review__level", "review__reviewed_on", "question", "answer", "note"
        )
    )


def test_a_good_file_makes_submitted_reviews_with_their_answers(municipality: Municipality) -> None:
    _import(municipality, _file(*GOOD))
    reviews = {r.source_review_id: r for r in Review.objects.all()}
    assert set(reviews) == {"R1", "R2"}
    assert {r.status for r in reviews.values()} == {ReviewStatus.SUBMITTED}
    assert reviews["R1"].level == 1
    assert reviews["R2"].reviewer.username == "jurist"
    assert reviews["R1"].questionnaire == "monthly_case_review"
    assert reviews["R1"].questionnaire_version == 1
    assert reviews["R1"].case.source_ref.endswith("SAG-1")
    assert [a[3:] for a in _state()] == [
        ("bisidder_informed", "nej", "Ikke vejledt"),
        ("child_conversation", "ja", ""),
        ("child_conversation", "delvist", "Kun delvist"),
    ]
    assert AuditEvent.objects.filter(action="reviews.import").count() == 1


def test_a_second_import_changes_nothing(municipality: Municipality) -> None:
    _import(municipality, _file(*GOOD))
    before = (_state(), list(Review.objects.order_by("pk").values_list("pk", "updated_at")))
    result = _import(municipality, _file(*GOOD))
    assert (_state(), list(Review.objects.order_by("pk").values_list("pk", "updated_at"))) == before
    assert result.reviews_unchanged == 2
    assert result.answers_unchanged == 3
    assert result.answers_created == 0


def test_a_changed_answer_is_updated_in_place(municipality: Municipality) -> None:
    _import(municipality, _file(*GOOD))
    changed = GOOD[0].replace(",ja,", ",delvist,Mangler notat")
    result = _import(municipality, _file(changed, *GOOD[1:]))
    assert result.answers_updated == 1
    assert Answer.objects.count() == 3
    assert (
        Answer.objects.get(review__source_review_id="R1", question="child_conversation").answer == "delvist"
    )


def test_a_dry_run_writes_nothing(municipality: Municipality) -> None:
    result = _import(municipality, _file(*GOOD), dry_run=True)
    assert result.answers_created == 3
    assert not Review.objects.exists()
    assert not Answer.objects.exists()
    assert not AuditEvent.objects.filter(action="reviews.import").exists()


BAD = [
    (
        "R3,unknown_form,1,SAG-1,koordinator,1,2025-03-04,child_conversation,ja,",
        "questionnaire",
        "unknown_form",
    ),
    (
        "R3,monthly_case_review,9,SAG-1,koordinator,1,2025-03-04,child_conversation,ja,",
        "questionnaire_version",
        "9",
    ),
    (
        "R3,monthly_case_review,1,SAG-1,koordinator,1,2025-03-04,no_such_question,ja,",
        "question",
        "no_such_question",
    ),
    (
        "R3,monthly_case_review,1,SAG-1,koordinator,1,2025-03-04,child_conversation,maaske,",
        "answer",
        "maaske",
    ),
    ("R3,monthly_case_review,1,SAG-1,koordinator,1,2025-03-04,child_conversation,nej,", "note", ""),
    (
        "R3,monthly_case_review,1,SAG-404,koordinator,1,2025-03-04,child_conversation,ja,",
        "case_id",
        "SAG-404",
    ),
    ("R3,monthly_case_review,1,SAG-1,ukendt,1,2025-03-04,child_conversation,ja,", "reviewer", "ukendt"),
    ("R3,monthly_case_review,1,SAG-1,koordinator,3,2025-03-04,child_conversation,ja,", "level", "3"),
    (
        "R3,monthly_case_review,1,SAG-1,koordinator,1,04-03-2025,child_conversation,ja,",
        "reviewed_on",
        "04-03-2025",
    ),
]


@pytest.mark.parametrize(("line", "column", "value"), BAD, ids=[b[1] for b in BAD])
def test_each_bad_value_is_named_by_row_column_and_value(
    municipality: Municipality, line: str, column: str, value: str
) -> None:
    with pytest.raises(ImportRejected) as rejected:
        _import(municipality, _file(*GOOD, line))
    assert [(e.row, e.column, e.value) for e in rejected.value.errors] == [(5, column, value)]
    assert not Review.objects.exists()


def test_a_bad_file_names_every_bad_row_and_writes_nothing(municipality: Municipality) -> None:
    _import(municipality, _file(*GOOD))
    before = _state()
    conflicting = [
        "R1,monthly_case_review,1,SAG-1,jurist,1,2025-03-04,placement_site_reasons,ja,",  # other reviewer
        "R1,monthly_case_review,1,SAG-1,koordinator,2,2025-03-04,contact_decision_reasons,ja,",  # level
        "R1,monthly_case_review,1,SAG-1,koordinator,1,2025-03-05,youth_sanction,ja,",  # date
    ]
    changed = GOOD[0].replace(",ja,", ",nej,Ændret")  # good on its own: still not written
    with pytest.raises(ImportRejected) as rejected:
        _import(municipality, _file(changed, *GOOD[1:], *conflicting, BAD[0][0]))
    errors = [(e.row, e.column, e.value) for e in rejected.value.errors]
    assert errors == [
        (5, "reviewer", "jurist"),
        (6, "level", "2"),
        (7, "reviewed_on", "2025-03-05"),
        (8, "questionnaire", "unknown_form"),
    ]
    assert all("række 2" in e.message for e in rejected.value.errors[:3])
    assert _state() == before


def test_one_review_id_with_two_cases_is_refused(municipality: Municipality) -> None:
    make_case(municipality, "SAG-2")
    line = "R1,monthly_case_review,1,SAG-2,koordinator,1,2025-03-04,youth_sanction,ja,"
    with pytest.raises(ImportRejected) as rejected:
        _import(municipality, _file(*GOOD, line))
    assert [(e.row, e.column, e.value) for e in rejected.value.errors] == [(5, "case_id", "SAG-2")]


def test_unknown_and_missing_columns_are_refused(municipality: Municipality) -> None:
    header = HEADER.replace("reviewer", "reviewer_name")
    with pytest.raises(ImportRejected) as rejected:
        _import(municipality, _file(*GOOD, header=header))
    assert {(e.row, e.column) for e in rejected.value.errors} == {(1, "reviewer_name"), (1, "reviewer")}


def test_an_xlsx_file_with_numbers_and_dates_imports(municipality: Municipality) -> None:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(HEADER.split(","))
    sheet.append(
        [
            "R1",
            "monthly_case_review",
            1,
            "SAG-1",
            "koordinator",
            1,
            datetime(2025, 3, 4),
            "child_conversation",
            "ja",
        ]
    )
    buffer = io.BytesIO()
    workbook.save(buffer)
    reviews_import_file(data=buffer.getvalue(), municipality=municipality, filename="g.xlsx")
    assert Review.objects.get().reviewed_on == datetime(2025, 3, 4).date()


def test_the_import_command_dispatches_reviews(municipality: Municipality, tmp_path: Path) -> None:
    path = tmp_path / "gennemgange.csv"
    path.write_bytes(_file(*GOOD))
    out, err = io.StringIO(), io.StringIO()
    call_command("import", "reviews", str(path), "--dry-run", stdout=out, stderr=err)
    assert "Prøvekørsel" in out.getvalue()
    assert "svar 3 nye" in out.getvalue()
    assert not Review.objects.exists()
    call_command("import", "reviews", str(path), "--municipality", "101", stdout=out, stderr=err)
    assert Answer.objects.count() == 3
    path.write_bytes(_file(BAD[0][0]))
    with pytest.raises(Failed):
        call_command("import", "reviews", str(path), stdout=out, stderr=err)
    assert "Række 2, kolonne questionnaire, værdi unknown_form" in err.getvalue()
