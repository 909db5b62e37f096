"""The demo's ledelsestilsyn history, part 4: one sampled case's reviews, answers, findings and repair.

`ReviewPlan` lays out a case's timeline (read, re-read at level 2, disagreements settled, findings, repair
signed off) and keeps each step that happened before the demo's as-of date; later steps have not
happened yet, so a review of the current period may still be assigned, or waiting for its level-2 re-read.
The rows are the ones the services write (`answer_save`, `review_submit`, `disagreement_resolve`,
`findings_record`), written in bulk by `supervision.py`.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from sagstilsyn.demo.supervision_answers import answer_for, note_for, suggestion
from sagstilsyn.demo.supervision_world import DemoCase
from sagstilsyn.law.calendar import COPENHAGEN
from sagstilsyn.reviews.models import (
    CaseRepair,
    Disagreement,
    Finding,
    ProgrammePart,
    Review,
    ReviewLevel,
    ReviewStatus,
    SampleRow,
)
from sagstilsyn.reviews.programmes.periods import Period
from sagstilsyn.reviews.questionnaires import CaseFacts, Question, applies
from sagstilsyn.reviews.services.findings import FINDING_ANSWERS

#: Share of level-2 re-reads where the two levels disagree on a question (~13 %).
DISAGREEMENT_SHARE = 0.13
#: Share of old case repairs never signed off (still open, long overdue).
STALE_REPAIRS = 0.02
#: Share of findings the resolver settles with the level-2 answer.
RESOLVED_AS_LEVEL2 = 0.6
RESOLUTION_NOTE = "Afgjort efter gennemlæsning af journalnotaterne og afgørelsen."
DONE_NOTE = "Rettet i sagen: journalnotat og dokumentation tilføjet."


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=COPENHAGEN)


@dataclass(slots=True)
class AnswerRow:
    """An `Answer` as a plain row (tens of thousands are written with one INSERT); `pk` once written."""

    review: Review
    question: str
    answer: str
    note: str
    suggested_answer: str | None
    suggestion_basis: str
    answered_at: datetime
    pk: int | None = None


@dataclass
class Written:
    """The rows one period writes, in the order they must be saved; a disagreement and a finding wait
    for their answers' ids."""

    first: list[Review] = field(default_factory=list)
    second: list[Review] = field(default_factory=list)
    answers: list[AnswerRow] = field(default_factory=list)
    disagreements: list[tuple[Disagreement, AnswerRow, AnswerRow]] = field(default_factory=list)
    findings: list[tuple[Finding, AnswerRow]] = field(default_factory=list)
    repairs: list[CaseRepair] = field(default_factory=list)


@dataclass
class Staff:
    """Who re-reads, settles and signs off: user ids."""

    central_lawyers: list[int]
    centre_lawyers: list[int]
    #: (unit id, group) → the leaders who may sign a repair off, coordinator first
    leaders: dict[tuple[int, str], list[int]]


