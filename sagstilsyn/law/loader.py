"""Loads the rule catalogue (regelkataloget) from YAML, strictly.

Every problem is collected and reported together, each naming the file, the key and the value, in
Danish: unknown keys, a dated version without a citation, overlapping or unordered versions,
unknown event types or attributes, an id that does not match its file name, a law that does not fit
the version's dates (serviceloven until 31 December 2023, barnets lov from 1 January 2024).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import date
from itertools import pairwise
from pathlib import Path
from typing import Any, cast

from sagstilsyn.law.derived import DERIVATIONS
from sagstilsyn.law.model import (
    LAW_CHANGE,
    AtEvent,
    AttributeSpec,
    Catalogue,
    Citation,
    Condition,
    DeadlineCase,
    EventMatch,
    EventType,
    Law,
    Offset,
    OffsetUnit,
    Rule,
    RuleKind,
    RuleVersion,
    Spell,
    Trigger,
    WindowStart,
)
from sagstilsyn.law.yamlio import FileProblem, FileProblemsError, YamlReadError, parse_date, read_yaml

#: A version's (deadline, period, min_count): a deadline rule has the first, a recurring one the others.
_Timing = tuple[tuple[DeadlineCase, ...], Offset | None, int | None]

DEFAULT_CATALOGUE = Path(__file__).parent / "catalogue"
OFFSET_UNITS: tuple[OffsetUnit, ...] = ("hours", "days", "working_days", "weeks", "months")
RULE_ID = re.compile(r"^[a-z][a-z0-9_]*$")
#: Laws whose versions must end before the law change, and the one that must start at or after it.
LAW_BEFORE_CHANGE = "serviceloven"
LAW_FROM_CHANGE = "barnets_lov"

RULE_KEYS = {
    "id",
    "ref",
    "title",
    "kind",
    "statutory",
    "description",
    "question",
    "trigger",
    "satisfied_by",
    "released_by",
    "ended_by",
    "relates_to",
    "interpretation",
    "lapses_at_deadline",
    "versions",
}
VERSION_KEYS = {
    "valid_from",
    "valid_to",
    "law",
    "citations",
    "deadline",
    "period",
    "min_count",
    "note",
    "satisfied_by",
    "released_by",
}
WINDOW_STARTS = ("trigger", "after_trigger", "any", "after_previous_trigger")
CITATION_KEYS = {"law", "paragraph", "stk", "nr", "url", "verified", "note", "read_in"}
MATCH_KEYS = {"events", "when", "from", "lookback", "by_due", "only_if_unmet", "since"}
TRIGGER_KEYS = {"events", "when", "after_event", "during"}
SPELL_KEYS = {"started_by", "ended_by", "key"}
LAW_KEYS = {"id", "name", "url"}
EVENT_TYPE_KEYS = {"id", "label", "at", "description", "attributes", "derived"}
ATTRIBUTE_KEYS = {"label", "kind", "values"}


class CatalogueProblem(FileProblem):
    """One thing wrong in the catalogue: file, key (a path such as versions[1].citations), value, why."""

    __slots__ = ()


class CatalogueError(FileProblemsError[CatalogueProblem]):
    """The catalogue cannot be loaded; `problems` lists every reason."""

    heading = "Regelkataloget kan ikke indlæses"


class _Problems:
    def __init__(self) -> None:
        self.items: list[CatalogueProblem] = []

    def add(self, file: str, key: str, value: object, message: str) -> None:
        self.items.append(CatalogueProblem(file, key, value, message))


def _check_keys(
    problems: _Problems, file: str, where: str, data: Mapping[str, Any], allowed: set[str]
) -> None:
    for key in data:
        if key not in allowed:
            path = f"{where}.{key}" if where else str(key)
            problems.add(file, path, None, f"ukendt felt; tilladte felter er {', '.join(sorted(allowed))}")


def _mapping(problems: _Problems, file: str, where: str, value: object) -> Mapping[str, Any] | None:
    if isinstance(value, Mapping):
        return cast(Mapping[str, Any], value)
    problems.add(file, where, value, "skal være en samling af felter (mapping)")
    return None


def _text(problems: _Problems, file: str, where: str, value: object, *, required: bool = True) -> str | None:
    if value is None:
        if required:
            problems.add(file, where, None, "mangler")
        return None
    if isinstance(value, (str, int)) and not isinstance(value, bool) and str(value).strip():
        return str(value).strip()
    problems.add(file, where, value, "skal være en tekst")
    return None


def _str_list(problems: _Problems, file: str, where: str, value: object) -> tuple[str, ...]:
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list) and value and all(isinstance(item, str) for item in value):
        return tuple(value)
    problems.add(file, where, value, "skal være en liste af id'er")
    return ()


def _entries(
    problems: _Problems, root: Path, file: str, keys: set[str], not_a_list: str
) -> Iterator[tuple[str, Mapping[str, Any]]]:
    """The entries of a catalogue file that is a list of mappings, each with its place (`[3]`) and its
    keys checked; a file that is not a list, and an entry that is not a mapping, are problems."""
    data = _read(problems, root / file, file)
    if not isinstance(data, list):
        problems.add(file, "", None, not_a_list)
        return
    for index, item in enumerate(data):
        where = f"[{index}]"
        entry = _mapping(problems, file, where, item)
        if entry is not None:
            _check_keys(problems, file, where, entry, keys)
            yield where, entry


def _load_laws(problems: _Problems, root: Path) -> dict[str, Law]:
    file = "laws.yaml"
    laws: dict[str, Law] = {}
    for where, entry in _entries(problems, root, file, LAW_KEYS, "skal være en liste af love"):
        law_id = _text(problems, file, f"{where}.id", entry.get("id"))
        name = _text(problems, file, f"{where}.name", entry.get("name"))
        url = _text(problems, file, f"{where}.url", entry.get("url"))
        if url and not url.startswith(("https://", "http://")):
            problems.add(file, f"{where}.url", url, "skal være en webadresse (https://…)")
        if law_id and name and url:
            if law_id in laws:
                problems.add(file, f"{where}.id", law_id, "loven står to gange")
            laws[law_id] = Law(law_id, name, url)
    return laws


def _load_event_types(problems: _Problems, root: Path) -> dict[str, EventType]:
    file = "events.yaml"
    types: dict[str, EventType] = {}
    for where, entry in _entries(
        problems, root, file, EVENT_TYPE_KEYS, "skal være en liste af hændelsestyper"
    ):
        type_id = _text(problems, file, f"{where}.id", entry.get("id"))
        label = _text(problems, file, f"{where}.label", entry.get("label"))
        at = entry.get("at")
        if at not in ("date", "datetime"):
            problems.add(file, f"{where}.at", at, "skal være 'date' eller 'datetime'")
        attributes: dict[str, AttributeSpec] = {}
        raw_attributes = entry.get("attributes") or {}
        attrs_map = _mapping(problems, file, f"{where}.attributes", raw_attributes)
        for name, spec in (attrs_map or {}).items():
            awhere = f"{where}.attributes.{name}"
            spec_map = _mapping(problems, file, awhere, spec)
            if spec_map is None:
                continue
            _check_keys(problems, file, awhere, spec_map, ATTRIBUTE_KEYS)
            kind = spec_map.get("kind")
            alabel = _text(problems, file, f"{awhere}.label", spec_map.get("label"))
            values: dict[str, str] = {}
            if kind == "enum":
                raw_values = _mapping(problems, file, f"{awhere}.values", spec_map.get("values"))
                values = {str(k): str(v) for k, v in (raw_values or {}).items()}
            elif kind != "bool":
                problems.add(file, f"{awhere}.kind", kind, "skal være 'enum' eller 'bool'")
                continue
            if alabel:
                attributes[str(name)] = AttributeSpec(str(name), kind, alabel, values)
        derived = entry.get("derived")
        if derived is not None and derived not in DERIVATIONS:
            problems.add(file, f"{where}.derived", derived, f"skal være en af {', '.join(DERIVATIONS)}")
            derived = None
        if type_id and label and at in ("date", "datetime"):
            if type_id in types:
                problems.add(file, f"{where}.id", type_id, "hændelsestypen står to gange")
            types[type_id] = EventType(
                type_id, label, at, attributes, str(entry.get("description") or "").strip(), derived
            )
    return types


def _read(problems: _Problems, path: Path, file: str) -> Any:
    try:
        return read_yaml(path)
    except YamlReadError as error:
        problems.add(file, "", None, error.detail)
        return None


class _RuleReader:
    """Reads one rule file; problems are added to the shared list."""

    def __init__(
        self,
        problems: _Problems,
        file: str,
        laws: Mapping[str, Law],
        event_types: Mapping[str, EventType],
    ):
        self.problems = problems
        self.file = file
        self.laws = laws
        self.event_types = event_types

    def fail(self, key: str, value: object, message: str) -> None:
        self.problems.add(self.file, key, value, message)

    def read(self, data: object, expected_id: str) -> Rule | None:
        entry = _mapping(self.problems, self.file, "", data)
        if entry is None:
            return None
        _check_keys(self.problems, self.file, "", entry, RULE_KEYS)
        rule_id = _text(self.problems, self.file, "id", entry.get("id"))
        if rule_id and rule_id != expected_id:
            self.fail("id", rule_id, f"id'et skal være det samme som filnavnet ('{expected_id}')")
        if rule_id and not RULE_ID.match(rule_id):
            self.fail("id", rule_id, "id'et må kun indeholde små bogstaver, tal og _")
        title = _text(self.problems, self.file, "title", entry.get("title"))
        description = _text(self.problems, self.file, "description", entry.get("description"))
        kind = entry.get("kind")
        if kind not in ("deadline", "recurring", "review"):
            self.fail("kind", kind, "skal være 'deadline', 'recurring' eller 'review'")
            return None
        statutory = entry.get("statutory")
        if not isinstance(statutory, bool):
            self.fail("statutory", statutory, "skal være true (lovkrav) eller false (lokal standard)")
        question = _text(
            self.problems, self.file, "question", entry.get("question"), required=kind == "review"
        )
        trigger = self.trigger(entry.get("trigger"), kind)
        trigger_types = trigger.events if trigger else ()
        satisfied_by = self.match("satisfied_by", entry.get("satisfied_by"), kind != "review", trigger_types)
        released_by = self.match("released_by", entry.get("released_by"), False, trigger_types)
        ended_by = self.match("ended_by", entry.get("ended_by"), False, trigger_types)
        if kind == "review":
            for key in ("trigger", "satisfied_by", "released_by", "ended_by"):
                if entry.get(key) is not None:
                    self.fail(key, None, "et gennemgangspunkt (review) beregnes ikke og har ingen udløser")
        if kind != "recurring" and entry.get("ended_by") is not None:
            self.fail("ended_by", None, "bruges kun ved løbende krav (recurring)")
        relates_to: tuple[str, ...] = ()
        if entry.get("relates_to") is not None:
            relates_to = _str_list(self.problems, self.file, "relates_to", entry.get("relates_to"))
            for index, type_id in enumerate(relates_to):
                self.known_event(f"relates_to[{index}]", type_id)
        ref = _text(self.problems, self.file, "ref", entry.get("ref"), required=False)
        interpretation = _text(
            self.problems, self.file, "interpretation", entry.get("interpretation"), required=False
        )
        lapses_at_deadline = _text(
            self.problems, self.file, "lapses_at_deadline", entry.get("lapses_at_deadline"), required=False
        )
        if lapses_at_deadline is not None and kind != "deadline":
            self.fail("lapses_at_deadline", None, "bruges kun ved fristkrav (deadline)")
        versions = self.versions(entry.get("versions"), kind, trigger)
        if not (rule_id and title and description and isinstance(statutory, bool) and versions):
            return None
        if kind != "review" and (trigger is None or satisfied_by is None):
            return None
        return Rule(
            id=rule_id,
            title=title,
            kind=cast(RuleKind, kind),
            statutory=statutory,
            description=description,
            versions=versions,
            source_file=self.file,
            ref=ref,
            question=question,
            trigger=trigger,
            satisfied_by=satisfied_by,
            released_by=released_by,
            ended_by=ended_by,
            relates_to=relates_to,
            interpretation=interpretation,
            lapses_at_deadline=lapses_at_deadline,
        )

    def known_event(self, where: str, type_id: str) -> bool:
        if type_id not in self.event_types:
            self.fail(where, type_id, "ukendt hændelsestype (se events.yaml)")
            return False
        return True

    def condition(self, where: str, value: object, event_types: Iterable[str]) -> Condition:
        if value is None:
            return Condition()
        data = _mapping(self.problems, self.file, where, value)
        if data is None:
            return Condition()
        types = [self.event_types[t] for t in event_types if t in self.event_types]
        allowed: list[tuple[str, frozenset[object]]] = []
        for name, raw in data.items():
            specs = [t.attributes.get(str(name)) for t in types]
            if not types or any(spec is None for spec in specs):
                self.fail(f"{where}.{name}", None, "ukendt egenskab for hændelsestypen")
                continue
            values = raw if isinstance(raw, list) else [raw]
            spec = specs[0]
            for item in values:
                if spec is None:
                    break
                if spec.kind == "bool" and not isinstance(item, bool):
                    self.fail(f"{where}.{name}", item, "skal være true eller false")
                if spec.kind == "enum" and item not in spec.values:
                    self.fail(f"{where}.{name}", item, f"ukendt værdi; tilladte er {', '.join(spec.values)}")
            allowed.append((str(name), frozenset(values)))
        return Condition(tuple(allowed))

    def trigger(self, value: object, kind: str) -> Trigger | None:
        if value is None:
            if kind != "review":
                self.fail("trigger", None, "mangler: hvilken hændelse starter fristen?")
            return None
        data = _mapping(self.problems, self.file, "trigger", value)
        if data is None:
            return None
        _check_keys(self.problems, self.file, "trigger", data, TRIGGER_KEYS)
        events = _str_list(self.problems, self.file, "trigger.events", data.get("events"))
        known = [self.known_event(f"trigger.events[{i}]", t) for i, t in enumerate(events)]
        if not events or not all(known):
            return None
        after_event = data.get("after_event")
        if after_event is not None and not (
            isinstance(after_event, str) and self.known_event("trigger.after_event", after_event)
        ):
            after_event = None
        during = self.spell("trigger.during", data.get("during")) if data.get("during") is not None else None
        return Trigger(events, self.condition("trigger.when", data.get("when"), events), after_event, during)

    def spell(self, where: str, value: object) -> Spell | None:
        data = _mapping(self.problems, self.file, where, value)
        if data is None:
            return None
        _check_keys(self.problems, self.file, where, data, SPELL_KEYS)
        lists = {}
        for name in ("started_by", "ended_by"):
            items = _str_list(self.problems, self.file, f"{where}.{name}", data.get(name))
            known = [self.known_event(f"{where}.{name}[{i}]", t) for i, t in enumerate(items)]
            if not items or not all(known):
                return None
            lists[name] = items
        key = data.get("key")
        if key is not None and not isinstance(key, str):
            self.fail(f"{where}.key", key, "skal være navnet på en egenskab, fx measure")
            key = None
        return Spell(lists["started_by"], lists["ended_by"], key)

    def offset(self, where: str, value: object, *, zero_ok: bool = True) -> Offset | None:
        data = _mapping(self.problems, self.file, where, value)
        if data is None:
            return None
        units: list[OffsetUnit] = [key for key in OFFSET_UNITS if key in data]
        if len(units) != 1 or len(data) != 1:
            self.fail(where, dict(data), f"skal have præcis én af {', '.join(OFFSET_UNITS)}")
            return None
        amount = data[units[0]]
        if not isinstance(amount, int) or isinstance(amount, bool) or amount < (0 if zero_ok else 1):
            self.fail(f"{where}.{units[0]}", amount, "skal være et helt tal (0 eller derover)")
            return None
        return Offset(units[0], amount)

    def match(
        self, key: str, value: object, required: bool, trigger_types: tuple[str, ...]
    ) -> EventMatch | None:
        if value is None:
            if required:
                self.fail(key, None, "mangler: hvilke hændelser opfylder kravet?")
            return None
        data = _mapping(self.problems, self.file, key, value)
        if data is None:
            return None
        _check_keys(self.problems, self.file, key, data, MATCH_KEYS)
        events = _str_list(self.problems, self.file, f"{key}.events", data.get("events"))
        known = [self.known_event(f"{key}.events[{i}]", t) for i, t in enumerate(events)]
        if not events or not all(known):
            return None
        start = data.get("from", "trigger")
        if start not in WINDOW_STARTS:
            self.fail(f"{key}.from", start, f"skal være en af {', '.join(WINDOW_STARTS)}")
            return None
        since = data.get("since")
        if since is not None and not (isinstance(since, str) and self.known_event(f"{key}.since", since)):
            since = None
        lookback = None
        if data.get("lookback") is not None:
            if start != "any":
                self.fail(f"{key}.lookback", None, "kræver from: any")
            lookback = self.offset(f"{key}.lookback", data.get("lookback"))
        flags: dict[str, bool] = {}
        for flag in ("by_due", "only_if_unmet"):
            value = data.get(flag, False)
            if not isinstance(value, bool):
                self.fail(f"{key}.{flag}", value, "skal være true eller false")
                value = False
            if flag == "only_if_unmet" and value and not key.endswith("released_by"):
                self.fail(f"{key}.{flag}", value, "bruges kun under released_by")
            flags[flag] = value
        return EventMatch(
            events,
            self.condition(f"{key}.when", data.get("when"), events),
            cast(WindowStart, start),
            lookback,
            flags["by_due"],
            flags["only_if_unmet"],
            since,
        )

    def deadline(self, where: str, value: object, trigger: Trigger | None) -> tuple[DeadlineCase, ...]:
        """A deadline: one offset, or a list of cases each with its own `when` (the first that fits)."""
        in_list = isinstance(value, list)
        arms = value if isinstance(value, list) else [value]
        cases = [
            self.deadline_case(f"{where}[{index}]" if in_list else where, arm, in_list, trigger)
            for index, arm in enumerate(arms)
        ]
        return tuple(case for case in cases if case is not None)

    def deadline_case(
        self, where: str, value: object, in_list: bool, trigger: Trigger | None
    ) -> DeadlineCase | None:
        data = _mapping(self.problems, self.file, where, value)
        if data is None:
            return None
        rest = {k: v for k, v in data.items() if k != "when"}
        if "when" in data and not in_list:
            self.fail(f"{where}.when", None, "'when' bruges kun i en liste af fristtilfælde")
        when = self.condition(f"{where}.when", data.get("when"), trigger.events if trigger else ())
        if "earliest_of" in rest:
            parts = self.earliest_of(where, rest)
            if parts is None:
                return None
        else:
            offset = self.offset(where, rest)
            parts = [offset] if offset else []
        if trigger is not None and any(isinstance(p, Offset) and p.unit == "hours" for p in parts):
            self.hours_need_a_time(where, trigger)
        return DeadlineCase(when, tuple(parts)) if parts else None

    def earliest_of(self, where: str, data: Mapping[str, Any]) -> list[Offset | AtEvent] | None:
        """`earliest_of`'s deadlines (offsets or `after_event`); None unless it lists two or more."""
        if len(data) != 1:
            self.fail(where, dict(data), "earliest_of kan ikke kombineres med andre fristfelter")
        raw_parts = data["earliest_of"]
        if not isinstance(raw_parts, list) or len(raw_parts) < 2:
            self.fail(f"{where}.earliest_of", raw_parts, "skal være en liste med mindst to frister")
            return None
        parts: list[Offset | AtEvent] = []
        for index, part in enumerate(raw_parts):
            pwhere = f"{where}.earliest_of[{index}]"
            if isinstance(part, Mapping) and "after_event" in part:
                if len(part) != 1:
                    self.fail(pwhere, dict(part), "after_event står alene")
                type_id = str(part["after_event"])
                if self.known_event(f"{pwhere}.after_event", type_id):
                    parts.append(AtEvent(type_id))
            else:
                offset = self.offset(pwhere, part)
                if offset:
                    parts.append(offset)
        return parts

    def hours_need_a_time(self, where: str, trigger: Trigger) -> None:
        for type_id in trigger.events:
            if self.event_types[type_id].at != "datetime":
                self.fail(
                    where,
                    type_id,
                    "en frist i timer kræver en udløsende hændelse med tidspunkt (at: datetime)",
                )

    def citation(self, where: str, value: object) -> Citation | None:
        data = _mapping(self.problems, self.file, where, value)
        if data is None:
            return None
        _check_keys(self.problems, self.file, where, data, CITATION_KEYS)
        law = _text(self.problems, self.file, f"{where}.law", data.get("law"))
        if law and law not in self.laws:
            self.fail(f"{where}.law", law, f"ukendt lov; kendte er {', '.join(self.laws)}")
            law = None
        paragraph = _text(self.problems, self.file, f"{where}.paragraph", data.get("paragraph"))
        url = _text(self.problems, self.file, f"{where}.url", data.get("url"))
        if url and not url.startswith(("https://", "http://")):
            self.fail(f"{where}.url", url, "skal være en webadresse (https://…)")
            url = None
        verified = data.get("verified")
        if not isinstance(verified, bool):
            self.fail(f"{where}.verified", verified, "skal være true (kontrolleret) eller false (ubekræftet)")
        if "stk" not in data:
            self.fail(f"{where}.stk", None, "mangler (skriv stk: null, hvis bestemmelsen ikke har stykker)")
        numbers: dict[str, int | None] = {}
        for key in ("stk", "nr"):
            raw = data.get(key)
            if raw is not None and (not isinstance(raw, int) or isinstance(raw, bool) or raw < 1):
                self.fail(f"{where}.{key}", raw, "skal være et positivt helt tal eller null")
                raw = None
            numbers[key] = raw
        if (
            data.get("stk") is None
            and verified is True
            and "stk" in data
            and law in ("barnets_lov", "serviceloven")
        ):
            note = data.get("note")
            if not note:
                self.fail(
                    f"{where}.stk", None, "en kontrolleret henvisning uden stk. skal forklare hvorfor (note)"
                )
        note = _text(self.problems, self.file, f"{where}.note", data.get("note"), required=False)
        read_in = _text(self.problems, self.file, f"{where}.read_in", data.get("read_in"), required=False)
        if verified is True and not read_in:
            self.fail(
                f"{where}.read_in",
                None,
                "en kontrolleret henvisning skal nævne den tekst, ordlyden er læst i (read_in)",
            )
        if not (law and paragraph and url and isinstance(verified, bool)):
            return None
        return Citation(
            law, self.laws[law].name, paragraph, numbers["stk"], numbers["nr"], url, verified, note, read_in
        )

    def versions(self, value: object, kind: str, trigger: Trigger | None) -> tuple[RuleVersion, ...]:
        """The rule's dated versions, in date order without overlaps; () when any of them is wrong."""
        if not isinstance(value, list) or not value:
            self.fail("versions", value, "skal være en ikke-tom liste af versioner")
            return ()
        read = [self.version(f"versions[{index}]", item, kind, trigger) for index, item in enumerate(value)]
        versions = [version for version in read if version is not None]
        if len(versions) != len(value):
            return ()
        self.in_date_order(versions)
        return tuple(versions)

    def version(self, where: str, value: object, kind: str, trigger: Trigger | None) -> RuleVersion | None:
        """One version; every problem in it is reported, and None returned when there is any."""
        data = _mapping(self.problems, self.file, where, value)
        if data is None:
            return None
        _check_keys(self.problems, self.file, where, data, VERSION_KEYS)
        valid_from = self.date(f"{where}.valid_from", data.get("valid_from"), required=True)
        valid_to = self.date(f"{where}.valid_to", data.get("valid_to"), required=False)
        if valid_from and valid_to and valid_to < valid_from:
            self.fail(f"{where}.valid_to", valid_to.isoformat(), "ligger før valid_from")
        law = self.version_law(where, data, valid_from, valid_to)
        citations = self.citations(f"{where}.citations", data.get("citations"))
        timing = self.timing(where, data, kind, trigger)
        note = _text(self.problems, self.file, f"{where}.note", data.get("note"), required=False)
        satisfied_by = self.version_match(where, "satisfied_by", data, kind, trigger)
        released_by = self.version_match(where, "released_by", data, kind, trigger)
        if valid_from is None or law is None or citations is None or timing is None:
            return None
        deadline, period, min_count = timing
        return RuleVersion(
            valid_from=valid_from,
            valid_to=valid_to,
            law=law,
            citations=citations,
            deadline=deadline,
            period=period,
            min_count=min_count,
            note=note,
            satisfied_by=satisfied_by,
            released_by=released_by,
        )

    def version_law(
        self, where: str, data: Mapping[str, Any], valid_from: date | None, valid_to: date | None
    ) -> str | None:
        """The version's law if known; serviceloven must end, and barnets lov start, at the law change."""
        law = _text(self.problems, self.file, f"{where}.law", data.get("law"))
        if law and law not in self.laws:
            self.fail(f"{where}.law", law, f"ukendt lov; kendte er {', '.join(self.laws)}")
        if law == LAW_BEFORE_CHANGE and valid_from and (valid_to is None or valid_to >= LAW_CHANGE):
            self.fail(
                f"{where}.valid_to", data.get("valid_to"), "serviceloven gælder for børn kun til 2023-12-31"
            )
        if law == LAW_FROM_CHANGE and valid_from and valid_from < LAW_CHANGE:
            self.fail(
                f"{where}.valid_from", valid_from.isoformat(), "barnets lov gælder først fra 2024-01-01"
            )
        return law if law in self.laws else None

    def citations(self, where: str, value: object) -> tuple[Citation, ...] | None:
        """At least one citation, each of them valid; else None."""
        if not isinstance(value, list) or not value:
            self.fail(where, value, "en dateret version skal have mindst én henvisning")
            return None
        citations = [self.citation(f"{where}[{index}]", raw) for index, raw in enumerate(value)]
        valid = tuple(citation for citation in citations if citation is not None)
        return valid if len(valid) == len(value) else None

    def timing(
        self, where: str, data: Mapping[str, Any], kind: str, trigger: Trigger | None
    ) -> _Timing | None:
        """The version's (deadline, period, min_count) as its rule's kind requires; None when wrong."""
        if kind == "review":
            for key in ("deadline", "period", "min_count"):
                if data.get(key) is not None:
                    self.fail(f"{where}.{key}", None, "et gennemgangspunkt (review) har ingen frist")
            return (), None, None
        if kind == "deadline":
            return self.deadline_timing(where, data, trigger)
        return self.recurring_timing(where, data)

    def deadline_timing(self, where: str, data: Mapping[str, Any], trigger: Trigger | None) -> _Timing | None:
        deadline: tuple[DeadlineCase, ...] = ()
        if data.get("deadline") is None:
            self.fail(f"{where}.deadline", None, "mangler: hvor lang er fristen?")
        else:
            deadline = self.deadline(f"{where}.deadline", data.get("deadline"), trigger)
        for key in ("period", "min_count"):
            if data.get(key) is not None:
                self.fail(f"{where}.{key}", None, "bruges kun ved løbende krav (recurring)")
        return (deadline, None, None) if deadline else None

    def recurring_timing(self, where: str, data: Mapping[str, Any]) -> _Timing | None:
        if data.get("deadline") is not None:
            self.fail(f"{where}.deadline", None, "et løbende krav har period og min_count, ikke deadline")
        period = None
        if data.get("period") is not None:
            period = self.offset(f"{where}.period", data.get("period"), zero_ok=False)
        if period is None:
            self.fail(
                f"{where}.period", data.get("period"), "mangler eller er ugyldig: perioden, fx {months: 12}"
            )
        min_count = data.get("min_count")
        if not isinstance(min_count, int) or isinstance(min_count, bool) or min_count < 1:
            self.fail(f"{where}.min_count", min_count, "skal være et positivt helt tal")
            return None
        return ((), period, min_count) if period is not None else None

    def version_match(
        self, where: str, key: str, data: Mapping[str, Any], kind: str, trigger: Trigger | None
    ) -> EventMatch | None:
        """A version's own `satisfied_by` or `released_by`, in place of the rule's."""
        if data.get(key) is None:
            return None
        if kind == "review":
            self.fail(f"{where}.{key}", None, "et gennemgangspunkt (review) beregnes ikke")
            return None
        return self.match(f"{where}.{key}", data.get(key), False, trigger.events if trigger else ())

    def in_date_order(self, versions: Sequence[RuleVersion]) -> None:
        for index, (earlier, later) in enumerate(pairwise(versions), start=1):
            if later.valid_from <= earlier.valid_from:
                self.fail(
                    f"versions[{index}].valid_from",
                    later.valid_from.isoformat(),
                    "versionerne skal stå i datoorden",
                )
            elif earlier.valid_to is None or earlier.valid_to >= later.valid_from:
                shown = earlier.valid_to.isoformat() if earlier.valid_to else None
                self.fail(
                    f"versions[{index - 1}].valid_to",
                    shown,
                    f"overlapper den næste version, der gælder fra {later.valid_from.isoformat()}",
                )

    def date(self, where: str, value: object, *, required: bool) -> date | None:
        if value is None:
            if required:
                self.fail(where, None, "mangler")
            return None
        try:
            return parse_date(value)
        except ValueError as error:
            self.fail(where, value, str(error))
            return None


