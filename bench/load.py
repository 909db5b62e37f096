"""Load bench: simulated users of mixed roles against a production-like server on a national-scale database.

    .venv/bin/python bench/load.py [--minutes 10] [--users 50] [--reuse] [--db sagstilsyn_load]

1. DATABASE (skipped with --reuse): drops and creates its own database on the PostgreSQL server
   (`--server`, default postgres://postgres@127.0.0.1:5432; `--db`, default `sagstilsyn_load`), migrates
   it, sets up the organisation of bench/obligations.py (municipality 101, ten units, a leader and 25
   caseworkers per unit) with log-ins for the simulated users (ACCOUNTS), and records the population of
   bench/law_engine.py (default 100,000 children, about 2.2 million events) through `events_record`
   in batches of whole cases. Nothing here generates data of its own.
2. SERVER: gunicorn (gthread) on a loopback port with DEBUG off, a random secret key and plain-HTTP
   cookies (`DJANGO_SECURE_COOKIES=0`: the bench speaks HTTP on loopback). `--server-env KEY=VALUE`
   adds settings. Where log-in asks for a second factor (django-otp), the setup gives every bench log-in
   a code app (otp_enrol) and the simulated users type its codes (bench/locustfile.py).
3. LOAD: locust (headless, bench/locustfile.py) with `--users` simulated users of the roles in MIX, each
   logging in through the log-in form (CSRF token from the form) and walking the pages of its role with
   2-8 seconds between pages, for `--minutes` minutes (at most 60).
4. REPORT: a table per page (requests, errors, p50, p95, max in ms), the total errors, the machine's load
   during the run; a JSON summary (and locust's CSV files) under var/load/ or `--output`. Exits 1 on any
   error (a page that is not 200, or one that lands on the log-in page).

Loopback only: the web server and the database must be on 127.0.0.1/::1/localhost. See bench/README.md.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import hmac
import importlib
import ipaddress
import json
import os
import platform
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.obligations import (  # noqa: E402 - after the path is set, as a script
    CASEWORKERS_PER_UNIT,
    DEFAULT_SERVER,
    MUNICIPALITY,
    UNITS,
    parse_events_file,
    write_events_file,
)

DEFAULT_DB = "sagstilsyn_load"
DEFAULT_MINUTES = 10
MAX_MINUTES = 60
DEFAULT_USERS = 50
MAX_USERS = 200
#: The bench users' password (12+ characters, as the password rules ask). Only in the bench's database.
PASSWORD = "belastning-1234"  # noqa: S105 - a bench-only password in a scratch database
#: The key of stored CPR numbers, the same for the setup and the server (the population has none).
CPR_KEY = "sagstilsyn-load-bench-cpr-key"
#: The audit chains' key (ADR 0018), the same for the setup and the server, so --reuse keeps them intact.
AUDIT_KEY = "sagstilsyn-load-bench-audit-key"
#: Rows per `events_record` call while loading (whole cases, so each case is recomputed once).
BATCH_ROWS = 500_000
#: The sample of events the administrators upload as a dry run (first rows of the population).
UPLOAD_ROWS = 40
VAR = ROOT / "var" / "load"
#: The bench log-ins' code app keys (hex), when log-in asks for a second factor (see otp_enrol).
OTP_KEYS = VAR / "otp-keys.json"


@dataclass(frozen=True)
class RoleMix:
    """One kind of simulated user: its locust class, role, how many of the 50, and its log-ins."""

    user_class: str
    role: str
    label: str
    weight: int
    accounts: tuple[str, ...]


def _unit_codes(count: int) -> list[str]:
    return [code.lower() for code, _, kind in UNITS if kind == "unit"][:count]


def _accounts(role: str, suffixes: Sequence[str]) -> tuple[str, ...]:
    """The bench's own log-ins of a role: `load-<role>-<unit code or number>`."""
    return tuple(f"load-{role}-{suffix}" for suffix in suffixes)