@dataclass
class ReviewPlan:
    """One sampled row's reviews, as of `as_of`."""

    row: SampleRow
    case: DemoCase
    part: ProgrammePart
    period: Period
    #: The day the sample was drawn and the review assigned.
    drawn: date
    questions: tuple[Question, ...]
    share_of: dict[str, float]
    as_of: date
    rng: random.Random

    def _day(self, earliest: date, days: int) -> date:
        latest = min(self.period.end, earliest + timedelta(days=days))
        return earliest + timedelta(days=self.rng.randint(0, max(0, (latest - earliest).days)))

    def planned_day(self) -> date:
        """The day the level-1 reviewer hands in: within the review days mostly, now and then later."""
        start = self.drawn + timedelta(days=1)
        if self.rng.random() < 0.1:
            return self._day(start, (self.period.end - start).days)
        return self._day(start, max(2, self.part.review_days - 4))

    def applicable(self, day: date) -> list[Question]:
        facts = CaseFacts(events=self.case.events, birth_date=self.case.birth_date, review_date=day)
        return [q for q in self.questions if applies(q.applies_when, facts)]

    def write(
        self, out: Written, staff: Staff, *, hold_open: bool, hold_second: bool, in_progress: bool
    ) -> None:
        """Append the rows of this plan to `out`; `hold_open` keeps level 1 assigned (a demo log-in's
        work waiting), `hold_second` keeps level 2 assigned, `in_progress` saves a few answers."""
        row, part = self.row, self.part
        assigned = at(self.drawn, 7, 30)
        day = self.planned_day()
        if hold_second:  # handed in lately: the re-read waits, mostly within its level-2 days
            day = max(self.drawn, self.as_of - timedelta(days=self.rng.randint(1, self.part.level2_days + 4)))
        first = Review(
            municipality_id=self.case.case.municipality_id,
            case=self.case.case,
            questionnaire=part.questionnaire,
            questionnaire_version=part.questionnaire_version or 1,
            reviewer_id=row.reviewer_id or 0,
            level=ReviewLevel.FIRST,
            status=ReviewStatus.ASSIGNED,
            sample_row=row,
            deadline=self.drawn + timedelta(days=part.review_days),
            assigned_at=assigned,
        )
        out.first.append(first)
        if hold_open or (day >= self.as_of and not hold_second):
            if in_progress:
                self._in_progress(first, out)
            return
        questions = self.applicable(day)
        given = self._answer(first, questions, day, out, hour=14)
        first.status = ReviewStatus.SUBMITTED
        first.started_at = at(max(self.drawn, day - timedelta(days=self.rng.randint(0, 3))), 9)
        first.submitted_at = at(day, 14)
        first.reviewed_on = day
        final_on: date | None = day
        final = {answer.question: answer.answer for answer in given}
        second: Review | None = None
        if row.level2:
            second, final_on, final = self._second(
                first, given, questions, first_day=day, out=out, staff=staff, hold=hold_second
            )
            if final_on is None:
                return
        if final_on is None:  # level 1 alone
            final_on = day
        first.status, first.closed_at = ReviewStatus.CLOSED, at(final_on, 15)
        if second is not None:
            second.status, second.closed_at = ReviewStatus.CLOSED, at(final_on, 15)
        self._findings(first, given, final, day=final_on, out=out, staff=staff)

    def _in_progress(self, review: Review, out: Written) -> None:
        """A review opened and partly answered yesterday (answer_save's rows; not handed in)."""
        day = max(self.drawn, self.as_of - timedelta(days=1))
        review.status = ReviewStatus.IN_PROGRESS
        review.started_at = at(max(self.drawn, day), 10)
        self._answer(review, self.applicable(self.as_of)[:3], day, out, hour=10)

    def _answer(
        self,
        review: Review,
        questions: list[Question],
        day: date,
        out: Written,
        *,
        hour: int,
        copy: dict[str, str] | None = None,
    ) -> list[AnswerRow]:
        made: list[AnswerRow] = []
        for number, question in enumerate(questions):
            value = (
                copy[question.id]
                if copy and question.id in copy
                else answer_for(question, self.share_of.get(question.id, 0.0), self.rng)
            )
            suggested, basis = suggestion(question, self.case.obligations, day)
            note = note_for(question.id, self.rng) if value in question.note_required_for else ""
            made.append(
                AnswerRow(
                    review, question.id, value, note, suggested, basis, at(day, hour, min(59, 2 * number))
                )
            )
        out.answers.extend(made)
        return made

    def _second(
        self,
        first: Review,
        given: list[AnswerRow],
        questions: list[Question],
        *,
        first_day: date,
        out: Written,
        staff: Staff,
        hold: bool,
    ) -> tuple[Review | None, date | None, dict[str, str]]:
        """The blind level-2 re-read by a central lawyer; disagreements settled by a centre lawyer."""
        final = {answer.question: answer.answer for answer in given}
        readers = [
            pk for pk in staff.central_lawyers if pk not in (first.reviewer_id, self.case.case.caseworker_id)
        ]
        if not readers:
            return None, first_day, final  # nobody to re-read: level 1 stands
        second = Review(
            municipality_id=first.municipality_id,
            case=first.case,
            questionnaire=first.questionnaire,
            questionnaire_version=first.questionnaire_version,
            reviewer_id=readers[0],
            level=ReviewLevel.SECOND,
            status=ReviewStatus.ASSIGNED,
            sample_row=first.sample_row,
            first_review=first,
            deadline=first_day + timedelta(days=self.part.level2_days),
            assigned_at=at(first_day, 14, 5),
        )
        out.second.append(second)
        day = self._day(first_day, self.part.level2_days - 5)
        if hold or day >= self.as_of:
            return second, None, final
        differ: dict[str, str] = {}
        if given and self.rng.random() < DISAGREEMENT_SHARE:
            count = 2 if len(given) > 3 and self.rng.random() < 0.25 else 1
            for answer in self.rng.sample(given, count):
                others = [v for v in ("ja", "nej", "delvist") if v != answer.answer]
                differ[answer.question] = self.rng.choice(others)
        copy = {answer.question: differ.get(answer.question, answer.answer) for answer in given}
        seconds = self._answer(second, questions, day, out, hour=11, copy=copy)
        second.status, second.reviewed_on = ReviewStatus.SUBMITTED, day
        second.started_at, second.submitted_at = at(day, 9), at(day, 11, 30)
        if not differ:
            return second, day, final
        resolvers = [pk for pk in staff.centre_lawyers if pk not in (first.reviewer_id, second.reviewer_id)]
        settled_on = day + timedelta(days=self.rng.randint(1, 7))
        by_question = {answer.question: answer for answer in given}
        for answer in seconds:
            if answer.question not in differ:
                continue
            disagreement = Disagreement()
            out.disagreements.append((disagreement, by_question[answer.question], answer))
            if settled_on < self.as_of and resolvers:
                value = (
                    answer.answer
                    if self.rng.random() < RESOLVED_AS_LEVEL2
                    else by_question[answer.question].answer
                )
                disagreement.resolved_answer = value
                disagreement.resolved_by_id = resolvers[0]
                disagreement.resolved_at = at(settled_on, 13)
                disagreement.note = RESOLUTION_NOTE
                final[answer.question] = value
        if any(d.resolved_answer is None for d, _, row in out.disagreements if row.review is second):
            return second, None, final
        return second, settled_on, final

    def _findings(
        self,
        first: Review,
        given: list[AnswerRow],
        final: dict[str, str],
        *,
        day: date,
        out: Written,
        staff: Staff,
    ) -> None:
        """`findings_record`: a finding and a case repair per final Nej or Delvist; the repair's life."""
        case = self.case.case
        by_question = {answer.question: answer for answer in given}
        signers = [
            pk for pk in staff.leaders.get((case.unit_id, case.group), []) if pk != first.reviewer_id
        ] or [pk for pk in staff.leaders.get((case.unit_id, ""), []) if pk != first.reviewer_id]
        for question, value in sorted(final.items()):
            if value not in FINDING_ANSWERS:
                continue
            finding = Finding(
                review=first,
                case=case,
                unit_id=case.unit_id,
                questionnaire=first.questionnaire,
                question=question,
                value=value,
                created_at=at(day, 15),
            )
            repair = CaseRepair(
                finding=finding,
                case=case,
                owner_id=case.caseworker_id,
                deadline=day + timedelta(days=self.part.repair_days),
            )
            done_on = day + timedelta(days=self.rng.randint(5, 25))
            checked_on = done_on + timedelta(days=self.rng.randint(1, 10))
            if self.rng.random() >= STALE_REPAIRS and done_on < self.as_of:
                repair.status, repair.done_at, repair.done_note = "done", at(done_on, 12), DONE_NOTE
                if checked_on < self.as_of and signers:
                    repair.status = "closed"
                    repair.recheck_answer = "ja"
                    repair.signed_off_by_id = signers[0]
                    repair.signed_off_at = repair.closed_at = at(checked_on, 10)
            out.findings.append((finding, by_question[question]))
            out.repairs.append(repair)
