"""The ledelsestilsyn's planlagt job (scheduled job), registered with core's job registry from
`ReviewsConfig.ready()`; core runs it (`sagstilsyn jobs run-due`, ADR 0006).

- ``supervision_start`` (Tilsynsperiodens stikprøver), daily at 05:00: starts the current month, quarter and
  year for the municipality where not yet started (`supervision_start`: draw and assign, idempotent) and
  mails each reviewer who got new reviews one mail listing them (`reviews_assigned_notify`). A second run
  in the same period draws and mails nothing.
"""

from __future__ import annotations

from datetime import time

from sagstilsyn.core.jobs.registry import Job, JobContext, JobResult, Schedule
from sagstilsyn.core.numbers import count_text


def _supervision_start(context: JobContext) -> JobResult:
    from sagstilsyn.reviews.mail import period_text, reviews_assigned_notify
    from sagstilsyn.reviews.models import Review, ReviewLevel
    from sagstilsyn.reviews.programmes.periods import Period, period_of_kind
    from sagstilsyn.reviews.services.reviews import supervision_start

    month = Period("month", context.slot.year, context.slot.month)
    samples = []
    for kind in ("month", "quarter", "year"):
        period = period_of_kind(month, kind)
        samples += supervision_start(municipality=context.municipality, period=period, actor=None)
    reviews = list(
        Review.objects.filter(sample_row__sample__in=samples, level=ReviewLevel.FIRST).select_related(
            "reviewer", "case__unit", "sample_row__sample__part"
        )
    )
    mailed = reviews_assigned_notify(
        reviews=reviews, period=month, municipality=context.municipality, now=context.now
    )
    summary = (
        f"{count_text(len(samples), 'ny stikprøve', 'nye stikprøver')} for {period_text(month)}, "
        f"{count_text(len(reviews), 'gennemgang', 'gennemgange')} tildelt, "
        f"{count_text(mailed.sent, 'mail', 'mails')} sendt"
    )
    if mailed.skipped_no_email:
        summary += f"; {count_text(len(mailed.skipped_no_email), 'bedømmer', 'bedømmere')} uden e-mailadresse"
    return JobResult(count=len(reviews), summary=summary)


JOBS: tuple[Job, ...] = (
    Job(
        name="supervision_start",
        title="Tilsynsperiodens stikprøver",
        description="Når en måned, et kvartal eller et år begynder, udtrækkes ledelsestilsynets stikprøver, "
        "og hver bedømmer får en mail med sine nye gennemgange.",
        schedule=Schedule(at=time(5, 0)),
        run=_supervision_start,
    ),
)
