"""Danish wording of the rule structure (regelbeskrivelser), shared by the CLI and the web pages.

Turns triggers, conditions, satisfying events and deadlines into sentences such as
"Afgørelse om foranstaltning (foranstaltning er anbringelse med samtykke)" or
"3 måneder efter «Foranstaltning iværksat»".
"""

from __future__ import annotations

from collections.abc import Iterable

from sagstilsyn.law.engine import describe_offset
from sagstilsyn.law.model import (
    AtEvent,
    Catalogue,
    Condition,
    DeadlineCase,
    EventMatch,
    Offset,
    Rule,
    RuleVersion,
)


def event_label(catalogue: Catalogue, type_id: str) -> str:
    event_type = catalogue.event_types.get(type_id)
    return event_type.label if event_type else type_id


def condition_text(catalogue: Catalogue, condition: Condition, event_types: Iterable[str]) -> str:
    """E.g. 'underretter er fagperson (skærpet underretningspligt)'; empty when there is no condition."""
    types = [catalogue.event_types[t] for t in event_types if t in catalogue.event_types]
    parts: list[str] = []
    for name, values in condition.allowed:
        spec = next((t.attributes[name] for t in types if name in t.attributes), None)
        if spec is None:
            parts.append(f"{name} er {' eller '.join(sorted(map(str, values)))}")
            continue
        if spec.kind == "bool":
            shown = sorted("ja" if value is True else "nej" for value in values)
        else:
            shown = sorted(spec.values.get(str(value), str(value)).lower() for value in values)
        parts.append(f"{spec.label.lower()} er {' eller '.join(shown)}")
    return "; ".join(parts)


def events_text(catalogue: Catalogue, events: tuple[str, ...], condition: Condition) -> str:
    text = " eller ".join(event_label(catalogue, t) for t in events)
    extra = condition_text(catalogue, condition, events)
    return f"{text} ({extra})" if extra else text


def match_text(catalogue: Catalogue, match: EventMatch | None) -> str | None:
    """Which events satisfy, release or end a requirement, and from when they count."""
    if match is None:
        return None
    text = events_text(catalogue, match.events, match.when)
    if match.start == "after_trigger":
        text += ", efter den udløsende hændelse"
    elif match.start == "any":
        text += ", også før den udløsende hændelse"
        if match.lookback is not None:
            text += f" (højst {describe_offset(match.lookback)} før)"
    elif match.start == "after_previous_trigger":
        text += ", efter den forrige udløsende hændelse i sagen (eller når som helst, hvis der ikke er nogen)"
    if match.since is not None:
        text += f", tidligst fra «{event_label(catalogue, match.since)}»"
    if match.by_due:
        text += ", senest ved fristen"
    if match.only_if_unmet:
        text += ", medmindre kravet allerede var opfyldt"
    return text


def trigger_text(catalogue: Catalogue, rule: Rule) -> str | None:
    """The triggering events, their condition, and when they count (age, a measure in force)."""
    trigger = rule.trigger
    if trigger is None:
        return None
    text = events_text(catalogue, trigger.events, trigger.when)
    if trigger.after_event is not None:
        text += f", når «{event_label(catalogue, trigger.after_event)}» ligger på eller før dagen"
    if trigger.during is not None:
        started = " eller ".join(event_label(catalogue, t).lower() for t in trigger.during.started_by)
        ended = " eller ".join(event_label(catalogue, t).lower() for t in trigger.during.ended_by)
        text += f", når en af disse er i kraft på dagen: {started} (indtil {ended})"
    return text


def _trigger_name(catalogue: Catalogue, rule: Rule) -> str:
    """The triggering event(s) by name, e.g. «Underretning modtaget», for a deadline sentence."""
    if rule.trigger is None:
        return "den udløsende hændelse"
    return " eller ".join(f"«{event_label(catalogue, t)}»" for t in rule.trigger.events)


def _part_text(catalogue: Catalogue, part: Offset | AtEvent, trigger: str) -> str:
    if isinstance(part, AtEvent):
        return f"når «{event_label(catalogue, part.event_type)}» foreligger"
    if part.amount == 0:
        return f"senest samme dag som {trigger}"
    return f"{describe_offset(part)} efter {trigger}"


def _case_text(catalogue: Catalogue, case: DeadlineCase, rule: Rule) -> str:
    trigger = _trigger_name(catalogue, rule)
    parts = [_part_text(catalogue, part, trigger) for part in case.parts]
    text = parts[0] if len(parts) == 1 else "det tidligste af: " + "; ".join(parts)
    condition = condition_text(catalogue, case.when, rule.trigger.events if rule.trigger else ())
    return f"Når {condition}: {text}" if condition else text[:1].upper() + text[1:]


def deadline_texts(catalogue: Catalogue, rule: Rule, version: RuleVersion) -> tuple[str, ...]:
    """The deadline of one version, one sentence per arm; empty for review items."""
    if rule.kind == "deadline":
        return tuple(_case_text(catalogue, case, rule) for case in version.deadline)
    if rule.kind == "recurring" and version.period is not None:
        count = version.min_count or 1
        times = "gang" if count == 1 else "gange"
        return (f"Mindst {count} {times} inden for hver periode på {describe_offset(version.period)}",)
    return ()
