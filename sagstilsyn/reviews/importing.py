"""Indlæsning af gennemgange (supervision contract §3): `sagstilsyn import reviews FILE`.

One row per answer; the columns are exactly the contract's. All or nothing: every bad row is named
(row, column, value, what is wrong, in Danish) and nothing is written. Idempotent: a row is identified
by `review_id` and `question`, so a second import of the same file changes nothing. Imported reviews
are `submitted` and belong to no sample (weight 1). Registered with the cases layer's `import` command
in `ReviewsConfig.ready()`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import date, datetime

from django.db import transaction

from sagstilsyn.cases.importing.errors import ImportRejected
from sagstilsyn.cases.importing.table import Cell, Row, is_empty, read_table
from sagstilsyn.cases.models import Case
from sagstilsyn.cases.services.event_inputs import RowError
from sagstilsyn.core.cpr import redact
from sagstilsyn.core.models import Municipality, User
from sagstilsyn.core.services.audit import audit_record
from sagstilsyn.reviews.models import Answer, Review, ReviewStatus
from sagstilsyn.reviews.questionnaire_store import questionnaires_in_use
from sagstilsyn.reviews.questionnaires import ANSWERS, Questionnaire
from sagstilsyn.reviews.services.seals import QuestionnaireChanged, questionnaire_seal

#: The source imported reviews are recorded under; `review_id` is unique per municipality and source.
REVIEWS_SOURCE = "import"
REQUIRED = (
    "review_id",
    "questionnaire",
    "questionnaire_version",
    "case_id",
    "reviewer",
    "level",
    "reviewed_on",
    "question",
    "answer",
)
COLUMNS = (*REQUIRED, "note")
#: The columns every row of one review must agree on.
HEADER_COLUMNS = ("questionnaire", "questionnaire_version", "case_id", "reviewer", "level", "reviewed_on")
REVIEW_ID_MAX = 100  # Review.source_review_id's max_length


@dataclass
class ReviewsResult:
    """What a reviews import did (or, with dry_run, would do)."""

    rows: int = 0
    reviews_created: int = 0
    reviews_updated: int = 0
    reviews_unchanged: int = 0
    answers_created: int = 0
    answers_updated: int = 0
    answers_unchanged: int = 0
    dry_run: bool = False


@dataclass(frozen=True)
class _ReviewRow:
    row: int
    review_id: str
    questionnaire: str
    version: int
    case: Case
    reviewer: User
    level: int
    reviewed_on: date
    question: str
    answer: str
    note: str

    @property
    def header(self) -> tuple[object, ...]:
        return (
            self.questionnaire,
            self.version,
            self.case.pk,
            self.reviewer.pk,
            self.level,
            self.reviewed_on,
        )


def _text(value: Cell) -> str:
    if is_empty(value):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()


def _day(value: Cell) -> date | None:
    if isinstance(value, datetime):
        return value.date() if value.time() == datetime.min.time() else None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(_text(value)) if len(_text(value)) == 10 else None
    except ValueError:
        return None


def reviews_import_file(
    *,
    data: bytes,
    municipality: Municipality,
    filename: str = "",
    actor: User | None = None,
    actor_label: str | None = None,
    dry_run: bool = False,
    ignore_unknown_columns: bool = False,
    questionnaires: tuple[Questionnaire, ...] | None = None,
) -> ReviewsResult:
    """Import a reviews file (CSV or XLSX) into the municipality; ImportRejected if any row is bad."""
    table = read_table(data, filename=filename)
    errors: list[RowError] = []
    for column in table.columns:
        if column not in COLUMNS and not ignore_unknown_columns:
            errors.append(RowError(1, column, "", f"ukendt kolonne; kolonnerne er {', '.join(COLUMNS)}"))
    missing = [column for column in REQUIRED if column not in table.columns]
    errors.extend(RowError(1, column, "", "kolonnen mangler") for column in missing)
    if errors:
        raise ImportRejected(errors)
    if questionnaires is None:
        questionnaires = questionnaires_in_use()
    by_key = {(q.id, q.version): q for q in questionnaires}
    known_ids = {q.id for q in questionnaires}
    cases = {
        case.source_ref: case
        for case in Case.objects.filter(
            municipality=municipality, source_ref__in={_text(r.cells.get("case_id")) for r in table.rows}
        )
    }
    users = {
        user.username: user
        for user in User.objects.filter(username__in={_text(r.cells.get("reviewer")) for r in table.rows})
    }
    known = _Known(municipality, by_key, known_ids, cases, users)
    parsed: list[_ReviewRow] = []
    for row in table.rows:
        read = _read_row(row, known, errors)
        if read is not None:
            parsed.append(read)
    first: dict[str, _ReviewRow] = {}
    seen: set[tuple[str, str]] = set()
    for read in parsed:
        if (read.review_id, read.question) in seen:
            errors.append(
                RowError(read.row, "question", read.question, f"står to gange i review_id {read.review_id}")
            )
        seen.add((read.review_id, read.question))
        earlier = first.setdefault(read.review_id, read)
        for column, mine, theirs in zip(HEADER_COLUMNS, read.header, earlier.header, strict=True):
            if mine != theirs:
                errors.append(
                    RowError(
                        read.row,
                        column,
                        _text(row_value(table.rows, read.row, column)),
                        f"review_id {read.review_id} har en anden værdi i række {earlier.row}",
                    )
                )
    if errors:
        raise ImportRejected(errors)
    result = ReviewsResult(rows=len(table.rows), dry_run=dry_run)
    with transaction.atomic():
        _seal(parsed, by_key)
        _record(municipality, parsed, first, result)
        audit_record(
            actor=actor,
            actor_label=actor_label,
            action="reviews.import",
            municipality=municipality,
            target_type="file",
            target_label=redact(filename)[:300],
            after=asdict(result),
        )
        if dry_run:
            transaction.set_rollback(True)
    return result


def _seal(parsed: list[_ReviewRow], questionnaires: dict[tuple[str, int], Questionnaire]) -> None:
    """Seal each questionnaire version the file answers; a sealed one that has changed refuses the file."""
    first_row: dict[tuple[str, int], _ReviewRow] = {}
    for read in parsed:
        first_row.setdefault((read.questionnaire, read.version), read)
    errors: list[RowError] = []
    for key, read in sorted(first_row.items()):
        try:
            questionnaire_seal(questionnaires[key])
        except QuestionnaireChanged as error:
            errors.append(RowError(read.row, "questionnaire", read.questionnaire, str(error)))
    if errors:
        raise ImportRejected(errors)


def row_value(rows: list[Row], number: int, column: str) -> Cell:
    return next(row.cells.get(column) for row in rows if row.number == number)


@dataclass(frozen=True)
class _Known:
    """What the rows are checked against: the questionnaires, and the file's cases and reviewers."""

    municipality: Municipality
    questionnaires: dict[tuple[str, int], Questionnaire]
    questionnaire_ids: set[str]
    cases: dict[str, Case]
    users: dict[str, User]


