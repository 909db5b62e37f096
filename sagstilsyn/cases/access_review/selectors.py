"""Usædvanlig adgang: the access log read for the databeskyttelsesrådgiver (ADR 0018).

Three kinds of unusual reads of children's cases in a period, by staff users of one municipality:

- **uden for egen sagsstamme**: a user opened a case (case page or oversigtsskema) outside their own
  caseload (`in_own_caseload`: a sagsbehandler's own cases, a leader's units, every case for the roles
  over all units). One row per user and day, with the cases.
- **mange sager på kort tid**: a user opened more than `burst_cases` distinct cases within
  `burst_minutes`. One row per burst (overlapping windows are joined).
- **uden for arbejdstid**: any read (pages, lists, exports; not the weekly mail, logged when the system
  sends it) outside `day_start`–`day_end`
  Danish time or on a day that is not a hverdag (weekends, public holidays, Grundlovsdag, 24 and 31
  December: the law core's calendar). One row per user and day.

Reads by API clients (no user) are not reviewed: a case system reads at any hour. The cases' current
unit and caseworker are used, not those at the time of the read. Rows name users and case numbers,
never a CPR number.
"""

from __future__ import annotations

from collections import Counter, defaultdict, deque
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.conf import settings

from sagstilsyn.cases.models import Case
from sagstilsyn.core.access import Scope, in_own_caseload, user_scopes
from sagstilsyn.core.models import AccessLogEntry, Unit, User
from sagstilsyn.law.calendar import COPENHAGEN, holiday_name, is_working_day

OUTSIDE, BURST, OFF_HOURS = "outside_caseload", "many_cases", "off_hours"
KIND_LABELS = {
    OUTSIDE: "Uden for egen sagsstamme",
    BURST: "Mange sager på kort tid",
    OFF_HOURS: "Uden for arbejdstid",
}
KINDS = (OUTSIDE, BURST, OFF_HOURS)
#: Purposes in which a user opened one case (not a list of cases): the first two kinds look at these.
OPENED = ("case_view", "checklist_view")
#: Purposes logged at the moment the system sent something (the weekly mail at 06:00, the mail about new
#: reviews at 05:00), not when the user read it: never off-hours.
SENT = ("followup_digest", "review_assigned_mail")
#: The longest period the page reviews at once.
MAX_DAYS = 92
WEEKDAYS = ("mandag", "tirsdag", "onsdag", "torsdag", "fredag", "lørdag", "søndag")
EXPORT_HEADERS = ("Type", "Bruger", "Brugernavn", "Første", "Sidste", "Visninger", "Sager", "Forklaring")


@dataclass(frozen=True)
class Thresholds:
    """When reads are unusual: more than `burst_cases` distinct cases within `burst_minutes`, and reads
    outside `day_start`–`day_end` o'clock (Danish time) or on a day that is not a hverdag."""

    burst_cases: int = 30
    burst_minutes: int = 10
    day_start: int = 7
    day_end: int = 18


def thresholds_from_settings() -> Thresholds:
    start, end = settings.WORKDAY_HOURS
    return Thresholds(settings.UNUSUAL_BURST_CASES, settings.UNUSUAL_BURST_MINUTES, start, end)


@dataclass(frozen=True)
class Read:
    at: datetime
    user_id: int
    user_label: str
    case_id: int | None
    purpose: str


@dataclass
class UnusualAccess:
    """One finding: what kind, who, from when to when (Danish time), how many reads, which case
    numbers, and a Danish explanation."""

    kind: str
    user_id: int
    user_label: str
    user_name: str
    first: datetime
    last: datetime
    reads: int
    cases: list[str] = field(default_factory=list)
    detail: str = ""

    @property
    def kind_label(self) -> str:
        return KIND_LABELS[self.kind]


@dataclass
class UnusualAccessReport:
    """The findings of a period, by kind, with the thresholds used and the number of reads reviewed."""

    start: date
    end: date
    thresholds: Thresholds
    reviewed: int
    findings: list[UnusualAccess]

    def of_kind(self, kind: str) -> list[UnusualAccess]:
        return [finding for finding in self.findings if finding.kind == kind]

    @property
    def by_kind(self) -> list[tuple[str, str, list[UnusualAccess]]]:
        return [(kind, KIND_LABELS[kind], self.of_kind(kind)) for kind in KINDS]


def _local(moment: datetime) -> datetime:
    return moment.astimezone(COPENHAGEN)