def catalogue_version(root: Path) -> str:
    """A short content hash of every catalogue file (not the jurist tests): the catalogue version."""
    digest = hashlib.sha256()
    for path in sorted([root / "laws.yaml", root / "events.yaml", *sorted((root / "rules").glob("*.yaml"))]):
        if path.exists():
            digest.update(path.relative_to(root).as_posix().encode())
            digest.update(b"\0")
            digest.update(path.read_bytes())
            digest.update(b"\0")
    return digest.hexdigest()[:12]


def load_catalogue(root: Path | str | None = None) -> Catalogue:
    """Load and validate the catalogue under `root` (default: the catalogue shipped with the package).

    Raises CatalogueError listing every problem found.
    """
    base = Path(root) if root is not None else DEFAULT_CATALOGUE
    problems = _Problems()
    laws = _load_laws(problems, base)
    event_types = _load_event_types(problems, base)
    rules: list[Rule] = []
    rule_files = sorted((base / "rules").glob("*.yaml"))
    if not rule_files:
        problems.add("rules/", "", None, "kataloget har ingen regler")
    seen: dict[str, str] = {}
    for path in rule_files:
        file = f"rules/{path.name}"
        data = _read(problems, path, file)
        if data is None:
            continue
        rule = _RuleReader(problems, file, laws, event_types).read(data, path.stem)
        if rule is not None:
            if rule.id in seen:
                problems.add(file, "id", rule.id, f"id'et bruges også i {seen[rule.id]}")
            seen[rule.id] = file
            rules.append(rule)
    if problems.items:
        raise CatalogueError(problems.items)
    rules.sort(key=_rule_order)
    return Catalogue(tuple(rules), event_types, laws, catalogue_version(base))


def _rule_order(rule: Rule) -> tuple[int, str]:
    """Rules read in the order of domain.md §6 (R01–R25), then rules without a reference by id."""
    if rule.ref and rule.ref[1:].isdigit():
        return (int(rule.ref[1:]), rule.id)
    return (99, rule.id)
