"""Benchmark of the case list (sagsliste) on a national-scale PostgreSQL database: one page view's SQL.

    .venv/bin/python bench/case_list.py [--db sagstilsyn_load] [--server URL] [--repeat N]

Reads the load bench's database (set it up with `bench/load.py --setup-only`; nothing is written). For
a caseworker, a department leader and a centre lawyer (the first of each role there), it times what a
page of the case list asks the database: the count and the first 50 cases with their open and overdue
obligations and next deadline, as `cases_list` builds it (per-case subqueries), against the same page
built as before issue 11's change (a join of every visible case's obligations, grouped, then cut to
50). Both run in the same run, best of --repeat; the ratio is printed, absolute times too, never
asserted. Ends with one JSON line. See bench/README.md.
"""

from __future__ import annotations

import argparse
import json
import platform
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.obligations import DEFAULT_SERVER, _setup_django  # noqa: E402

ROLES = ("caseworker", "department_leader", "centre_lawyer")
PAGE = 50


def _best(repeat: int, work: Callable[[], object]) -> float:
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        work()
        best = min(best, time.perf_counter() - started)
    return best


def _page(queryset: Any) -> Callable[[], object]:
    def run() -> object:
        return queryset.count(), [(c.pk, c.open_count, c.overdue_count, c.next_due) for c in queryset[:PAGE]]

    return run


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--db", default="sagstilsyn_load", help="the load bench's database")
    parser.add_argument("--server", default=DEFAULT_SERVER, help="the PostgreSQL server's address")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each query; the best counts")
    args = parser.parse_args(argv)
    _setup_django(f"{args.server}/{args.db}")

    from django.db.models import Count, Min, Q

    from sagstilsyn.cases.selectors.cases import SORTS, CaseFilters, cases_list, cases_visible
    from sagstilsyn.core.access import user_scope
    from sagstilsyn.core.models import RoleAssignment
    from sagstilsyn.law.model import ObligationStatus

    print(f"Case list bench — {args.db}, Python {platform.python_version()}, best of {args.repeat}")
    results: dict[str, dict[str, float]] = {}
    for role in ROLES:
        assignment = RoleAssignment.objects.filter(role=role).select_related("user").order_by("pk").first()
        if assignment is None:
            raise SystemExit(f"{args.db} har ingen bruger med rollen {role} (kør bench/load.py --setup-only)")
        scope = user_scope(assignment.user)
        now = cases_list(scope=scope, filters=CaseFilters())
        before = (  # the page as built before: every visible case's obligations joined and grouped
            cases_visible(scope=scope)
            .select_related("unit", "child", "caseworker")
            .annotate(
                open_count=Count("obligations", filter=Q(obligations__status=ObligationStatus.OPEN)),
                overdue_count=Count("obligations", filter=Q(obligations__status=ObligationStatus.OVERDUE)),
                next_due=Min("obligations__due_day", filter=Q(obligations__status=ObligationStatus.OPEN)),
            )
            .order_by(*SORTS["ref"])
        )
        assert _page(now)() == _page(before)(), "the two queries must give the same page"  # noqa: S101
        seconds_before = _best(args.repeat, _page(before))
        seconds_now = _best(args.repeat, _page(now))
        results[role] = {"cases": now.count(), "before_s": seconds_before, "now_s": seconds_now}
        print(
            f"  {role:<18} {now.count():>7,} cases: before {seconds_before * 1000:8.1f} ms, "
            f"now {seconds_now * 1000:7.1f} ms, before/now {seconds_before / seconds_now:6.1f}×"
        )
    print(json.dumps({"bench": "case_list", "db": args.db, "results": results}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
