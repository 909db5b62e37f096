"""The law engine: case facts (hændelser) in, obligations (forpligtelser) with frister and status out.

`evaluate(events, *, as_of, catalogue, birth_date)` takes the events of one case and, when known,
the child's birth date (from which the 16th birthday is derived, law/derived.py). Each rule version
is chosen by the date of the triggering event (for recurring rules: by the start of each period), and
an obligation keeps that law also when its deadline falls after the law changed (rules-contract.md
§7). Events dated after `as_of` are not yet known and are ignored. Statuses follow
rules-contract.md §5: a date deadline runs to the end of its day, an hour deadline to the exact
instant (`deadline_passed` in law/calendar.py, the one definition of "overdue").
"""

from __future__ import annotations

import math
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache

from sagstilsyn.law.calendar import (
    COPENHAGEN,
    WEEKDAYS,
    Cutoff,
    add_days,
    add_hours,
    add_months,
    add_working_days,
    deadline_passed,
    end_of_day,
    holiday_name,
    is_working_day,
    local_date,
    long_date,
)
from sagstilsyn.law.derived import DERIVATIONS, derived_events
from sagstilsyn.law.loader import load_catalogue
from sagstilsyn.law.model import (
    AtEvent,
    Catalogue,
    Event,
    EventMatch,
    Moment,
    Obligation,
    ObligationStatus,
    Offset,
    Rule,
    RuleVersion,
    Spell,
    Trigger,
)

# The statuses as module constants: the engine hands out one of them per obligation.
_OPEN, _MET, _MET_LATE, _OVERDUE, _NOT_APPLICABLE = (
    ObligationStatus.OPEN,
    ObligationStatus.MET,
    ObligationStatus.MET_LATE,
    ObligationStatus.OVERDUE,
    ObligationStatus.NOT_APPLICABLE,
)

UNIT_WORDS = {
    "hours": ("time", "timer"),
    "days": ("dag", "dage"),
    "working_days": ("hverdag", "hverdage"),
    "weeks": ("uge", "uger"),
    "months": ("måned", "måneder"),
}


class EventError(ValueError):
    """An event that does not fit the catalogue's event types; the message is Danish.

    `field` names what is wrong: `type`, `at` or the attribute's name (data-contract.md's columns).
    """

    def __init__(self, message: str, *, field: str = "type") -> None:
        super().__init__(message)
        self.field = field


@lru_cache(maxsize=1)
def default_catalogue() -> Catalogue:
    """The catalogue shipped with the package, loaded once."""
    return load_catalogue()


@dataclass(frozen=True, slots=True)
class AsOf(Cutoff):
    """The moment a case is judged: a date means the end of that day, Danish time.

    As a `Cutoff` it is what `deadline_passed` holds each deadline against; `exact` says whether
    `as_of` was a moment rather than a day (then a timed event after it is not yet known).
    """

    exact: bool

    @classmethod
    def of(cls, value: Moment | AsOf) -> AsOf:
        if isinstance(value, AsOf):
            return value
        if isinstance(value, datetime) and value.utcoffset() is None:
            raise EventError("as_of skal være en dato eller et tidspunkt med UTC-forskydning")
        cutoff = Cutoff.at(value)
        return cls(cutoff.day, cutoff.instant, isinstance(value, datetime))

    @classmethod
    def stored_at(cls, moment: datetime) -> AsOf:
        """How a stored obligation is judged at `moment`: every event of that Danish day is known (one
        the case system dated later today already counts), and each deadline is held against the moment
        itself, so a 24-hour deadline due this evening is still open. (A plain date would mean the end of
        the day, and that deadline would be overdue before its hour.)"""
        if moment.utcoffset() is None:
            raise EventError("as_of skal være en dato eller et tidspunkt med UTC-forskydning")
        return cls(local_date(moment), moment, False)

    def knows(self, event: Event) -> bool:
        if self.exact and isinstance(event.at, datetime):
            return event.at <= self.instant
        return event.day <= self.day


