"""The database half of bench/sampling.py: the whole default programme at national scale through
`supervision_start`, and `samples verify` over three years of samples, each against a naive baseline in
the same run and the same throwaway database. See bench/README.md.

The population is synthetic and written with bulk inserts (not timed): one municipality standing for the
country (≈ 98 municipalities' children's cases), `units` units of kind `unit` plus Døgnvagten, each unit with
a faglig koordinator, an afdelingsleder, an områdechef and its caseworkers, 20 centre lawyers and 5 central
lawyers; per case an investigation (overdue in 60 %, met in time otherwise), a decision on a measure in 40 %
(one in ten a placement without consent) and an abuse concern in 5 %.
"""

from __future__ import annotations

import os
import random
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any
from unittest import mock

GROUPS = ("investigation", "children", "youth")


def setup_django(database_url: str) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sagstilsyn.settings")
    os.environ.setdefault("DJANGO_LOG_LEVEL", "WARNING")
    import django

    django.setup()


def recreate_postgres(url: str) -> None:
    """Drop and create the PostgreSQL database `url` names; only a name with "bench" in it."""
    import psycopg
    from psycopg import sql

    server, _, name = url.rpartition("/")
    if "bench" not in name:
        raise SystemExit(
            f"--database-url: databasen '{name}' slettes og oprettes; navnet skal indeholde 'bench'"
        )
    with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


@dataclass(frozen=True)
class Scale:
    cases: int
    units: int
    caseworkers_per_unit: int


def _organisation(municipality: Any, code: str, scale: Scale) -> dict[int, list[Any]]:
    """Units, staff and roles; the caseworkers by unit id."""
    from sagstilsyn.core.models import Role, RoleAssignment, Unit, UnitKind, User

    Unit.objects.bulk_create(
        [
            Unit(municipality=municipality, code=f"E{i:03d}", name=f"Enhed {i:03d}", kind=UnitKind.UNIT)
            for i in range(scale.units)
        ]
        + [Unit(municipality=municipality, code="DV", name="Døgnvagten", kind=UnitKind.EMERGENCY)]
    )
    roles: list[tuple[str, str, Any]] = []
    for unit in Unit.objects.filter(municipality=municipality).order_by("code"):
        for leader in (Role.COORDINATOR, Role.DEPARTMENT_LEADER, Role.AREA_CHIEF):
            roles.append((f"{code}-{unit.code}-{leader}", leader, unit))
        for n in range(scale.caseworkers_per_unit):
            roles.append((f"{code}-{unit.code}-sb{n:02d}", Role.CASEWORKER, unit))
    roles += [(f"{code}-centerjurist{n:02d}", Role.CENTRE_LAWYER, None) for n in range(20)]
    roles += [(f"{code}-centraljurist{n}", Role.CENTRAL_LAWYER, None) for n in range(5)]
    users = []
    for username, _, _ in roles:
        user = User(username=username, municipality=municipality, email=f"{username}@bench.invalid")
        user.set_unusable_password()
        users.append(user)
    User.objects.bulk_create(users, batch_size=2000)
    by_name = {u.username: u for u in User.objects.filter(municipality=municipality)}
    RoleAssignment.objects.bulk_create(
        [
            RoleAssignment(user=by_name[name], municipality=municipality, role=role, unit=unit)
            for name, role, unit in roles
        ],
        batch_size=2000,
    )
    workers: dict[int, list[Any]] = {}
    for name, role, unit in roles:
        if role == Role.CASEWORKER and unit is not None:
            workers.setdefault(unit.pk, []).append(by_name[name])
    return workers


def _cases(municipality: Any, code: str, scale: Scale, rng: random.Random, now: datetime) -> list[Any]:
    """Children and their cases, one in sixty in Døgnvagten, the rest spread over the units."""
    from sagstilsyn.cases.models import Case, Child
    from sagstilsyn.core.models import Unit, UnitKind

    workers = _organisation(municipality, code, scale)
    units = list(Unit.objects.filter(municipality=municipality).order_by("code"))
    emergency = next(unit for unit in units if unit.kind == UnitKind.EMERGENCY)
    ordinary = [unit for unit in units if unit.pk != emergency.pk]
    children = Child.objects.bulk_create(
        [Child(municipality=municipality, source_ref=f"B{code}-{i:06d}") for i in range(scale.cases)],
        batch_size=2000,
    )
    cases = []
    for i, child in enumerate(children):
        unit = emergency if i % 60 == 0 else ordinary[i % len(ordinary)]
        cases.append(
            Case(
                municipality=municipality,
                source_ref=f"S{code}-{i:06d}",
                child=child,
                unit=unit,
                group=rng.choice(GROUPS),
                caseworker=rng.choice(workers[unit.pk]),
                created_at=now,
                updated_at=now,
            )
        )
    return Case.objects.bulk_create(cases, batch_size=2000)


