"""Reads for the case list and the case page (sagsliste og sagsside).

Every query starts from `cases_visible`, which filters by the user's scope through
`sagstilsyn.core.access.cases_filter`; a case the user may not open is never returned.
A CPR number leaves this module only through `case_child_cpr`, full or masked per `can_see_cpr`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime

from django.db.models import Count, Exists, IntegerField, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from sagstilsyn.cases.models import Case, CaseEvent, Child, Obligation
from sagstilsyn.cases.overrun.selectors import OverrunReasonView, ReasonKey, reason_for
from sagstilsyn.core.access import Scope, can_see_cpr, cases_filter, visible_units_filter
from sagstilsyn.core.child_name import ChildNameKeyError, child_name_decrypt
from sagstilsyn.core.cpr import CprKeyError, cpr_decrypt, cpr_format, cpr_mask, redact
from sagstilsyn.core.models import CaseGroup, Unit, User
from sagstilsyn.core.selectors import catalogue_get
from sagstilsyn.law.calendar import deadline_passed, local_date
from sagstilsyn.law.derived import derived_events
from sagstilsyn.law.engine import long_moment
from sagstilsyn.law.model import Catalogue, ObligationStatus

#: The statuses by urgency, most urgent first: the case page's tally and the weight of its badges.
STATUS_URGENCY: tuple[ObligationStatus, ...] = (
    ObligationStatus.OVERDUE,
    ObligationStatus.OPEN,
    ObligationStatus.MET_LATE,
    ObligationStatus.MET,
    ObligationStatus.NOT_APPLICABLE,
)
#: DKFDS badge class per obligation status, loudest for the most urgent; Ikke relevant is the quietest
#: (`badge-muted`, sagstilsyn.css). An open obligation due within DUE_SOON_DAYS is `badge-warning`.
STATUS_BADGES: Mapping[str, str] = {
    ObligationStatus.OVERDUE: "badge-error",
    ObligationStatus.OPEN: "badge-info",
    ObligationStatus.MET_LATE: "badge-info",
    ObligationStatus.MET: "badge-success",
    ObligationStatus.NOT_APPLICABLE: "badge-muted",
}
#: An open obligation due within this many days is "due soon" (badge-warning on the case page).
DUE_SOON_DAYS = 14
#: How many of the next deadlines the case page's summary shows.
UPCOMING_SHOWN = 5
#: Measures (attribute `measure` of measure_decided / measure_started) that make a case a placement.
PLACEMENT_MEASURES = ("placement_with_consent", "placement_without_consent")
SORTS = {"ref": ("source_ref", "pk"), "-ref": ("-source_ref", "-pk")}


@dataclass(frozen=True)
class CaseFilters:
    """The case list's filters (all optional) as read from the query string."""

    unit: int | None = None
    group: str = ""
    caseworker: int | None = None
    status: str = ""
    overdue: bool = False
    q: str = ""
    sort: str = "ref"
    #: The keyed hash of a CPR number searched for by POST (never the number, never in a URL).
    child_digest: str = ""

    @property
    def active(self) -> bool:
        return bool(
            self.unit
            or self.group
            or self.caseworker
            or self.status
            or self.overdue
            or self.q
            or self.child_digest
        )


@dataclass(frozen=True)
class FilterOptions:
    units: list[tuple[int, str]]
    groups: list[tuple[str, str]]
    caseworkers: list[tuple[int, str]]
    statuses: list[tuple[str, str]]


@dataclass(frozen=True)
class AttributeRow:
    label: str
    value: str


@dataclass(frozen=True)
class TimelineRow:
    id: int
    type: str
    label: str
    day: date
    instant: datetime | None
    attributes: tuple[AttributeRow, ...]
    source: str


