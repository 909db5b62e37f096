"""Benchmark of the law engine (`sagstilsyn.law.evaluate`) on a national-scale synthetic population.

    .venv/bin/python bench/law_engine.py [--children N] [--seed S] [--sample K] [--repeat R] [--profile]

1. Generates a deterministic synthetic population (default 100,000 children, one case each, about
   2,000,000 events from 2023-01-01 to 2025-12-31, across the law change on 2024-01-01) with the
   shared generator (sagstilsyn/demo/generator.py, rate profile BENCH). Generation is not measured.
2. Times `evaluate(events, as_of=2025-12-31, catalogue=...)` over every case on one core and prints
   events/s, cases/s, obligations per status and the total against the goal (≤ 30 s on one core).
3. Checks a naive baseline (every rule, every trigger, a linear rescan of all the case's events) against
   the engine, obligation by obligation, on two samples (the first K cases, and the K largest cases),
   and times both on each sample.
4. Ends with one JSON line (the summary).

Absolute times are printed, never asserted. The only failure is a difference between engine and
baseline (exit status 1), so the benchmark doubles as a large randomised equivalence test.
See bench/README.md.
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import io
import json
import math
import os
import platform
import pstats
import random
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sagstilsyn.demo.generator import WINDOW_START, HistoryGenerator
from sagstilsyn.demo.rates import BENCH
from sagstilsyn.law import Catalogue, Event, Obligation, engine, load_catalogue, validate_event
from sagstilsyn.law.calendar import (
    add_days,
    add_hours,
    add_months,
    add_working_days,
    end_of_day,
    holiday_name,
    is_working_day,
    local_date,
)
from sagstilsyn.law.model import STATUSES, AtEvent, EventMatch, ObligationStatus, Offset, Rule

WINDOW_END = date(2025, 12, 31)
AS_OF = WINDOW_END
GOAL_SECONDS = 30.0

# ---------------------------------------------------------------------------------------------------
# 1. The synthetic population
# ---------------------------------------------------------------------------------------------------


def generate_population(children: int, seed: int) -> list[list[Event]]:
    """The national population: the shared generator (sagstilsyn/demo/generator.py), profile BENCH."""
    generator = HistoryGenerator(random.Random(seed), rates=BENCH, last_day=WINDOW_END)  # noqa: S311
    population: list[list[Event]] = []
    for number in range(children):
        course = generator.pick_course()
        history = generator.history(course, generator.first_concern_day(course))
        population.append(
            [
                Event(t, at, attrs, id=f"{number}:{index}")
                for index, (t, at, attrs) in enumerate(history.events)
            ]
        )
    return population


# ---------------------------------------------------------------------------------------------------
# 2. The naive baseline: every rule, every trigger, a linear rescan of all the case's events
# ---------------------------------------------------------------------------------------------------


def _chrono(event: Event) -> tuple[date, float]:
    """Chronological order: by Danish date, then by instant (a date-only event after timed ones)."""
    at = event.at
    return (event.day, at.timestamp() if isinstance(at, datetime) else math.inf)


def _when_ok(allowed: Iterable[tuple[str, frozenset[object]]], event: Event) -> bool:
    return all(event.attrs.get(name) in values for name, values in allowed)


def _back(day: date, offset: Offset) -> date:
    if offset.unit == "months":
        return add_months(day, -offset.amount)
    return day - timedelta(days=offset.amount * (7 if offset.unit == "weeks" else 1))


def _naive_first(
    events: Sequence[Event],
    match: EventMatch,
    trigger: Event,
    due: Any = None,
    previous: date | None = None,
) -> Event | None:
    """The earliest event of `match` in its window around `trigger`, by a scan of all events.

    `previous` is the day of the rule's previous trigger on an earlier day (rules-contract.md §7).
    """
    lower = _back(trigger.day, match.lookback) if match.start == "any" and match.lookback else None
    if match.start == "after_previous_trigger" and previous is not None:
        lower = previous + timedelta(days=1)
    if match.since is not None:
        marks = [e.day for e in events if e.type == match.since and e.day <= trigger.day]
        if marks and (lower is None or max(marks) > lower):
            lower = max(marks)
    timed = isinstance(trigger.at, datetime)
    best: Event | None = None
    best_key: tuple[date, float] | None = None
    for event in events:
        if event.type not in match.events:
            continue
        if lower is not None and event.day < lower:
            continue
        from_trigger = match.start in ("trigger", "after_trigger")
        if from_trigger and timed and isinstance(event.at, datetime):
            if event.at < trigger.at or (match.start == "after_trigger" and event.at == trigger.at):
                continue
        elif from_trigger and (
            event.day < trigger.day or (match.start == "after_trigger" and event.day == trigger.day)
        ):
            continue
        if not _when_ok(match.when.allowed, event):
            continue
        key = _chrono(event)
        if best_key is None or key < best_key:
            best, best_key = event, key
    if best is not None and match.by_due and due is not None and not _in_time(best, due):
        return None
    return best


def _naive_trigger_state_ok(rule: Rule, trigger: Event, events: Sequence[Event]) -> bool:
    """The trigger's age condition (`after_event`) and spell in force (`during`), by plain scans."""
    assert rule.trigger is not None  # noqa: S101 - only rules with a trigger get here
    after, during = rule.trigger.after_event, rule.trigger.during
    if after is not None and not any(e.type == after and e.day <= trigger.day for e in events):
        return False
    if during is None:
        return True
    key = during.key
    for start in events:
        if start.type not in during.started_by or start.day > trigger.day:
            continue
        value = start.attrs.get(key) if key else None
        ended = any(
            end.type in during.ended_by
            and start.day <= end.day <= trigger.day
            and (value is None or (end.attrs.get(key) if key else None) in (None, value))
            for end in events
        )
        if not ended:
            return True
    return False