#: The mix of 50 users (weights = users at --users 50; locust shares other totals by the weights).
#: Caseworkers are the many; leaders and lawyers read lists and exports; committee members only
#: see pages without children (their role has no case access).
MIX: tuple[RoleMix, ...] = (
    RoleMix(
        "Caseworker",
        "caseworker",
        "Sagsbehandler",
        20,
        tuple(f"{unit}-{n:02d}" for unit in [*_unit_codes(9), "doegnvagten"] for n in range(2)),
    ),
    RoleMix("Coordinator", "coordinator", "Faglig koordinator", 4, _accounts("koordinator", _unit_codes(4))),
    RoleMix(
        "DepartmentLeader",
        "department_leader",
        "Afdelingsleder",
        8,
        tuple(f"{u}-leder" for u in _unit_codes(8)),
    ),
    RoleMix("AreaChief", "area_chief", "Områdechef", 3, _accounts("omraadechef", _unit_codes(3))),
    RoleMix("AreaLawyer", "area_lawyer", "Områdejurist", 3, _accounts("omraadejurist", _unit_codes(3))),
    RoleMix("CentreLawyer", "centre_lawyer", "Centerjurist", 3, _accounts("centerjurist", "123")),
    RoleMix("CentralLawyer", "central_lawyer", "Central jurist", 2, _accounts("centraljurist", "12")),
    RoleMix("Administrator", "administrator", "Administrator", 2, _accounts("administrator", "12")),
    RoleMix("CommitteeMember", "committee_member", "Udvalgsmedlem", 5, _accounts("udvalgsmedlem", "12345")),
)


# ---------------------------------------------------------------------------------------------------
# Pure helpers (tests/bench/test_load.py)
# ---------------------------------------------------------------------------------------------------


def require_loopback(host: str) -> str:
    """`host` if it is a loopback address or `localhost`; ValueError otherwise (the bench never leaves
    the machine)."""
    name = host.strip().strip("[]")
    if name.lower() == "localhost":
        return name
    try:
        address = ipaddress.ip_address(name)
    except ValueError:
        raise ValueError(
            f"'{host}' er ikke en loopback-adresse: brug 127.0.0.1, ::1 eller localhost"
        ) from None
    if not address.is_loopback:
        raise ValueError(f"'{host}' er ikke en loopback-adresse: brug 127.0.0.1, ::1 eller localhost")
    return name


def require_minutes(minutes: float) -> float:
    """`minutes` if 0 < minutes ≤ MAX_MINUTES; ValueError otherwise (the bench is bounded)."""
    if not 0 < minutes <= MAX_MINUTES:
        raise ValueError(f"--minutes skal være over 0 og højst {MAX_MINUTES}, ikke {minutes:g}")
    return minutes


def server_env(pairs: Sequence[str]) -> dict[str, str]:
    """`KEY=VALUE` pairs as a dict; ValueError on a pair without '='."""
    out: dict[str, str] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise ValueError(f"--server-env skal have formen NAVN=VÆRDI, ikke '{pair}'")
        out[key.strip()] = value
    return out


@dataclass(frozen=True)
class PageStat:
    """One page's numbers from locust (times in ms)."""

    page: str
    requests: int
    errors: int
    p50: float
    p95: float
    max: float


def read_stats(path: Path) -> tuple[list[PageStat], PageStat | None]:
    """Locust's `<prefix>_stats.csv` as one PageStat per page (sorted by name) and the aggregated row."""
    pages: list[PageStat] = []
    total: PageStat | None = None
    with path.open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            name = row["Name"] if not row["Type"] else f"{row['Type']} {row['Name']}"
            stat = PageStat(
                page=name,
                requests=int(row["Request Count"]),
                errors=int(row["Failure Count"]),
                p50=_number(row["50%"]),
                p95=_number(row["95%"]),
                max=_number(row["Max Response Time"]),
            )
            if row["Name"] == "Aggregated":
                total = PageStat("all pages", stat.requests, stat.errors, stat.p50, stat.p95, stat.max)
            else:
                pages.append(stat)
    return sorted(pages, key=lambda s: s.page), total