def _reads(municipality_id: int, start: date, end: date) -> list[Read]:
    since = datetime.combine(start, time(), tzinfo=COPENHAGEN)
    until = datetime.combine(end + timedelta(days=1), time(), tzinfo=COPENHAGEN)
    rows = (
        AccessLogEntry.objects.filter(
            municipality_id=municipality_id, at__gte=since, at__lt=until, user_id__isnull=False
        )
        .order_by("at", "id")
        .values_list("at", "user_id", "user_label", "case_id", "purpose")
    )
    return [
        Read(_local(at), user_id, label, case_id, purpose) for at, user_id, label, case_id, purpose in rows
    ]


@dataclass(frozen=True)
class CaseInfo:
    ref: str
    unit_id: int
    caseworker_id: int | None


def _cases(case_ids: Iterable[int]) -> dict[int, CaseInfo]:
    rows = Case.objects.filter(pk__in=sorted(set(case_ids))).values_list(
        "pk", "source_ref", "unit_id", "caseworker_id"
    )
    return {pk: CaseInfo(ref, unit_id, caseworker_id) for pk, ref, unit_id, caseworker_id in rows}


def _refs(case_ids: Iterable[int | None], cases: dict[int, CaseInfo]) -> list[str]:
    return sorted({cases[pk].ref for pk in case_ids if pk in cases})


def _outside(
    reads: Sequence[Read], municipality_id: int, cases: dict[int, CaseInfo], names: dict[int, str]
) -> Iterator[UnusualAccess]:
    opened = [(r, r.case_id) for r in reads if r.purpose in OPENED and r.case_id in cases]
    scopes = user_scopes(municipality_id=municipality_id, user_ids=sorted({r.user_id for r, _ in opened}))
    units = dict(Unit.objects.filter(municipality_id=municipality_id).values_list("pk", "name"))
    grouped: dict[tuple[int, date], list[tuple[Read, CaseInfo]]] = defaultdict(list)
    for read, case_id in opened:
        if case_id is None:
            continue
        case = cases[case_id]
        if not in_own_caseload(scopes[read.user_id], unit_id=case.unit_id, caseworker_id=case.caseworker_id):
            grouped[(read.user_id, read.at.date())].append((read, case))
    labels = {  # caseworkers by name, not user name
        pk: f"{first} {last}".strip() or username
        for pk, first, last, username in User.objects.filter(
            pk__in=sorted({c.caseworker_id for c in cases.values() if c.caseworker_id})
        ).values_list("pk", "first_name", "last_name", "username")
    }
    for (user_id, _day), group in grouped.items():
        first, last = group[0][0], group[-1][0]
        held = {
            (units.get(case.unit_id, "en anden enhed"), labels.get(case.caseworker_id or 0, "ingen"))
            for _, case in group
        }
        yield UnusualAccess(
            OUTSIDE,
            user_id,
            first.user_label,
            names.get(user_id, ""),
            first.at,
            last.at,
            len(group),
            sorted({case.ref for _, case in group}),
            _held_by(sorted(held)),
        )


def _held_by(held: list[tuple[str, str]]) -> str:
    """Whose the cases are: 'Sagen hører til <enhed>, sagsbehandler: <bruger>.' or, for several, the
    units and the caseworkers (at most five named)."""
    if len(held) == 1:
        unit, caseworker = held[0]
        return f"Sagen hører til {unit}, sagsbehandler: {caseworker}."
    units = sorted({unit for unit, _ in held})
    workers = sorted({worker for _, worker in held})
    named = ", ".join(workers[:5]) + (f" og {len(workers) - 5} flere" if len(workers) > 5 else "")
    return f"Sagerne hører til {' og '.join(units)}, sagsbehandlere: {named}."


def _bursts_of(
    reads: Sequence[Read], limit: int, window: timedelta
) -> Iterator[tuple[list[Read], set[int | None]]]:
    """The user's reads in bursts: spans where more than `limit` distinct cases fall within `window`."""
    inside: deque[Read] = deque()
    counts: Counter[int | None] = Counter()
    burst: list[Read] = []
    burst_cases: set[int | None] = set()
    for read in reads:
        if burst and read.at - burst[-1].at > window:
            yield burst, burst_cases
            burst, burst_cases = [], set()
        inside.append(read)
        counts[read.case_id] += 1
        while read.at - inside[0].at > window:
            gone = inside.popleft()
            counts[gone.case_id] -= 1
            if not counts[gone.case_id]:
                del counts[gone.case_id]
        if len(counts) > limit:
            known = {id(r) for r in burst}
            burst.extend(r for r in inside if id(r) not in known)
            burst_cases.update(counts)
    if burst:
        yield burst, burst_cases


