"""Reads of fund (findings) and sagsgenopretninger (case repairs), within the reader's scope.

A finding is shown with its question's text (from the questionnaire version the review answered), the
answer and the reviewer's note, and its repair (status, deadline, overdue). Leaders see their units'
findings (`findings_visible`); a caseworker sees the findings on their own cases unless the programme
part gives the caseworker no part (`my_findings`). A repair outside the reader's scope is 404, as a
repair that does not exist.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Q, QuerySet
from django.http import Http404

from sagstilsyn.cases.models import Case
from sagstilsyn.core.access import Scope, can_list_cases, cases_filter
from sagstilsyn.core.models import User
from sagstilsyn.law.calendar import today_local
from sagstilsyn.reviews.models import AnswerValue, CaseRepair, Finding, FindingComment, RepairStatus
from sagstilsyn.reviews.programmes.periods import Period
from sagstilsyn.reviews.questionnaire_store import QuestionnaireMissing, questionnaire_get
from sagstilsyn.reviews.services.findings import finding_caseworker_part

#: Repair statuses that are still on the weekly list (not closed).
OPEN_REPAIR_STATUSES = (RepairStatus.OPEN, RepairStatus.DONE)
#: The caseworker's parts that ask for a comment, and on which answers.
MUST_COMMENT = {"must_comment": ("nej", "delvist"), "must_comment_nej": ("nej", "delvist")}


def question_text(questionnaire: str, version: int, question: str) -> str:
    """The question's Danish text in that questionnaire version; its id when the version is not loaded."""
    try:
        found = questionnaire_get(questionnaire, version)
    except QuestionnaireMissing:
        return question
    return next((q.text for q in found.questions if q.id == question), question)


def _label(value: str | None) -> str:
    return AnswerValue(value).label if value in AnswerValue.values else ""


@dataclass(frozen=True)
class FindingRow:
    """A finding as the lists show it."""

    finding_id: int
    repair_id: int | None
    case_id: int
    child_id: int
    case_ref: str
    unit_code: str
    question: str
    question_text: str
    answer: str
    note: str
    reviewer: str
    reviewed_on: date | None
    caseworker_part: str
    repair_status: str
    repair_status_label: str
    deadline: date | None
    overdue: bool
    owner: str
    comments: tuple[FindingComment, ...]
    comment_missing: bool


def _row(finding: Finding, *, today: date) -> FindingRow:
    review = finding.review
    repair: CaseRepair | None = getattr(finding, "repair", None)
    comments = tuple(finding.comments.all())
    part = finding_caseworker_part(finding)
    caseworker_id = finding.case.caseworker_id
    must = finding.value in MUST_COMMENT.get(part, ())
    commented = any(c.author_id == caseworker_id for c in comments)
    open_repair = repair is not None and repair.status in OPEN_REPAIR_STATUSES
    return FindingRow(
        finding_id=finding.pk,
        repair_id=repair.pk if repair else None,
        case_id=finding.case_id,
        child_id=finding.case.child_id,
        case_ref=finding.case.source_ref,
        unit_code=finding.unit.code,
        question=finding.question,
        question_text=question_text(review.questionnaire, review.questionnaire_version, finding.question),
        answer=_label(finding.value),
        note=finding.answer.note,
        reviewer=review.reviewer.display_name,
        reviewed_on=review.reviewed_on,
        caseworker_part=part,
        repair_status=repair.status if repair else "",
        repair_status_label=repair.get_status_display() if repair else "",
        deadline=repair.deadline if repair else None,
        overdue=bool(open_repair and repair is not None and repair.deadline < today),
        owner=repair.owner.display_name if repair and repair.owner else "",
        comments=comments,
        comment_missing=must and not commented,
    )


def _findings() -> QuerySet[Finding]:
    return (
        Finding.objects.select_related(
            "case",
            "unit",
            "answer",
            "review__reviewer",
            "review__sample_row__sample__part",
            "repair__owner",
        )
        .prefetch_related("comments__author")
        .order_by("-created_at", "-pk")
    )


def findings_visible(scope: Scope) -> QuerySet[Finding]:
    """The findings on the cases `scope` may open."""
    if not can_list_cases(scope):
        return Finding.objects.none()
    return _findings().filter(case__in=Case.objects.filter(cases_filter(scope)))


@dataclass(frozen=True)
class FindingFilters:
    """The findings list's filters: a unit, a period (by the review's date), a question, a repair status."""

    unit_id: int | None = None
    period: Period | None = None
    question: str = ""
    status: str = ""


