"""Reads for the oversigtsskema: the case's current placement and each item's automatic status.

Automatic status per item (see items.py):

- Opfyldt: the obligations of the item's rules for this placement are met (and none is overdue), or
  the required event lies on or before the placement decision;
- Ikke opfyldt: an obligation is overdue, the required event is missing — or the deadline has not
  passed yet ("Ikke opfyldt endnu");
- Kan ikke afgøres automatisk: the item needs judgment, or no obligation was computed for it.

A hand mark (ChecklistMark) is shown beside the automatic status and never replaces it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone

from sagstilsyn.cases.checklist.items import (
    BARNETS_LOV_FROM,
    CHECKLIST,
    INVESTIGATION_LOOKBACK_MONTHS,
    PLACEMENT_EVENT_TYPES,
    PLACEMENT_MEASURES,
    ChecklistItem,
)
from sagstilsyn.cases.followup.selectors import is_overdue
from sagstilsyn.cases.models import Case, CaseEvent, ChecklistMark, ChecklistSignOff, Obligation
from sagstilsyn.core.access import Scope, can_list_cases, can_view_case
from sagstilsyn.core.selectors import catalogue_get
from sagstilsyn.law.calendar import add_months, long_date
from sagstilsyn.law.model import ObligationStatus

MET = "met"
NOT_MET = "not_met"
UNDETERMINED = "undetermined"
STATE_LABELS: dict[str, str] = {
    MET: "Opfyldt",
    NOT_MET: "Ikke opfyldt",
    UNDETERMINED: "Kan ikke afgøres automatisk",
}
#: DKFDS badge classes per state.
STATE_BADGES: dict[str, str] = {MET: "badge-success", NOT_MET: "badge-error", UNDETERMINED: "badge-info"}

MEASURE_LABELS: dict[str, str] = {
    "placement_with_consent": "Anbringelse med samtykke",
    "placement_without_consent": "Anbringelse uden samtykke",
}


@dataclass(frozen=True)
class Placement:
    """The case's current placement: the latest placement decision and the start that follows it.
    `event_ids` holds the decision and start that make it, so earlier decisions can be told apart."""

    measure: str
    decided_day: date | None
    started_day: date | None
    ended_day: date | None
    event_ids: frozenset[int]

    @property
    def measure_label(self) -> str:
        return MEASURE_LABELS.get(self.measure, self.measure)

    @property
    def start_day(self) -> date:
        day = self.decided_day or self.started_day
        assert day is not None  # noqa: S101 - a placement has a decision or a start
        return day


@dataclass(frozen=True)
class Evidence:
    text: str
    day: date | None = None
    rule_id: str = ""


@dataclass(frozen=True)
class AutoStatus:
    state: str
    evidence: tuple[Evidence, ...]
    detail: str = ""

    @property
    def label(self) -> str:
        return self.detail or STATE_LABELS[self.state]

    @property
    def badge(self) -> str:
        if self.state == NOT_MET and self.detail:
            return "badge-warning"  # not yet due
        if self.state == MET and self.detail:
            return "badge-info"  # met late: quieter than overdue, not the green of met in time
        return STATE_BADGES[self.state]


@dataclass
class ItemStatus:
    item: ChecklistItem
    auto: AutoStatus
    mark: ChecklistMark | None = None
    #: The item's text and help in the terms of the law in force on the placement decision's day.
    text: str = ""
    help: str = ""
    #: (rule id, Danish title) of the item's rules, for links to the rule catalogue.
    rules: tuple[tuple[str, str], ...] = ()

    def __post_init__(self) -> None:
        self.text = self.text or self.item.text
        self.help = self.help or self.item.help

    @property
    def ticked(self) -> bool:
        return bool(self.mark and self.mark.checked)

    @property
    def done(self) -> bool:
        """Opfyldt automatically, or ticked by hand."""
        return self.auto.state == MET or self.ticked

    @property
    def needs_judgment(self) -> bool:
        """Still waits for a professional judgment: neither met by the data nor ticked by hand. A hand
        tick clears it; what the data show stays beside the tick (`auto`)."""
        return not self.done

    @property
    def evidence(self) -> tuple[Evidence, ...]:
        """The automatic basis, without the request for a judgment once the item is ticked by hand."""
        if self.ticked and self.auto is MANUAL_STATUS:
            return ()
        return self.auto.evidence

    @property
    def shows_auto(self) -> bool:
        """Whether the automatic status is worth a line: not for an item only a person can judge, once
        it is ticked by hand."""
        return not (self.ticked and self.item.is_manual)

    @property
    def choice_label(self) -> str:
        if self.mark is None or not self.mark.choice:
            return ""
        return dict(self.item.choices).get(self.mark.choice, self.mark.choice)


@dataclass
class Checklist:
    case: Case
    placement: Placement
    items: list[ItemStatus] = field(default_factory=list)
    generated_at: datetime = field(default_factory=timezone.now)
    #: The koordinator's sign-offs at the monthly case reviews, newest first (the latest few).
    sign_offs: list[ChecklistSignOff] = field(default_factory=list)

    @property
    def sign_off(self) -> ChecklistSignOff | None:
        """The latest sign-off, or None."""
        return self.sign_offs[0] if self.sign_offs else None

    @property
    def changed_since_sign_off(self) -> list[ItemStatus]:
        """The items whose done flag differs from what the latest sign-off saw."""
        if self.sign_off is None:
            return []
        seen = self.sign_off.snapshot if isinstance(self.sign_off.snapshot, dict) else {}
        return [status for status in self.items if seen.get(status.item.id) != status.done]

    @property
    def done_count(self) -> int:
        return sum(1 for item in self.items if item.done)

    @property
    def open_count(self) -> int:
        return len(self.items) - self.done_count

    @property
    def law_name(self) -> str:
        """The law whose terms the schema uses: the one in force on the placement decision's day."""
        return "serviceloven" if self.placement.start_day < BARNETS_LOV_FROM else "barnets lov"

    def snapshot(self) -> dict[str, bool]:
        """Each item's done flag, as a sign-off stores it (to tell later changes)."""
        return {status.item.id: status.done for status in self.items}


