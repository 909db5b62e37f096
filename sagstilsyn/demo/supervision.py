"""The demo municipality's ledelsestilsyn (supervision, issue 13 §9): Copenhagen's default programmes run
from January 2023 to the demo's as-of date (ADR 0032).

- Every month, quarter and year is drawn (`supervision_draws`), and every drawn case reviewed
  (`supervision_reviews`): answers that start at the 2016 screening's shares (seed 001) and improve by
  unit after the plan (`supervision_answers`), level-2 re-reads of the centre sample with disagreements
  a centre lawyer settles, findings and case repairs, most of them signed off.
- Reviews after the as-of date have not happened: the current periods' reviews wait. The demo log-ins
  find their work: `koordinator` this month's monthly reviews (one in progress), `omraadejurist` the
  quarter's unit sample, `centraljurist` the quarter's level-2 re-reads, `sagsbehandler` a few open
  case repairs (one overdue).
- The rows are written with plain INSERTs (`supervision_rows.py`; the services would take minutes for
  ~4 years of reviews); one summary audit event per period says what the demo wrote.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from django.db import transaction

from sagstilsyn.core.models import AuditEvent, Municipality, Role
from sagstilsyn.core.services.audit import audit_event_build, audit_record_many
from sagstilsyn.demo.audits import demo_audits
from sagstilsyn.demo.people import DEMO_UNIT
from sagstilsyn.demo.supervision_answers import finding_share, unit_paces
from sagstilsyn.demo.supervision_draws import demo_draw, draw_day, sample_rows
from sagstilsyn.demo.supervision_reviews import ReviewPlan, Staff, Written, at
from sagstilsyn.demo.supervision_rows import answers_insert, frame_insert, objects_insert
from sagstilsyn.demo.supervision_world import DemoCase, World, world_read
from sagstilsyn.reviews.models import (
    CaseRepair,
    ProgrammePart,
    Sample,
    SampleRow,
)
from sagstilsyn.reviews.programmes.defaults import programme_default_ensure
from sagstilsyn.reviews.programmes.draw import parts_active
from sagstilsyn.reviews.programmes.eligibility import not_drawn_in_period
from sagstilsyn.reviews.programmes.periods import Period
from sagstilsyn.reviews.questionnaire_store import questionnaire_get
from sagstilsyn.reviews.questionnaires import Questionnaire
from sagstilsyn.reviews.services.seals import questionnaire_seal

#: The first month of the demo's supervision (its case history starts the same day).
FIRST_MONTH = Period("month", 2023, 1)
#: The open case repairs the demo caseworker (`sagsbehandler`) is left with, one of them overdue.
CASEWORKER_OPEN_REPAIRS = 4

#: (stage, done, total) as `load.py`'s progress
Progress = Callable[[str, int, int], None]


@dataclass
class SupervisionResult:
    samples: int = 0
    reviews: int = 0
    answers: int = 0
    findings: int = 0
    open_repairs: int = 0


def demo_periods(as_of: date) -> list[Period]:
    """Every period from January 2023 to the as-of date's month, each month followed by the quarter and
    year it starts, in the order a municipality would draw them."""
    periods: list[Period] = []
    month = FIRST_MONTH
    while month.start <= as_of:
        periods.extend(month.owed())
        index = month.year * 12 + month.number
        month = Period("month", index // 12, index % 12 + 1)
    return periods


def _staff(world: World) -> Staff:
    leaders: dict[tuple[int, str], list[int]] = {}
    for role in (Role.COORDINATOR, Role.DEPARTMENT_LEADER):
        for (held, unit_id, group), ids in world.holders.items():
            if held == role and unit_id is not None:
                leaders.setdefault((unit_id, group), []).extend(ids)
    return Staff(
        central_lawyers=world.all_holders(Role.CENTRAL_LAWYER),
        centre_lawyers=world.all_holders(Role.CENTRE_LAWYER),
        leaders=leaders,
    )


class History:
    """Draws and reviews the periods one by one, writing each period's rows before the next."""

    def __init__(self, world: World, *, as_of: date, seed: int):
        self.world, self.as_of, self.seed = world, as_of, seed
        self.staff = _staff(world)
        self.paces = unit_paces(sorted({c.unit_code for c in world.cases.values()}), seed)
        self.open_cache: dict[date, list[DemoCase]] = {}
        #: period label → case numbers drawn (not excluded) into its samples so far
        self.taken: dict[str, set[str]] = {}
        self.logins = {user.username: pk for pk, user in world.users.items()}
        self.result = SupervisionResult()
        self.audit: list[AuditEvent] = []
        self.in_progress_given = False
        self.shares: dict[tuple[str, str, str], dict[str, float]] = {}
        self.questionnaires: dict[tuple[str, int], Questionnaire] = {}

    def open_cases(self, day: date) -> list[DemoCase]:
        if day not in self.open_cache:
            self.open_cache[day] = [case for _, case in sorted(self.world.cases.items()) if case.open_at(day)]
        return self.open_cache[day]

    def period(self, period: Period) -> None:
        written = Written()
        samples = 0
        day = draw_day(period, self.as_of)
        taken = self.taken.setdefault(period.label, set())
        for part in parts_active(self.world.municipality, period):
            cases = [c for c in self.open_cases(day) if not part.unit_kind or c.unit_kind == part.unit_kind]
            scopes = sorted({c.unit_code for c in cases}) if part.per_unit else [""]
            for scope in scopes:
                chosen_cases = [c for c in cases if c.unit_code == scope] if scope else cases
                drawn = demo_draw(
                    self.world,
                    part,
                    period,
                    scope=scope,
                    cases=chosen_cases,
                    seed=self.seed,
                    day=day,
                    taken=taken if not_drawn_in_period(part.eligibility) else set(),
                )
                if drawn is None:
                    continue
                sample, frame, rows, reviewers = drawn
                sample.save()
                frame_insert([(sample.pk, case.pk, stratum, weight) for case, stratum, weight in frame])
                stored = sample_rows(sample, part, self.world, rows, reviewers)
                objects_insert(stored)
                taken.update(row.case.source_ref for row in stored if row.status != "excluded")
                samples += 1
                self._review(sample, part, period, day=day, rows=stored, out=written)
        self._save(written)
        self.result.samples += samples
        self.audit.append(
            audit_event_build(
                actor=None,
                action="demo_supervision_period",
                municipality=self.world.municipality,
                target_type="period",
                target_id=period.label,
                target_label=f"Ledelsestilsyn {period.label} (demodata)",
                after={
                    "samples": samples,
                    "reviews": len(written.first) + len(written.second),
                    "findings": len(written.findings),
                },
            )
        )

    def _review(
        self,
        sample: Sample,
        part: ProgrammePart,
        period: Period,
        *,
        day: date,
        rows: list[SampleRow],
        out: Written,
    ) -> None:
        key_q = (part.questionnaire, part.questionnaire_version or 1)
        if key_q not in self.questionnaires:
            self.questionnaires[key_q] = questionnaire_get(*key_q)
            questionnaire_seal(self.questionnaires[key_q])  # answered from now on, as `answer_save` seals it
        questionnaire = self.questionnaires[key_q]
        current = period.end >= self.as_of
        koordinator, omraadejurist = self.logins.get("koordinator"), self.logins.get("omraadejurist")
        for row in rows:
            if row.status == "excluded" or row.reviewer_id is None:
                continue
            case = self.world.cases[row.case.source_ref]
            unit = case.unit_code
            key = (unit, period.label, questionnaire.id)
            if key not in self.shares:
                self.shares[key] = {
                    q.id: finding_share(q.id, self.paces[unit], period, self.seed, unit)
                    for q in questionnaire.questions
                }
            shares = self.shares[key]
            rng = random.Random(f"review:{self.seed}:{sample.seed}:{row.case.source_ref}")  # noqa: S311
            plan = ReviewPlan(row, case, part, period, day, questionnaire.questions, shares, self.as_of, rng)
            hold_open = current and (
                (part.code == "sagsbehandler" and row.reviewer_id == koordinator)
                or (part.code == "enhed" and row.reviewer_id == omraadejurist)
            )
            in_progress = hold_open and part.code == "sagsbehandler" and not self.in_progress_given
            if in_progress and not plan.applicable(self.as_of)[:3]:
                in_progress = False
            self.in_progress_given = self.in_progress_given or in_progress
            hold_second = current and part.code == "center" and row.level2
            plan.write(out, self.staff, hold_open=hold_open, hold_second=hold_second, in_progress=in_progress)

    def _save(self, out: Written) -> None:
        objects_insert(out.first)
        objects_insert(out.second)
        answers_insert(out.answers)
        for disagreement, first, second in out.disagreements:
            disagreement.first_answer_id, disagreement.second_answer_id = first.pk, second.pk  # type: ignore[assignment]
        objects_insert([d for d, _, _ in out.disagreements])
        for finding, answer in out.findings:
            finding.answer_id = answer.pk  # type: ignore[assignment]
        objects_insert([f for f, _ in out.findings])
        objects_insert(out.repairs)
        self.result.reviews += len(out.first) + len(out.second)
        self.result.answers += len(out.answers)
        self.result.findings += len(out.findings)