def findings_list(scope: Scope, filters: FindingFilters) -> list[FindingRow]:
    """The leader's list of findings in their units, newest first, filtered."""
    found = findings_visible(scope)
    if filters.unit_id is not None:
        found = found.filter(unit_id=filters.unit_id)
    if filters.period is not None:
        found = found.filter(
            review__reviewed_on__gte=filters.period.start, review__reviewed_on__lte=filters.period.end
        )
    if filters.question:
        found = found.filter(question=filters.question)
    if filters.status:
        found = found.filter(repair__status=filters.status)
    today = today_local()
    return [_row(finding, today=today) for finding in found]


def findings_questions(scope: Scope) -> list[tuple[str, str]]:
    """The questions with findings in the reader's units: (id, text), for the question filter."""
    pairs = (
        findings_visible(scope)
        .order_by()
        .values_list("review__questionnaire", "review__questionnaire_version", "question")
        .distinct()
    )
    texts = {question: question_text(q, v, question) for q, v, question in pairs}
    return sorted(texts.items(), key=lambda pair: pair[1])


def my_findings(user: User) -> list[FindingRow]:
    """The findings on the cases `user` is caseworker on, but those of a programme part that gives the
    caseworker no part ('none')."""
    today = today_local()
    rows = [_row(f, today=today) for f in _findings().filter(case__caseworker=user)]
    return [row for row in rows if row.caseworker_part != "none"]


def my_finding_get(user: User, finding_id: int) -> Finding:
    """A finding on a case `user` is caseworker on (and shown to them); 404 otherwise."""
    finding = _findings().filter(pk=finding_id, case__caseworker=user).first()
    if finding is None or finding_caseworker_part(finding) == "none":
        raise Http404("Fundet findes ikke.")
    return finding


def repair_get(scope: Scope, repair_id: int) -> CaseRepair:
    """The case repair, if its case is in `scope`; 404 as for a repair that does not exist."""
    if not can_list_cases(scope):
        raise Http404("Sagsgenopretningen findes ikke.")
    repair = (
        CaseRepair.objects.select_related(
            "case__unit",
            "case__caseworker",
            "case__municipality",
            "owner",
            "signed_off_by",
            "finding__answer",
            "finding__review__reviewer",
            "finding__review__sample_row__sample__part",
        )
        .filter(pk=repair_id, case__in=Case.objects.filter(cases_filter(scope)))
        .first()
    )
    if repair is None:
        raise Http404("Sagsgenopretningen findes ikke.")
    return repair


def repair_finding_row(repair: CaseRepair) -> FindingRow:
    """The repair's finding as a row (question text, answer, note, comments)."""
    return _row(_findings().get(pk=repair.finding_id), today=today_local())


@dataclass(frozen=True)
class RepairRow:
    """An open case repair as the weekly list shows it."""

    repair_id: int
    case_id: int
    child_id: int
    case_ref: str
    unit_code: str
    question_text: str
    status: str
    status_label: str
    deadline: date
    overdue: bool
    owner: str


def repairs_open(
    scope: Scope, *, unit_id: int | None = None, owner_id: int | None = None, no_owner: bool = False
) -> list[RepairRow]:
    """The repairs not yet closed on the cases `scope` may open, earliest deadline first; optionally of
    one unit, and of one owner (or of none, `no_owner`)."""
    if not can_list_cases(scope):
        return []
    found = CaseRepair.objects.filter(
        status__in=OPEN_REPAIR_STATUSES, case__in=Case.objects.filter(cases_filter(scope))
    ).select_related("case__unit", "owner", "finding__review")
    if unit_id is not None:
        found = found.filter(case__unit_id=unit_id)
    if no_owner:
        found = found.filter(Q(owner__isnull=True))
    elif owner_id is not None:
        found = found.filter(owner_id=owner_id)
    today = today_local()
    return [
        RepairRow(
            repair_id=repair.pk,
            case_id=repair.case_id,
            child_id=repair.case.child_id,
            case_ref=repair.case.source_ref,
            unit_code=repair.case.unit.code,
            question_text=question_text(
                repair.finding.review.questionnaire,
                repair.finding.review.questionnaire_version,
                repair.finding.question,
            ),
            status=repair.status,
            status_label=repair.get_status_display(),
            deadline=repair.deadline,
            overdue=repair.status == RepairStatus.OPEN and repair.deadline < today,
            owner=repair.owner.display_name if repair.owner else "",
        )
        for repair in found.order_by("deadline", "pk")
    ]