def checklist_case_get(*, scope: Scope, case_id: int) -> Case:
    """The case, if the user may open it. A role that opens no cases at all (udvalgsmedlem, no role) is
    refused with 403 before any case is looked up; a case outside the user's units or municipality is
    404, the same answer as a case that does not exist, so its existence is not revealed (ADR 0017)."""
    if not can_list_cases(scope):
        raise PermissionDenied("Din rolle giver ikke adgang til sager.")
    case = Case.objects.select_related("unit", "caseworker").filter(pk=case_id).first()
    if case is None or not can_view_case(scope, municipality_id=case.municipality_id, unit_id=case.unit_id):
        raise Http404("Sagen findes ikke, eller du har ikke adgang til den.")
    return case


def _is_placement(event: CaseEvent) -> bool:
    attrs = event.attrs if isinstance(event.attrs, dict) else {}
    return event.type in PLACEMENT_EVENT_TYPES and attrs.get("measure") in PLACEMENT_MEASURES


def placement_from_events(events: Sequence[CaseEvent]) -> Placement | None:
    """The current placement among the case's events (ordered by day), or None."""
    placements = [e for e in events if _is_placement(e)]
    if not placements:
        return None
    decided = [e for e in placements if e.type == "measure_decided"]
    started = [e for e in placements if e.type == "measure_started"]
    decision = decided[-1] if decided else None
    start = started[-1] if decision is None else next((e for e in started if e.day >= decision.day), None)
    first = decision or start
    assert first is not None  # noqa: S101 - placements is not empty
    begin = first.day
    ended = next(
        (
            e
            for e in events
            if e.type == "measure_ended"
            and e.day >= begin
            and (e.attrs or {}).get("measure", "") in {"", *PLACEMENT_MEASURES}
        ),
        None,
    )
    return Placement(
        measure=str((first.attrs or {}).get("measure", "")),
        decided_day=decision.day if decision else None,
        started_day=start.day if start else None,
        ended_day=ended.day if ended else None,
        event_ids=frozenset(e.pk for e in (decision, start) if e is not None),
    )