def _in_time(event: Event, due: date | datetime) -> bool:
    """The event comes at or before the deadline (a date deadline runs to the end of its day)."""
    if isinstance(due, datetime):
        if isinstance(event.at, datetime):
            return event.at <= due
        return end_of_day(event.day) <= due
    return event.day <= due


def _naive_due(rule: Rule, trigger: Event, events: Sequence[Event]) -> date | datetime | None:
    version = rule.version_on(trigger.day)
    if version is None:
        return None
    for arm in version.deadline:
        if not _when_ok(arm.when.allowed, trigger):
            continue
        candidates: list[date | datetime] = []
        for part in arm.parts:
            if isinstance(part, AtEvent):
                found = _naive_first(events, EventMatch((part.event_type,), start="after_trigger"), trigger)
                if found is not None:
                    candidates.append(found.day)
            elif part.unit == "hours":
                candidates.append(add_hours(trigger.at, part.amount))  # type: ignore[arg-type]
            elif part.unit == "days":
                candidates.append(add_days(trigger.day, part.amount))
            elif part.unit == "weeks":
                candidates.append(add_days(trigger.day, 7 * part.amount))
            elif part.unit == "working_days":
                candidates.append(add_working_days(trigger.day, part.amount))
            else:
                candidates.append(add_months(trigger.day, part.amount))
        return min(candidates, key=local_date) if candidates else None
    return None


def _naive_warnings(due: date | datetime) -> tuple[str, ...]:
    if isinstance(due, datetime) or is_working_day(due):
        return ()
    return (f"Fristen udløber {due.isoformat()} ({holiday_name(due) or 'weekend'}), som ikke er en hverdag.",)


