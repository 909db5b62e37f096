"""Benchmark of the compliance figures at national scale (issue 14 §7): a quarter's data-pillar table for
every rule × unit, and the per-child composite, each against the same aggregate written by hand in SQL in
the same run; then the committee report end to end, where that module exists.

    .venv/bin/python bench/compliance.py [--children 100000] [--per-child 20] [--units 10]
        [--period 2025Q2] [--as-of 2025-07-15] [--repeat 5] [--database-url URL] [--small] [--reuse]

In a throwaway database (--database-url: a SQLite file, or a PostgreSQL database whose name holds "bench",
dropped and created; default a SQLite file in a temporary directory, removed afterwards) it writes a
synthetic country, not timed: --children children in one municipality, one case each (one child in twenty
has a second case in another unit), --units units; per case 12 events over 2023-2025 and about
--per-child obligations of the catalogue's computed rules (default 20: about 2 million obligations),
their triggers, satisfying and releasing events drawn from the case's own events, statuses mixed as a
municipality's are (met, met late, overdue, open, not applicable). Rows go in through the store helpers:
COPY on PostgreSQL (`case_store().insert_rows`), plain INSERTs on SQLite (`core.store.rows.rows_insert`).

Then, best of --repeat each, interleaved:
- **data**: `data_figures` for the quarter (every rule × unit and ALL), against **hand SQL** (one GROUP BY
  with the same joins and filters, ALL summed in Python); the figures must be equal (exit 1 otherwise);
- **compliance**: `compliance_figures` (both pillars; the bench writes no reviews), for the record;
- **composite**: `child_composite` against its hand SQL (children grouped, then counted); equal or exit 1;
- **committee report end to end**: `committee_report_make` (figures computed and stored), then the PDF
  and the XLSX rendered, rolled back.

Issue 14's goals: the table within 2× the hand SQL and under one second; the committee report under 30 s.
Times and ratios are printed, never asserted; one JSON line at the end. See bench/README.md.
"""

from __future__ import annotations

import argparse
import json
import platform
import random
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.sampling_programme import recreate_postgres, setup_django

#: Obligation statuses and their shares in the synthetic population.
STATUSES = (("met", 0.68), ("met_late", 0.12), ("overdue", 0.08), ("open", 0.04), ("not_applicable", 0.08))
EVENTS_PER_CASE = 12
FIRST_DAY, DAYS = date(2023, 1, 1), 3 * 365


class Writer:
    """Rows into a table with explicit ids, through the store helpers of the database at hand."""

    def __init__(self) -> None:
        from django.db import connection

        self.connection = connection
        self.postgres = connection.vendor == "postgresql"

    def date(self, value: date) -> Any:
        return value if self.postgres else self.connection.ops.adapt_datefield_value(value)

    def instant(self, value: datetime) -> Any:
        return value if self.postgres else self.connection.ops.adapt_datetimefield_value(value)

    def json(self, value: object) -> Any:
        return value if self.postgres else json.dumps(value)

    def insert(self, model: Any, fields: Sequence[str], rows: list[tuple[Any, ...]]) -> None:
        if self.postgres:
            from sagstilsyn.cases.store import case_store

            case_store().insert_rows(model, fields, rows)
        else:
            from sagstilsyn.core.store.rows import rows_insert

            rows_insert(model, fields, rows, ids=False)

    def next_id(self, model: Any) -> int:
        from django.db.models import Max

        return int(model.objects.aggregate(last=Max("pk"))["last"] or 0) + 1

    def reset_sequences(self, models: Sequence[Any]) -> None:
        from django.core.management.color import no_style

        with self.connection.cursor() as cursor:
            for sql in self.connection.ops.sequence_reset_sql(no_style(), list(models)):
                cursor.execute(sql)