@dataclass(frozen=True)
class ObligationRow:
    id: int
    case_id: int
    rule_id: str
    trigger_event_id: int | None
    title: str
    statutory: bool
    law_name: str
    citation_label: str
    citation_url: str
    citation_verified: bool
    more_citations: int
    due_day: date
    due_at: datetime | None
    status: str
    status_label: str
    status_badge: str
    satisfied_by: TimelineRow | None
    released_by: TimelineRow | None
    explanation: str
    warnings: tuple[str, ...]
    #: Days past the deadline for an overdue obligation (0 on the day after a clock-hour deadline), else None.
    days_overdue: int | None = None
    #: Days until the deadline for an open obligation, else None.
    days_until_due: int | None = None
    #: Open and due within DUE_SOON_DAYS.
    due_soon: bool = False
    #: The begrundelse for overskridelse recorded for an overrun deadline (`with_reasons` attaches it).
    reason: OverrunReasonView | None = None
    #: Why the obligation can no longer be met, for the summary's history ("" while it can).
    lapse_reason: str = ""

    @property
    def overrun(self) -> bool:
        """Overskredet or overholdt for sent: a deadline whose overrun is explained in the case."""
        return self.status in (ObligationStatus.OVERDUE, ObligationStatus.MET_LATE)

    @property
    def due_text(self) -> str:
        """The deadline in plain Danish: "senest 7. maj 2025" (with the clock time for hour deadlines)."""
        return f"senest {long_moment(self.due_at if self.due_at is not None else self.due_day)}"

    @property
    def overdue_text(self) -> str:
        """E.g. "1.050 dage over fristen"; "" unless overdue."""
        if self.days_overdue is None:
            return ""
        if self.days_overdue <= 0:
            return "over fristen i dag"
        days = f"{self.days_overdue:,}".replace(",", ".")
        return f"{days} {'dag' if self.days_overdue == 1 else 'dage'} over fristen"

    @property
    def due_in_text(self) -> str:
        """E.g. "i dag", "i morgen", "om 12 dage"; "" unless open."""
        days = self.days_until_due
        if days is None:
            return ""
        if days <= 0:
            return "i dag"
        if days == 1:
            return "i morgen"
        return f"om {days:,} dage".replace(",", ".")


@dataclass(frozen=True)
class StatusCount:
    status: str
    label: str
    badge: str
    count: int


@dataclass(frozen=True)
class CaseSummary:
    """What the case page opens with: what is overdue and can still be done (most days overdue first),
    what falls due next, and a tally of the statuses by urgency. Overdue obligations that can no longer
    be met go to `history` (the record), not to the to-do part; `still_actionable` decides which."""

    overdue: tuple[ObligationRow, ...]
    history: tuple[ObligationRow, ...]
    upcoming: tuple[ObligationRow, ...]
    upcoming_more: int
    tally: tuple[StatusCount, ...]

    @property
    def empty(self) -> bool:
        return not (self.overdue or self.history or self.upcoming)


# --- the case list ------------------------------------------------------------------------------


def cases_visible(*, scope: Scope) -> QuerySet[Case]:
    """Every case the scope may open (none for udvalgsmedlemmer or users without roles)."""
    return Case.objects.filter(cases_filter(scope))


def cases_list(*, scope: Scope, filters: CaseFilters) -> QuerySet[Case]:
    """The visible cases that pass the filters, with counts of open and overdue obligations."""
    cases = cases_visible(scope=scope).select_related("unit", "child", "caseworker")
    if filters.unit:
        cases = cases.filter(unit_id=filters.unit)
    if filters.group:
        cases = cases.filter(group=filters.group)
    if filters.caseworker:
        cases = cases.filter(caseworker_id=filters.caseworker)
    if filters.status:
        cases = cases.filter(Exists(Obligation.objects.filter(case_id=OuterRef("pk"), status=filters.status)))
    if filters.overdue:
        cases = cases.filter(
            Exists(Obligation.objects.filter(case_id=OuterRef("pk"), status=ObligationStatus.OVERDUE))
        )
    if filters.q:
        cases = cases.filter(source_ref__icontains=filters.q.strip())
    if filters.child_digest:
        cases = cases.filter(child__cpr_digest=filters.child_digest)
    # Per-case subqueries, not a join grouped over every visible case: sorted by reference and cut to a
    # page, the database counts only the page's cases (a municipality has 100,000 cases and 1.6 million
    # obligations; bench/README.md, the load run).
    cases = cases.annotate(
        open_count=_obligations_count(ObligationStatus.OPEN),
        overdue_count=_obligations_count(ObligationStatus.OVERDUE),
        next_due=Subquery(
            Obligation.objects.filter(case_id=OuterRef("pk"), status=ObligationStatus.OPEN)
            .order_by("due_day")
            .values("due_day")[:1]
        ),
    )
    return cases.order_by(*SORTS.get(filters.sort, SORTS["ref"]))


