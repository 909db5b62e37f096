"""Benchmark of the case store on PostgreSQL at national scale: import, recompute, the weekly list.

    .venv/bin/python bench/obligations.py [--children N] [--rows R] [--seed S] [--db NAME] [--profile]

Uses the synthetic population of bench/law_engine.py (default 100,000 children, one case each, about
2,000,000 events) in one municipality with units and caseworkers set up through the services, in a
scratch database of its own (dropped and created; default `sagstilsyn_bench` on
postgres://postgres@127.0.0.1:5432, or `--server URL`). Then:

(a) IMPORT: writes the first R rows (default 1,000,000) as an events file in the data contract's CSV
    format, parses it, and times `events_record` on the rows (with the obligation recompute that is part
    of it, and without it), against a naive row-by-row ORM insert (get_or_create per child and case,
    `CaseEvent.objects.create` per row; timed on a sample, rolled back, extrapolated) and against
    PostgreSQL COPY of the same rows into the events table (rolled back). The rest of the population is
    then recorded the same way (the second import, into a non-empty database).
(b) RECOMPUTE: `obligations_recompute` over every case against a per-case ORM loop (load the events,
    evaluate, delete and create the obligations one by one; sample, rolled back, extrapolated).
(c) WEEKLY LIST: a unit's deadline list for this week (`followup_week` from
    `sagstilsyn.cases.followup.selectors`: overdue, due this week, due in the next two weeks) against
    the same list written by hand in SQL; the rows and buckets must be equal.

Ratios are measured in the same run and printed; absolute times are printed, never asserted (2-core
machines are noisy). Ends with one JSON line. See bench/README.md.
"""

from __future__ import annotations

import argparse
import cProfile
import csv
import gc
import io
import json
import os
import platform
import pstats
import statistics
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import partial
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

DEFAULT_SERVER = "postgres://postgres@127.0.0.1:5432"
MUNICIPALITY = ("101", "Københavns Kommune")
CENTRE = "Borgercenter Børn og Unge"
UNITS = (  # (code, name, kind)
    ("BFE-NORD", "Børnefamilieenheden Nord", "unit"),
    ("BFE-SYD", "Børnefamilieenheden Syd", "unit"),
    ("BFE-OEST", "Børnefamilieenheden Øst", "unit"),
    ("BFE-VEST", "Børnefamilieenheden Vest", "unit"),
    ("BFE-CENTRUM", "Børnefamilieenheden Centrum", "unit"),
    ("BFE-AMAGER", "Børnefamilieenheden Amager", "unit"),
    ("BFE-VALBY", "Børnefamilieenheden Valby", "unit"),
    ("BFE-BISPEBJERG", "Børnefamilieenheden Bispebjerg", "unit"),
    ("BFE-BROENSHOEJ", "Børnefamilieenheden Brønshøj-Husum", "unit"),
    ("DOEGNVAGTEN", "Døgnvagten", "emergency"),
)
CASEWORKERS_PER_UNIT = 25
GROUPS = ("investigation", "children", "youth")
SOURCE = "bench"
HEADER = ["event_id", "case_id", "child_id", "birth_date", "unit", "group", "caseworker", "type", "at"]


def _setup_django(database_url: str) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sagstilsyn.settings")
    os.environ.setdefault("DJANGO_LOG_LEVEL", "WARNING")
    import django

    django.setup()


def _recreate_database(server: str, name: str) -> str:
    import psycopg
    from psycopg import sql

    with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    return f"{server}/{name}"


def organisation_setup(
    password: str | None = None, logins_per_unit: int = 0
) -> tuple[Any, dict[str, Any], dict[str, Any]]:
    """Municipality 101 with the units of UNITS, a department leader (`<unit>-leder`) and
    CASEWORKERS_PER_UNIT caseworkers (`<unit>-NN`) per unit, through the organisation services.

    With `password`, each unit's leader and its first `logins_per_unit` caseworkers can log in with it
    (bench/load.py); everyone else has no usable password. Returns (municipality, units by code,
    caseworkers by username)."""
    from sagstilsyn.core.models import Role
    from sagstilsyn.core.services.organisation import (
        municipality_ensure,
        role_assign,
        unit_ensure,
        user_create,
    )

    municipality = municipality_ensure(code=MUNICIPALITY[0], name=MUNICIPALITY[1])
    units: dict[str, Any] = {}
    users: dict[str, Any] = {}
    for code, name, kind in UNITS:
        unit = unit_ensure(municipality=municipality, code=code, name=name, kind=kind, centre_name=CENTRE)
        units[code] = unit
        leader = user_create(
            municipality=municipality, username=f"{code.lower()}-leder", first_name="Leder", password=password
        )
        role_assign(user=leader, role=Role.DEPARTMENT_LEADER, unit=unit)
        for worker in range(CASEWORKERS_PER_UNIT):
            username = f"{code.lower()}-{worker:02d}"
            user = user_create(
                municipality=municipality,
                username=username,
                first_name="Sagsbehandler",
                password=password if worker < logins_per_unit else None,
            )
            role_assign(user=user, role=Role.CASEWORKER, unit=unit)
            users[username] = user
    return municipality, units, users


