"""The cases app's planlagte job (scheduled jobs), registered with core's job registry from
`CasesConfig.ready()`; core runs them (`sagstilsyn jobs run-due`, ADR 0006).

- ``obligations_mark_overdue`` (Overskredne frister), daily at 02:00: open obligations whose deadline
  has passed become overdue, judged at the moment the job runs (the law core's `deadline_passed`).
- ``digest_weekly`` (Ugens fristmail), Mondays at 06:00: one mail per leader with the week's deadlines.

The callables import the services they call only when they run, so registering the jobs at start-up
loads no more than this module.
"""

from __future__ import annotations

from datetime import time

from sagstilsyn.core.jobs.registry import Job, JobContext, JobResult, Schedule, day_label
from sagstilsyn.core.numbers import count_text
from sagstilsyn.law.calendar import today_local


def _mark_overdue(context: JobContext) -> JobResult:
    from sagstilsyn.cases.services.obligations import obligations_mark_overdue

    day = today_local(context.now)
    changed = obligations_mark_overdue(as_of=context.now, municipality=context.municipality)
    words = count_text(
        changed, "forpligtelse markeret som overskredet", "forpligtelser markeret som overskredne"
    )
    return JobResult(count=changed, summary=f"{words} pr. {day_label(day)}")


def _digest_weekly(context: JobContext) -> JobResult:
    from sagstilsyn.cases.followup.digest import digest_weekly_send

    result = digest_weekly_send(
        week_start=context.slot,
        municipality=context.municipality,
        now=context.now,
    )
    summary = f"{count_text(result.sent, 'mail', 'mails')} sendt"
    if result.skipped_no_email:
        summary += f"; {count_text(len(result.skipped_no_email), 'leder', 'ledere')} uden e-mailadresse"
    return JobResult(count=result.sent, summary=summary)


JOBS: tuple[Job, ...] = (
    Job(
        name="obligations_mark_overdue",
        title="Overskredne frister",
        description="Åbne forpligtelser, hvis frist er passeret, markeres som overskredne.",
        schedule=Schedule(at=time(2, 0)),
        run=_mark_overdue,
    ),
    Job(
        name="digest_weekly",
        title="Ugens fristmail",
        description="Hver leder får en mail med sine enheders overskredne frister og ugens frister.",
        schedule=Schedule(at=time(6, 0), weekday=0),
        run=_digest_weekly,
    ),
)