def population(children: int, per_child: int, units: int, seed: int) -> tuple[Any, int, int]:
    """The synthetic municipality (see the module docstring); returns it, the events and obligations."""
    from django.db import transaction

    from sagstilsyn.cases.models import Case, CaseEvent, Child, Obligation, RuleVersion
    from sagstilsyn.core.models import Municipality, Unit
    from sagstilsyn.law.engine import default_catalogue

    rng = random.Random(seed)  # noqa: S311 - a synthetic population, repeatable
    now = datetime(2025, 12, 31, 12, tzinfo=UTC)
    rules = [rule.id for rule in default_catalogue().rules if rule.trigger is not None]
    statuses = [status for status, _ in STATUSES]
    shares = [share for _, share in STATUSES]
    writer = Writer()
    with transaction.atomic():
        municipality = Municipality.objects.create(code="999", name="Benchkommune")
        Unit.objects.bulk_create(
            Unit(municipality=municipality, code=f"E{i:02d}", name=f"Enhed {i:02d}") for i in range(units)
        )
        unit_ids = list(
            Unit.objects.filter(municipality=municipality).order_by("code").values_list("pk", flat=True)
        )
        versions = RuleVersion.objects.bulk_create(
            RuleVersion(
                catalogue_version="bench",
                rule_id=rule,
                valid_from=FIRST_DAY,
                title=rule,
                kind="deadline",
                law="barnets_lov",
                recorded_at=now,
            )
            for rule in rules
        )
        version_of = {version.rule_id: version.pk for version in versions}
        child_id, case_id = writer.next_id(Child), writer.next_id(Case)
        child_rows = [(child_id + i, municipality.pk, f"B{i:06d}", "", "", "") for i in range(children)]
        writer.insert(
            Child,
            ["id", "municipality_id", "source_ref", "cpr_cipher", "cpr_digest", "name_cipher"],
            child_rows,
        )
        case_rows: list[tuple[Any, ...]] = []
        stamp = writer.instant(now)
        for i in range(children):
            first = i % units
            homes = [first] + (
                [(first + 1 + rng.randrange(units - 1)) % units] if units > 1 and i % 20 == 0 else []
            )
            for n, home in enumerate(homes):
                case_rows.append(
                    (
                        case_id + len(case_rows),
                        municipality.pk,
                        f"S{i:06d}-{n}",
                        child_id + i,
                        unit_ids[home],
                        "",
                        stamp,
                        stamp,
                    )
                )
        writer.insert(
            Case,
            [
                "id",
                "municipality_id",
                "source_ref",
                "child_id",
                "unit_id",
                "group",
                "created_at",
                "updated_at",
            ],
            case_rows,
        )
        event_id = writer.next_id(CaseEvent)
        obligation_id = writer.next_id(Obligation)
        events: list[tuple[Any, ...]] = []
        obligations: list[tuple[Any, ...]] = []
        empty_attrs, empty_warnings = writer.json({}), writer.json([])
        judged = writer.date(now.date())
        per_case = max(1, per_child * children // len(case_rows))
        for case in case_rows:
            days = sorted(FIRST_DAY + timedelta(days=rng.randrange(DAYS)) for _ in range(EVENTS_PER_CASE))
            ids = list(range(event_id + len(events), event_id + len(events) + EVENTS_PER_CASE))
            for n, (pk, day) in enumerate(zip(ids, days, strict=True)):
                events.append(
                    (
                        pk,
                        municipality.pk,
                        case[0],
                        "bench",
                        f"{case[2]}-{n}",
                        "bench",
                        writer.date(day),
                        empty_attrs,
                        stamp,
                    )
                )
            for _ in range(per_case):
                trigger = rng.randrange(EVENTS_PER_CASE)
                due = days[trigger] + timedelta(days=rng.choice((1, 7, 42, 92, 122, 183)))
                status = rng.choices(statuses, shares)[0]
                later = rng.randrange(trigger, EVENTS_PER_CASE)
                rule = rng.choice(rules)
                obligations.append(
                    (
                        obligation_id + len(obligations),
                        case[0],
                        case[4],
                        rule,
                        version_of[rule],
                        ids[trigger] if rng.random() > 0.02 else None,
                        writer.date(due),
                        status,
                        ids[later] if status in ("met", "met_late") else None,
                        ids[later] if status == "not_applicable" and rng.random() > 0.1 else None,
                        "",
                        empty_warnings,
                        judged,
                        stamp,
                    )
                )
        writer.insert(
            CaseEvent,
            [
                "id",
                "municipality_id",
                "case_id",
                "source",
                "source_event_id",
                "type",
                "day",
                "attrs",
                "recorded_at",
            ],
            events,
        )
        writer.insert(
            Obligation,
            [
                "id",
                "case_id",
                "unit_id",
                "rule_id",
                "rule_version_id",
                "trigger_event_id",
                "due_day",
                "status",
                "satisfied_event_id",
                "released_event_id",
                "explanation",
                "warnings",
                "judged_on",
                "computed_at",
            ],
            obligations,
        )
        writer.reset_sequences([Child, Case, CaseEvent, Obligation])
    with writer.connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return municipality, len(events), len(obligations)


# --- the same aggregates by hand ------------------------------------------------------------------------


def _tables() -> dict[str, str]:
    from django.db import connection

    from sagstilsyn.cases.models import Case, CaseEvent, Obligation
    from sagstilsyn.core.models import Unit

    quote = connection.ops.quote_name
    return {
        "obligation": quote(Obligation._meta.db_table),
        "case": quote(Case._meta.db_table),
        "unit": quote(Unit._meta.db_table),
        "event": quote(CaseEvent._meta.db_table),
    }


def _from_where(rules: Sequence[str] | None) -> str:
    t = _tables()
    only = f"AND o.rule_id IN ({', '.join(['%s'] * len(rules))})" if rules else ""
    return f"""
        FROM {t["obligation"]} o
        JOIN {t["case"]} c ON c.id = o.case_id
        JOIN {t["unit"]} u ON u.id = c.unit_id
        LEFT JOIN {t["event"]} te ON te.id = o.trigger_event_id
        LEFT JOIN {t["event"]} se ON se.id = o.satisfied_event_id
        LEFT JOIN {t["event"]} re ON re.id = o.released_event_id
        WHERE c.municipality_id = %s AND o.due_day >= %s AND o.due_day <= %s {only}
          AND (o.trigger_event_id IS NULL OR te.day <= %s)
          AND NOT (o.status = 'not_applicable' AND (o.released_event_id IS NULL OR re.day <= %s))"""


_MET = "(o.status = 'met' AND (o.satisfied_event_id IS NULL OR se.day <= %s))"


def data_by_hand(municipality_id: int, start: date, end: date, as_of: date) -> set[tuple[str, str, int, int]]:
    """(rule, unit, n, met on time) per rule × unit and per rule for ALL, in one GROUP BY."""
    from django.db import connection

    sql = f"""SELECT o.rule_id, u.code, COUNT(*), SUM(CASE WHEN {_MET} THEN 1 ELSE 0 END)
        {_from_where(None)} GROUP BY o.rule_id, u.code"""
    with connection.cursor() as cursor:
        cursor.execute(sql, [as_of, municipality_id, start, end, as_of, as_of])
        rows = cursor.fetchall()
    totals: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for rule, _, n, met in rows:
        totals[rule][0] += n
        totals[rule][1] += met
    return {(rule, unit, n, int(met)) for rule, unit, n, met in rows} | {
        (rule, "ALL", n, met) for rule, (n, met) in totals.items()
    }


def composite_by_hand(
    municipality_id: int, start: date, end: date, as_of: date, rules: Sequence[str]
) -> set[tuple[str, int, int]]:
    """(unit, children, children with every core obligation met) per unit and for ALL."""
    from django.db import connection

    per_child = f"""SELECT c.child_id, {{unit}} AS unit, MIN(CASE WHEN {_MET} THEN 1 ELSE 0 END) AS all_met
        {_from_where(rules)} GROUP BY c.child_id{{by_unit}}"""
    params: list[Any] = [as_of, municipality_id, start, end, *rules, as_of, as_of]
    found: set[tuple[str, int, int]] = set()
    with connection.cursor() as cursor:
        for unit, by_unit in (("u.code", ", u.code"), ("'ALL'", "")):
            inner = per_child.format(unit=unit, by_unit=by_unit)
            cursor.execute(f"SELECT unit, COUNT(*), SUM(all_met) FROM ({inner}) t GROUP BY unit", params)  # noqa: S608
            found |= {(unit_code, n, int(met)) for unit_code, n, met in cursor.fetchall()}
    return found


# --- the hook for the committee report ------------------------------------------------------------------


def committee_end_to_end(municipality: Any, period: Any, as_of: date) -> dict[str, object]:
    """The committee report end to end (issue 14 §5 and §7, goal under 30 s): its figures computed and
    stored (`committee_report_make`), then rendered as PDF and XLSX, in a transaction rolled back."""
    from django.db import transaction

    from sagstilsyn.reports.committee.pdf import committee_report_pdf
    from sagstilsyn.reports.committee.services import committee_report_make
    from sagstilsyn.reports.committee.xlsx import committee_report_xlsx

    start = time.perf_counter()
    with transaction.atomic():
        report = committee_report_make(municipality=municipality, period=period, as_of=as_of, actor=None)
        made = time.perf_counter()
        pdf = committee_report_pdf(report)
        xlsx = committee_report_xlsx(report)
        transaction.set_rollback(True)
    seconds = time.perf_counter() - start
    print(
        f"committee report end to end: {seconds:.2f} s (goal < 30 s): figures {made - start:.2f} s, "
        f"PDF ({len(pdf):,} bytes) and XLSX ({len(xlsx):,} bytes) {seconds - (made - start):.2f} s"
    )
    return {
        "committee": "made",
        "committee_s": round(seconds, 3),
        "committee_figures_s": round(made - start, 3),
    }


# --- timing ---------------------------------------------------------------------------------------------


def best_ms(runs: dict[str, Callable[[], object]], repeat: int) -> dict[str, float]:
    """Best of `repeat` for each run, interleaved so that a busy moment of the machine hits all alike."""
    best = dict.fromkeys(runs, float("inf"))
    for _ in range(repeat):
        for name, run in runs.items():
            start = time.perf_counter()
            run()
            best[name] = min(best[name], (time.perf_counter() - start) * 1000)
    return best


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--children", type=int, default=100_000)
    parser.add_argument("--per-child", type=int, default=20, help="obligations per child (default 20)")
    parser.add_argument("--units", type=int, default=10)
    parser.add_argument("--period", default="2025Q2")
    parser.add_argument("--as-of", default="2025-07-15", type=date.fromisoformat)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--seed", type=int, default=20250401)
    parser.add_argument(
        "--database-url", help="throwaway database (default: SQLite in a temporary directory)"
    )
    parser.add_argument("--small", action="store_true", help="a tiny run for CI (a few seconds)")
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="time the population a run left in --database-url, writing nothing",
    )
    args = parser.parse_args(argv)
    if args.small:
        args.children, args.units, args.repeat = 500, 4, 2
    with tempfile.TemporaryDirectory(prefix="sagstilsyn-bench-") as tmp:
        record = run(args, args.database_url or f"sqlite:///{tmp}/bench.sqlite3")
    print(json.dumps(record))
    return 1 if "error" in record else 0