@contextmanager
def timed(store: dict[str, float], key: str) -> Iterator[None]:
    start = time.perf_counter()
    try:
        yield
    finally:
        store[key] = time.perf_counter() - start


class Rollback(Exception):
    """Raised to roll a measured transaction back."""


@contextmanager
def rolled_back() -> Iterator[None]:
    from django.db import transaction

    try:
        with transaction.atomic():
            yield
            raise Rollback
    except Rollback:
        pass


# ---------------------------------------------------------------------------------------------------
# The population as an events file (data-contract.md §1)
# ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Assignment:
    case_id: str
    child_id: str
    birth_date: str
    unit: str
    group: str
    caseworker: str


def assignment(child: int, seed: int) -> Assignment:
    """Where a child's case lives: deterministic from the child's number."""
    h = (child * 2654435761 + seed) & 0xFFFFFFFF
    unit_index = h % (len(UNITS) * 10)
    unit = UNITS[unit_index % (len(UNITS) - 1)] if unit_index >= 3 else UNITS[-1]  # 3 % at Døgnvagten
    worker = (h >> 8) % CASEWORKERS_PER_UNIT
    born = date(2008, 1, 1) + timedelta(days=(h >> 4) % 6200)
    return Assignment(
        case_id=f"SAG-{child:06d}",
        child_id=f"BARN-{child:06d}",
        birth_date=born.isoformat(),
        unit=unit[0],
        group=GROUPS[(h >> 16) % 3],
        caseworker=f"{unit[0].lower()}-{worker:02d}",
    )


def _text(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def write_events_file(path: Path, cases: Sequence[Sequence[Any]], seed: int, attributes: list[str]) -> int:
    """Write every event of `cases` as one CSV row; returns how many rows."""
    rows = 0
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER + attributes)
        for child, events in cases:
            where = assignment(child, seed)
            fixed = [
                where.case_id,
                where.child_id,
                where.birth_date,
                where.unit,
                where.group,
                where.caseworker,
            ]
            for event in events:
                writer.writerow(
                    [f"{SOURCE}-{event.id}", *fixed, event.type, event.at.isoformat()]
                    + [_text(event.attrs[a]) if a in event.attrs else "" for a in attributes]
                )
                rows += 1
    return rows


def parse_events_file(path: Path) -> list[Any]:
    """A minimal parser of the CSV the benchmark wrote (the product's parser is timed separately)."""
    from sagstilsyn.cases.services.event_inputs import EventInput

    booleans = {"true": True, "false": False}
    out: list[Any] = []
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.reader(handle)
        header = next(reader)
        attributes = [(i, name) for i, name in enumerate(header) if name not in HEADER]
        idx = {name: header.index(name) for name in HEADER}
        for number, row in enumerate(reader, start=2):
            at_text = row[idx["at"]]
            at: date | datetime = (
                date.fromisoformat(at_text) if len(at_text) == 10 else datetime.fromisoformat(at_text)
            )
            attrs = {name: booleans.get(row[i], row[i]) for i, name in attributes if row[i] != ""}
            out.append(
                EventInput(
                    row=number,
                    event_id=row[idx["event_id"]],
                    case_id=row[idx["case_id"]],
                    child_id=row[idx["child_id"]],
                    unit=row[idx["unit"]],
                    type=row[idx["type"]],
                    at=at,
                    attrs=attrs,
                    birth_date=date.fromisoformat(row[idx["birth_date"]]),
                    group=row[idx["group"]],
                    caseworker=row[idx["caseworker"]],
                )
            )
    return out


# ---------------------------------------------------------------------------------------------------
# The baselines
# ---------------------------------------------------------------------------------------------------