def naive_evaluate(events: Iterable[Event], *, as_of: date, catalogue: Catalogue) -> list[Obligation]:
    """The straightforward implementation of rules-contract.md, for comparison with the engine."""
    known = []
    for event in events:
        validate_event(event, catalogue)
        if event.day <= as_of:
            known.append(event)
    as_of_instant = end_of_day(as_of)
    out: list[Obligation] = []
    for rule in catalogue.rules:
        if rule.trigger is None or rule.satisfied_by is None:
            continue
        triggers = sorted(
            (
                e
                for e in known
                if e.type in rule.trigger.events
                and _when_ok(rule.trigger.when.allowed, e)
                and _naive_trigger_state_ok(rule, e, known)
            ),
            key=_chrono,
        )
        for trigger in triggers:
            if rule.kind == "recurring":
                out.extend(_naive_periods(rule, trigger, known, as_of, catalogue))
                continue
            due = _naive_due(rule, trigger, known)
            if due is None:
                continue
            version = rule.version_on(trigger.day)
            if version is None:
                continue
            earlier = [t.day for t in triggers if t.day < trigger.day]
            previous = max(earlier) if earlier else None
            released_by = version.released_by or rule.released_by
            satisfied_by = version.satisfied_by or rule.satisfied_by
            released = _naive_first(known, released_by, trigger, due, previous) if released_by else None
            satisfier = _naive_first(known, satisfied_by, trigger, None, previous)
            unmet_only = released_by is not None and released_by.only_if_unmet
            met_first = bool(satisfier and released and _chrono(satisfier) <= _chrono(released))
            if unmet_only and met_first:
                released = None  # met before the release came
            if released is not None:
                satisfier = None
            if released is not None:
                status = "not_applicable"
            elif satisfier is not None:
                status = "met" if _in_time(satisfier, due) else "met_late"
            elif isinstance(due, datetime):
                status = "overdue" if as_of_instant > due else "open"
            else:
                status = "overdue" if as_of > due else "open"
            out.append(
                _naive_obligation(
                    rule,
                    version,
                    trigger,
                    catalogue,
                    due=due,
                    status=status,
                    satisfied_by=satisfier,
                    explanation=f"Frist {due.isoformat()} fra {trigger.type} {trigger.at.isoformat()}.",
                    released_by=released,
                )
            )
    return out


def _naive_obligation(  # noqa: PLR0913 - one argument per field of the engine's Obligation
    rule: Rule,
    version: Any,
    trigger: Event,
    catalogue: Catalogue,
    *,
    due: date | datetime,
    status: str,
    satisfied_by: Event | None,
    explanation: str,
    released_by: Event | None = None,
    period_start: date | None = None,
    required_count: int | None = None,
) -> Obligation:
    """The baseline's Obligation, with the same identifying fields as the engine's."""
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
        status=ObligationStatus(status),
        satisfied_by=satisfied_by,
        catalogue_version=catalogue.version,
        explanation=explanation,
        released_by=released_by,
        period_start=period_start,
        required_count=required_count,
        warnings=_naive_warnings(due),
    )


def _naive_periods(
    rule: Rule, trigger: Event, known: Sequence[Event], as_of: date, catalogue: Catalogue
) -> list[Obligation]:
    """Recurring rule: one obligation per period from the trigger until it ends or as_of."""
    out: list[Obligation] = []
    if rule.satisfied_by is None:
        return out
    ended = _naive_first(known, rule.ended_by, trigger) if rule.ended_by else None
    first_version = rule.version_on(trigger.day)
    if first_version is None or first_version.period is None:
        return out
    period = first_version.period
    number = 0
    while True:
        if period.unit == "months":
            start = add_months(trigger.day, period.amount * number)
            following = add_months(trigger.day, period.amount * (number + 1))
        else:
            step = period.amount * (7 if period.unit == "weeks" else 1)
            start = trigger.day + timedelta(days=step * number)
            following = trigger.day + timedelta(days=step * (number + 1))
        number += 1
        if start > as_of or (ended is not None and start >= ended.day):
            break
        version = rule.version_on(start)
        if version is None or version.min_count is None:
            continue
        last = following - timedelta(days=1)
        required = version.min_count
        if ended is not None and ended.day <= last:  # a shortened last period: a proportional number
            share = ((ended.day - start).days + 1) / (following - start).days
            required = max(1, math.ceil(version.min_count * share))
            last = ended.day
        found = sorted(
            (
                e
                for e in known
                if e.type in rule.satisfied_by.events
                and start <= e.day <= last
                and _when_ok(rule.satisfied_by.when.allowed, e)
            ),
            key=_chrono,
        )
        satisfier = found[required - 1] if len(found) >= required else None
        status = "met" if satisfier else ("overdue" if as_of > last else "open")
        out.append(
            _naive_obligation(
                rule,
                version,
                trigger,
                catalogue,
                due=last,
                status=status,
                satisfied_by=satisfier,
                explanation=f"Mindst {required} i perioden {start.isoformat()}–{last.isoformat()}; "
                f"registreret: {len(found)}.",
                period_start=start,
                required_count=required,
            )
        )
    return out