def _facts(municipality: Any, cases: list[Any], rng: random.Random, now: datetime) -> None:
    """Events and one investigation obligation per case."""
    from sagstilsyn.cases.models import CaseEvent, Obligation, RuleVersion

    rule = RuleVersion.objects.get_or_create(
        catalogue_version="bench",
        rule_id="investigation_deadline",
        valid_from=date(2024, 1, 1),
        defaults={"title": "Undersøgelse", "kind": "deadline", "law": "BL", "recorded_at": now},
    )[0]
    events: list[Any] = []
    triggers: list[tuple[Any, Any, Any]] = []  # case, need_noticed, investigation_completed
    for case in cases:
        noticed = date(2023, 1, 1) + timedelta(days=rng.randrange(1000))
        facts: list[tuple[str, date, dict[str, str]]] = [
            ("need_noticed", noticed, {}),
            ("investigation_completed", noticed + timedelta(days=90), {}),
        ]
        if rng.random() < 0.4:
            measure = "placement_without_consent" if rng.random() < 0.1 else "support"
            facts.append(("measure_decided", noticed + timedelta(days=100), {"measure": measure}))
        if rng.random() < 0.05:
            facts.append(("assessment", noticed, {"abuse": "ja"}))
        made = [
            CaseEvent(
                municipality=municipality,
                case=case,
                source="bench",
                source_event_id=f"{case.source_ref}-{n}",
                type=type_,
                day=day,
                attrs=attrs,
                recorded_at=now,
            )
            for n, (type_, day, attrs) in enumerate(facts)
        ]
        events += made
        triggers.append((case, made[0], made[1]))
    CaseEvent.objects.bulk_create(events, batch_size=2000)  # sets the primary keys (RETURNING)
    obligations = []
    for case, trigger, completed in triggers:
        overdue = rng.random() < 0.6
        obligations.append(
            Obligation(
                case=case,
                unit_id=case.unit_id,
                rule_id=rule.rule_id,
                rule_version=rule,
                trigger_event=trigger,
                due_day=trigger.day + timedelta(days=120),
                status="overdue" if overdue else "met",
                satisfied_event=None if overdue else completed,
                judged_on=now.date(),
                computed_at=now,
            )
        )
    Obligation.objects.bulk_create(obligations, batch_size=2000)


def population(code: str, scale: Scale, seed: int) -> Any:
    """A municipality of `scale` with the default programmes; returns the municipality."""
    from django.db import transaction

    from sagstilsyn.core.models import Municipality
    from sagstilsyn.reviews.programmes.defaults import programme_default_ensure

    rng = random.Random(seed)  # noqa: S311 - a synthetic population, repeatable
    now = datetime(2025, 12, 31, tzinfo=UTC)
    with transaction.atomic():
        municipality = Municipality.objects.create(code=code, name=f"Benchkommune {code}")
        _facts(municipality, _cases(municipality, code, scale, rng, now), rng, now)
        programme_default_ensure(municipality)
    return municipality


def _rows(municipality: Any) -> list[tuple[Any, ...]]:
    from sagstilsyn.reviews.models import SampleRow

    return sorted(
        SampleRow.objects.filter(sample__part__programme__municipality=municipality).values_list(
            "sample__part__code",
            "sample__period",
            "sample__scope",
            "position",
            "case_id",
            "status",
            "reviewer_id",
        )
    )


@contextmanager
def repeatable_seeds() -> Iterator[None]:
    """Seeds 0000…0001, 0000…0002, … in draw order, so two runs draw alike."""
    counter = iter(range(1, 1_000_000))
    with mock.patch("sagstilsyn.reviews.sampling.new_seed", side_effect=lambda: f"{next(counter):032x}"):
        yield


@contextmanager
def naive_draw() -> Iterator[None]:
    """The draw the obvious way: the frame's cases, eligibility sets and risk weights queried again for
    every part and sample, and each drawn case's readers looked up with their own queries (two for the
    exchange: the partner units, then the roles), as the draw did before ADR 0030."""
    from sagstilsyn.cases.models import Case
    from sagstilsyn.core.access import sample_reviewer_assignments_filter
    from sagstilsyn.core.models import RoleAssignment
    from sagstilsyn.reviews.programmes import draw
    from sagstilsyn.reviews.programmes.eligibility import Eligibility

    def eligible(self: Any, part: Any, period: Any) -> list[Any]:
        self._cases = None
        self.eligibility = Eligibility(self.municipality)
        return original_eligible(self, part, period)

    def weights(self: Any, as_of: date) -> dict[int, float]:
        self._weights.pop(as_of, None)
        return original_weights(self, as_of)

    def candidates(self: Any, facts: Any) -> list[Any]:
        rule = self.rule
        case = Case.objects.select_related("municipality", "unit").get(pk=facts.pk)
        roles = RoleAssignment.objects.filter(
            sample_reviewer_assignments_filter(rule),
            municipality_id=case.municipality_id,
            user__is_active=True,
        )
        if rule == "exchange":
            partner = draw.exchange_partners(case.municipality).get(case.unit_id)
            roles = roles.filter(unit_id=partner, group__in=["", case.group]) if partner else roles.none()
        elif rule != "centre_lawyers":
            roles = roles.filter(unit=case.unit)
            if rule == "unit_leader" and case.group and roles.filter(group=case.group).exists():
                roles = roles.filter(group=case.group)
        users = [a.user for a in roles.select_related("user").order_by("user__username", "pk")]
        return [user for user in {u.pk: u for u in users}.values() if user.pk != case.caseworker_id]

    original_eligible, original_weights = draw._DrawState.eligible, draw._DrawState.weights
    with (
        mock.patch.object(draw._DrawState, "eligible", eligible),
        mock.patch.object(draw._DrawState, "weights", weights),
        mock.patch.object(draw._Staff, "candidates", candidates),
    ):
        yield