def naive_import(
    municipality: Any, inputs: Sequence[Any], units: dict[str, Any], users: dict[str, Any]
) -> None:
    """Row by row with the ORM: get_or_create the child and the case, create the event."""
    from django.utils import timezone

    from sagstilsyn.cases.models import Case, CaseEvent, Child
    from sagstilsyn.law.calendar import local_date

    for item in inputs:
        now = timezone.now()
        child, _ = Child.objects.get_or_create(
            municipality=municipality, source_ref=item.child_id, defaults={"birth_date": item.birth_date}
        )
        case, _ = Case.objects.get_or_create(
            municipality=municipality,
            source_ref=item.case_id,
            defaults={
                "child": child,
                "unit": units[item.unit],
                "group": item.group,
                "caseworker": users.get(item.caseworker),
                "created_at": now,
                "updated_at": now,
            },
        )
        CaseEvent.objects.create(
            municipality=municipality,
            case=case,
            source=SOURCE,
            source_event_id=item.event_id,
            type=item.type,
            day=local_date(item.at),
            instant=item.at if isinstance(item.at, datetime) else None,
            attrs=dict(item.attrs),
            recorded_at=now,
        )


def copy_events(municipality_id: int, inputs: Sequence[Any], case_ids: dict[str, int], source: str) -> None:
    """PostgreSQL COPY of the rows into the events table (the floor for writing them)."""
    from django.db import connection
    from django.utils import timezone

    from sagstilsyn.law.calendar import local_date

    now = timezone.now()
    columns = "municipality_id, case_id, source, source_event_id, type, day, instant, attrs, recorded_at"
    with connection.cursor() as cursor:
        raw = cursor.cursor  # the psycopg cursor under Django's wrapper
        with raw.copy(f"COPY cases_caseevent ({columns}) FROM STDIN") as copy:
            for item in inputs:
                at = item.at
                copy.write_row(
                    (
                        municipality_id,
                        case_ids[item.case_id],
                        source,
                        item.event_id,
                        item.type,
                        local_date(at),
                        at if isinstance(at, datetime) else None,
                        json.dumps(dict(item.attrs)),
                        now,
                    )
                )
        # Django's foreign keys are DEFERRABLE INITIALLY DEFERRED: check them now, as a commit would.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")


def _obligation_columns() -> str:
    """The obligation columns a COPY writes: all but the id, so the copied rows get new ids."""
    from sagstilsyn.cases.models import Obligation

    return ", ".join(f'"{f.column}"' for f in Obligation._meta.concrete_fields if f.column != "id")


def copy_obligations_text() -> list[bytes]:
    """Every stored obligation as PostgreSQL COPY text, in blocks."""
    from django.db import connection

    with connection.cursor() as cursor:
        sql = f"COPY (SELECT {_obligation_columns()} FROM cases_obligation) TO STDOUT"  # noqa: S608
        with cursor.cursor.copy(sql) as copy:
            return [bytes(block) for block in copy]


def copy_obligations_back(blocks: Sequence[bytes]) -> None:
    """COPY the blocks into the obligations table and check the foreign keys, as a commit would."""
    from django.db import connection

    with connection.cursor() as cursor:
        with cursor.cursor.copy(f"COPY cases_obligation ({_obligation_columns()}) FROM STDIN") as copy:
            for block in blocks:
                copy.write(block)
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")


def recompute_counts() -> str:
    """What the latest recompute kept, wrote and removed (from its audit event)."""
    from sagstilsyn.core.models import AuditEvent

    after = AuditEvent.objects.filter(action="obligations.recompute").latest("pk").after or {}
    return f"kept {after['kept']:,}, written {after['written']:,}, removed {after['removed']:,}"