def _obligations_count(status: ObligationStatus) -> Coalesce:
    """The number of the case's obligations with `status`, as a subquery of the case list."""
    counted = (
        Obligation.objects.filter(case_id=OuterRef("pk"), status=status)
        .order_by()
        .values("case_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def cases_filter_options(*, scope: Scope) -> FilterOptions:
    """The choices of the case list's filters: only units and caseworkers the scope may see."""
    units = list(Unit.objects.filter(visible_units_filter(scope)).order_by("name").values_list("pk", "name"))
    worker_ids = cases_visible(scope=scope).exclude(caseworker=None).values("caseworker_id")
    caseworkers = [
        (user.pk, user.display_name)
        for user in User.objects.filter(pk__in=worker_ids).order_by("first_name", "last_name", "username")
    ]
    return FilterOptions(
        units=units,
        groups=[(value, str(label)) for value, label in CaseGroup.choices],
        caseworkers=caseworkers,
        statuses=ObligationStatus.choices(),
    )


def cases_export_rows(*, cases: QuerySet[Case]) -> tuple[list[str], list[list[object]]]:
    """The filtered case list as a table for "Hent som Excel". Never a CPR number or a birth date."""
    headers = [
        "Sagsnummer",
        "Barn-id i fagsystemet",
        "Enhed",
        "Gruppe",
        "Sagsbehandler",
        "Åbne forpligtelser",
        "Overskredne forpligtelser",
        "Næste frist",
    ]
    groups = dict(CaseGroup.choices)
    rows: list[list[object]] = [
        [
            case.source_ref,
            case.child.source_ref,
            case.unit.name,
            str(groups.get(case.group, "")),
            case.caseworker.display_name if case.caseworker else "",
            case.open_count,  # type: ignore[attr-defined]
            case.overdue_count,  # type: ignore[attr-defined]
            case.next_due,  # type: ignore[attr-defined]
        ]
        for case in cases
    ]
    return headers, rows


# --- one case -----------------------------------------------------------------------------------


def case_detail(*, scope: Scope, case_id: int) -> Case | None:
    """The case with its child, unit and caseworker, or None when it does not exist or is not visible."""
    return cases_visible(scope=scope).select_related("child", "unit", "caseworker").filter(pk=case_id).first()


#: Shown on the case page when the child's birth date is missing (it gives the 16th birthday).
BIRTH_DATE_MISSING = (
    "Fødselsdato mangler: Sagstilsyn kan ikke beregne barnets 16-årsdag, så kravene om ungeplan "
    "(barnets lov § 108) dannes ikke for sagen. Fødselsdatoen kommer fra fagsystemet ved næste indlæsning."
)


def case_warnings(*, case: Case) -> tuple[str, ...]:
    """Danish warnings about facts the case lacks for the rules to be computed (e.g. the birth date)."""
    return () if case.child.birth_date else (BIRTH_DATE_MISSING,)


#: Shown instead of the CPR number when the CPR key in use cannot read it (a wrong SAGSTILSYN_CPR_KEY,
#: which the start-up check normally stops first; ADR 0017): the page still opens.
CPR_UNREADABLE = "Kan ikke vises: CPR-nøglen passer ikke. Kontakt en administrator."


def case_child_cpr(*, scope: Scope, case: Case) -> str:
    """The child's CPR number: full for roles that need it, otherwise masked; "" when none is known,
    CPR_UNREADABLE when the key in use cannot read it."""
    if not case.child.cpr_cipher:
        return ""
    try:
        cpr = cpr_decrypt(case.child.cpr_cipher)
    except CprKeyError:
        return CPR_UNREADABLE
    return cpr_format(cpr) if can_see_cpr(scope) else cpr_mask(cpr)


def case_child_name(*, case: Case) -> str:
    """The child's name for those who may see the case ('' when the case system sent none, or when the
    key in use cannot read it). Only for a case page or list the user may see: never an aggregate, an
    export or a committee view."""
    try:
        return child_name_decrypt(case.child.name_cipher)
    except ChildNameKeyError:
        return ""


def cases_child_names(*, cases: Iterable[Case]) -> dict[int, str]:
    """The children's names of the cases (already visible to the user), by case id; see
    `case_child_name`."""
    return {case.pk: case_child_name(case=case) for case in cases}


def child_cpr_cipher_sample() -> str | None:
    """One stored CPR cipher text (or None): the CPR key check reads it before storing a check value."""
    return Child.objects.exclude(cpr_cipher="").values_list("cpr_cipher", flat=True).order_by("pk").first()


def _attribute_rows(
    catalogue: Catalogue, event_type: str, attrs: Mapping[str, object]
) -> tuple[AttributeRow, ...]:
    spec = catalogue.event_types.get(event_type)
    rows = []
    for name, value in sorted(attrs.items()):
        attribute = spec.attributes.get(name) if spec else None
        if attribute is None:
            rows.append(AttributeRow(label=name, value=redact(str(value))))
        elif isinstance(value, bool):
            rows.append(AttributeRow(label=attribute.label, value="Ja" if value else "Nej"))
        else:
            shown = attribute.values.get(str(value), str(value))
            rows.append(AttributeRow(label=attribute.label, value=redact(shown)))
    return tuple(rows)


def _timeline_row(catalogue: Catalogue, event: CaseEvent) -> TimelineRow:
    spec = catalogue.event_types.get(event.type)
    return TimelineRow(
        id=event.pk,
        type=event.type,
        label=spec.label if spec else event.type,
        day=event.day,
        instant=event.instant,
        attributes=_attribute_rows(
            catalogue, event.type, event.attrs if isinstance(event.attrs, dict) else {}
        ),
        source=event.source,
    )


def case_timeline(*, case: Case) -> list[TimelineRow]:
    """The case's events in date order, with Danish labels from the rule catalogue, and the events the
    law core derives from the child's facts (the 16th birthday), marked as derived (id 0)."""
    catalogue = catalogue_get()
    rows = [_timeline_row(catalogue, event) for event in case.events.order_by("day", "instant", "id")]
    if case.child.birth_date is None:
        return rows
    today = local_date(timezone.now())
    for derived in derived_events(case.child.birth_date, catalogue):
        if derived.day <= today:
            spec = catalogue.event_types[derived.type]
            note = AttributeRow(label="Afledt", value="beregnet ud fra barnets fødselsdato")
            position = sum(1 for row in rows if row.day <= derived.day)  # after that day's events
            rows.insert(
                position, TimelineRow(0, derived.type, spec.label, derived.day, None, (note,), "afledt")
            )
    return rows


def case_obligations(
    *, case: Case, timeline: list[TimelineRow] | None = None, now: datetime | None = None
) -> list[ObligationRow]:
    """The case's stored obligations by due date, with the event that met (or released) each. An open
    obligation whose deadline has passed at `now` shows as overdue already (the daily job marks it)."""
    catalogue = catalogue_get()
    moment = now or timezone.now()
    today = local_date(moment)
    known = timeline if timeline is not None else case_timeline(case=case)
    events = {row.id: row for row in known if row.id}  # derived rows (id 0) are no stored events
    rows = []
    obligations = case.obligations.select_related("rule_version").order_by(
        "due_day", "due_at", "rule_id", "id"
    )
    for obligation in obligations:
        version = obligation.rule_version
        citations = version.citations if isinstance(version.citations, list) else []
        first = citations[0] if citations else {}
        law = catalogue.laws.get(version.law)
        status = obligation.status
        if status == ObligationStatus.OPEN and deadline_passed(
            obligation.due_at or obligation.due_day, moment
        ):
            status = ObligationStatus.OVERDUE  # as the daily job will mark it (followup.selectors.is_overdue)
        due_soon = status == ObligationStatus.OPEN and (obligation.due_day - today).days < DUE_SOON_DAYS
        rows.append(
            ObligationRow(
                id=obligation.pk,
                case_id=obligation.case_id,
                rule_id=obligation.rule_id,
                trigger_event_id=obligation.trigger_event_id,
                title=version.title,
                statutory=version.statutory,
                law_name=law.name if law else ("Lokal standard" if version.law == "local" else version.law),
                citation_label=str(first.get("label", "")),
                citation_url=str(first.get("url", "")),
                citation_verified=bool(first.get("verified", False)),
                more_citations=max(len(citations) - 1, 0),
                due_day=obligation.due_day,
                due_at=obligation.due_at,
                status=status,
                status_label=ObligationStatus(status).label,
                status_badge="badge-warning" if due_soon else STATUS_BADGES.get(status, ""),
                satisfied_by=events.get(obligation.satisfied_event_id or 0),
                released_by=events.get(obligation.released_event_id or 0),
                explanation=obligation.explanation,
                warnings=tuple(str(w) for w in (obligation.warnings or [])),
                days_overdue=(today - obligation.due_day).days
                if status == ObligationStatus.OVERDUE
                else None,
                days_until_due=(obligation.due_day - today).days if status == ObligationStatus.OPEN else None,
                due_soon=due_soon,
            )
        )
    return rows


def still_actionable(row: ObligationRow, lapsed: Mapping[int, str]) -> bool:
    """Whether a due obligation (open or overdue) can still be met, so that it belongs to the summary's
    to-do part. The one filter between "overdue and still actionable" and "history": an obligation the
    law core says can no longer be met (`lapsed`: a before-the-decision deadline after the decision, a
    closed case; by obligation id, with the Danish reason) is history."""
    return row.id not in lapsed


def with_reasons(
    obligations: list[ObligationRow], reasons: Mapping[ReasonKey, OverrunReasonView]
) -> list[ObligationRow]:
    """The rows with the begrundelse for overskridelse of each overrun one (from `overrun_reasons_for`)."""
    return [
        replace(row, reason=reason_for(reasons, row)) if row.overrun and reasons else row
        for row in obligations
    ]


def case_summary(*, obligations: list[ObligationRow], lapsed: Mapping[int, str] | None = None) -> CaseSummary:
    """The case page's summary from its obligations (as `case_obligations` gives them). `lapsed`: the
    obligations that can no longer be met, by id, with the reason why (none given: every one can)."""
    gone = lapsed or {}
    due = [row for row in obligations if row.status in (ObligationStatus.OVERDUE, ObligationStatus.OPEN)]
    actionable = [
        row for row in due if row.status == ObligationStatus.OVERDUE and still_actionable(row, gone)
    ]
    history = [replace(row, lapse_reason=gone[row.id]) for row in due if not still_actionable(row, gone)]
    actionable.sort(key=lambda row: (-(row.days_overdue or 0), row.due_day, row.title))
    upcoming = [  # already by due date
        row for row in due if row.status == ObligationStatus.OPEN and still_actionable(row, gone)
    ]
    counts = dict.fromkeys(STATUS_URGENCY, 0)
    for row in obligations:
        counts[ObligationStatus(row.status)] += 1
    tally = tuple(
        StatusCount(status.value, status.label, STATUS_BADGES[status], counts[status])
        for status in STATUS_URGENCY
        if counts[status]
    )
    return CaseSummary(
        overdue=tuple(actionable),
        history=tuple(history),
        upcoming=tuple(upcoming[:UPCOMING_SHOWN]),
        upcoming_more=max(len(upcoming) - UPCOMING_SHOWN, 0),
        tally=tally,
    )


def case_is_placement(*, case: Case) -> bool:
    """True when a placement (anbringelse) was decided or started in the case."""
    return case.events.filter(
        type__in=("measure_decided", "measure_started"), attrs__measure__in=PLACEMENT_MEASURES
    ).exists()