def totp(key_hex: str, at: float, step: int = 30, digits: int = 6) -> str:
    """The code a code app shows at `at` (seconds since the epoch) for the key (RFC 6238, HMAC-SHA1)."""
    counter = int(at // step).to_bytes(8, "big")
    mac = hmac.new(bytes.fromhex(key_hex), counter, hashlib.sha1).digest()
    offset = mac[-1] & 0x0F
    number = int.from_bytes(mac[offset : offset + 4], "big") & 0x7FFFFFFF
    return f"{number % 10**digits:0{digits}d}"


def _number(text: str) -> float:
    return float(text) if text not in ("", "N/A") else 0.0


def format_table(pages: Sequence[PageStat], total: PageStat | None) -> str:
    """The per-page table: page, requests, errors, p50, p95, max (ms), with the total last."""
    rows = [*pages, *([total] if total else [])]
    width = max([len("page"), *(len(s.page) for s in rows)])
    header = f"{'page':<{width}}  {'requests':>8}  {'errors':>6}  {'p50 ms':>7}  {'p95 ms':>7}  {'max ms':>7}"
    lines = [header, "-" * len(header)]
    for stat in rows:
        if stat is total:
            lines.append("-" * len(header))
        lines.append(
            f"{stat.page:<{width}}  {stat.requests:>8,}  {stat.errors:>6,}  {stat.p50:>7,.0f}  "
            f"{stat.p95:>7,.0f}  {stat.max:>7,.0f}"
        )
    return "\n".join(lines)


# ---------------------------------------------------------------------------------------------------
# 1. The database
# ---------------------------------------------------------------------------------------------------


def database_url(server: str, db: str) -> str:
    return f"{server.rstrip('/')}/{db}"


def database_setup(args: argparse.Namespace, url: str) -> None:
    """A national-scale database from bench/obligations.py's organisation and bench/law_engine.py's
    population, with the bench users' log-ins."""
    import gc

    from bench.obligations import _recreate_database

    _recreate_database(args.server, args.db)
    _django(url)
    VAR.mkdir(parents=True, exist_ok=True)
    OTP_KEYS.unlink(missing_ok=True)  # the keys of a database that is gone

    from django.core.management import call_command
    from django.db import connection

    from bench.law_engine import generate_population
    from bench.obligations import organisation_setup
    from sagstilsyn.cases.services.events import events_record

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    municipality, units, _ = organisation_setup(password=PASSWORD, logins_per_unit=2)
    _extra_logins(municipality, units)
    enrolled = otp_enrol()
    print(
        f"  migrated; organisation and {sum(len(m.accounts) for m in MIX)} log-ins through the services"
        + (f"; a code app (TOTP) set up for each, keys in {OTP_KEYS}" if enrolled else "")
    )

    population = generate_population(args.children, args.seed)
    attributes = sorted({name for events in population for e in events for name in e.attrs})
    print(
        f"  population: {args.children:,} children, {sum(map(len, population)):,} events (seed {args.seed})"
    )
    VAR.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="sagstilsyn-load-") as tmp:
        batch: list[tuple[int, list[Any]]] = []
        rows = 0
        number = 0

        def flush() -> None:
            nonlocal number
            number += 1
            path = Path(tmp) / f"events-{number}.csv"
            write_events_file(path, batch, args.seed, attributes)
            if number == 1:
                _keep_upload_sample(path)
            result = events_record(municipality=municipality, inputs=parse_events_file(path), source="bench")
            path.unlink()
            print(
                f"  batch {number}: {result.events_created:,} events, {result.obligations:,} obligations "
                f"({time.perf_counter() - started:,.0f} s)"
            )
            batch.clear()
            gc.collect()

        for child, events in enumerate(population):
            batch.append((child, events))
            rows += len(events)
            if rows >= BATCH_ROWS:
                flush()
                rows = 0
        if batch:
            flush()
    del population
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    print(f"  database ready in {time.perf_counter() - started:,.0f} s")


def _extra_logins(municipality: Any, units: dict[str, Any]) -> None:
    """The roles bench/obligations.py's organisation does not have, through the services."""
    from sagstilsyn.core.services.organisation import role_assign, user_create

    by_code = {code.lower(): unit for code, unit in units.items()}
    for mix in MIX:
        if mix.role in ("caseworker", "department_leader"):
            continue  # bench/obligations.py's own users, with the password (organisation_setup)
        for username in mix.accounts:
            user = user_create(
                municipality=municipality, username=username, first_name=mix.label, password=PASSWORD
            )
            unit = next((u for code, u in by_code.items() if username.endswith(f"-{code}")), None)
            role_assign(user=user, role=mix.role, unit=unit if mix.role in UNIT_ROLES else None)