def describe_offset(offset: Offset) -> str:
    """Danish wording of a span, e.g. '6 hverdage', '24 timer', 'samme dag'."""
    if offset.amount == 0:
        return "samme dag"
    singular, plural = UNIT_WORDS[offset.unit]
    return f"{offset.amount} {singular if offset.amount == 1 else plural}"


@lru_cache(maxsize=1 << 16, typed=True)  # a date and a datetime never share an entry
def format_moment(moment: Moment) -> str:
    """Danish display of a date (06.01.2025) or a datetime in Danish time (21.12.2024 kl. 14:00)."""
    text = f"{moment.day:02d}.{moment.month:02d}.{moment.year}"
    if isinstance(moment, datetime):
        local = moment.astimezone(COPENHAGEN)
        text = f"{local.day:02d}.{local.month:02d}.{local.year} kl. {local.hour:02d}:{local.minute:02d}"
    return text


@lru_cache(maxsize=1 << 16, typed=True)  # a date and a datetime never share an entry
def long_moment(moment: Moment) -> str:
    """Danish long form of a date (7. maj 2025) or a datetime in Danish time (21. december 2024 kl. 14.00):
    the wording of the explanations the case page shows."""
    if isinstance(moment, datetime):
        local = moment.astimezone(COPENHAGEN)
        return f"{long_date(local.date())} kl. {local.hour:02d}.{local.minute:02d}"
    return long_date(moment)


def validate_event(event: Event, catalogue: Catalogue) -> None:
    """Raise EventError if `event` has an unknown type, a wrong kind of `at`, or bad attributes.

    A derived type (e.g. the 16th birthday) is refused: Sagstilsyn derives it from the child's facts.
    """
    event_type = catalogue.event_types.get(event.type)
    if event_type is None:
        raise EventError(f"ukendt hændelsestype '{event.type}'")
    if event_type.derived is not None:
        raise EventError(
            f"hændelsestypen '{event.type}' ({event_type.label.lower()}) beregnes af Sagstilsyn ud fra "
            "barnets fødselsdato og kan ikke angives som hændelse; angiv fødselsdatoen i stedet"
        )
    if event_type.at == "datetime":
        if not isinstance(event.at, datetime) or event.at.utcoffset() is None:
            raise EventError(
                f"hændelsen '{event.type}' kræver et tidspunkt med UTC-forskydning, "
                "fx 2024-12-20T14:00:00+01:00",
                field="at",
            )
    elif isinstance(event.at, datetime) and event.at.utcoffset() is None:
        raise EventError(f"tidspunktet for '{event.type}' mangler UTC-forskydning", field="at")
    for name, value in event.attrs.items():
        spec = event_type.attributes.get(name)
        if spec is None:
            raise EventError(f"hændelsen '{event.type}' har ingen egenskab '{name}'", field=name)
        if spec.kind == "bool" and not isinstance(value, bool):
            raise EventError(f"egenskaben '{name}' skal være sand eller falsk, ikke '{value}'", field=name)
        if spec.kind == "enum" and value not in spec.values:
            raise EventError(
                f"egenskaben '{name}' har ukendt værdi '{value}'; tilladte er {', '.join(spec.values)}",
                field=name,
            )


def _at_or_after(event: Event, mark: Event) -> bool:
    if isinstance(event.at, datetime) and isinstance(mark.at, datetime):
        return event.at >= mark.at
    return event.day >= mark.day


def _after(event: Event, mark: Event) -> bool:
    if isinstance(event.at, datetime) and isinstance(mark.at, datetime):
        return event.at > mark.at
    return event.day > mark.day


def _on_or_before(event: Event, due: Moment) -> bool:
    if isinstance(due, datetime):
        if isinstance(event.at, datetime):
            return event.at <= due
        return end_of_day(event.day) <= due  # a date alone proves the step only by the end of that day
    return event.day <= due


