"""The adgangslog (access log): one AccessLogEntry every time someone sees a child's data.

Pages, exports, mails and the API call `access_log_record` (one child or case) or
`access_log_record_many` (a list showing many cases: one entry per case shown, in one insert). An entry
names the user (or the API client), the municipality, the child and case (database ids, never a CPR
number) and what was shown (`purpose`, one of PURPOSES). The access log is itself the record of a read,
so it writes no audit event. Entries are appended to their municipality's hash chain (`chain_append`,
ADR 0018). `now` is the moment of the read (default: the clock); a job passes its own.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from sagstilsyn.core.models import AccessLogEntry, User
from sagstilsyn.core.services.chain import chain_append

#: What was shown, by purpose code (stored) and its Danish label (shown).
PURPOSES: dict[str, str] = {
    "case_view": "Sagsside",
    "case_list": "Sagsliste",
    "case_list_xlsx": "Sagsliste hentet som Excel",
    "case_search_cpr": "Sager søgt ud fra CPR-nummer",
    "followup_list": "Ugentlig fristopfølgning",
    "followup_xlsx": "Ugentlig fristopfølgning hentet som Excel",
    "checklist_view": "Oversigtsskema",
    "overrun_reason": "Begrundelse for overskridelse",
    "followup_digest": "Ugentlig fristmail",
    "review_assigned_mail": "Mail om nye gennemgange",
    "api_event": "Hændelse læst via API",
    "unusual_access": "Usædvanlig adgang",
    "unusual_access_xlsx": "Usædvanlig adgang hentet som Excel",
    "review_list": "Mine gennemgange",
    "review_list_xlsx": "Mine gennemgange hentet som Excel",
    "review_view": "Gennemgang",
    "review_comparison": "Sammenligning af gennemgange",
    "calibration_case": "Kalibreringssag",
    "sample_view": "Stikprøve",
    "sample_xlsx": "Stikprøve hentet som Excel",
    "findings_list": "Fund (ledelsestilsyn)",
    "findings_xlsx": "Fund hentet som Excel",
    "my_findings": "Fund på mine sager",
    "my_findings_xlsx": "Fund på mine sager hentet som Excel",
    "case_repair": "Sagsgenopretning",
}


def _check(purpose: str) -> None:
    if purpose not in PURPOSES:
        raise ValueError(f"ukendt formål med visningen: '{purpose}'")


def access_log_record(
    *,
    user: User | AnonymousUser | None,
    purpose: str,
    municipality_id: int | None = None,
    child_id: int | None = None,
    case_id: int | None = None,
    user_label: str | None = None,
    now: datetime | None = None,
) -> AccessLogEntry:
    """Write one access-log entry; `municipality_id` defaults to the user's municipality.

    `user` is None for a system reader such as an API client; `user_label` then says who it was.
    """
    _check(purpose)
    actor = user if isinstance(user, User) else None
    entry = AccessLogEntry(
        at=now or timezone.now(),
        user=actor,
        user_label=user_label or (actor.username if actor is not None else "anonym"),
        municipality_id=municipality_id
        if municipality_id is not None
        else getattr(actor, "municipality_id", None),
        child_id=child_id,
        case_id=case_id,
        purpose=purpose,
    )
    chain_append([entry])
    return entry


def access_log_record_many(
    *, user: User, cases: Iterable[tuple[int, int]], purpose: str, now: datetime | None = None
) -> int:
    """One entry per distinct case in `cases` ((child id, case id) pairs); returns how many were written."""
    _check(purpose)
    now = now or timezone.now()
    seen: dict[int, int] = {}
    for child_id, case_id in cases:
        seen.setdefault(case_id, child_id)
    entries = [
        AccessLogEntry(
            at=now,
            user=user,
            user_label=user.username,
            municipality_id=user.municipality_id,
            child_id=child_id,
            case_id=case_id,
            purpose=purpose,
        )
        for case_id, child_id in seen.items()
    ]
    chain_append(entries)
    return len(entries)