# ---------------------------------------------------------------------------------------------------
# 3. Equivalence and timing
# ---------------------------------------------------------------------------------------------------


def _moment(event: Event | None) -> object:
    """Events are compared by when they happened (two same-day events of a pair of types may tie)."""
    if event is None:
        return None
    return event.at.astimezone(UTC) if isinstance(event.at, datetime) else event.at


def obligation_key(o: Obligation) -> tuple[object, ...]:
    due = o.due.astimezone(UTC) if isinstance(o.due, datetime) else o.due
    return (
        o.rule_id,
        o.trigger.id,
        due,
        o.status,
        o.law,
        o.valid_from,
        _moment(o.satisfied_by),
        _moment(o.released_by),
        o.period_start,
        o.required_count,
        bool(o.warnings),
    )


KEY_FIELDS = (
    "rule",
    "trigger",
    "due",
    "status",
    "law",
    "valid_from",
    "satisfied_at",
    "released_at",
    "period_start",
    "required",
    "warned",
)


def check_equivalence(cases: Sequence[list[Event]], catalogue: Catalogue) -> list[str]:
    """Engine and baseline obligation by obligation; a readable report of every difference."""
    problems: list[str] = []
    for events in cases:
        computed = [obligation_key(o) for o in engine.evaluate(events, as_of=AS_OF, catalogue=catalogue)]
        naive = [obligation_key(o) for o in naive_evaluate(events, as_of=AS_OF, catalogue=catalogue)]
        if computed == naive:
            continue
        child = events[0].id.split(":")[0] if events and events[0].id else "?"
        lines = [f"case (child {child}): engine {len(computed)} obligations, baseline {len(naive)}"]
        for index in range(max(len(computed), len(naive))):
            e = computed[index] if index < len(computed) else None
            n = naive[index] if index < len(naive) else None
            if e != n:
                lines.append(f"  #{index} engine:   {_show(e)}")
                lines.append(f"  #{index} baseline: {_show(n)}")
        lines.append(
            "  events: "
            + "; ".join(
                f"{ev.id} {ev.type} {ev.at.isoformat()} {dict(ev.attrs)}"
                for ev in sorted(events, key=_chrono)
            )
        )
        problems.append("\n".join(lines))
    return problems


def _show(key: tuple[object, ...] | None) -> str:
    if key is None:
        return "(none)"
    return ", ".join(f"{name}={value}" for name, value in zip(KEY_FIELDS, key, strict=True))


def run_all(
    evaluate: Callable[..., list[Obligation]], cases: Sequence[list[Event]], catalogue: Catalogue
) -> tuple[float, float, Counter[str]]:
    """Evaluate every case; (wall seconds, CPU seconds, obligations per status). Results are not kept."""
    statuses: Counter[str] = Counter()
    wall0, cpu0 = time.perf_counter(), time.process_time()
    for events in cases:
        for obligation in evaluate(events, as_of=AS_OF, catalogue=catalogue):
            statuses[obligation.status] += 1
    return time.perf_counter() - wall0, time.process_time() - cpu0, statuses


