"""The adgangslog (access log): one AccessLogEntry every time a user sees a child's data.

Pages and exports call `access_log_record` once per page view or download. The entry names the user,
the municipality, the child and case (database ids, never a CPR number) and what was shown (`purpose`,
one of PURPOSES). The access log is itself the record of a read, so it writes no audit event.
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from sagstilsyn.core.models import AccessLogEntry, User

#: What a user saw, by purpose code (stored) and its Danish label (shown).
PURPOSES: dict[str, str] = {
    "case_view": "Sagsside",
    "case_list": "Sagsliste",
    "case_list_xlsx": "Sagsliste hentet som Excel",
}


def access_log_record(
    *,
    user: User | AnonymousUser,
    purpose: str,
    municipality_id: int | None = None,
    child_id: int | None = None,
    case_id: int | None = None,
) -> AccessLogEntry:
    """Write one access-log entry; `municipality_id` defaults to the user's municipality."""
    if purpose not in PURPOSES:
        raise ValueError(f"ukendt formål med visningen: '{purpose}'")
    actor = user if isinstance(user, User) else None
    return AccessLogEntry.objects.create(
        at=timezone.now(),
        user=actor,
        user_label=actor.username if actor is not None else "anonym",
        municipality_id=municipality_id
        if municipality_id is not None
        else getattr(actor, "municipality_id", None),
        child_id=child_id,
        case_id=case_id,
        purpose=purpose,
    )