def case_placement(*, case: Case) -> Placement | None:
    """The case's current placement, or None when the case has no placement (one query)."""
    events = list(
        CaseEvent.objects.filter(case=case, type__in=[*PLACEMENT_EVENT_TYPES, "measure_ended"]).order_by(
            "day", "id"
        )
    )
    return placement_from_events(events)


def _event_label(event_type: str) -> str:
    kind = catalogue_get().event_types.get(event_type)
    return kind.label if kind is not None else event_type


def _relevant(
    obligations: Iterable[Obligation], rule_ids: Sequence[str], placement: Placement
) -> list[Obligation]:
    return [
        o
        for o in obligations
        if o.rule_id in rule_ids
        and (o.trigger_event_id in placement.event_ids or _trigger_day(o) >= placement.start_day)
    ]


def _trigger_day(obligation: Obligation) -> date:
    """The day of the obligation's trigger; a derived trigger (the 16th birthday) is no stored event, and
    its obligation is placed by its due date."""
    trigger = obligation.trigger_event
    return trigger.day if trigger is not None else obligation.due_day


def _title(obligation: Obligation) -> str:
    """The obligation's rule title (from its rule version, read with select_related)."""
    return obligation.rule_version.title


def auto_from_obligations(
    *, obligations: Iterable[Obligation], rule_ids: Sequence[str], placement: Placement, now: datetime
) -> AutoStatus:
    """Met when some obligation is met and none is overdue; not met when one is overdue or all are
    still open; undetermined when none was computed (or none applies)."""
    found = _relevant(obligations, rule_ids, placement)
    if not found:
        return AutoStatus(UNDETERMINED, (Evidence("Der er ikke beregnet nogen frist for anbringelsen."),))
    overdue = [o for o in found if is_overdue(status=o.status, due_day=o.due_day, due_at=o.due_at, now=now)]
    if overdue:
        return AutoStatus(
            NOT_MET,
            tuple(Evidence(f"{_title(o)}: fristen er overskredet", o.due_day, o.rule_id) for o in overdue),
        )
    met = [o for o in found if o.status in (ObligationStatus.MET, ObligationStatus.MET_LATE)]
    still_open = [o for o in found if o.status == ObligationStatus.OPEN]
    upcoming = tuple(Evidence(f"{_title(o)}: næste frist", o.due_day, o.rule_id) for o in still_open)
    if met:
        evidence = tuple(
            Evidence(
                f"{_event_label(o.satisfied_event.type)}"
                + (" (for sent)" if o.status == ObligationStatus.MET_LATE else ""),
                o.satisfied_event.day,
                o.rule_id,
            )
            if o.satisfied_event is not None
            else Evidence(f"{_title(o)}: {ObligationStatus(o.status).label.lower()}", o.due_day, o.rule_id)
            for o in met
        )
        late = any(o.status == ObligationStatus.MET_LATE for o in met)
        return AutoStatus(MET, _once(evidence) + upcoming, "Opfyldt for sent" if late else "")
    if still_open:
        return AutoStatus(NOT_MET, upcoming, "Ikke opfyldt endnu")
    return AutoStatus(
        UNDETERMINED,
        tuple(Evidence(f"{_title(o)}: ikke relevant efter reglerne", o.due_day, o.rule_id) for o in found),
    )


def _once(evidence: tuple[Evidence, ...]) -> tuple[Evidence, ...]:
    """The evidence without repeats: one plan can meet two rules (barnets plan and ungeplan)."""
    seen: set[tuple[str, object]] = set()
    kept = []
    for item in evidence:
        if (item.text, item.day) not in seen:
            seen.add((item.text, item.day))
            kept.append(item)
    return tuple(kept)