def _read_row(row: Row, known: _Known, errors: list[RowError]) -> _ReviewRow | None:
    before = len(errors)
    cells = {column: _text(row.cells.get(column)) for column in COLUMNS}

    def bad(column: str, message: str) -> None:
        errors.append(RowError(row.number, column, cells[column], message))

    for column in REQUIRED:
        if not cells[column]:
            bad(column, "skal udfyldes")
    questionnaire = _questionnaire(cells, known, bad)
    _answer(cells, questionnaire, bad)
    case = known.cases.get(cells["case_id"])
    if cells["case_id"] and case is None:
        bad("case_id", f"ingen sag med det sagsnummer i {known.municipality.name}")
    reviewer = known.users.get(cells["reviewer"])
    if cells["reviewer"] and reviewer is None:
        bad("reviewer", "ingen medarbejder med det brugernavn")
    elif reviewer is not None and reviewer.municipality_id not in (None, known.municipality.pk):
        bad("reviewer", f"medarbejderen hører ikke til {known.municipality.name}")
    if cells["level"] and cells["level"] not in ("1", "2"):
        bad("level", "niveauet skal være 1 (første gennemgang) eller 2 (fornyet gennemgang)")
    day = _day(row.cells.get("reviewed_on"))
    if cells["reviewed_on"] and day is None:
        bad("reviewed_on", "skal være en dato som 2025-03-31")
    if len(cells["review_id"]) > REVIEW_ID_MAX:
        bad("review_id", f"må højst være {REVIEW_ID_MAX} tegn")
    if len(errors) > before or case is None or reviewer is None or day is None or questionnaire is None:
        return None
    return _ReviewRow(
        row=row.number,
        review_id=cells["review_id"],
        questionnaire=questionnaire.id,
        version=questionnaire.version,
        case=case,
        reviewer=reviewer,
        level=int(cells["level"]),
        reviewed_on=day,
        question=cells["question"],
        answer=cells["answer"],
        note=cells["note"],
    )