def naive_recompute(case_ids: Sequence[int], as_of: date) -> int:
    """Per case with the ORM: load the events, evaluate, delete and create the obligations one by one."""
    from django.utils import timezone

    from sagstilsyn.cases.models import Case, Obligation
    from sagstilsyn.cases.services.rule_versions import rule_versions_record
    from sagstilsyn.cases.store import law_event
    from sagstilsyn.core.selectors import catalogue_get
    from sagstilsyn.law import evaluate
    from sagstilsyn.law.calendar import local_date

    catalogue = catalogue_get()
    version_ids = rule_versions_record(catalogue=catalogue)  # once, as the service does
    created = 0
    for case_id in case_ids:
        case = Case.objects.select_related("child").get(pk=case_id)
        events = [
            law_event({"id": e.pk, "type": e.type, "day": e.day, "instant": e.instant, "attrs": e.attrs})
            for e in case.events.order_by("day", "id")
        ]
        now = timezone.now()
        Obligation.objects.filter(case=case).delete()
        birth_date = case.child.birth_date  # the 16th birthday (ungeplan), as the service reads it
        for item in evaluate(events, as_of=as_of, catalogue=catalogue, validate=False, birth_date=birth_date):
            Obligation.objects.create(
                case=case,
                rule_id=item.rule_id,
                rule_version_id=version_ids[(item.rule_id, item.valid_from)],
                trigger_event_id=int(item.trigger.id) if item.trigger.id else None,
                due_day=local_date(item.due),
                due_at=item.due if isinstance(item.due, datetime) else None,
                status=item.status,
                satisfied_event_id=int(item.satisfied_by.id)
                if item.satisfied_by and item.satisfied_by.id
                else None,
                released_event_id=int(item.released_by.id)
                if item.released_by and item.released_by.id
                else None,
                period_start=item.period_start,
                required_count=item.required_count,
                explanation=item.explanation,
                warnings=list(item.warnings),
                judged_on=as_of,
                computed_at=now,
            )
            created += 1
    return created


# ---------------------------------------------------------------------------------------------------
# The weekly list, by hand in SQL
# ---------------------------------------------------------------------------------------------------

#: The weekly list of one unit as `followup_week` defines it (bucket overdue / this week / the next two
#: weeks; met, met late and not applicable are never listed), written by hand.
WEEKLY_SQL = """
SELECT o.id, o.case_id, c.source_ref, c.child_id, o.rule_id, v.title, o.due_day, o.due_at,
       o.status, c.unit_id, un.code, un.name, c."group", c.caseworker_id,
       u.username, u.first_name, u.last_name, b.bucket
FROM cases_obligation o
JOIN cases_case c ON c.id = o.case_id
JOIN cases_ruleversion v ON v.id = o.rule_version_id
JOIN core_unit un ON un.id = c.unit_id
LEFT JOIN core_user u ON u.id = c.caseworker_id
CROSS JOIN LATERAL (
    SELECT CASE
        WHEN o.status = 'overdue'
          OR (o.due_at IS NOT NULL AND o.due_at < %(now)s)
          OR (o.due_at IS NULL AND o.due_day < %(today)s) THEN 0
        WHEN o.due_day BETWEEN %(monday)s AND %(monday)s + 6 THEN 1
        WHEN o.due_day BETWEEN %(monday)s + 7 AND %(monday)s + 20 THEN 2
    END AS bucket
) b
WHERE o.unit_id = %(unit)s AND c.municipality_id = %(municipality)s AND c.unit_id = %(unit)s
  AND (o.status = 'overdue' OR (o.status = 'open' AND o.due_day < %(open_until)s))
  AND b.bucket IS NOT NULL
ORDER BY b.bucket, o.due_day, o.due_at, c.source_ref COLLATE "C", o.rule_id, o.id
"""
BUCKETS = ("overdue", "this_week", "next_two_weeks")

#: As a catalogue release would leave the stored rows: each rule version copied under the catalogue
#: version 'forrige', and every obligation pointed at its copy (ADR 0008).
PREVIOUS_CATALOGUE_SQL = """
WITH copies AS (
    INSERT INTO cases_ruleversion (catalogue_version, rule_id, valid_from, title, kind, statutory, law,
                                   citations, recorded_at)
    SELECT 'forrige', rule_id, valid_from, title, kind, statutory, law, citations, recorded_at
    FROM cases_ruleversion WHERE catalogue_version <> 'forrige'
    RETURNING id, rule_id, valid_from
)
UPDATE cases_obligation o SET rule_version_id = copies.id
FROM cases_ruleversion v, copies
WHERE v.id = o.rule_version_id AND copies.rule_id = v.rule_id AND copies.valid_from = v.valid_from
"""


def weekly_by_hand(municipality_id: int, unit_id: int, monday: date, now: datetime) -> list[tuple[Any, ...]]:
    from django.db import connection

    from sagstilsyn.law.calendar import today_local

    today = today_local(now)
    params: dict[str, Any] = {
        "now": now,
        "today": today,
        "monday": monday,
        "open_until": max(monday + timedelta(days=21), today + timedelta(days=1)),
        "municipality": municipality_id,
        "unit": unit_id,
    }
    with connection.cursor() as cursor:
        cursor.execute(WEEKLY_SQL, params)
        return list(cursor.fetchall())