def otp_enrol() -> bool:
    """When log-in asks for a second factor (django-otp installed, ADR 0016): set up a code app for every
    bench log-in through the log-in services (start the enrolment, confirm it with its first code, as a
    user would) and keep the keys in OTP_KEYS for the simulated users. False when there is none."""
    from django.apps import apps

    if not apps.is_installed("django_otp.plugins.otp_totp"):
        return False
    from sagstilsyn.core.models import User

    services = importlib.import_module("sagstilsyn.core.login.services")  # only where two-factor exists
    keys: dict[str, str] = {}
    for user in User.objects.filter(username__in=[a for m in MIX for a in m.accounts]).order_by("pk"):
        services.otp_device_reset(user=user, actor=None)  # a code app of an earlier run (--reuse)
        device = services.otp_enrolment_start(user=user)
        code = totp(device.key, time.time(), step=device.step, digits=device.digits)
        check = services.otp_code_check(user=user, device=device, code=code)
        if check.outcome is not services.OtpOutcome.VERIFIED:
            raise SystemExit(f"kodeappen for {user.username} kunne ikke bekræftes: {check.outcome}")
        keys[user.username] = device.key
    OTP_KEYS.write_text(json.dumps(keys, indent=1), encoding="utf-8")
    # A code is taken once (django-otp keeps the last one used): the first log-ins must not come in the
    # 30 seconds of the codes that confirmed the code apps.
    time.sleep(30 - time.time() % 30 + 1)
    return True


#: The roles held in a unit (the account name ends with the unit's code), as in sagstilsyn.core.models.
UNIT_ROLES = ("caseworker", "coordinator", "department_leader", "area_chief", "area_lawyer")


def _keep_upload_sample(path: Path) -> None:
    """The first rows of the population, kept for the administrators' dry-run uploads."""
    with path.open(encoding="utf-8") as source:
        lines = [line for _, line in zip(range(UPLOAD_ROWS + 1), source, strict=False)]
    (VAR / "upload-sample.csv").write_text("".join(lines), encoding="utf-8")


def _django(url: str) -> None:
    os.environ["SAGSTILSYN_CPR_KEY"] = CPR_KEY
    os.environ["SAGSTILSYN_AUDIT_KEY"] = AUDIT_KEY
    from bench.obligations import _setup_django

    _setup_django(url)


def database_describe(url: str) -> dict[str, int]:
    """What the database holds; SystemExit when it is not a load bench database (for --reuse)."""
    _django(url)
    from sagstilsyn.cases.models import Case, CaseEvent, Obligation
    from sagstilsyn.core.models import Municipality, User

    if not Municipality.objects.filter(code=MUNICIPALITY[0]).exists():
        raise SystemExit("--reuse: databasen har ikke bænkens kommune (kør uden --reuse)")
    missing = [a for m in MIX for a in m.accounts if not User.objects.filter(username=a).exists()]
    if missing:
        raise SystemExit(f"--reuse: databasen mangler bænkens brugere, fx {missing[0]} (kør uden --reuse)")
    return {
        "cases": Case.objects.count(),
        "events": CaseEvent.objects.count(),
        "obligations": Obligation.objects.count(),
        "caseworkers_per_unit": CASEWORKERS_PER_UNIT,
    }


# ---------------------------------------------------------------------------------------------------
# 2. The server
# ---------------------------------------------------------------------------------------------------


def free_port(host: str) -> int:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.bind((host, 0))
        return int(probe.getsockname()[1])


def server_start(args: argparse.Namespace, url: str, port: int, log: Path) -> subprocess.Popen[bytes]:
    """gunicorn with the production settings (DEBUG off) on host:port; waits until it answers."""
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "DJANGO_SETTINGS_MODULE": "sagstilsyn.settings",
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "SAGSTILSYN_CPR_KEY": CPR_KEY,
        "SAGSTILSYN_AUDIT_KEY": AUDIT_KEY,
        "DJANGO_ALLOWED_HOSTS": args.host,
        "DJANGO_SECURE_COOKIES": "0",
        "DATABASE_URL": url,
        "DATABASE_CONN_MAX_AGE": "60",
        "DJANGO_LOG_LEVEL": "WARNING",
        **server_env(args.server_env),
    }
    bind = f"[{args.host}]:{port}" if ":" in args.host else f"{args.host}:{port}"
    command = [
        sys.executable, "-m", "gunicorn", "sagstilsyn.wsgi:application",
        "--bind", bind, "--workers", str(args.workers), "--threads", str(args.threads),
        "--worker-class", "gthread", "--timeout", "120", "--graceful-timeout", "20",
        "--keep-alive", str(args.keep_alive),
        "--error-logfile", str(log), "--log-level", "warning",
    ]  # fmt: skip
    process = subprocess.Popen(command, cwd=ROOT, env=env)  # noqa: S603 - our own interpreter and arguments
    base = f"http://{bind}"
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"gunicorn stoppede med status {process.returncode}; se {log}")
        try:
            with urllib.request.urlopen(f"{base}/log-ind/", timeout=5) as response:  # noqa: S310 - loopback
                if response.status == 200:
                    return process
        except (urllib.error.URLError, OSError):
            time.sleep(0.5)
    process.terminate()
    raise SystemExit(f"gunicorn svarede ikke på {base}/log-ind/ inden for 90 s; se {log}")