def _questionnaire(
    cells: dict[str, str], known: _Known, bad: Callable[[str, str], None]
) -> Questionnaire | None:
    version = int(cells["questionnaire_version"]) if cells["questionnaire_version"].isdigit() else None
    if cells["questionnaire_version"] and version is None:
        bad("questionnaire_version", "skal være et helt tal")
    questionnaire = known.questionnaires.get((cells["questionnaire"], version or 0))
    if cells["questionnaire"] and questionnaire is None:
        if cells["questionnaire"] not in known.questionnaire_ids:
            bad("questionnaire", "ukendt spørgeskema")
        elif version is not None:
            bad("questionnaire_version", f"spørgeskemaet {cells['questionnaire']} findes ikke i den version")
    return questionnaire


def _answer(
    cells: dict[str, str], questionnaire: Questionnaire | None, bad: Callable[[str, str], None]
) -> None:
    question = None
    if questionnaire is not None and cells["question"]:
        question = next((q for q in questionnaire.questions if q.id == cells["question"]), None)
        if question is None:
            bad("question", f"ukendt spørgsmål i {questionnaire.id} version {questionnaire.version}")
    if question is not None and cells["answer"]:
        if cells["answer"] not in question.answers:
            bad("answer", f"spørgsmålet tilbyder svarene {', '.join(question.answers)}")
        elif cells["answer"] in question.note_required_for and not cells["note"]:
            bad("note", f"en note er påkrævet ved svaret '{cells['answer']}'")
    elif cells["answer"] and cells["answer"] not in ANSWERS:
        bad("answer", f"svaret skal være {', '.join(ANSWERS)}")


def _record(
    municipality: Municipality,
    rows: list[_ReviewRow],
    first: dict[str, _ReviewRow],
    result: ReviewsResult,
) -> None:
    existing = {
        review.source_review_id: review
        for review in Review.objects.select_for_update().filter(
            municipality=municipality, source=REVIEWS_SOURCE, source_review_id__in=list(first)
        )
    }
    reviews: dict[str, Review] = {}
    for review_id, head in first.items():
        wanted = {
            "case": head.case,
            "questionnaire": head.questionnaire,
            "questionnaire_version": head.version,
            "reviewer": head.reviewer,
            "level": head.level,
            "reviewed_on": head.reviewed_on,
            "status": ReviewStatus.SUBMITTED,
        }
        review = existing.get(review_id)
        if review is None:
            review = Review.objects.create(
                municipality=municipality, source=REVIEWS_SOURCE, source_review_id=review_id, **wanted
            )
            result.reviews_created += 1
        elif any(getattr(review, field) != value for field, value in wanted.items()):
            for field, value in wanted.items():
                setattr(review, field, value)
            review.save()
            result.reviews_updated += 1
        else:
            result.reviews_unchanged += 1
        reviews[review_id] = review
    answers = {
        (answer.review_id, answer.question): answer
        for answer in Answer.objects.filter(review__in=list(reviews.values()))
    }
    for row in rows:
        review = reviews[row.review_id]
        answer = answers.get((review.pk, row.question))
        if answer is None:
            Answer.objects.create(review=review, question=row.question, answer=row.answer, note=row.note)
            result.answers_created += 1
        elif (answer.answer, answer.note) != (row.answer, row.note):
            answer.answer, answer.note = row.answer, row.note
            answer.save(update_fields=["answer", "note"])
            result.answers_updated += 1
        else:
            result.answers_unchanged += 1


def reviews_import_summary(result: ReviewsResult, municipality: str) -> str:
    """One Danish line: what a reviews import did (or would do)."""
    verb = "Ville indlæse" if result.dry_run else "Indlæst"
    return (
        f"{verb} {result.rows} rækker i {municipality}: gennemgange {result.reviews_created} nye, "
        f"{result.reviews_updated} ændrede, {result.reviews_unchanged} uændrede; svar "
        f"{result.answers_created} nye, {result.answers_updated} ændrede, "
        f"{result.answers_unchanged} uændrede."
    )


def reviews_import_command(
    *,
    data: bytes,
    filename: str,
    municipality: Municipality,
    actor_label: str,
    dry_run: bool,
    ignore_unknown_columns: bool,
) -> str:
    """The `sagstilsyn import reviews` handler (cases/importing/registry.py)."""
    result = reviews_import_file(
        data=data,
        municipality=municipality,
        filename=filename,
        actor_label=actor_label,
        dry_run=dry_run,
        ignore_unknown_columns=ignore_unknown_columns,
    )
    return reviews_import_summary(result, municipality.name)