# ---------------------------------------------------------------------------------------------------
# Main
# ---------------------------------------------------------------------------------------------------


def _profile(function: Callable[[], Any], top: int = 30) -> str:
    profiler = cProfile.Profile()
    profiler.enable()
    function()
    profiler.disable()
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    stats.sort_stats("cumulative").print_stats(top)
    stats.sort_stats("tottime").print_stats(top)
    return out.getvalue()


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:,.0f} ms" if seconds < 10 else f"{seconds:,.1f} s"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--children", type=int, default=100_000, help="children (= cases); default 100000")
    parser.add_argument("--rows", type=int, default=1_000_000, help="rows in the timed events file")
    parser.add_argument("--seed", type=int, default=20240101)
    parser.add_argument(
        "--server", default=DEFAULT_SERVER, help=f"PostgreSQL server URL; default {DEFAULT_SERVER}"
    )
    parser.add_argument("--db", default="sagstilsyn_bench", help="scratch database (dropped and created)")
    parser.add_argument("--naive-rows", type=int, default=20_000, help="sample for the row-by-row ORM import")
    parser.add_argument("--naive-cases", type=int, default=1_000, help="sample for the per-case ORM loop")
    parser.add_argument("--repeat", type=int, default=7, help="repetitions of the weekly list")
    parser.add_argument(
        "--skip-file-import", action="store_true", help="do not time sagstilsyn.cases.importing's file import"
    )
    parser.add_argument("--profile", action="store_true", help="cProfile the import and the recompute")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="sagstilsyn-bench-") as tmp:
        return run(args, Path(tmp))