def auto_from_event_before_placement(
    *, events: Sequence[CaseEvent], event_types: Sequence[str], placement: Placement
) -> AutoStatus:
    """Met when an event of the types belongs to this placement: on or before the placement decision (or
    start), after the case's previous decision about a measure, and at most INVESTIGATION_LOOKBACK_MONTHS
    before the decision (ADR 0021). An investigation that led to an earlier measure, or one a year old,
    does not show the grounds for this placement."""
    decided = placement.start_day
    previous = [
        e.day
        for e in events
        if e.type == "measure_decided" and e.day < decided and e.pk not in placement.event_ids
    ]
    previous_day = max(previous) if previous else None
    earliest = add_months(decided, -INVESTIGATION_LOOKBACK_MONTHS)
    matching = [e for e in events if e.type in event_types]
    before = [e for e in matching if e.day <= decided]
    belonging = [e for e in before if e.day >= earliest and (previous_day is None or e.day > previous_day)]
    if belonging:
        last = belonging[-1]
        return AutoStatus(MET, (Evidence(_event_label(last.type), last.day),))
    decision = Evidence("Afgørelse om anbringelse", decided)
    label = _event_label(event_types[0]) if len(event_types) == 1 else "Registreringen"
    if before:
        last = before[-1]
        if previous_day is not None and last.day <= previous_day:
            why = (
                f"{label} {long_date(last.day)} hører til sagens forrige afgørelse om en foranstaltning "
                f"({long_date(previous_day)}), ikke til anbringelsen"
            )
        else:
            why = (
                f"{label} {long_date(last.day)} ligger mere end {INVESTIGATION_LOOKBACK_MONTHS} måneder "
                "før afgørelsen om anbringelse"
            )
        return AutoStatus(NOT_MET, (Evidence(why), decision))
    if matching:
        first = matching[0]
        return AutoStatus(
            NOT_MET, (Evidence(f"{_event_label(first.type)} først efter anbringelsen", first.day), decision)
        )
    names = " eller ".join(_event_label(t).lower() for t in event_types)
    return AutoStatus(NOT_MET, (Evidence(f"Ingen registrering af {names} før afgørelsen"), decision))


MANUAL_STATUS = AutoStatus(
    UNDETERMINED, (Evidence("Kræver en faglig vurdering: markér punktet med en note."),)
)


def checklist_for_case(*, case: Case, now: datetime | None = None) -> Checklist | None:
    """The oversigtsskema of a placement case (None when the case has no placement). Four queries:
    events, obligations (with their events), hand marks and the latest sign-offs."""
    moment = now or timezone.now()
    events = list(CaseEvent.objects.filter(case=case).order_by("day", "id"))
    placement = placement_from_events(events)
    if placement is None:
        return None
    obligations = list(
        Obligation.objects.filter(case=case)
        .select_related("trigger_event", "satisfied_event", "rule_version")
        .order_by("due_day")
    )
    marks = {m.item_id: m for m in ChecklistMark.objects.filter(case=case).select_related("marked_by")}
    checklist = Checklist(case=case, placement=placement, generated_at=moment)
    titles = {rule.id: rule.title for rule in catalogue_get().rules}
    for item in CHECKLIST:
        if item.auto == "obligations":
            auto = auto_from_obligations(
                obligations=obligations, rule_ids=item.auto_rules, placement=placement, now=moment
            )
        elif item.auto == "event_before_placement":
            auto = auto_from_event_before_placement(
                events=events, event_types=item.events, placement=placement
            )
        else:
            auto = MANUAL_STATUS
        text, help_text = item.wording(placement.start_day)
        checklist.items.append(
            ItemStatus(
                item=item,
                auto=auto,
                mark=marks.get(item.id),
                text=text,
                help=help_text,
                rules=tuple((rule_id, titles.get(rule_id, rule_id)) for rule_id in item.rule_ids),
            )
        )
    checklist.sign_offs = list(
        ChecklistSignOff.objects.filter(case=case)
        .select_related("signed_by")
        .order_by("-signed_at", "-id")[:6]
    )
    return checklist
