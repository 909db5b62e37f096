"""Jurist case files (juristcases): YAML cases a lawyer writes to test the catalogue.

The format is public (rules-contract.md §3). Extensions beyond the contract, all optional:
an event may carry `id`; an expectation may check `valid_from`, `trigger` and `satisfied_by`
(event ids, or null for "not satisfied"); a case may list `absent:` rule ids that must produce no
obligation; a case may carry a `description`; a case may give the child's `birth_date`, from which the
engine derives the 16th birthday (derived event types cannot be written as events).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence, Set
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sagstilsyn.law.calendar import local_date
from sagstilsyn.law.engine import EventError, evaluate, format_moment, validate_event
from sagstilsyn.law.model import STATUSES, Catalogue, Event, Moment, Obligation
from sagstilsyn.law.yamlio import YamlReadError, parse_date, parse_moment, read_yaml
from sagstilsyn.law.yes_no import YES_NO_WORDS, parse_yes_no

CASE_KEYS = {"name", "description", "as_of", "birth_date", "events", "expect", "absent"}
EXPECT_KEYS = {"rule", "status", "due", "law", "valid_from", "trigger", "satisfied_by"}
EVENT_RESERVED = {"type", "at", "id"}
_UNSET = object()


class CaseFileError(ValueError):
    """A malformed case file; the Danish message names the file, the case and the field."""

    def __init__(self, file: str, case: str, field_name: str, message: str):
        self.file, self.case, self.field_name = file, case, field_name
        where = f"{file}: case '{case}'" if case else file
        if field_name:
            where += f", felt '{field_name}'"
        super().__init__(f"{where}: {message}")


@dataclass(frozen=True, slots=True)
class Expectation:
    rule: str
    status: str
    due: Moment | None = None
    law: str | None = None
    valid_from: date | None = None
    trigger: str | None = None
    satisfied_by: object = _UNSET  # an event id, None (not satisfied), or _UNSET (not checked)


@dataclass(frozen=True, slots=True)
class JuristCase:
    file: str
    name: str
    as_of: Moment
    events: tuple[Event, ...]
    expect: tuple[Expectation, ...]
    absent: tuple[str, ...] = ()
    birth_date: date | None = None


@dataclass(slots=True)
class CaseResult:
    case: JuristCase
    failures: list[str] = field(default_factory=list)
    matched: list[Obligation] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return not self.failures


def _parse_event(file: str, case: str, where: str, raw: object, catalogue: Catalogue) -> Event:
    if not isinstance(raw, Mapping):
        raise CaseFileError(file, case, where, "en hændelse skal have felterne type og at")
    type_id = raw.get("type")
    if not isinstance(type_id, str) or type_id not in catalogue.event_types:
        known = ", ".join(sorted(catalogue.event_types))
        raise CaseFileError(
            file, case, f"{where}.type", f"ukendt hændelsestype {type_id!r}; kendte er {known}"
        )
    if "at" not in raw:
        raise CaseFileError(file, case, f"{where}.at", "mangler")
    try:
        at = parse_moment(raw["at"])
    except ValueError as error:
        raise CaseFileError(file, case, f"{where}.at", str(error)) from None
    event_type = catalogue.event_types[type_id]
    attrs: dict[str, object] = {}
    for key, value in raw.items():
        if key in EVENT_RESERVED:
            continue
        spec = event_type.attributes.get(str(key))
        if spec is None:
            allowed = ", ".join(event_type.attributes) or "ingen"
            raise CaseFileError(
                file, case, f"{where}.{key}", f"'{type_id}' har ingen egenskab '{key}' (tilladte: {allowed})"
            )
        if spec.kind == "bool":
            flag = parse_yes_no(value)
            if flag is None:
                raise CaseFileError(
                    file, case, f"{where}.{key}", f"'{value}' er ikke ja/nej; brug {YES_NO_WORDS}"
                )
            attrs[str(key)] = flag
        else:
            attrs[str(key)] = value
    event_id = raw.get("id")
    event = Event(type_id, at, attrs, str(event_id) if event_id is not None else None)
    try:
        validate_event(event, catalogue)
    except EventError as error:
        raise CaseFileError(file, case, where, str(error)) from None
    return event


def _parse_expect(file: str, case: str, where: str, raw: object, catalogue: Catalogue) -> Expectation:
    if not isinstance(raw, Mapping):
        raise CaseFileError(file, case, where, "en forventning skal have felterne rule og status")
    for key in raw:
        if key not in EXPECT_KEYS:
            raise CaseFileError(
                file, case, f"{where}.{key}", f"ukendt felt; tilladte er {', '.join(sorted(EXPECT_KEYS))}"
            )
    rule_id = raw.get("rule")
    known_rules = {rule.id for rule in catalogue.rules}
    if rule_id not in known_rules:
        raise CaseFileError(file, case, f"{where}.rule", f"ukendt regel {rule_id!r}")
    status = raw.get("status")
    if status not in STATUSES:
        raise CaseFileError(
            file, case, f"{where}.status", f"{status!r} er ikke en status; brug {', '.join(STATUSES)}"
        )
    due = None
    if raw.get("due") is not None:
        try:
            due = parse_moment(raw["due"])
        except ValueError as error:
            raise CaseFileError(file, case, f"{where}.due", str(error)) from None
    law = raw.get("law")
    if law is not None and law not in catalogue.laws:
        raise CaseFileError(file, case, f"{where}.law", f"ukendt lov {law!r}")
    valid_from = None
    if raw.get("valid_from") is not None:
        try:
            valid_from = parse_date(raw["valid_from"])
        except ValueError as error:
            raise CaseFileError(file, case, f"{where}.valid_from", str(error)) from None
    trigger = raw.get("trigger")
    satisfied: object = raw.get("satisfied_by", _UNSET)
    return Expectation(
        str(rule_id),
        str(status),
        due,
        law,
        valid_from,
        str(trigger) if trigger is not None else None,
        str(satisfied) if satisfied not in (None, _UNSET) else satisfied,
    )


def parse_case_file(
    path: Path | str, catalogue: Catalogue, *, display: str | None = None
) -> list[JuristCase]:
    """Read one case file. Raises CaseFileError (Danish, naming file, case and field)."""
    file = display or str(path)
    try:
        data = read_yaml(Path(path))
    except YamlReadError as error:
        raise CaseFileError(file, "", "", error.detail) from None
    if not isinstance(data, list) or not data:
        raise CaseFileError(file, "", "", "filen skal indeholde en ikke-tom liste af cases")
    cases: list[JuristCase] = []
    for index, raw in enumerate(data):
        cases.append(_parse_case(file, f"nr. {index + 1}", raw, catalogue, {case.name for case in cases}))
    return cases


def _parse_case(file: str, label: str, raw: object, catalogue: Catalogue, taken: Set[str]) -> JuristCase:
    """One case; `label` names it until its own name (not one of the names `taken`) is read."""
    if not isinstance(raw, Mapping):
        raise CaseFileError(file, label, "", "en case skal være en samling af felter")
    name = raw.get("name")
    if not isinstance(name, str) or not name.strip():
        raise CaseFileError(file, label, "name", "mangler")
    if name in taken:
        raise CaseFileError(file, name, "name", "navnet bruges af en anden case i filen")
    for key in raw:
        if key not in CASE_KEYS:
            raise CaseFileError(
                file, name, str(key), f"ukendt felt; tilladte er {', '.join(sorted(CASE_KEYS))}"
            )
    if "as_of" not in raw:
        raise CaseFileError(file, name, "as_of", "mangler")
    try:
        as_of = parse_moment(raw["as_of"])
    except ValueError as error:
        raise CaseFileError(file, name, "as_of", str(error)) from None
    birth_date = None
    if raw.get("birth_date") is not None:
        try:
            birth_date = parse_date(raw["birth_date"])
        except ValueError as error:
            raise CaseFileError(file, name, "birth_date", str(error)) from None
    raw_events = raw.get("events") or []
    if not isinstance(raw_events, list):
        raise CaseFileError(file, name, "events", "skal være en liste")
    events = tuple(
        _parse_event(file, name, f"events[{i}]", item, catalogue) for i, item in enumerate(raw_events)
    )
    expect, absent = _parse_expectations(file, name, raw, catalogue)
    return JuristCase(file, name, as_of, events, expect, absent, birth_date)


def _parse_expectations(
    file: str, name: str, raw: Mapping[str, Any], catalogue: Catalogue
) -> tuple[tuple[Expectation, ...], tuple[str, ...]]:
    """A case's `expect` (obligations) and `absent` (rule ids with none); at least one of them."""
    raw_expect = raw.get("expect") or []
    raw_absent = raw.get("absent") or []
    if not isinstance(raw_expect, list):
        raise CaseFileError(file, name, "expect", "skal være en liste")
    if not isinstance(raw_absent, list) or not all(isinstance(item, str) for item in raw_absent):
        raise CaseFileError(file, name, "absent", "skal være en liste af regel-id'er")
    if not raw_expect and not raw_absent:
        raise CaseFileError(
            file, name, "expect", "en case skal forvente mindst én forpligtelse (eller absent)"
        )
    known_rules = {rule.id for rule in catalogue.rules}
    for item in raw_absent:
        if item not in known_rules:
            raise CaseFileError(file, name, "absent", f"ukendt regel {item!r}")
    expect = tuple(
        _parse_expect(file, name, f"expect[{i}]", item, catalogue) for i, item in enumerate(raw_expect)
    )
    return expect, tuple(raw_absent)


