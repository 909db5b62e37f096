"""Benchmark of *Ugens frister* on the demo: the first screen against the old one-page list, same run.

    .venv/bin/python bench/followup.py [--db sagstilsyn_followup] [--server URL] [--repeat N] [--load]
    .venv/bin/python bench/followup.py --database-url sqlite:///db.sqlite3   # make run's SQLite demo

Uses a PostgreSQL database (with --database-url: any database) holding the default demo
(`sagstilsyn demo load`, 4,000 children); with `--load` it drops and creates the database and loads
the demo first. It runs ANALYZE first (a database just loaded has no statistics; autovacuum would
gather them within minutes). For the demo's
`centerjurist` (every unit) and `afdelingsleder` it times, best of --repeat:

- **page**: GET /frister/ through Django's test client (log-in session, middleware, selectors, the
  access log of the rows shown, the template): what the user waits for, less the network;
- **old list**: the page as before issue 12 — `followup_week` (every listed row) rendered with the
  row table for all of them (the old page rendered every row) — and the ratio old/page.

Absolute times and the ratio are printed, never asserted; one JSON line at the end. See bench/README.md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.obligations import DEFAULT_SERVER, _recreate_database, _setup_django  # noqa: E402

USERS = ("centerjurist", "afdelingsleder")


def _best(repeat: int, work: Callable[[], object]) -> float:
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        work()
        best = min(best, time.perf_counter() - started)
    return best


def _database_url(args: argparse.Namespace) -> str:
    """The database to time: --database-url as given, else the PostgreSQL --db (loaded with --load)."""
    if args.database_url:
        if args.load:
            raise SystemExit("--load gælder kun PostgreSQL-databasen (--db); brug sagstilsyn demo load")
        return str(args.database_url)
    if not args.load:
        return f"{args.server}/{args.db}"
    url = _recreate_database(args.server, args.db)
    env = {"DATABASE_URL": url, "PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT)}
    for command in (["migrate", "-v0"], ["demo", "load"]):
        subprocess.run([sys.executable, "manage.py", *command], cwd=ROOT, env=env, check=True)  # noqa: S603
    return url


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--db", default="sagstilsyn_followup", help="a database holding the demo")
    parser.add_argument("--server", default=DEFAULT_SERVER, help="the PostgreSQL server's address")
    parser.add_argument("--repeat", type=int, default=5, help="runs of each; the best counts")
    parser.add_argument("--load", action="store_true", help="drop, create and load the demo first")
    parser.add_argument("--database-url", help="a database holding the demo, e.g. make run's SQLite file")
    args = parser.parse_args(argv)
    url = _database_url(args)
    os.environ["SAGSTILSYN_OTP_REQUIRED"] = "0"  # the demo's leaders log in without a code app
    _setup_django(url)

    from django.db import connection
    from django.template.loader import render_to_string
    from django.test import Client
    from django.test.utils import setup_test_environment

    from sagstilsyn.cases.followup.selectors import followup_week, week_monday
    from sagstilsyn.core.access import user_scope
    from sagstilsyn.core.models import User
    from sagstilsyn.law.calendar import today_local

    setup_test_environment()  # the test client's allowed host
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
        postgresql = connection.vendor == "postgresql"
        cursor.execute("SELECT version()" if postgresql else "SELECT sqlite_version()")
        found = cursor.fetchone()[0]
    version = found.split(" on ")[0] if postgresql else f"SQLite {found}"
    python = platform.python_version()
    where = args.database_url or args.db
    print(f"Ugens frister bench — {where} ({version}), Python {python}, best of {args.repeat}")
    monday = week_monday(today_local())
    results: dict[str, dict[str, float | int]] = {}
    for username in USERS:
        user = User.objects.get(username=username)
        client = Client()
        client.force_login(user)
        response = client.get("/frister/")
        if response.status_code != 200:
            raise SystemExit(f"/frister/ gav {response.status_code} for {username}")
        shown = len(response.context["screen"].rows)
        page_bytes = len(response.content)
        scope = user_scope(user)

        def old() -> str:
            week = followup_week(scope=scope, week_start=monday)  # noqa: B023 - used at once
            return render_to_string("cases/includes/followup_table.html", {"rows": week.rows, "heading": "x"})

        old_rows = len(followup_week(scope=scope, week_start=monday).rows)
        old_bytes = len(old().encode())
        page_s = _best(args.repeat, lambda: client.get("/frister/"))  # noqa: B023
        old_s = _best(args.repeat, old)
        results[username] = {
            "page_ms": round(page_s * 1000, 1),
            "page_rows": shown,
            "page_kb": page_bytes // 1024,
            "old_ms": round(old_s * 1000, 1),
            "old_rows": old_rows,
            "old_kb": old_bytes // 1024,
        }
        print(
            f"  {username:<15} page {page_s * 1000:7.1f} ms ({shown:,} rows, {page_bytes // 1024:,} kB); "
            f"old list {old_s * 1000:7.1f} ms ({old_rows:,} rows, {old_bytes // 1024:,} kB); "
            f"old/page {old_s / page_s:5.1f}×"
        )
    print(json.dumps({"bench": "followup", "db": where, "results": results}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
