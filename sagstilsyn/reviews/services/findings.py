"""Fund og sagsgenopretning (findings and case repairs), issue 13 §5: recording a review's findings.

`findings_record` is called when a review's answers are final (at submission, or when level 2 agrees or
its disagreements are settled): each Nej or Delvist becomes a `Finding` on the case, and each finding a
`CaseRepair` owned by the case's caseworker with a deadline of the part's `repair_days`.

The case repair then moves open → done (`repair_mark_done`, the owner or a line leader) → closed by a
re-check (`repair_recheck`, fornyet kontrol: someone other than the reviewer and the owner answers the
question again on the case; Nej or Delvist sends it back open with a new deadline). The caseworker's
bemærkninger to a finding: `finding_comment_add`.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from sagstilsyn.core.access import (
    can_comment_finding,
    can_mark_repair_done,
    can_sign_off_repair,
    user_scope,
)
from sagstilsyn.core.models import User
from sagstilsyn.core.services.audit import audit_record
from sagstilsyn.core.text_hygiene import free_text_problem
from sagstilsyn.law.calendar import today_local
from sagstilsyn.reviews.models import CaseRepair, Finding, FindingComment, RepairStatus, Review

#: The answers that are findings.
FINDING_ANSWERS = ("nej", "delvist")
#: Days to repair when the review belongs to no programme part (an imported or hand-made review).
DEFAULT_REPAIR_DAYS = 30


@transaction.atomic
def findings_record(*, review: Review, values: Mapping[str, str], actor: User | None) -> list[Finding]:
    """A finding (and its case repair) for each question whose final answer in `values` is Nej or
    Delvist; idempotent: a question with a finding already is left as it is. `review` is the level-1
    review whose answers the findings hang on."""
    answers = {a.question: a for a in review.answers.all()}
    existing = set(Finding.objects.filter(review=review).values_list("question", flat=True))
    part = review.sample_row.sample.part if review.sample_row is not None else None
    days = part.repair_days if part else DEFAULT_REPAIR_DAYS
    now = timezone.now()
    created: list[Finding] = []
    for question, value in sorted(values.items()):
        if value not in FINDING_ANSWERS or question in existing or question not in answers:
            continue
        finding = Finding.objects.create(
            review=review,
            answer=answers[question],
            case=review.case,
            unit_id=review.case.unit_id,
            questionnaire=review.questionnaire,
            question=question,
            value=value,
            created_at=now,
        )
        CaseRepair.objects.create(
            finding=finding,
            case=review.case,
            owner_id=review.case.caseworker_id,
            deadline=today_local() + timedelta(days=days),
        )
        created.append(finding)
    if created:
        audit_record(
            actor=actor,
            action="findings_record",
            municipality=review.municipality,
            target_type="review",
            target_id=review.pk,
            target_label=f"{review.case.source_ref} niveau {review.level}",
            after={"findings": [f.question for f in created]},
        )
    return created


# --- case repairs (sagsgenopretninger) and comments (bemærkninger) ---------------------------------

TEXT_MAX = 2000
#: Answers of the re-check that close a repair; the others send it back to the caseworker.
CLOSING_ANSWERS = ("ja", "ikke_relevant")
RECHECK_ANSWERS = ("ja", "nej", "delvist", "ikke_relevant")


class RepairRefused(ValueError):
    """A repair, re-check or comment that may not be made; the message is Danish and says why."""


def _text(text: str, *, label: str, required: bool) -> str:
    text = (text or "").strip()
    if required and not text:
        raise RepairRefused(f"{label}: skriv noget")
    if len(text) > TEXT_MAX:
        raise RepairRefused(f"{label}: må højst være {TEXT_MAX} tegn (der er {len(text)})")
    problem = free_text_problem(text, multiline=True) if text else None
    if problem is not None:
        raise RepairRefused(f"{label}: {problem}")
    return text


def _repair_label(repair: CaseRepair) -> str:
    return f"{repair.case.source_ref}: {repair.finding.question}"


def _repair_audit(repair: CaseRepair, action: str, actor: User, before: dict[str, object]) -> None:
    audit_record(
        actor=actor,
        action=action,
        municipality=repair.case.municipality,
        target_type="case_repair",
        target_id=repair.pk,
        target_label=_repair_label(repair),
        before=before,
        after={
            "status": repair.status,
            "deadline": repair.deadline.isoformat(),
            "recheck_answer": repair.recheck_answer,
        },
    )


def _locked(repair: CaseRepair) -> CaseRepair:
    return (
        CaseRepair.objects.select_for_update(of=("self",))
        .select_related("case__municipality", "finding__review")
        .get(pk=repair.pk)
    )


@transaction.atomic
def repair_mark_done(*, repair: CaseRepair, note: str, actor: User) -> CaseRepair:
    """The owner (the case's caseworker) or a line leader of the case's unit reports the repair done
    (meldt udført), saying what was done; it then waits for the re-check."""
    repair = _locked(repair)
    case = repair.case
    scope = user_scope(actor)
    where = {"municipality_id": case.municipality_id, "unit_id": case.unit_id}
    if not can_mark_repair_done(scope, **where, owner_id=repair.owner_id):
        raise RepairRefused("Kun sagsbehandleren på sagen og lederne i sagens enhed kan melde den udført")
    if repair.status != RepairStatus.OPEN:
        raise RepairRefused(
            "Sagsgenopretningen er allerede lukket"
            if repair.status == RepairStatus.CLOSED
            else "Sagsgenopretningen er allerede meldt udført og venter på fornyet kontrol"
        )
    text = _text(note, label="Hvad er gjort", required=True)
    before: dict[str, object] = {"status": repair.status}
    repair.status = RepairStatus.DONE
    repair.done_at = timezone.now()
    repair.done_note = text
    repair.save(update_fields=["status", "done_at", "done_note"])
    _repair_audit(repair, "repair_mark_done", actor, before)
    return repair


@transaction.atomic
def repair_recheck(
    *, repair: CaseRepair, answer: str, note: str, actor: User, deadline_days: int | None = None
) -> CaseRepair:
    """The sign-off: someone other than the finding's reviewer and the repair's owner (a line leader of
    the case's unit or a lawyer) checks the question again on the case. Ja or Ikke relevant closes the
    repair; Nej or Delvist sends it back (open) with a new deadline and the note, which is then required.

    A repair may be re-checked while open too (the leader finds it put right before it was reported)."""
    repair = _locked(repair)
    case = repair.case
    if not can_sign_off_repair(user_scope(actor), municipality_id=case.municipality_id, unit_id=case.unit_id):
        raise RepairRefused(
            "Kun en leder i sagens enhed eller en jurist kan kontrollere og lukke en sagsgenopretning"
        )
    if actor.pk == repair.finding.review.reviewer_id:
        raise RepairRefused("Du gennemgik selv sagen; en anden skal kontrollere sagsgenopretningen")
    if actor.pk in (repair.owner_id, case.caseworker_id):
        raise RepairRefused("Du arbejder selv på sagen; en anden skal kontrollere sagsgenopretningen")
    if repair.status == RepairStatus.CLOSED:
        raise RepairRefused("Sagsgenopretningen er allerede lukket")
    if answer not in RECHECK_ANSWERS:
        raise RepairRefused("Svar ved fornyet kontrol: vælg Ja, Nej, Delvist eller Ikke relevant")
    closes = answer in CLOSING_ANSWERS
    text = _text(note, label="Note ved fornyet kontrol", required=not closes)
    before: dict[str, object] = {"status": repair.status, "deadline": repair.deadline.isoformat()}
    now = timezone.now()
    repair.recheck_answer = answer
    repair.recheck_note = text
    repair.signed_off_by = actor
    repair.signed_off_at = now
    if closes:
        repair.status = RepairStatus.CLOSED
        repair.closed_at = now
    else:
        repair.status = RepairStatus.OPEN
        repair.deadline = today_local() + timedelta(days=deadline_days or _repair_days(repair))
    repair.save(
        update_fields=[
            "recheck_answer",
            "recheck_note",
            "signed_off_by",
            "signed_off_at",
            "status",
            "closed_at",
            "deadline",
        ]
    )
    _repair_audit(repair, "repair_recheck", actor, before)
    return repair


def _repair_days(repair: CaseRepair) -> int:
    row = repair.finding.review.sample_row
    return row.sample.part.repair_days if row is not None else DEFAULT_REPAIR_DAYS


@transaction.atomic
def finding_comment_add(*, finding: Finding, text: str, actor: User) -> FindingComment:
    """The caseworker (or a line leader of the unit) answers a finding on the case: a bemærkning."""
    case = finding.case
    if not can_comment_finding(
        user_scope(actor),
        municipality_id=case.municipality_id,
        unit_id=case.unit_id,
        caseworker_id=case.caseworker_id,
    ):
        raise RepairRefused("Kun sagsbehandleren på sagen og lederne i sagens enhed kan skrive en bemærkning")
    if finding_caseworker_part(finding) == "none":
        raise RepairRefused("Delprogrammet giver ikke sagsbehandleren en rolle i fundene")
    comment = FindingComment.objects.create(
        finding=finding,
        author=actor,
        text=_text(text, label="Bemærkning", required=True),
        created_at=timezone.now(),
    )
    audit_record(
        actor=actor,
        action="finding_comment_add",
        municipality=case.municipality,
        target_type="finding",
        target_id=finding.pk,
        target_label=f"{case.source_ref}: {finding.question}",
        after={"comment": comment.pk},
    )
    return comment


def finding_caseworker_part(finding: Finding) -> str:
    """The caseworker's part in the finding (none | sees | must_comment | must_comment_nej), from the
    programme part the review was drawn for; 'sees' (the default) for a review of no part."""
    row = finding.review.sample_row
    return row.sample.part.caseworker_part if row is not None else "sees"