def run(args: argparse.Namespace, url: str) -> dict[str, object]:
    if args.reuse:
        setup_django(url)
        from django.db.models import Count

        from sagstilsyn.cases.models import Child
        from sagstilsyn.core.models import Municipality

        municipality = Municipality.objects.get(code="999")
        args.children = Child.objects.filter(municipality=municipality).count()
        counts = Municipality.objects.filter(pk=municipality.pk).aggregate(
            events=Count("cases__events", distinct=True),
            obligations=Count("cases__obligations", distinct=True),
        )
        return measure(args, municipality, counts["events"], counts["obligations"])
    if url.startswith("postgres"):
        recreate_postgres(url)
    setup_django(url)
    from django.core.management import call_command
    from django.db import connection

    start = time.perf_counter()
    call_command("migrate", verbosity=0)
    print(f"database {connection.vendor}, migrated in {time.perf_counter() - start:.1f} s")
    start = time.perf_counter()
    municipality, events, obligations = population(args.children, args.per_child, args.units, args.seed)
    print(
        f"population: {args.children:,} children, {events:,} events, {obligations:,} obligations, "
        f"{args.units} units (written in {time.perf_counter() - start:.1f} s)"
    )
    return measure(args, municipality, events, obligations)


def measure(args: argparse.Namespace, municipality: Any, events: int, obligations: int) -> dict[str, object]:
    from django.db import connection

    from sagstilsyn.reports.compliance import compliance_figures
    from sagstilsyn.reports.compliance.composite import CORE_RULES, child_composite
    from sagstilsyn.reports.compliance.data_pillar import data_figures
    from sagstilsyn.reviews.programmes.periods import period_parse

    period = period_parse(args.period)
    window = {"municipality": municipality, "start": period.start, "end": period.end, "as_of": args.as_of}
    hand_args = (municipality.pk, period.start, period.end, args.as_of)
    record: dict[str, object] = {
        "bench": "compliance",
        "database": connection.vendor,
        "children": args.children,
        "events": events,
        "obligations": obligations,
        "units": args.units,
        "period": period.label,
        "as_of": args.as_of.isoformat(),
        "repeat": args.repeat,
        "python": platform.python_version(),
    }
    figures = data_figures(**window)
    ours = {(f.requirement, f.unit, f.n, f.numerator) for f in figures}
    if ours != data_by_hand(*hand_args):
        print(
            f"FORSKEL mellem data_figures og SQL: {sorted(ours ^ data_by_hand(*hand_args))[:10]}",
            file=sys.stderr,
        )
        return record | {"error": "data figures differ"}
    composite = {(f.unit, f.n, f.numerator) for f in child_composite(**window)}
    if composite != composite_by_hand(*hand_args, CORE_RULES):
        print(
            f"FORSKEL i det sammensatte mål: {sorted(composite ^ composite_by_hand(*hand_args, CORE_RULES))}",
            file=sys.stderr,
        )
        return record | {"error": "composite differs"}
    counted = sum(f.n for f in figures if f.unit == "ALL")
    print(f"{period.label} as of {args.as_of}: {len(figures)} figures over {counted:,} counted obligations")
    times = best_ms(
        {
            "data": lambda: data_figures(**window),
            "data_sql": lambda: data_by_hand(*hand_args),
            "compliance": lambda: compliance_figures(**window),
            "composite": lambda: child_composite(**window),
            "composite_sql": lambda: composite_by_hand(*hand_args, CORE_RULES),
        },
        args.repeat,
    )
    for name, ms in times.items():
        print(f"  {name:14} {ms:9.1f} ms  (best of {args.repeat})")
    data_ratio = times["data"] / times["data_sql"]
    composite_ratio = times["composite"] / times["composite_sql"]
    print(f"  ratio data_figures / hand SQL {data_ratio:.2f} (goal within 2x, under 1000 ms)")
    print(f"  ratio child_composite / hand SQL {composite_ratio:.2f}")
    record |= {
        "figures": len(figures),
        "counted": counted,
        **{f"{name}_ms": round(ms, 1) for name, ms in times.items()},
        "data_ratio": round(data_ratio, 2),
        "composite_ratio": round(composite_ratio, 2),
        "goal_met": data_ratio <= 2 and times["data"] < 1000,
    }
    return record | committee_end_to_end(municipality, period, args.as_of)


if __name__ == "__main__":
    sys.exit(main())
