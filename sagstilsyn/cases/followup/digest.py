"""The weekly e-mail digest (ugentlig fristmail) to leaders: one mail per leader with their units'
overdue and due-this-week counts and the worst items.

Mails carry case references (sagsnumre), rule titles and dates only — never a CPR number, a child's
name or a child id. They are sent through Django's EMAIL_BACKEND (locally files in var/mail/).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.utils import timezone

from sagstilsyn.cases.followup.selectors import (
    BUCKET_LABELS,
    NEW,
    OVERDUE,
    THIS_WEEK,
    FollowupRow,
    FollowupWeek,
    followup_week,
    week_monday,
)
from sagstilsyn.core.access import (
    digest_assignments_filter,
    followup_default_group,
    user_scope,
    weekly_digest_scope,
)
from sagstilsyn.core.models import Municipality, RoleAssignment, User
from sagstilsyn.core.numbers import count_text, number_text
from sagstilsyn.core.services.access_log import access_log_record_many
from sagstilsyn.core.services.audit import audit_record
from sagstilsyn.law.calendar import today_local

#: How many of the worst items a mail lists.
WORST_COUNT = 10
FILE_BACKEND = "django.core.mail.backends.filebased.EmailBackend"


@dataclass(frozen=True)
class UnitLine:
    name: str
    overdue: int
    this_week: int


@dataclass
class LeaderDigest:
    user: User
    week: FollowupWeek
    units: list[UnitLine]
    worst: list[FollowupRow]
    subject: str = ""
    body: str = ""


@dataclass
class DigestResult:
    week_start: date
    digests: list[LeaderDigest] = field(default_factory=list)
    skipped_no_email: list[str] = field(default_factory=list)
    sent: int = 0
    dry_run: bool = False


def digest_recipients(*, municipality: Municipality | None = None) -> list[User]:
    """Active users who get the mail (`receives_weekly_digest`: leaders, not the administrator as
    such), ordered by username."""
    assignments = RoleAssignment.objects.filter(digest_assignments_filter(), user__is_active=True)
    if municipality is not None:
        assignments = assignments.filter(municipality=municipality)
    user_ids = assignments.values_list("user_id", flat=True).distinct()
    return list(User.objects.filter(pk__in=user_ids).order_by("username"))


def worst_rows(week: FollowupWeek, count: int = WORST_COUNT) -> list[FollowupRow]:
    """What to act on first: the newly overdue (the last 7 days, most recent deadline first), then the
    week's deadlines by date; never the oldest backlog (ADR 0020)."""
    new = sorted(
        (row for row in week.overdue_rows if row.section == NEW),
        key=lambda row: (-row.due_day.toordinal(), row.case_ref),
    )
    return (new + week.this_week_rows)[:count]


def _date(day: date) -> str:
    return day.strftime("%d.%m.%Y")