def run(args: argparse.Namespace, tmp: Path) -> int:
    """The benchmark; the events files go to `tmp` (removed afterwards, also on failure)."""

    url = _recreate_database(args.server, args.db)
    _setup_django(url)

    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from bench.law_engine import generate_population
    from sagstilsyn.cases.followup.selectors import followup_week
    from sagstilsyn.cases.importing.services import import_events_file
    from sagstilsyn.cases.models import Case, CaseEvent, Obligation
    from sagstilsyn.cases.services import events as events_service
    from sagstilsyn.cases.services.events import events_record
    from sagstilsyn.cases.services.obligations import obligations_recompute
    from sagstilsyn.core.access import user_scope
    from sagstilsyn.core.models import Unit, User
    from sagstilsyn.law.calendar import today_local

    print(f"Sagstilsyn obligations benchmark — Python {platform.python_version()}, {os.cpu_count()} CPUs")
    with connection.cursor() as cursor:
        cursor.execute("SELECT version()")
        print(f"  {cursor.fetchone()[0].split(' on ')[0]}, database {args.db} (dropped and created)")
    t0 = time.perf_counter()
    call_command("migrate", verbosity=0)
    print(f"  migrated in {time.perf_counter() - t0:.1f} s")

    # -- Organisation through the services ---------------------------------------------------------------
    municipality, units, users = organisation_setup()
    print(f"  organisation: {len(units)} units, {len(users)} caseworkers (through the services)")

    # -- Population and the events file ------------------------------------------------------------------
    t0 = time.perf_counter()
    population = generate_population(args.children, args.seed)
    n_events = sum(map(len, population))
    attributes = sorted({name for events in population for e in events for name in e.attrs})
    rows_wanted = min(args.rows, n_events)
    first: list[tuple[int, list[Any]]] = []
    rest: list[tuple[int, list[Any]]] = []
    taken = 0
    for child, events in enumerate(population):
        room = rows_wanted - taken
        if room >= len(events):
            first.append((child, events))
        elif room > 0:
            first.append((child, events[:room]))
            rest.append((child, events[room:]))
        else:
            rest.append((child, events))
        taken += min(max(room, 0), len(events))
    del population
    first_file, rest_file = tmp / "events.csv", tmp / "events-rest.csv"
    n_first = write_events_file(first_file, first, args.seed, attributes)
    n_rest = write_events_file(rest_file, rest, args.seed, attributes)
    del first, rest
    print(
        f"\nGenerated {args.children:,} children, {n_events:,} events (seed {args.seed}); files "
        f"{first_file} ({n_first:,} rows, {first_file.stat().st_size / 1e6:.0f} MB) and the rest "
        f"({n_rest:,} rows) in {time.perf_counter() - t0:.1f} s — not measured"
    )
    gc.collect()

    times: dict[str, float] = {}
    with timed(times, "parse"):
        inputs = parse_events_file(first_file)
    print(
        f"  bench parser: {len(inputs):,} rows in {times['parse']:.1f} s "
        f"({len(inputs) / times['parse']:,.0f} rows/s)"
    )
    gc.collect()
    gc.freeze()

    # -- (a) IMPORT ------------------------------------------------------------------------------------------
    print("\n(a) IMPORT")
    k = min(args.naive_rows, len(inputs))
    with rolled_back(), timed(times, "naive_sample"):
        naive_import(municipality, inputs[:k], units, users)
    naive_projected = times["naive_sample"] * len(inputs) / k
    print(
        f"  naive ORM row by row: {k:,} rows in {times['naive_sample']:.2f} s "
        f"({k / times['naive_sample']:,.0f} rows/s) → {len(inputs):,} rows "
        f"≈ {naive_projected:,.1f} s (extrapolated)"
    )

    recompute_times: list[float] = []
    real_recompute = vars(events_service)["obligations_recompute"]

    def timed_recompute(**kwargs: Any) -> int:
        start = time.perf_counter()
        try:
            return int(real_recompute(**kwargs))
        finally:
            recompute_times.append(time.perf_counter() - start)

    vars(events_service)["obligations_recompute"] = timed_recompute  # measured, then put back
    try:
        if args.profile:
            print(
                _profile(
                    partial(events_record, municipality=municipality, inputs=inputs, source="p", dry_run=True)
                )
            )
            recompute_times.clear()
        with timed(times, "import"):
            result = events_record(municipality=municipality, inputs=inputs, source=SOURCE)
    finally:
        vars(events_service)["obligations_recompute"] = real_recompute
    times["import_recompute"] = sum(recompute_times)
    times["import_no_recompute"] = times["import"] - times["import_recompute"]
    print(
        f"  events_record: {times['import']:.1f} s for {len(inputs):,} rows "
        f"({len(inputs) / times['import']:,.0f} rows/s); of which obligation recompute "
        f"{times['import_recompute']:.1f} s ({result.obligations:,} obligations "
        f"for {result.cases_recomputed:,} cases) → without it {times['import_no_recompute']:.1f} s"
    )
    print(f"    result: {result}")

    case_ids = dict(Case.objects.filter(municipality=municipality).values_list("source_ref", "id"))
    with rolled_back(), timed(times, "copy"):
        copy_events(municipality.pk, inputs, case_ids, source="copy")
    print(
        f"  PostgreSQL COPY of the same rows into the events table: {times['copy']:.1f} s "
        f"({len(inputs) / times['copy']:,.0f} rows/s)"
    )

    # The floor for everything the import writes: COPY of the events (above) plus COPY of the
    # obligations its recompute wrote (read back as COPY text first, not timed; rolled back).
    obligation_copy = copy_obligations_text()
    with rolled_back(), timed(times, "copy_obligations"):
        copy_obligations_back(obligation_copy)
    del obligation_copy
    times["copy_all"] = times["copy"] + times["copy_obligations"]
    print(
        f"  PostgreSQL COPY of the obligations the import wrote ({result.obligations:,} rows): "
        f"{times['copy_obligations']:.1f} s → COPY of events and obligations {times['copy_all']:.1f} s"
    )

    product_parser: dict[str, Any] = {}
    if args.skip_file_import:
        product_parser["status"] = "skipped (--skip-file-import)"
    else:
        try:
            with timed(times, "file_import"):
                file_result = import_events_file(
                    data=first_file.read_bytes(),
                    municipality=municipality,
                    filename=first_file.name,
                    source="bench-file",
                    dry_run=True,  # everything is written, then rolled back
                )
        except Exception as error:
            product_parser["status"] = f"failed: {type(error).__name__}: {str(error)[:300]}"
            print(f"  import_events_file could not be timed: {product_parser['status']}")
        else:
            product_parser = {
                "status": "timed (dry run: written, then rolled back)",
                "s": round(times["file_import"], 2),
                "ratio_copy": round(times["file_import"] / times["copy"], 2),
                "events_created": file_result.events_created,
            }
            print(
                f"  import_events_file (read + parse + events_record incl. recompute, rolled back), "
                f"end to end: {times['file_import']:.1f} s "
                f"= {times['file_import'] / times['copy']:.2f}x COPY"
            )

    ratio_naive = naive_projected / times["import_no_recompute"]
    ratio_copy = times["import_no_recompute"] / times["copy"]
    ratio_copy_with = times["import"] / times["copy"]
    print(f"  ratio naive ORM / events_record (without recompute): {ratio_naive:.1f}x")
    ratio_copy_all = times["import"] / times["copy_all"]
    print(
        f"  ratio events_record / COPY: {ratio_copy:.2f}x without recompute, "
        f"{ratio_copy_with:.2f}x with it (goal ≤ 3x)"
    )
    print(f"  ratio events_record with recompute / COPY of events and obligations: {ratio_copy_all:.2f}x")

    del inputs
    gc.unfreeze()
    gc.collect()
    with timed(times, "rest"):
        rest_inputs = parse_events_file(rest_file)
        rest_result = events_record(municipality=municipality, inputs=rest_inputs, source=SOURCE)
    print(
        f"  the rest of the population ({len(rest_inputs):,} rows into the non-empty database, "
        "parse + record): "
        f"{times['rest']:.1f} s; {rest_result.cases_recomputed:,} cases recomputed"
    )
    del rest_inputs
    gc.collect()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")

    # -- (b) RECOMPUTE ---------------------------------------------------------------------------------
    print("\n(b) RECOMPUTE")
    all_ids = sorted(Case.objects.filter(municipality=municipality).values_list("id", flat=True))
    n_db_events = CaseEvent.objects.count()
    if args.profile:
        print(_profile(lambda: obligations_recompute(case_ids=all_ids[:10_000], municipality=municipality)))
    # A full recompute with nothing to change (the obligations were computed by the import today):
    # it reads, evaluates and compares everything, and writes nothing.
    with timed(times, "recompute"):
        total = obligations_recompute(case_ids=all_ids, municipality=municipality, reason="benchmark")
    written = recompute_counts()
    print(
        f"  obligations_recompute, nothing changed: {len(all_ids):,} cases, {n_db_events:,} events → "
        f"{total:,} obligations in {times['recompute']:.1f} s "
        f"({len(all_ids) / times['recompute']:,.0f} cases/s; {written})"
    )
    # The same after every stored row went stale (as after a catalogue release: every row points at
    # a copy of its rule version under another catalogue version), so that every row is deleted and
    # written again.
    with connection.cursor() as cursor:
        cursor.execute(PREVIOUS_CATALOGUE_SQL)
        cursor.execute("VACUUM ANALYZE cases_obligation")  # as autovacuum would leave it
    with timed(times, "recompute_rewrite"):
        obligations_recompute(case_ids=all_ids, municipality=municipality, reason="benchmark, all stale")
    print(
        f"  obligations_recompute, every row stale: {times['recompute_rewrite']:.1f} s "
        f"({len(all_ids) / times['recompute_rewrite']:,.0f} cases/s; {recompute_counts()})"
    )
    kc = min(args.naive_cases, len(all_ids))
    step = max(len(all_ids) // kc, 1)
    sample_ids = all_ids[::step][:kc]
    with rolled_back(), timed(times, "naive_recompute_sample"):
        naive_recompute(sample_ids, today_local())
    naive_recompute_projected = times["naive_recompute_sample"] * len(all_ids) / kc
    ratio_recompute = naive_recompute_projected / times["recompute"]
    print(
        f"  per-case ORM loop: {kc:,} cases in {times['naive_recompute_sample']:.1f} s "
        f"→ {len(all_ids):,} cases "
        f"≈ {naive_recompute_projected:,.0f} s (extrapolated)"
    )
    ratio_rewrite = naive_recompute_projected / times["recompute_rewrite"]
    print(f"  ratio per-case loop / obligations_recompute: {ratio_recompute:.1f}x (goal ≥ 20x)")
    print(f"  the same, every row stale and rewritten: {ratio_rewrite:.1f}x")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")

    # -- (c) WEEKLY LIST -------------------------------------------------------------------------------
    print("\n(c) WEEKLY LIST")
    unit = Unit.objects.get(municipality=municipality, code=UNITS[0][0])
    day = today_local()
    monday = day - timedelta(days=day.weekday())
    statuses = Counter(Obligation.objects.filter(case__unit=unit).values_list("status", flat=True))
    print(
        f"  unit {unit.code}: {sum(statuses.values()):,} obligations ({dict(statuses)}); "
        f"week from {monday} (today's)"
    )

    def weekly_once() -> dict[str, Any]:
        viewer = User.objects.get(username=f"{unit.code.lower()}-leder")
        now = timezone.now()
        hand_times: list[float] = []
        hand_rows: list[tuple[Any, ...]] = []
        for _ in range(args.repeat):
            start = time.perf_counter()
            hand_rows = weekly_by_hand(municipality.pk, unit.pk, monday, now)
            hand_times.append(time.perf_counter() - start)
        hand_med = statistics.median(hand_times)
        buckets = Counter(BUCKETS[r[-1]] for r in hand_rows)
        print(
            f"  hand-written SQL: {len(hand_rows):,} rows ({dict(buckets)}), "
            f"median {hand_med * 1000:.1f} ms, min {min(hand_times) * 1000:.1f} ms"
        )
        weekly: dict[str, Any] = {"hand_ms": round(hand_med * 1000, 1), "rows": len(hand_rows)}
        week: Any = None
        selector_times: list[float] = []
        try:
            for _ in range(args.repeat):
                start = time.perf_counter()
                # What the page does: the user's scope (roles read from the database), then the list.
                week = followup_week(scope=user_scope(viewer), week_start=monday, unit_id=unit.pk, now=now)
                selector_times.append(time.perf_counter() - start)
        except Exception as error:
            weekly["selector_error"] = f"{type(error).__name__}: {error}"
            print(f"  followup_week FAILED on this data: {weekly['selector_error']}")
        if week is not None:
            sel_med = statistics.median(selector_times)
            mine = [(r.obligation_id, r.bucket) for r in week.rows]
            theirs = [(r[0], BUCKETS[r[-1]]) for r in hand_rows]
            same_set = sorted(mine) == sorted(theirs)
            ratio_weekly = sel_med / hand_med
            weekly.update(
                selector="sagstilsyn.cases.followup.selectors.followup_week",
                selector_ms=round(sel_med * 1000, 1),
                selector_min_ms=round(min(selector_times) * 1000, 1),
                selector_rows=len(week.rows),
                ratio=round(ratio_weekly, 2),
                same_rows=same_set,
                same_order=mine == theirs,
            )
            print(
                f"  followup_week (scope, unit {unit.code}): {len(week.rows):,} rows, "
                f"median {sel_med * 1000:.1f} ms, "
                f"min {min(selector_times) * 1000:.1f} ms (goal < 200 ms)"
            )
            print(
                f"  ratio followup_week / hand SQL: {ratio_weekly:.2f}x (goal ≤ 2x); same rows and buckets: "
                f"{same_set}, same order: {mine == theirs}"
            )
            if not same_set:
                print(f"    only in followup_week: {sorted(set(mine) - set(theirs))[:10]}")
                print(f"    only in hand SQL: {sorted(set(theirs) - set(mine))[:10]}")
        return weekly

    print("  just after the full recompute (its deleted rows not yet vacuumed):")
    weekly_before_vacuum = weekly_once()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    print("  after VACUUM ANALYZE (as autovacuum leaves it):")
    weekly = weekly_once()

    summary = {
        "bench": "obligations",
        "children": args.children,
        "events": n_db_events,
        "import_rows": n_first,
        "import_s": round(times["import"], 2),
        "import_recompute_s": round(times["import_recompute"], 2),
        "import_no_recompute_s": round(times["import_no_recompute"], 2),
        "naive_import_s_extrapolated": round(naive_projected, 1),
        "copy_s": round(times["copy"], 2),
        "ratio_naive_import": round(ratio_naive, 2),
        "ratio_import_copy": round(ratio_copy, 2),
        "ratio_import_copy_with_recompute": round(ratio_copy_with, 2),
        "copy_obligations_s": round(times["copy_obligations"], 2),
        "ratio_import_copy_events_and_obligations": round(ratio_copy_all, 2),
        "file_import": product_parser,
        "recompute_s": round(times["recompute"], 2),
        "obligations": total,
        "naive_recompute_s_extrapolated": round(naive_recompute_projected, 1),
        "ratio_recompute": round(ratio_recompute, 1),
        "recompute_rewrite_s": round(times["recompute_rewrite"], 2),
        "ratio_recompute_rewrite": round(ratio_rewrite, 1),
        "weekly": weekly,
        "weekly_before_vacuum": weekly_before_vacuum,
    }
    print(json.dumps(summary))
    return 0


if __name__ == "__main__":
    sys.exit(main())
