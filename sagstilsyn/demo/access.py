"""The demo's access log: a week of case reads before the as-of date, so that the page Usædvanlig
adgang has something to show. Ordinary reads of the demo caseworker's own cases in working hours, and
one of each unusual kind: a colleague's case opened, an evening with cases, and a caseworker opening
many cases in a few minutes. Written through the access-log service (and so into its hash chain)."""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import date, datetime, time, timedelta

from sagstilsyn.cases.models import Case
from sagstilsyn.core.models import Municipality, User
from sagstilsyn.core.services.access_log import access_log_record
from sagstilsyn.law.calendar import COPENHAGEN, is_working_day

#: How many cases the busy caseworker opens in a few minutes (over the page's default of 30).
BURST = 36


def _working_days_before(as_of: date, count: int) -> list[date]:
    days: list[date] = []
    day = as_of
    while len(days) < count:
        day -= timedelta(days=1)
        if is_working_day(day):
            days.append(day)
    return sorted(days)


def _at(day: date, hour: int, minute: int) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=COPENHAGEN)


def _open(user: User, case: Case, at: datetime) -> None:
    access_log_record(user=user, purpose="case_view", child_id=case.child_id, case_id=case.pk, now=at)


def _reads(
    municipality: Municipality, as_of: date, rng: random.Random
) -> Iterator[tuple[User, Case, datetime]]:
    days = _working_days_before(as_of, 5)
    worker = User.objects.get(municipality=municipality, username="sagsbehandler")
    own = list(Case.objects.filter(caseworker=worker).order_by("pk")[:8])
    for day in days:  # ordinary reads of the own cases, 08–16
        for case in rng.sample(own, min(3, len(own))):
            yield worker, case, _at(day, rng.randint(8, 15), rng.randint(0, 59))
    colleagues = Case.objects.filter(unit__in=[c.unit_id for c in own[:1]]).exclude(caseworker=worker)
    colleague_case = colleagues.exclude(caseworker=None).order_by("pk").first()
    if colleague_case is not None:
        yield worker, colleague_case, _at(days[-2], 10, 12)
    for minute, case in enumerate(own[:3]):  # an evening at home
        yield worker, case, _at(days[-3], 21, 30 + minute * 4)
    busy = Case.objects.exclude(caseworker=None).exclude(caseworker=worker).order_by("pk").first()
    if busy is not None and busy.caseworker is not None:
        cases = list(Case.objects.filter(unit_id=busy.unit_id).order_by("pk")[:BURST])
        start = _at(days[-1], 13, 5)
        for number, case in enumerate(cases):
            yield busy.caseworker, case, start + timedelta(seconds=12 * number)


def demo_access_history(*, municipality: Municipality, as_of: date, seed: int) -> int:
    """Write the demo's reads in time order; returns how many."""
    rng = random.Random(seed)  # noqa: S311 - made-up reads, deterministic on purpose
    reads = sorted(_reads(municipality, as_of, rng), key=lambda read: read[2])
    for user, case, at in reads:
        _open(user, case, at)
    return len(reads)