class _CaseIndex:
    """The known events of one case, grouped by type and sorted in time."""

    def __init__(self, events: Sequence[Event]):
        grouped: dict[str, list[Event]] = defaultdict(list)
        for event in events:
            grouped[event.type].append(event)
        self.by_type: dict[str, list[Event]] = {}
        for type_id, items in grouped.items():
            items.sort(key=_sort_key)
            self.by_type[type_id] = items
        self._merged: dict[tuple[str, ...], tuple[list[Event], list[date]]] = {}

    def of_types(self, types: tuple[str, ...]) -> tuple[list[Event], list[date]]:
        cached = self._merged.get(types)
        if cached is None:
            if len(types) == 1:
                items = self.by_type.get(types[0], [])
            else:
                items = sorted((e for t in types for e in self.by_type.get(t, ())), key=_sort_key)
            cached = (items, [e.day for e in items])
            self._merged[types] = cached
        return cached

    def first(
        self,
        match: EventMatch,
        trigger: Event,
        *,
        due: Moment | None = None,
        previous: date | None = None,
    ) -> Event | None:
        """The first event of `match` in its window relative to `trigger` (and by `due` if asked).

        `previous` is the day of the rule's previous trigger (for `after_previous_trigger`).
        """
        items, days = self.of_types(match.events)
        if not items:
            return None
        lower: date | None
        if match.start == "any":
            lower = _shift_back(trigger.day, match.lookback) if match.lookback else None
        elif match.start == "after_previous_trigger":
            lower = previous + timedelta(days=1) if previous is not None else None
        else:
            lower = trigger.day
        if match.since is not None:
            mark = self.latest_by(match.since, trigger.day)
            if mark is not None and (lower is None or mark > lower):
                lower = mark
        index = bisect_left(days, lower) if lower else 0
        when = match.when
        for event in items[index:]:
            if match.start == "trigger" and not _at_or_after(event, trigger):
                continue
            if match.start == "after_trigger" and not _after(event, trigger):
                continue
            if match.by_due and due is not None and not _on_or_before(event, due):
                return None
            if when.allowed and not when.matches(event):
                continue
            return event
        return None

    def latest_by(self, type_id: str, day: date) -> date | None:
        """The day of the latest event of `type_id` on or before `day`, or None."""
        _, days = self.of_types((type_id,))
        position = bisect_left(days, day + timedelta(days=1))
        return days[position - 1] if position else None

    def in_force(self, spell: Spell, day: date) -> bool:
        """True when a start of `spell` on or before `day` has not been ended by `day`."""
        key = spell.key
        ends = [end for end in self.of_types(spell.ended_by)[0] if end.day <= day]
        for start in self.of_types(spell.started_by)[0]:
            if start.day > day:
                break
            value = start.attrs.get(key) if key else None
            if not any(_ends(end, start, key, value) for end in ends):
                return True
        return False

    def in_range(self, match: EventMatch, first: date, last: date) -> list[Event]:
        items, days = self.of_types(match.events)
        start = bisect_left(days, first)
        found = []
        for event in items[start:]:
            if event.day > last:
                break
            if not match.when.allowed or match.when.matches(event):
                found.append(event)
        return found


def _ends(end: Event, start: Event, key: str | None, value: object) -> bool:
    """True when `end` (on or after `start`'s day) ends `start`: same `key` value, or either has none."""
    if end.day < start.day:
        return False
    ended = end.attrs.get(key) if key else None
    return value is None or ended is None or ended == value


def _sort_key(event: Event) -> tuple[date, float]:
    at = event.at
    return (event.day, at.timestamp() if isinstance(at, datetime) else math.inf)


def _shift_back(day: date, offset: Offset) -> date:
    if offset.unit == "months":
        return add_months(day, -offset.amount)
    if offset.unit == "weeks":
        return day - timedelta(weeks=offset.amount)
    return day - timedelta(days=offset.amount)


