"""Frozen value objects of the law core: laws, citations, event types, rules, events, obligations.

Danish glossary (see docs/glossary.md): a *regel* (Rule) is one legal requirement; a *version* is the
requirement as worded in one law during one period (serviceloven until 31 December 2023, barnets lov
from 1 January 2024); a *hændelse* (Event) is a dated case fact; a *forpligtelse* (Obligation) is what
one triggering event obliges the municipality to do, with its frist (due) and status.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from types import MappingProxyType
from typing import Literal

from sagstilsyn.law.calendar import local_date

Moment = date | datetime
OffsetUnit = Literal["hours", "days", "working_days", "weeks", "months"]
RuleKind = Literal["deadline", "recurring", "review"]
WindowStart = Literal["trigger", "after_trigger", "any", "after_previous_trigger"]


class ObligationStatus(StrEnum):
    """The status of a forpligtelse (rules-contract.md §5): the one definition of values and labels.

    The values are public identifiers (the contract, exports, the API); `label` is the Danish word every
    page, export and mail shows. The stored obligation's choices (`sagstilsyn.cases.models`) are built
    from this enum. Members are strings, so they compare and hash equal to their values.
    """

    OPEN = "open"
    MET = "met"
    MET_LATE = "met_late"
    OVERDUE = "overdue"
    NOT_APPLICABLE = "not_applicable"

    @property
    def label(self) -> str:
        """The Danish label, e.g. 'Overskredet'."""
        return _STATUS_LABELS[self]

    @classmethod
    def choices(cls) -> list[tuple[str, str]]:
        """(value, Danish label) of every status, in order: the choices of a stored status field."""
        return [(status.value, status.label) for status in cls]


_STATUS_LABELS: Mapping[ObligationStatus, str] = MappingProxyType(
    {
        ObligationStatus.OPEN: "Åben",
        ObligationStatus.MET: "Overholdt",
        ObligationStatus.MET_LATE: "Overholdt for sent",
        ObligationStatus.OVERDUE: "Overskredet",
        ObligationStatus.NOT_APPLICABLE: "Ikke relevant",
    }
)
#: The status values, in order (the values of `ObligationStatus`).
STATUSES: tuple[str, ...] = tuple(status.value for status in ObligationStatus)
KIND_LABELS: Mapping[str, str] = MappingProxyType(
    {"deadline": "Frist", "recurring": "Løbende krav", "review": "Gennemgangspunkt"}
)

#: The date barnets lov replaced the child provisions of serviceloven.
LAW_CHANGE = date(2024, 1, 1)


@dataclass(frozen=True, slots=True)
class Law:
    """A law (lov) or other source a citation can point at, e.g. `barnets_lov`."""

    id: str
    name: str
    url: str


@dataclass(frozen=True, slots=True)
class Citation:
    """A henvisning: law, paragraph (§), stk. and nr., with a public source and its verification."""

    law: str
    law_name: str
    paragraph: str
    stk: int | None
    nr: int | None
    url: str
    verified: bool
    note: str | None = None
    #: Where the law's own wording was read (e.g. "LBK nr. 282 af 17/03/2025 § 91, lovguiden.dk");
    #: required when `verified` is true.
    read_in: str | None = None

    @property
    def label(self) -> str:
        """Danish reference, e.g. 'Barnets lov § 20, stk. 3'."""
        if self.law == "local":
            return f"{self.law_name}: {self.paragraph}"
        text = f"{self.law_name} § {self.paragraph}"
        if self.stk is not None:
            text += f", stk. {self.stk}"
        if self.nr is not None:
            text += f", nr. {self.nr}"
        return text


@dataclass(frozen=True, slots=True)
class AttributeSpec:
    """One attribute an event type takes (e.g. `notifier` on `concern_received`)."""

    name: str
    kind: Literal["enum", "bool"]
    label: str
    values: Mapping[str, str] = field(default_factory=dict)  # enum value -> Danish label


@dataclass(frozen=True, slots=True)
class EventType:
    """A hændelsestype: what a case fact is, and whether its `at` is a date or an aware datetime."""

    id: str
    label: str
    at: Literal["date", "datetime"]
    attributes: Mapping[str, AttributeSpec]
    description: str = ""
    #: Set for a type Sagstilsyn derives itself from the child's facts (e.g. `birthday_16` for the
    #: 16th birthday, from `birth_date`); such events are never imported or written in a case file.
    derived: str | None = None


@dataclass(frozen=True, slots=True)
class Condition:
    """Attribute values an event must have, e.g. notifier in {professional}; empty matches all."""

    allowed: tuple[tuple[str, frozenset[object]], ...] = ()

    def matches(self, event: Event) -> bool:
        attrs = event.attrs
        return all(attrs.get(name) in values for name, values in self.allowed)

    def describe(self) -> str:
        return ", ".join(
            f"{name} ∈ {{{', '.join(sorted(map(str, values)))}}}" for name, values in self.allowed
        )


@dataclass(frozen=True, slots=True)
class Offset:
    """A span of time: clock hours, calendar days, hverdage, weeks or months (0 means the same day)."""

    unit: OffsetUnit
    amount: int


@dataclass(frozen=True, slots=True)
class AtEvent:
    """A deadline set by another event: the first `event_type` after the trigger (BL § 95, stk. 2)."""

    event_type: str
    strictly_after: bool = True


@dataclass(frozen=True, slots=True)
class DeadlineCase:
    """One arm of a deadline: when the trigger matches `when`, the earliest of `parts` applies."""

    when: Condition
    parts: tuple[Offset | AtEvent, ...]


@dataclass(frozen=True, slots=True)
class EventMatch:
    """Which events satisfy (or release, or end) an obligation, and from when they count.

    `start`: `trigger` (at or after the triggering event), `after_trigger` (strictly after it),
    `any` (also before it, limited by `lookback` when given), or `after_previous_trigger` (after the
    day of the previous triggering event of the same rule, or at any time when there is none: the duty
    belongs to each trigger, rules-contract.md §7). `since`: events count only from the day of the
    latest event of that type on or before the trigger (e.g. the 16th birthday). `by_due`: only
    events up to the due date count (used for releases). `only_if_unmet`: a release does not apply
    when the requirement was already met at or before the releasing event.
    """

    events: tuple[str, ...]
    when: Condition = Condition()
    start: WindowStart = "trigger"
    lookback: Offset | None = None
    by_due: bool = False
    only_if_unmet: bool = False
    since: str | None = None


@dataclass(frozen=True, slots=True)
class Spell:
    """A state in force (e.g. a measure or a plan): begun by one of `started_by`, ended by one of
    `ended_by`. With `key` (an attribute such as `measure`), an ending ends only the starts with the
    same value (an ending without the attribute ends them all; a start without it is ended by any)."""

    started_by: tuple[str, ...]
    ended_by: tuple[str, ...]
    key: str | None = None


@dataclass(frozen=True, slots=True)
class Trigger:
    """What starts the clock: one of `events`, matching `when`.

    `after_event`: the trigger counts only when an event of that type lies on or before its day (e.g.
    a placement decision for a young person who has turned 16). `during`: only while the spell is in
    force on the trigger's day (e.g. a measure or a plan, when the young person turns 16).
    """

    events: tuple[str, ...]
    when: Condition = Condition()
    after_event: str | None = None
    during: Spell | None = None


@dataclass(frozen=True, slots=True)
class RuleVersion:
    """A rule as worded in one law during [valid_from, valid_to], with its dated values and citations."""

    valid_from: date
    valid_to: date | None
    law: str
    citations: tuple[Citation, ...]
    deadline: tuple[DeadlineCase, ...] = ()
    period: Offset | None = None
    min_count: int | None = None
    note: str | None = None
    #: What satisfies or releases the requirement under this version, where it differs from the
    #: rule's (e.g. serviceloven's handleplan, which a decision not to make a plan does not release).
    satisfied_by: EventMatch | None = None
    released_by: EventMatch | None = None

    @property
    def verified(self) -> bool:
        return all(citation.verified for citation in self.citations)

    def covers(self, day: date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)


@dataclass(frozen=True, slots=True)
class Rule:
    """A krav (requirement) of the catalogue: one YAML file, one id, dated and cited versions."""

    id: str
    title: str
    kind: RuleKind
    statutory: bool
    description: str
    versions: tuple[RuleVersion, ...]
    source_file: str
    ref: str | None = None
    question: str | None = None
    trigger: Trigger | None = None
    satisfied_by: EventMatch | None = None
    released_by: EventMatch | None = None
    ended_by: EventMatch | None = None
    relates_to: tuple[str, ...] = ()
    #: One Danish sentence where the rule rests on a decision of ours rather than on the law's words.
    interpretation: str | None = None
    #: One Danish sentence saying why the requirement cannot be met once its deadline has passed (its
    #: deadline is "before the decision"); None when it can still be met late (`sagstilsyn.law.lapse`).
    lapses_at_deadline: str | None = None

    @property
    def verified(self) -> bool:
        return all(version.verified for version in self.versions)

    @property
    def computed(self) -> bool:
        return self.kind != "review"

    def version_on(self, day: date) -> RuleVersion | None:
        """The version in force on `day` (the date of the triggering event), or None."""
        for version in self.versions:
            if version.covers(day):
                return version
        return None


@dataclass(frozen=True, slots=True)
class Catalogue:
    """The whole rule catalogue (regelkatalog) with its content hash as version."""

    rules: tuple[Rule, ...]
    event_types: Mapping[str, EventType]
    laws: Mapping[str, Law]
    version: str

    def rule(self, rule_id: str) -> Rule:
        for rule in self.rules:
            if rule.id == rule_id:
                return rule
        raise KeyError(rule_id)


@dataclass(frozen=True, slots=True)
class Event:
    """A hændelse: a dated case fact. `at` is a date, or an aware datetime where a rule counts hours."""

    type: str
    at: Moment
    attrs: Mapping[str, object] = field(default_factory=dict)
    id: str | None = None
    day: date = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "attrs", MappingProxyType(dict(self.attrs)))
        object.__setattr__(self, "day", local_date(self.at))

    @classmethod
    def stored(cls, type: str, at: Moment, attrs: MappingProxyType[str, object], id: str, day: date) -> Event:
        """An event read back from a store that checked it when it was recorded, built without copies.

        `attrs` is already read-only (several events may share it) and `day` is `at`'s Danish date.
        """
        event = object.__new__(cls)
        setattr_ = object.__setattr__
        setattr_(event, "type", type)
        setattr_(event, "at", at)
        setattr_(event, "attrs", attrs)
        setattr_(event, "id", id)
        setattr_(event, "day", day)
        return event


@dataclass(frozen=True, slots=True)
class Obligation:
    """A forpligtelse: what one triggering event obliges, with due date (frist) and status."""

    rule_id: str
    title: str
    kind: RuleKind
    statutory: bool
    law: str
    valid_from: date
    citations: tuple[Citation, ...]
    trigger: Event
    due: Moment
    status: ObligationStatus
    satisfied_by: Event | None
    catalogue_version: str
    explanation: str
    released_by: Event | None = None
    period_start: date | None = None
    required_count: int | None = None
    warnings: tuple[str, ...] = ()