def _bursts(
    reads: Sequence[Read], thresholds: Thresholds, cases: dict[int, CaseInfo], names: dict[int, str]
) -> Iterator[UnusualAccess]:
    by_user: dict[int, list[Read]] = defaultdict(list)
    for read in reads:
        if read.purpose in OPENED and read.case_id is not None:
            by_user[read.user_id].append(read)
    window = timedelta(minutes=thresholds.burst_minutes)
    for user_id, user_reads in by_user.items():
        for burst, burst_cases in _bursts_of(user_reads, thresholds.burst_cases, window):
            minutes = max(1, round((burst[-1].at - burst[0].at).total_seconds() / 60))
            yield UnusualAccess(
                BURST,
                user_id,
                burst[0].user_label,
                names.get(user_id, ""),
                burst[0].at,
                burst[-1].at,
                len(burst),
                _refs(burst_cases, cases),
                f"{len(burst_cases)} forskellige sager åbnet på {minutes} min. "
                f"(grænse: over {thresholds.burst_cases} på {thresholds.burst_minutes} min.).",
            )


def _off_hours_reason(moment: datetime, thresholds: Thresholds) -> str | None:
    day = moment.date()
    if not is_working_day(day):
        return holiday_name(day) or WEEKDAYS[day.weekday()]
    if not thresholds.day_start <= moment.hour < thresholds.day_end:
        return f"uden for kl. {thresholds.day_start:02d}–{thresholds.day_end:02d}"
    return None


def _clock(first: datetime, last: datetime) -> str:
    return f"kl. {first:%H:%M}" if f"{first:%H:%M}" == f"{last:%H:%M}" else f"kl. {first:%H:%M}–{last:%H:%M}"


def _off_hours(
    reads: Sequence[Read], thresholds: Thresholds, cases: dict[int, CaseInfo], names: dict[int, str]
) -> Iterator[UnusualAccess]:
    grouped: dict[tuple[int, date], list[tuple[Read, str]]] = defaultdict(list)
    for read in reads:
        if read.purpose in SENT:
            continue
        reason = _off_hours_reason(read.at, thresholds)
        if reason is not None:
            grouped[(read.user_id, read.at.date())].append((read, reason))
    for (user_id, _day), group in grouped.items():
        reasons = sorted({reason for _, reason in group})
        first, last = group[0][0], group[-1][0]
        yield UnusualAccess(
            OFF_HOURS,
            user_id,
            first.user_label,
            names.get(user_id, ""),
            first.at,
            last.at,
            len(group),
            _refs((r.case_id for r, _ in group if r.case_id is not None), cases),
            f"Læst {_clock(first.at, last.at)}, {', '.join(reasons)}.",
        )


def unusual_access(
    *, scope: Scope, start: date, end: date, thresholds: Thresholds | None = None
) -> UnusualAccessReport:
    """The unusual reads of `scope`'s municipality from `start` to `end` (Danish days, both included),
    newest first within each kind."""
    limits = thresholds or thresholds_from_settings()
    if scope.municipality_id is None:
        raise ValueError("usædvanlig adgang gælder én kommune")
    reads = _reads(scope.municipality_id, start, end)
    cases = _cases(r.case_id for r in reads if r.case_id is not None)
    names = {
        user.pk: user.display_name for user in User.objects.filter(pk__in=sorted({r.user_id for r in reads}))
    }
    findings = [
        *_outside(reads, scope.municipality_id, cases, names),
        *_bursts(reads, limits, cases, names),
        *_off_hours(reads, limits, cases, names),
    ]
    findings.sort(key=lambda f: (KINDS.index(f.kind), -f.first.timestamp(), f.user_label))
    return UnusualAccessReport(start, end, limits, len(reads), findings)


def unusual_access_export_rows(report: UnusualAccessReport) -> Iterator[tuple[object, ...]]:
    """The findings as rows under EXPORT_HEADERS (times in Danish time, without zone)."""
    for finding in report.findings:
        yield (
            finding.kind_label,
            finding.user_name,
            finding.user_label,
            finding.first.replace(tzinfo=None),
            finding.last.replace(tzinfo=None),
            finding.reads,
            ", ".join(finding.cases),
            finding.detail,
        )
