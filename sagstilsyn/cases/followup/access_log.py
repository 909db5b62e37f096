"""Access-log entries (adgangslog) for the follow-up list, its export and the oversigtsskema.

The shared service `sagstilsyn.core.services.access_log.access_log_record` writes one entry per call
and accepts only the purposes in its PURPOSES table, which does not (yet) name these pages. A list
shows many children's cases at once, so this helper writes one entry per case shown in a single bulk
insert, with the purpose codes below, in the same shape as the shared service.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.utils import timezone

from sagstilsyn.core.models import AccessLogEntry, User

#: What was shown, by purpose code (stored) and its Danish label.
PURPOSES: dict[str, str] = {
    "followup_list": "Ugentlig fristopfølgning",
    "followup_xlsx": "Ugentlig fristopfølgning hentet som Excel",
    "checklist_view": "Oversigtsskema",
    "followup_digest": "Ugentlig fristmail",
}


def record_case_views(*, user: User, cases: Iterable[tuple[int, int]], purpose: str) -> int:
    """One entry per distinct (child id, case id) the user was shown; returns how many were written."""
    if purpose not in PURPOSES:
        raise ValueError(f"ukendt formål med visningen: '{purpose}'")
    now = timezone.now()
    label = user.username
    seen: dict[int, int] = {}
    for child_id, case_id in cases:
        seen.setdefault(case_id, child_id)
    entries = [
        AccessLogEntry(
            at=now,
            user=user,
            user_label=label,
            municipality_id=user.municipality_id,
            child_id=child_id,
            case_id=case_id,
            purpose=purpose,
        )
        for case_id, child_id in seen.items()
    ]
    AccessLogEntry.objects.bulk_create(entries, batch_size=2000)
    return len(entries)