def _apply(offset: Offset, trigger: Event) -> Moment:
    if offset.unit == "hours":
        if not isinstance(trigger.at, datetime):
            raise EventError(f"en frist i timer kræver et tidspunkt på '{trigger.type}'")
        return add_hours(trigger.at, offset.amount)
    if offset.unit == "days":
        return add_days(trigger.day, offset.amount)
    if offset.unit == "weeks":
        return add_days(trigger.day, 7 * offset.amount)
    if offset.unit == "working_days":
        return add_working_days(trigger.day, offset.amount)
    return add_months(trigger.day, offset.amount)


def _offset_phrase(offset: Offset, trigger: Event, catalogue: Catalogue) -> str:
    """How the deadline follows from its trigger, in plain Danish: "4 måneder efter underretning modtaget
    den 7. maj 2025", "samme dag som afgørelse om foranstaltning", "3 måneder efter 16-årsdagen den …"."""
    event_type = catalogue.event_types[trigger.type]  # validate_event refused unknown types
    derived = DERIVATIONS[event_type.derived] if event_type.derived else None
    # A derived trigger is no event on the timeline: it is named (16-årsdagen), an event by its label.
    named = derived.name if derived else event_type.label[:1].lower() + event_type.label[1:]
    if offset.amount == 0:
        return f"samme dag som {named}"
    return f"{describe_offset(offset)} efter {named} den {long_moment(trigger.at)}"


def _due(
    version: RuleVersion, trigger: Event, index: _CaseIndex, catalogue: Catalogue
) -> tuple[Moment, str] | None:
    """The due moment for `trigger` under `version`, with a Danish explanation; None if no arm applies."""
    for arm in version.deadline:
        if arm.when.allowed and not arm.when.matches(trigger):
            continue
        if len(arm.parts) == 1 and isinstance(arm.parts[0], Offset):
            offset = arm.parts[0]
            return _apply(offset, trigger), _offset_phrase(offset, trigger, catalogue)
        candidates: list[tuple[Moment, str]] = []
        for part in arm.parts:
            if isinstance(part, AtEvent):
                event = index.first(EventMatch((part.event_type,), start="after_trigger"), trigger)
                if event is not None:
                    label = catalogue.event_types[part.event_type].label.lower()
                    candidates.append((event.day, f"{label} den {long_moment(event.day)}"))
            else:
                moment = _apply(part, trigger)
                candidates.append((moment, _offset_phrase(part, trigger, catalogue)))
        if not candidates:
            return None
        moment, why = min(
            candidates, key=lambda c: (local_date(c[0]), c[0] if isinstance(c[0], datetime) else 0)
        )
        if len(candidates) > 1:
            why = "det tidligste af: " + "; ".join(text for _, text in candidates)
        return moment, why
    return None


@lru_cache(maxsize=1 << 16, typed=True)
def _warnings(due: Moment) -> tuple[str, ...]:
    if isinstance(due, datetime) or is_working_day(due):
        return ()
    name = holiday_name(due)
    what = f"{WEEKDAYS[due.weekday()]}{f' ({name})' if name else ''}"
    return (f"Fristen udløber {what} den {long_moment(due)}, som ikke er en hverdag; den rykkes ikke.",)


def _obligation(  # noqa: PLR0913 - one argument per field of the Obligation it builds
    rule: Rule,
    version: RuleVersion,
    trigger: Event,
    catalogue: Catalogue,
    *,
    due: Moment,
    status: ObligationStatus,
    satisfied_by: Event | None,
    explanation: str,
    released_by: Event | None = None,
    period_start: date | None = None,
    required_count: int | None = None,
) -> Obligation:
    """An Obligation of `rule` under `version`, with the rule's and the catalogue's identifying fields."""
    return Obligation(
        rule_id=rule.id,
        title=rule.title,
        kind=rule.kind,
        statutory=rule.statutory,
        law=version.law,
        valid_from=version.valid_from,
        citations=version.citations,
        trigger=trigger,
        due=due,
        status=status,
        satisfied_by=satisfied_by,
        catalogue_version=catalogue.version,
        explanation=explanation,
        released_by=released_by,
        period_start=period_start,
        required_count=required_count,
        warnings=_warnings(due),
    )