def _same_moment(expected: Moment, actual: Moment) -> bool:
    if isinstance(expected, datetime) and isinstance(actual, datetime):
        return expected == actual  # aware datetimes compare as instants
    if isinstance(expected, datetime) or isinstance(actual, datetime):
        if isinstance(expected, datetime):
            return False  # a time was expected, the rule gives a whole day
        return expected == local_date(actual)
    return expected == actual


def _show(moment: Moment | None) -> str:
    if moment is None:
        return "-"
    return moment.isoformat()


def _order(obligation: Obligation) -> tuple[Any, ...]:
    trigger = obligation.trigger
    instant = trigger.at.timestamp() if isinstance(trigger.at, datetime) else float("inf")
    return (trigger.day, instant, obligation.period_start or date.min)


def run_case(case: JuristCase, catalogue: Catalogue) -> CaseResult:
    """Evaluate one case and compare with what it expects."""
    result = CaseResult(case)
    try:
        obligations = evaluate(case.events, as_of=case.as_of, catalogue=catalogue, birth_date=case.birth_date)
    except EventError as error:
        result.failures.append(f"kunne ikke beregnes: {error}")
        return result
    by_rule: dict[str, list[Obligation]] = {}
    for obligation in sorted(obligations, key=_order):
        by_rule.setdefault(obligation.rule_id, []).append(obligation)
    seen: dict[str, int] = {}
    for expectation in case.expect:
        number = seen.get(expectation.rule, 0)
        seen[expectation.rule] = number + 1
        actual_list = by_rule.get(expectation.rule, [])
        what = f"regel {expectation.rule}" + (f" (nr. {number + 1})" if number else "")
        if number >= len(actual_list):
            result.failures.append(
                f"{what}: forventede en forpligtelse med status {expectation.status}, men ingen blev dannet"
            )
            continue
        actual = actual_list[number]
        result.matched.append(actual)
        problems: list[str] = []
        if actual.status != expectation.status:
            problems.append(f"status: forventet {expectation.status}, fik {actual.status}")
        if expectation.due is not None and not _same_moment(expectation.due, actual.due):
            problems.append(f"frist: forventet {_show(expectation.due)}, fik {_show(actual.due)}")
        if expectation.law is not None and actual.law != expectation.law:
            problems.append(f"lov: forventet {expectation.law}, fik {actual.law}")
        if expectation.valid_from is not None and actual.valid_from != expectation.valid_from:
            problems.append(
                f"version: forventet gældende fra {expectation.valid_from.isoformat()}, "
                f"fik {actual.valid_from.isoformat()}"
            )
        if expectation.trigger is not None and actual.trigger.id != expectation.trigger:
            problems.append(f"udløser: forventet {expectation.trigger}, fik {actual.trigger.id}")
        if expectation.satisfied_by is not _UNSET:
            got = actual.satisfied_by.id if actual.satisfied_by else None
            if got != expectation.satisfied_by:
                problems.append(f"opfyldt af: forventet {expectation.satisfied_by}, fik {got}")
        if problems:
            detail = "; ".join(problems)
            result.failures.append(
                f"{what}: {detail} [{actual.explanation} Frist {format_moment(actual.due)}]"
            )
    for rule_id in case.absent:
        if by_rule.get(rule_id):
            statuses = ", ".join(o.status for o in by_rule[rule_id])
            result.failures.append(
                f"regel {rule_id}: forventede ingen forpligtelse, fik {len(by_rule[rule_id])} ({statuses})"
            )
    return result


def case_files(paths: Sequence[Path | str]) -> list[Path]:
    """Expand directories to the YAML files inside them, sorted."""
    found: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found.extend(sorted([*path.rglob("*.yaml"), *path.rglob("*.yml")]))
        else:
            found.append(path)
    return found