@dataclass
class StartTiming:
    """One timed `supervision_start`: all of it, the draw's share, the queries, and the rows drawn."""

    ms: float
    draw_ms: float
    queries: int
    rows: list[tuple[Any, ...]]


def timed_start(municipality: Any, period_text: str, *, naive: bool) -> StartTiming:
    """Time `supervision_start` for the period (draw and assign) and roll it back."""
    from django.db import connection, transaction

    from sagstilsyn.reviews.programmes import draw
    from sagstilsyn.reviews.programmes.periods import period_parse
    from sagstilsyn.reviews.services import reviews

    period = period_parse(period_text)
    queries = [0]
    draw_ms = [0.0]
    original_draw = draw.supervision_draw

    def count(execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any) -> Any:
        queries[0] += 1
        return execute(sql, params, many, context)

    def timed_draw(**kwargs: Any) -> Any:
        start = time.perf_counter()
        try:
            return original_draw(**kwargs)
        finally:
            draw_ms[0] += (time.perf_counter() - start) * 1000

    with transaction.atomic():
        with (
            repeatable_seeds(),
            connection.execute_wrapper(count),
            mock.patch("sagstilsyn.reviews.services.reviews.supervision_draw", timed_draw),
            naive_draw() if naive else nullcontext(),
        ):
            start = time.perf_counter()
            reviews.supervision_start(municipality=municipality, period=period, actor=None)
            ms = (time.perf_counter() - start) * 1000
        rows = _rows(municipality)
        transaction.set_rollback(True)
    return StartTiming(ms, draw_ms[0], queries[0], rows)


def three_years(municipality: Any, first_year: int) -> int:
    """Draw 36 months (and so 12 quarters and 3 years) of the default programme; the samples drawn."""
    from sagstilsyn.reviews.programmes.draw import supervision_draw
    from sagstilsyn.reviews.programmes.periods import Period

    drawn = 0
    for year in range(first_year, first_year + 3):
        for month in range(1, 13):
            drawn += len(
                supervision_draw(municipality=municipality, period=Period("month", year, month), actor=None)
            )
    return drawn


def naive_verify() -> list[str]:
    """`samples verify` as it was before ADR 0030: frame and sample rows as model instances with their
    cases (`select_related`), where `samples_verify` now reads plain values."""
    from sagstilsyn.reviews import sampling
    from sagstilsyn.reviews.models import Sample
    from sagstilsyn.reviews.programmes.draw import design_draw, passed_over

    problems: list[str] = []
    for sample in Sample.objects.order_by("pk"):
        frame = sorted(
            (
                sampling.FrameCase(r.case.source_ref, r.stratum, r.risk_weight)
                for r in sample.frame.select_related("case")
            ),
            key=lambda fc: fc.case_id,
        )
        stored = list(sample.rows.select_related("case").order_by("position"))
        excluded: dict[str, str] = {}
        for row in stored:
            if row.status == "excluded":
                excluded[row.case.source_ref] = row.reason
            if row.status in ("excluded", "replacement"):
                for case_id, why in passed_over(row.reason):
                    excluded.setdefault(case_id, why)
        sizes = {str(k): int(v) for k, v in (sample.stratum_sizes or {}).items()}
        redrawn = sampling.apply_exclusions(
            design_draw(sample.design, frame, sample.size, sizes, sample.seed), frame, excluded
        )
        if [(r.case_id, r.status) for r in redrawn.rows] != [(r.case.source_ref, r.status) for r in stored]:
            problems.append(f"stikprøve {sample.pk}")
    return problems


def best_ms(run: Callable[[], object], repeat: int) -> tuple[float, object]:
    best, result = float("inf"), None
    for _ in range(repeat):
        start = time.perf_counter()
        result = run()
        best = min(best, (time.perf_counter() - start) * 1000)
    return best, result