def process_stop(process: subprocess.Popen[bytes], timeout: float = 30) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


# ---------------------------------------------------------------------------------------------------
# 3. The load
# ---------------------------------------------------------------------------------------------------


class LoadSampler:
    """The machine's 1-minute load average, sampled every 15 s while the load runs."""

    def __init__(self) -> None:
        self.samples: list[float] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.wait(15):
            self.samples.append(os.getloadavg()[0])

    def __enter__(self) -> LoadSampler:
        self.samples.append(os.getloadavg()[0])
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join()
        self.samples.append(os.getloadavg()[0])


def locust_run(args: argparse.Namespace, base: str, prefix: Path) -> int:
    """locust headless with bench/locustfile.py; returns its exit status."""
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "SAGSTILSYN_LOAD_ACCOUNTS": json.dumps({m.user_class: list(m.accounts) for m in MIX}),
        "SAGSTILSYN_LOAD_WEIGHTS": json.dumps({m.user_class: m.weight for m in MIX}),
        "SAGSTILSYN_LOAD_PASSWORD": PASSWORD,
        "SAGSTILSYN_LOAD_UPLOAD": str(VAR / "upload-sample.csv"),
        "SAGSTILSYN_LOAD_OTP_KEYS": str(OTP_KEYS) if OTP_KEYS.exists() else "",
    }
    seconds = round(args.minutes * 60)
    command = [
        sys.executable, "-m", "locust", "-f", str(ROOT / "bench" / "locustfile.py"), "--headless",
        "--users", str(args.users), "--spawn-rate", str(args.spawn_rate), "--run-time", f"{seconds}s",
        "--host", base, "--csv", str(prefix), "--only-summary", "--stop-timeout", "30",
        "--loglevel", "WARNING",
    ]  # fmt: skip
    return subprocess.call(command, cwd=ROOT, env=env)  # noqa: S603 - our own interpreter and arguments