def _caseworker_repairs(world: World, as_of: date) -> None:
    """Leave the demo caseworker a few open case repairs on their cases, the oldest of them overdue:
    the most recent findings stay open, the rest are signed off by a leader of the unit."""
    caseworker = next((pk for pk, user in world.users.items() if user.username == "sagsbehandler"), None)
    signer = world.holder(Role.DEPARTMENT_LEADER, _unit_id(world), "")
    repairs = list(
        CaseRepair.objects.filter(owner_id=caseworker)
        .select_related("finding")
        .order_by("-finding__created_at", "-pk")
    )
    if caseworker is None or not repairs:
        return
    keep = repairs[: CASEWORKER_OPEN_REPAIRS - 1]
    overdue = next((r for r in repairs[len(keep) :] if r.deadline < as_of), None)
    if overdue is not None:
        keep.append(overdue)
    # The current periods' reviews are still open, so no finding is younger than a month and every open
    # repair would be overdue: the recent ones get deadlines in the coming weeks, as if found lately.
    for weeks, repair in enumerate(keep[: CASEWORKER_OPEN_REPAIRS - 1], start=1):
        repair.deadline = max(repair.deadline, as_of + timedelta(days=7 * weeks))
    for repair in repairs:
        if repair in keep:
            repair.status, repair.done_at, repair.done_note = "open", None, ""
            repair.recheck_answer, repair.signed_off_by_id, repair.signed_off_at, repair.closed_at = (
                None,
                None,
                None,
                None,
            )
        elif repair.status != "closed":
            found_on = repair.finding.created_at.date()
            checked = max(found_on, min(as_of - timedelta(days=1), found_on + timedelta(days=20)))
            repair.status, repair.recheck_answer, repair.signed_off_by_id = "closed", "ja", signer
            repair.done_at = repair.done_at or at(checked, 9)
            repair.done_note = repair.done_note or "Rettet i sagen."
            repair.signed_off_at = repair.closed_at = at(checked, 10)
    CaseRepair.objects.bulk_update(
        repairs,
        [
            "status",
            "deadline",
            "done_at",
            "done_note",
            "recheck_answer",
            "signed_off_by",
            "signed_off_at",
            "closed_at",
        ],
    )


def _unit_id(world: World) -> int | None:
    return next((c.case.unit_id for c in world.cases.values() if c.unit_code == DEMO_UNIT), None)


@transaction.atomic
def demo_supervision(
    *, municipality: Municipality, as_of: date, seed: int, progress: Progress | None = None
) -> SupervisionResult:
    """Run the default programmes over the demo's history (see the module's docstring)."""
    programme_default_ensure(municipality)
    history = History(world_read(municipality), as_of=as_of, seed=seed)
    periods = demo_periods(as_of)
    for number, period in enumerate(periods, start=1):
        history.period(period)
        if progress is not None:
            progress("supervision", number, len(periods))
    _caseworker_repairs(history.world, as_of)
    history.audit += demo_audits(history.world, as_of=as_of, seed=seed, staff=history.staff)
    audit_record_many(history.audit)
    history.result.open_repairs = (
        CaseRepair.objects.filter(case__municipality=municipality).exclude(status="closed").count()
    )
    return history.result
