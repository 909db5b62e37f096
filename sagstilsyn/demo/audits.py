"""The demo's external audit and its follow-up (issue 14 §5, ADR 0039), echoing Lejre: an external audit
of 18 cases, and a year later a follow-up audit of 50 cases compared with it question by question (the
committee report's "baseline versus follow-up"). The follow-up finds fewer shortcomings.

Both are ad hoc samples of the programme `ekstern` (`reviews.programmes.adhoc`), drawn from the two
largest units' open cases with a seed of their own, read by the demo's external reviewer (`ekstern`)
within the part's days, and closed. Their rows are written as the rest of the history is
(`supervision_rows`), in one go: a few hundred rows, well under a second.
"""

from __future__ import annotations

import random
from collections import Counter
from datetime import date, datetime, time, timedelta

from sagstilsyn.core.models import AuditEvent
from sagstilsyn.core.services.audit import audit_event_build
from sagstilsyn.demo.supervision_reviews import ReviewPlan, Staff, Written, at
from sagstilsyn.demo.supervision_rows import answers_insert, frame_insert, objects_insert
from sagstilsyn.demo.supervision_world import DemoCase, World
from sagstilsyn.law.calendar import COPENHAGEN
from sagstilsyn.reviews import sampling
from sagstilsyn.reviews.models import Sample, SampleRow
from sagstilsyn.reviews.programmes.adhoc import adhoc_part_ensure
from sagstilsyn.reviews.programmes.draw import sample_of, sample_row_of
from sagstilsyn.reviews.programmes.periods import Period
from sagstilsyn.reviews.questionnaire_store import questionnaire_get

#: (months before the as-of date, cases, share of findings per question)
AUDITS = ((20, 18, 0.45), (8, 50, 0.15))
#: The audits need this much history before them (the demo starts in January 2023).
EARLIEST = date(2023, 6, 1)


def _months_before(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 - months
    return date(index // 12, index % 12 + 1, 2)


def _draw(
    world: World, day: date, size: int, seed: int, follows: Sample | None
) -> tuple[Sample, list[SampleRow], list[DemoCase]]:
    part = adhoc_part_ensure(world.municipality, "ekstern")
    counts = Counter(case.unit_code for case in world.cases.values() if case.open_at(day))
    units = sorted(code for code, _ in counts.most_common(2))
    open_cases = {
        ref: case
        for ref, case in sorted(world.cases.items())
        if case.open_at(day) and case.unit_code in units
    }
    frame = [sampling.FrameCase(ref) for ref in sorted(open_cases)]
    seed_text = f"demo-ekstern:{seed}:{day.isoformat()}"
    result = sampling.apply_exclusions(sampling.srs(frame, min(size, len(frame)), seed_text), frame, {})
    sample = sample_of(
        part,
        day.isoformat(),
        "+".join(units)[:40],  # as `adhoc_sample_draw` cuts it
        seed=seed_text,
        stratum_sizes={},
        result=result,
        drawn_at=datetime.combine(day, time(8, 0), tzinfo=COPENHAGEN),
    )
    sample.size = size
    sample.closes_on = day + timedelta(days=part.review_days)
    sample.closed_at = at(sample.closes_on, 16)
    sample.follows = follows
    sample.save()
    frame_insert([(sample.pk, case.case.pk, "", 1.0) for case in open_cases.values()])
    reviewer = next(pk for pk, user in world.users.items() if user.username == "ekstern")
    rows = [
        sample_row_of(sample, position, row, case_id=open_cases[row.case_id].case.pk, reviewer_id=reviewer)
        for position, row in enumerate(result.rows, start=1)
    ]
    objects_insert(rows)
    return sample, rows, [open_cases[row.case_id] for row in result.rows]


def demo_audits(world: World, *, as_of: date, seed: int, staff: Staff) -> list[AuditEvent]:
    """Draw, read and close the two audits (see the module); the audit events that say so."""
    days = [_months_before(as_of, months) for months, _, _ in AUDITS]
    if days[0] < EARLIEST:
        return []
    part = adhoc_part_ensure(world.municipality, "ekstern")
    questionnaire = questionnaire_get(part.questionnaire, part.questionnaire_version or 1)
    events = []
    earlier: Sample | None = None
    for day, (_, size, share) in zip(days, AUDITS, strict=True):
        sample, rows, cases = _draw(world, day, size, seed, earlier)
        out = Written()
        period = Period("month", day.year, day.month)  # read within the month: before the audit closes
        shares = {q.id: share for q in questionnaire.questions}
        for row, case in zip(rows, cases, strict=True):
            rng = random.Random(f"audit:{seed}:{day.isoformat()}:{row.case_id}")  # noqa: S311
            plan = ReviewPlan(row, case, part, period, day, questionnaire.questions, shares, as_of, rng)
            plan.write(out, staff, hold_open=False, hold_second=False, in_progress=False)
        objects_insert(out.first)
        answers_insert(out.answers)
        for finding, answer in out.findings:
            finding.answer_id = answer.pk  # type: ignore[assignment]
        objects_insert([f for f, _ in out.findings])
        objects_insert(out.repairs)
        events.append(
            audit_event_build(
                actor=None,
                action="demo_external_audit",
                municipality=world.municipality,
                target_type="sample",
                target_id=sample.pk,
                target_label=f"Ekstern revision {day.isoformat()} (demodata)",
                after={
                    "cases": len(cases),
                    "reviews": len(out.first),
                    "follows": earlier.pk if earlier else None,
                },
            )
        )
        earlier = sample
    return events