def _git_commit() -> str:
    git = shutil.which("git")
    if git is None:
        return ""
    done = subprocess.run(  # noqa: S603 - git, found on the PATH, with fixed arguments
        [git, "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=False
    )
    return done.stdout.strip()


# ---------------------------------------------------------------------------------------------------
# Main
# ---------------------------------------------------------------------------------------------------


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument(
        "--minutes",
        type=float,
        default=DEFAULT_MINUTES,
        help=f"load time (default 10, at most {MAX_MINUTES})",
    )
    parser.add_argument(
        "--users", type=int, default=DEFAULT_USERS, help=f"simulated users (default 50, at most {MAX_USERS})"
    )
    parser.add_argument("--spawn-rate", type=float, default=1.0, help="users started per second (default 1)")
    parser.add_argument(
        "--server", default=DEFAULT_SERVER, help=f"PostgreSQL server (default {DEFAULT_SERVER})"
    )
    parser.add_argument("--db", default=DEFAULT_DB, help=f"the bench's own database (default {DEFAULT_DB})")
    parser.add_argument("--reuse", action="store_true", help="use the database as a previous run left it")
    parser.add_argument("--setup-only", action="store_true", help="set the database up, then stop")
    parser.add_argument("--children", type=int, default=100_000, help="children (= cases; default 100000)")
    parser.add_argument("--seed", type=int, default=20240101)
    parser.add_argument("--host", default="127.0.0.1", help="loopback address of the web server")
    parser.add_argument("--port", type=int, default=0, help="its port (default: a free one)")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn worker processes (default 3)")
    parser.add_argument("--threads", type=int, default=4, help="threads per worker (default 4)")
    parser.add_argument(
        "--keep-alive", type=int, default=75,
        help="seconds gunicorn keeps an idle connection (default 75, longer than a user's pause: with "
        "gunicorn's 2 s a user's next request can meet the server closing the connection: a reset)",
    )  # fmt: skip
    parser.add_argument(
        "--server-env", action="append", default=[], metavar="KEY=VALUE",
        help="an extra setting for the server's environment (repeatable)",
    )  # fmt: skip
    parser.add_argument("--output", type=Path, help="the JSON summary (default var/load/load-<time>.json)")
    args = parser.parse_args(argv)
    try:
        require_loopback(args.host)
        require_loopback(urlsplit(args.server).hostname or "")
        require_minutes(args.minutes)
        server_env(args.server_env)
    except ValueError as error:
        parser.error(str(error))
    if not 0 < args.users <= MAX_USERS:
        parser.error(f"--users skal være mellem 1 og {MAX_USERS}")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    url = database_url(args.server, args.db)
    started = datetime.now(UTC)
    print(
        f"Sagstilsyn load bench — {started:%Y-%m-%d %H:%M} UTC, "
        f"Python {platform.python_version()}, {os.cpu_count()} CPUs"
    )
    if not args.reuse:
        print(f"\n1. DATABASE {args.db} (dropped and created)")
        database_setup(args, url)
    counts = database_describe(url)
    if args.reuse and not (VAR / "upload-sample.csv").exists():
        raise SystemExit(
            f"--reuse: {VAR / 'upload-sample.csv'} mangler (den skrives ved opsætningen; kør uden --reuse)"
        )
    if args.reuse and not OTP_KEYS.exists() and otp_enrol():
        print(f"  the code apps' keys were gone: a new code app (TOTP) for each log-in, keys in {OTP_KEYS}")
    from django.db import connections

    connections.close_all()
    print(
        f"  {args.db}: {counts['cases']:,} cases, {counts['events']:,} events, "
        f"{counts['obligations']:,} obligations"
    )
    if args.setup_only:
        return 0

    stamp = started.strftime("%Y%m%dT%H%M%SZ")
    output: Path = args.output or VAR / f"load-{stamp}.json"
    output.parent.mkdir(parents=True, exist_ok=True)
    prefix = output.with_suffix("")
    port = args.port or free_port(args.host)
    print(
        f"\n2. SERVER gunicorn on {args.host}:{port}: "
        f"{args.workers} workers × {args.threads} threads, DEBUG off"
    )
    server = server_start(args, url, port, prefix.with_name(prefix.name + "-gunicorn.log"))
    try:
        base = f"http://[{args.host}]:{port}" if ":" in args.host else f"http://{args.host}:{port}"
        print(
            f"\n3. LOAD {args.users} users ({', '.join(f'{m.weight} {m.label}' for m in MIX)}), "
            f"{args.minutes:g} minutes"
        )
        with LoadSampler() as load:
            status = locust_run(args, base, prefix)
    finally:
        process_stop(server)
    return report(
        args=args,
        prefix=prefix,
        output=output,
        status=status,
        load=load.samples,
        counts=counts,
        started=started,
    )


def report(
    *,
    args: argparse.Namespace,
    prefix: Path,
    output: Path,
    status: int,
    load: list[float],
    counts: dict[str, int],
    started: datetime,
) -> int:
    stats_file = prefix.with_name(prefix.name + "_stats.csv")
    if not stats_file.exists():
        print(f"locust skrev ingen statistik ({stats_file}); exit status {status}")
        return 1
    pages, total = read_stats(stats_file)
    print("\n4. RESULT\n" + format_table(pages, total))
    errors = total.errors if total else sum(p.errors for p in pages)
    failures = prefix.with_name(prefix.name + "_failures.csv")
    if errors and failures.exists():
        print("\nerrors:")
        with failures.open(newline="", encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                print(f"  {row['Occurrences']:>5} × {row['Method']} {row['Name']}: {row['Error'][:200]}")
    summary = {
        "bench": "load",
        "date": started.isoformat(timespec="seconds"),
        "commit": _git_commit(),
        "minutes": args.minutes,
        "users": args.users,
        "mix": {m.label: m.weight for m in MIX},
        "server": {
            "workers": args.workers,
            "threads": args.threads,
            "worker_class": "gthread",
            "keep_alive_s": args.keep_alive,
        },
        "database": {"name": args.db, **counts},
        "cpus": os.cpu_count(),
        "load_average": {"min": min(load), "mean": round(sum(load) / len(load), 2), "max": max(load)},
        "errors": errors,
        "pages": [asdict(p) for p in pages],
        "total": asdict(total) if total else None,
        "locust_status": status,
    }
    output.write_text(json.dumps(summary, indent=1, ensure_ascii=False), encoding="utf-8")
    print(
        f"\nerrors: {errors}; machine load average (1 min) during the run: min {min(load):.2f}, "
        f"mean {sum(load) / len(load):.2f}, max {max(load):.2f} on {os.cpu_count()} CPUs\nsummary: {output}"
    )
    print(json.dumps({k: summary[k] for k in ("bench", "date", "users", "minutes", "errors", "total")}))
    return 1 if errors or status not in (0, 1) else 0


if __name__ == "__main__":
    sys.exit(main())