def render_digest(digest: LeaderDigest, *, base_url: str) -> tuple[str, str]:
    """Subject and plain-text body of one leader's mail, in Danish."""
    week = digest.week
    new_count = sum(1 for row in week.overdue_rows if row.section == NEW)
    new_text = count_text(new_count, "ny overskreden", "nye overskredne")
    this_week = number_text(week.counts.this_week)
    subject = f"Ugens frister, uge {week.week_number}: {new_text}, {this_week} med frist i ugen"
    width = max([len("I alt"), *(len(u.name) for u in digest.units)])
    lines = [
        f"Ugentlig fristopfølgning, uge {week.week_number} ({_date(week.week_start)}–{_date(week.week_end)})",
        "",
        f"Hej {digest.user.display_name}",
        "",
        f"Nye overskredne frister de seneste 7 dage: {number_text(new_count)}",
        f"Frister i ugen: {number_text(week.counts.this_week)}",
        "",
        "Her er fristerne i dine enheder (overskredet i alt, også de ældre):",
        "",
        f"{'Enhed'.ljust(width)}  {BUCKET_LABELS[OVERDUE]:>11}  {BUCKET_LABELS[THIS_WEEK]:>12}",
    ]
    for unit in digest.units:
        lines.append(
            f"{unit.name.ljust(width)}  {number_text(unit.overdue):>11}  {number_text(unit.this_week):>12}"
        )
    total_overdue, total_week = number_text(week.counts.overdue), number_text(week.counts.this_week)
    lines.append(f"{'I alt'.ljust(width)}  {total_overdue:>11}  {total_week:>12}")
    lines.append("")
    if digest.worst:
        lines.append("Det skal handles på nu (nye overskredne, derefter ugens frister):")
        for row in digest.worst:
            when = _date(row.due_day)
            if row.due_local is not None:
                when += row.due_local.strftime(" kl. %H:%M")
            lines.append(
                f"- Sag {row.case_ref}: {row.rule_title}. {row.bucket_label}, frist {when} ({row.unit_name})"
            )
        lines.append("")
    else:
        lines.append("Ingen frister er overskredet eller udløber i ugen.")
        lines.append("")
    lines.append(f"Se hele listen: {base_url.rstrip('/')}/frister/?uge={week.iso_week}&sagsbehandler=alle")
    lines.append("")
    lines.append("Mailen nævner kun sagsnumre, aldrig CPR-numre eller navne på børn.")
    lines.append("Sendt automatisk af Sagstilsyn.")
    return subject, "\n".join(lines) + "\n"


def digest_for_leader(*, user: User, week_start: date, now: datetime | None = None) -> LeaderDigest | None:
    """The leader's digest for the week, or None when the user gets none (`weekly_digest_scope`); it
    follows the leader's group as the page does (`followup_default_group`)."""
    scope = weekly_digest_scope(user_scope(user))
    if scope is None:
        return None
    week = followup_week(scope=scope, week_start=week_start, group=followup_default_group(user), now=now)
    units = [UnitLine(u.name, u.counts.overdue, u.counts.this_week) for u in week.units]
    return LeaderDigest(user=user, week=week, units=units, worst=worst_rows(week))


def digest_weekly_send(
    *,
    week_start: date | None = None,
    municipality: Municipality | None = None,
    dry_run: bool = False,
    base_url: str | None = None,
    now: datetime | None = None,
) -> DigestResult:
    """Build and (unless `dry_run`) send one mail per leader; writes one audit event for the run. The
    link points at `base_url`, by default the address the server runs on (`SAGSTILSYN_SITE_URL`)."""
    base_url = base_url or settings.SAGSTILSYN_SITE_URL
    moment = now or timezone.now()
    monday = week_monday(week_start or today_local(moment))
    result = DigestResult(week_start=monday, dry_run=dry_run)
    messages: list[tuple[EmailMessage, LeaderDigest]] = []
    for user in digest_recipients(municipality=municipality):
        digest = digest_for_leader(user=user, week_start=monday, now=moment)
        if digest is None:
            continue
        digest.subject, digest.body = render_digest(digest, base_url=base_url)
        result.digests.append(digest)
        if not user.email:
            result.skipped_no_email.append(user.username)
            continue
        messages.append((EmailMessage(digest.subject, digest.body, to=[user.email]), digest))
    if dry_run:
        return result
    if settings.EMAIL_BACKEND == FILE_BACKEND:
        Path(settings.EMAIL_FILE_PATH).mkdir(parents=True, exist_ok=True)
    connection = get_connection()
    result.sent = connection.send_messages([message for message, _ in messages]) or 0
    for _, digest in messages:
        access_log_record_many(
            user=digest.user,
            cases=((r.child_id, r.case_id) for r in digest.worst),
            purpose="followup_digest",
        )
    audit_record(
        actor=None,
        action="digest.weekly",
        municipality=municipality,
        target_type="digest",
        target_id=monday.isoformat(),
        target_label=f"Ugens frister, uge {monday.isocalendar()[1]}",
        after={
            "week_start": monday.isoformat(),
            "recipients": [digest.user.username for _, digest in messages],
            "sent": result.sent,
            "skipped_no_email": result.skipped_no_email,
        },
    )
    return result