def _judge(due: Moment, satisfier: Event | None, as_of: AsOf) -> ObligationStatus:
    if satisfier is not None:
        return _MET if _on_or_before(satisfier, due) else _MET_LATE
    return _OVERDUE if deadline_passed(due, as_of) else _OPEN


def _transition(rule: Rule, version: RuleVersion, trigger: Event, due: Moment, catalogue: Catalogue) -> str:
    """The sentence that explains why a deadline after a law change still cites the old law, or ''.

    An obligation keeps the law of its trigger's date (rules-contract.md §7).
    """
    if version.valid_to is None or local_date(due) <= version.valid_to:
        return ""
    law = catalogue.laws[version.law].name.lower() if version.law in catalogue.laws else version.law
    changed = long_date(version.valid_to + timedelta(days=1))
    text = (
        f" Fristen følger {law}, fordi den udløsende hændelse ({long_moment(trigger.day)}) lå før "
        f"{changed}, selv om fristen falder efter."
    )
    successor = rule.version_on(local_date(due))
    if successor is None:
        text += " Den nye lov har ingen tilsvarende pligt."
    return text


def _deadline_obligations(
    rule: Rule, triggers: Iterable[Event], index: _CaseIndex, as_of: AsOf, catalogue: Catalogue
) -> list[Obligation]:
    out: list[Obligation] = []
    day_before: date | None = None  # the day of the latest trigger on an earlier day than this one
    current_day: date | None = None
    for trigger in triggers:
        if current_day is None or trigger.day > current_day:
            day_before, current_day = current_day, trigger.day
        version = rule.version_on(trigger.day)
        if version is None:
            continue
        satisfied_by = version.satisfied_by or rule.satisfied_by
        released_by = version.released_by or rule.released_by
        if satisfied_by is None:  # the loader refuses such rules; this keeps the type checker honest
            continue
        computed = _due(version, trigger, index, catalogue)
        if computed is None:
            continue
        due, why = computed
        released = index.first(released_by, trigger, due=due, previous=day_before) if released_by else None
        satisfier = index.first(satisfied_by, trigger, previous=day_before)
        if (
            released is not None
            and released_by is not None
            and released_by.only_if_unmet
            and satisfier is not None
            and _at_or_after(released, satisfier)
        ):
            released = None  # the requirement was met before the release came
        if released is not None:
            satisfier = None
            status = _NOT_APPLICABLE
            label = catalogue.event_types[released.type].label.lower()
            why += f"; ikke relevant, da {label} den {long_moment(released.at)}"
        else:
            status = _judge(due, satisfier, as_of)
        out.append(
            _obligation(
                rule,
                version,
                trigger,
                catalogue,
                due=due,
                status=status,
                satisfied_by=satisfier,
                explanation=(
                    f"Frist: senest {long_moment(due)}, {why}."
                    + _transition(rule, version, trigger, due, catalogue)
                ),
                released_by=released,
            )
        )
    return out


def _add_period(start: date, period: Offset, times: int) -> date:
    if period.unit == "months":
        return add_months(start, period.amount * times)
    days = period.amount * (7 if period.unit == "weeks" else 1)
    return start + timedelta(days=days * times)