def pin_to_one_core() -> str:
    try:
        allowed = sorted(os.sched_getaffinity(0))
        os.sched_setaffinity(0, {allowed[0]})
        return f"pinned to CPU {allowed[0]} (of {len(allowed)} allowed)"
    except (AttributeError, OSError):
        return "not pinned (no sched_setaffinity); Python runs on one core anyway"


def profile_engine(cases: Sequence[list[Event]], catalogue: Catalogue, top: int) -> str:
    profiler = cProfile.Profile()
    profiler.enable()
    for events in cases:
        engine.evaluate(events, as_of=AS_OF, catalogue=catalogue)
    profiler.disable()
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    stats.sort_stats("tottime").print_stats(top)
    stats.sort_stats("cumulative").print_stats(top)
    return out.getvalue()


def _arguments(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--children", type=int, default=100_000, help="children (= cases); default 100000")
    parser.add_argument("--seed", type=int, default=20240101, help="random seed; default 20240101")
    parser.add_argument("--sample", type=int, default=2_000, help="cases in the baseline check; default 2000")
    parser.add_argument("--repeat", type=int, default=5, help="timing repetitions on the sample; default 5")
    parser.add_argument(
        "--profile",
        type=int,
        nargs="?",
        const=10_000,
        default=0,
        metavar="CASES",
        help="also profile the engine (cProfile) on the first CASES cases (default 10000)",
    )
    parser.add_argument(
        "--keep-going", action="store_true", help="report differences from the baseline but carry on timing"
    )
    return parser.parse_args(argv)


def _population(children: int, seed: int) -> list[list[Event]]:
    """The synthetic population, described; generating it is not measured."""
    t0 = time.perf_counter()
    cases = generate_population(children, seed)
    n_events = sum(len(c) for c in cases)
    types = Counter(e.type for c in cases for e in c)
    sizes = sorted(len(c) for c in cases)
    print(
        f"\nGenerated {len(cases):,} cases, {n_events:,} events (seed {seed}, "
        f"{WINDOW_START}..{WINDOW_END}) in {time.perf_counter() - t0:.1f} s — not measured"
    )
    print(
        f"  events per case: mean {n_events / max(len(cases), 1):.1f}, median {sizes[len(sizes) // 2]}, "
        f"p99 {sizes[int(len(sizes) * 0.99)]}, max {sizes[-1]}"
    )
    print("  events per type: " + ", ".join(f"{t} {n:,}" for t, n in types.most_common()))
    return cases


def _time_sample(sample: Sequence[list[Event]], catalogue: Catalogue, repeat: int) -> dict[str, float]:
    """Engine and baseline timed on one sample, interleaved so that drift hits both alike."""
    engine_times: list[float] = []
    naive_times: list[float] = []
    for _ in range(repeat):
        engine_times.append(run_all(engine.evaluate, sample, catalogue)[0])
        naive_times.append(run_all(naive_evaluate, sample, catalogue)[0])
    e_med, n_med = statistics.median(engine_times), statistics.median(naive_times)
    ratio = n_med / e_med
    print(
        f"  timing, {repeat} repetitions (median / min): "
        f"engine {e_med * 1000:.0f} / {min(engine_times) * 1000:.0f} ms, "
        f"baseline {n_med * 1000:.0f} / {min(naive_times) * 1000:.0f} ms"
    )
    print(
        f"  ratio baseline / engine: {ratio:.2f}x (median), {min(naive_times) / min(engine_times):.2f}x (min)"
    )
    return {"engine_s": round(e_med, 4), "baseline_s": round(n_med, 4), "ratio": round(ratio, 2)}


def _whole_population(cases: Sequence[list[Event]], catalogue: Catalogue) -> dict[str, Any]:
    """Every case evaluated once; the figures for the summary."""
    print(f"\nEvaluating all {len(cases):,} cases with as_of={AS_OF} ...", flush=True)
    n_events = sum(len(c) for c in cases)
    wall, cpu, statuses = run_all(engine.evaluate, cases, catalogue)
    n_obligations = sum(statuses.values())
    print(f"  total {wall:.2f} s wall, {cpu:.2f} s CPU")
    print(
        f"  {n_events / wall:,.0f} events/s, {len(cases) / wall:,.0f} cases/s, "
        f"{n_obligations / wall:,.0f} obligations/s"
    )
    print(f"  obligations: {n_obligations:,} — " + ", ".join(f"{s} {statuses.get(s, 0):,}" for s in STATUSES))
    # The goal is stated for the national population; scale linearly when run smaller.
    projected = wall * 100_000 / len(cases) if len(cases) else 0.0
    met = projected <= GOAL_SECONDS
    scale = "" if len(cases) == 100_000 else f" (projected to 100,000 cases: {projected:.1f} s)"
    print(
        f"  goal ≤ {GOAL_SECONDS:.0f} s on one core for 100,000 cases: {wall:.1f} s{scale} → "
        f"{'MET' if met else 'NOT MET'}"
    )
    return {
        "events": n_events,
        "obligations": n_obligations,
        "statuses": {s: statuses.get(s, 0) for s in STATUSES},
        "wall_s": round(wall, 3),
        "cpu_s": round(cpu, 3),
        "events_per_s": round(n_events / wall),
        "cases_per_s": round(len(cases) / wall),
        "goal_s": GOAL_SECONDS,
        "projected_100k_s": round(projected, 3),
        "goal_met": met,
    }


def main(argv: Sequence[str] | None = None) -> int:
    args = _arguments(argv)
    catalogue = load_catalogue()
    pinned = pin_to_one_core()
    print(
        f"Sagstilsyn law engine benchmark — Python {platform.python_version()} "
        f"on {platform.machine()}, {pinned}"
    )
    print(
        f"catalogue {catalogue.version}: {len(catalogue.rules)} rules "
        f"({sum(r.trigger is not None for r in catalogue.rules)} computed), "
        f"{len(catalogue.event_types)} event types"
    )
    cases = _population(args.children, args.seed)
    # The population is held in memory only for the benchmark; keep the collector from rescanning it.
    gc.collect()
    gc.freeze()

    # -- Equivalence with the baseline, and timing of both, on two samples -------------------------------
    k = min(args.sample, len(cases))
    samples = {
        "representative": cases[:k],  # the first k children: the population's mix
        "largest": sorted(cases, key=len, reverse=True)[:k],  # the longest case histories
    }
    problems: list[str] = []
    ratios: dict[str, dict[str, float]] = {}
    for name, sample in samples.items():
        print(f"\nSample '{name}': {len(sample):,} cases, {sum(map(len, sample)):,} events")
        print("  equivalence with the naive baseline: ", end="", flush=True)
        found = check_equivalence(sample, catalogue)
        problems += found
        if found:
            print(f"{len(found)} CASES DIFFER")
            for text in found[:10]:
                print(text)
            if not args.keep_going:
                print("\nFAIL: the engine and the naive baseline disagree (see above).", file=sys.stderr)
                print(json.dumps({"bench": "law_engine", "ok": False, "differing_cases": len(found)}))
                return 1
        else:
            print("identical obligations (rule, trigger, due, status, law, satisfier, release, period)")
        ratios[name] = _time_sample(sample, catalogue, args.repeat)

    # -- The whole population -------------------------------------------------------------------------
    figures = _whole_population(cases, catalogue)
    if args.profile:
        subset = cases[: args.profile]
        print(f"\ncProfile of the engine on {len(subset):,} cases (tottime, then cumulative):")
        print(profile_engine(subset, catalogue, 25))

    summary = {
        "bench": "law_engine",
        "ok": not problems,
        "children": len(cases),
        "seed": args.seed,
        **figures,
        "sample": k,
        "repeat": args.repeat,
        "baseline_ratio": ratios["representative"]["ratio"],
        "baseline_ratio_largest": ratios["largest"]["ratio"],
        "samples": ratios,
        "differing_cases": len(problems),
    }
    print(json.dumps(summary))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
