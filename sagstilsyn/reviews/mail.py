"""The mail to reviewers about their new gennemgange (issue 13 §2): when a period's samples are drawn, each
reviewer who got new reviews gets one mail listing them (case number, unit, part, deadline) with a link to
"Mine gennemgange" (`SAGSTILSYN_SITE_URL` + `/gennemgange/`).

Mails carry case numbers (sagsnumre) only — never a CPR number, a child's name or a child id — and go
through Django's EMAIL_BACKEND like the weekly digest (`sagstilsyn.cases.followup.digest`). Each listed
case is access-logged for the reviewer (`review_assigned_mail`), and the run writes one audit event.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from sagstilsyn.core.models import Municipality, User
from sagstilsyn.core.numbers import count_text
from sagstilsyn.core.services.access_log import access_log_record_many
from sagstilsyn.core.services.audit import audit_record
from sagstilsyn.law.calendar import MONTHS
from sagstilsyn.reviews.models import Review
from sagstilsyn.reviews.programmes.periods import Period

FILE_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
#: The page each mail links to, under the site's address.
REVIEWS_PATH = "/gennemgange/"
PURPOSE = "review_assigned_mail"


@dataclass(frozen=True)
class MailLine:
    """One case in a reviewer's mail."""

    case_ref: str
    unit: str
    part: str
    deadline: str


@dataclass
class ReviewerMail:
    user: User
    lines: list[MailLine]
    subject: str = ""
    body: str = ""


@dataclass
class AssignedMailResult:
    mails: list[ReviewerMail] = field(default_factory=list)
    skipped_no_email: list[str] = field(default_factory=list)
    sent: int = 0


def period_text(period: Period) -> str:
    """Danish: "oktober 2026", "4. kvartal 2026", "2026"."""
    if period.kind == "month":
        return f"{MONTHS[period.number - 1]} {period.year}"
    if period.kind == "quarter":
        return f"{period.number}. kvartal {period.year}"
    return str(period.year)


def _deadline(day: date | None) -> str:
    return f"{day:%d.%m.%Y}" if day else "ingen"


def render_reviewer_mail(mail: ReviewerMail, *, period: Period, base_url: str) -> tuple[str, str]:
    """Subject and plain-text body (Danish) of one reviewer's mail."""
    count = len(mail.lines)
    words = count_text(count, "ny gennemgang", "nye gennemgange")
    subject = f"Ledelsestilsyn {period_text(period)}: {words} til dig"
    opening = (
        f"Ledelsestilsynet for {period_text(period)} er udtrukket. Du skal gennemgå "
        f"{count_text(count, 'sag', 'sager')}:"
    )
    body = render_to_string(
        "reviews/mail/reviews_assigned.txt",
        {
            "name": mail.user.display_name,
            "opening": opening,
            "lines": mail.lines,
            "url": base_url.rstrip("/") + REVIEWS_PATH,
        },
    )
    return subject, body.strip() + "\n"


@transaction.atomic
def reviews_assigned_notify(
    *,
    reviews: Iterable[Review],
    period: Period,
    municipality: Municipality | None = None,
    base_url: str | None = None,
    now: datetime | None = None,
) -> AssignedMailResult:
    """One mail per reviewer of `reviews` listing their cases (by deadline and case number); writes the
    access log for each mailed case and one audit event. A reviewer without an e-mail address is named
    in the result and gets nothing."""
    base_url = base_url or settings.SAGSTILSYN_SITE_URL
    moment = now or timezone.now()
    by_reviewer: dict[int, tuple[User, list[Review]]] = {}
    for review in reviews:
        by_reviewer.setdefault(review.reviewer_id, (review.reviewer, []))[1].append(review)
    result = AssignedMailResult()
    messages: list[tuple[EmailMessage, ReviewerMail, list[Review]]] = []
    for user, own in sorted(by_reviewer.values(), key=lambda item: item[0].username):
        own.sort(key=lambda r: (r.deadline or date.max, r.case.source_ref))
        lines = [
            MailLine(
                case_ref=r.case.source_ref,
                unit=r.case.unit.name,
                part=r.sample_row.sample.part.name if r.sample_row else "",
                deadline=_deadline(r.deadline),
            )
            for r in own
        ]
        mail = ReviewerMail(user=user, lines=lines)
        mail.subject, mail.body = render_reviewer_mail(mail, period=period, base_url=base_url)
        result.mails.append(mail)
        if not user.email:
            result.skipped_no_email.append(user.username)
            continue
        messages.append((EmailMessage(mail.subject, mail.body, to=[user.email]), mail, own))
    if not result.mails:
        return result
    if settings.EMAIL_BACKEND == FILE_BACKEND:
        Path(settings.EMAIL_FILE_PATH).mkdir(parents=True, exist_ok=True)
    result.sent = get_connection().send_messages([message for message, _, _ in messages]) or 0
    for _, mail, own in messages:
        access_log_record_many(
            user=mail.user, cases=((r.case.child_id, r.case_id) for r in own), purpose=PURPOSE, now=moment
        )
    audit_record(
        actor=None,
        action="reviews.assigned_mail",
        municipality=municipality,
        target_type="mail",
        target_id=period.label,
        target_label=f"Nye gennemgange, {period_text(period)}",
        after={
            "period": period.label,
            "recipients": [mail.user.username for _, mail, _ in messages],
            "reviews": sum(len(own) for _, _, own in messages),
            "sent": result.sent,
            "skipped_no_email": result.skipped_no_email,
        },
    )
    return result