def _recurring_obligations(
    rule: Rule, triggers: Iterable[Event], index: _CaseIndex, as_of: AsOf, catalogue: Catalogue
) -> list[Obligation]:
    if rule.satisfied_by is None:  # the loader refuses such rules; this keeps the type checker honest
        return []
    out: list[Obligation] = []
    for trigger in triggers:
        ended = index.first(rule.ended_by, trigger) if rule.ended_by else None
        end_day = ended.day if ended else None
        first_version = rule.version_on(trigger.day)
        if first_version is None or first_version.period is None:
            continue
        period = first_version.period
        number = 0
        while True:
            start = _add_period(trigger.day, period, number)
            following = _add_period(trigger.day, period, number + 1)
            number += 1
            if start > as_of.day or (end_day is not None and start >= end_day):
                break
            version = rule.version_on(start)
            if version is None or version.min_count is None:
                continue
            last = following - timedelta(days=1)
            required = version.min_count
            why = f"mindst {required} i perioden {long_moment(start)}–{long_moment(last)}"
            if end_day is not None and end_day <= last:
                share = ((end_day - start).days + 1) / (following - start).days
                required = max(1, math.ceil(version.min_count * share))
                last = end_day
                why = (
                    f"mindst {required} i perioden {long_moment(start)}–{long_moment(last)} "
                    f"(forholdsmæssigt, da forløbet sluttede {long_moment(end_day)})"
                )
            found = index.in_range(rule.satisfied_by, start, last)
            satisfier = found[required - 1] if len(found) >= required else None
            status = _MET if satisfier else (_OVERDUE if deadline_passed(last, as_of) else _OPEN)
            out.append(
                _obligation(
                    rule,
                    version,
                    trigger,
                    catalogue,
                    due=last,
                    status=status,
                    satisfied_by=satisfier,
                    explanation=f"Krav: {why}; registreret: {len(found)}.",
                    period_start=start,
                    required_count=required,
                )
            )
    return out


_COMPUTED: dict[int, tuple[Catalogue, tuple[Rule, ...]]] = {}


def _computed_rules(catalogue: Catalogue) -> tuple[Rule, ...]:
    """The rules the engine computes (not review items), prepared once per catalogue object."""
    cached = _COMPUTED.get(id(catalogue))
    if cached is None or cached[0] is not catalogue:
        if len(_COMPUTED) > 16:
            _COMPUTED.clear()
        cached = (catalogue, tuple(rule for rule in catalogue.rules if rule.trigger is not None))
        _COMPUTED[id(catalogue)] = cached
    return cached[1]


def _triggers(trigger: Trigger, index: _CaseIndex) -> list[Event]:
    """The events that trigger a rule: of its types, matching its condition, age and spell."""
    items, _ = index.of_types(trigger.events)
    when = trigger.when
    found = [e for e in items if when.matches(e)] if when.allowed else items
    if trigger.after_event is not None:
        after = trigger.after_event
        found = [e for e in found if index.latest_by(after, e.day) is not None]
    if trigger.during is not None:
        during = trigger.during
        found = [e for e in found if index.in_force(during, e.day)]
    return found


def evaluate(
    events: Iterable[Event],
    *,
    as_of: Moment | AsOf,
    catalogue: Catalogue | None = None,
    validate: bool = True,
    birth_date: date | None = None,
) -> list[Obligation]:
    """The obligations that the events of one case give rise to, judged on `as_of`.

    `birth_date` (the child's, when known) gives the derived events, such as the 16th birthday.
    Results come rule by rule in catalogue order, and within a rule in trigger order.
    """
    cat = catalogue if catalogue is not None else default_catalogue()
    point = AsOf.of(as_of)
    known = []
    for event in events:
        if validate:
            validate_event(event, cat)
        if point.knows(event):
            known.append(event)
    if birth_date is not None:
        known.extend(event for event in derived_events(birth_date, cat) if point.knows(event))
    index = _CaseIndex(known)
    out: list[Obligation] = []
    for rule in _computed_rules(cat):
        assert rule.trigger is not None  # noqa: S101 - _computed_rules keeps only rules with a trigger
        if not index.of_types(rule.trigger.events)[0]:
            continue
        triggers = _triggers(rule.trigger, index)
        if rule.kind == "recurring":
            out.extend(_recurring_obligations(rule, triggers, index, point, cat))
        else:
            out.extend(_deadline_obligations(rule, triggers, index, point, cat))
    return out
