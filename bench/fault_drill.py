"""Fault drill: kill the import and restart PostgreSQL mid-import; nothing lost, the re-run idempotent.

    .venv/bin/python bench/fault_drill.py [--children 20000] [--port 5499] [--keep]

Runs on a PostgreSQL cluster of its own (initdb into a temporary directory, on a free loopback port,
5499 by default), never on the shared server. As root, the cluster runs as the user `postgres`.

1. Migrates, sets up bench/obligations.py's organisation and writes bench/law_engine.py's population
   as two events files: A (the first half of each case's events) and B (the rest), so B adds events
   to the cases A created and their obligations are recomputed.
2. Imports A with the CLI (`sagstilsyn import events A`): the state before.
3. FAULT 1: starts the CLI import of B, and kills it with SIGKILL once it is writing the events
   (PostgreSQL shows its COPY into cases_caseevent). When `sagstilsyn worker` exists (the queue), and
   Redis answers on 127.0.0.1:6379, the same is done to a worker running the import of B as a queued
   job (step 3b); otherwise that step says it was skipped.
4. FAULT 2: starts the import of B again and restarts PostgreSQL (`pg_ctl restart -m immediate`: a
   crash and recovery) while it writes the obligations (its COPY into cases_obligation).
   After each fault: the counts of children, cases, events and obligations and a fingerprint of every
   obligation equal the state before (nothing half-written), and the stored obligations equal a fresh
   recompute from the stored events.
5. Re-runs the import of B to the end: every row of B is stored and the stored obligations equal a
   fresh recompute.
6. Runs it once more: nothing changes (counts, fingerprint and ids of events and obligations).

Prints each step and a PASS/FAIL summary; exits 1 on any failure. Stops the cluster and removes its
directory (unless --keep). See bench/README.md.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

DB = "sagstilsyn_drill"
SOURCE = "bench"
#: Bounds on waiting for another process (never asserted as durations).
WAIT_SECONDS = 600.0
#: PostgreSQL's binaries: PG_BINDIR, else the newest Debian install, else the PATH.
PG_DIRS = ("/usr/lib/postgresql/17/bin", "/usr/lib/postgresql/16/bin", "/usr/lib/postgresql/15/bin")


# ---------------------------------------------------------------------------------------------------
# The private cluster
# ---------------------------------------------------------------------------------------------------


def pg_bindir() -> Path:
    for candidate in (os.environ.get("PG_BINDIR", ""), *PG_DIRS):
        if candidate and (Path(candidate) / "initdb").exists():
            return Path(candidate)
    found = shutil.which("initdb")
    if found is None:
        raise SystemExit("initdb findes ikke: sæt PG_BINDIR til PostgreSQL's bin-mappe")
    return Path(found).parent


def port_free(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def pick_port(wanted: int) -> int:
    """`wanted` if nothing listens there, else the next free port above it."""
    for port in range(wanted, wanted + 100):
        if port_free(port):
            return port
    raise SystemExit(f"ingen ledig port fra {wanted} til {wanted + 99}")


@dataclass
class Cluster:
    """A PostgreSQL cluster in `directory`, listening on 127.0.0.1:`port` only (trust auth)."""

    directory: Path
    port: int
    bindir: Path = field(default_factory=pg_bindir)

    @property
    def data(self) -> Path:
        return self.directory / "data"

    @property
    def url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}"

    def _run(self, *command: str) -> None:
        # As root, PostgreSQL refuses to run: its commands run as the user postgres.
        prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        subprocess.run([*prefix, *command], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)  # noqa: S603

    def init(self) -> None:
        if os.geteuid() == 0:
            shutil.chown(self.directory, "postgres", "postgres")
        self._run(
            str(self.bindir / "initdb"), "-D", str(self.data), "-U", "postgres", "--auth=trust", "-E", "UTF8"
        )

    def pg_ctl(self, action: str, *extra: str) -> None:
        options = f"-p {self.port} -k {self.directory} -c listen_addresses=127.0.0.1"
        self._run(
            str(self.bindir / "pg_ctl"), action, "-D", str(self.data),
            "-l", str(self.directory / "server.log"),
            "-o", options, "-w", "-t", "120", *extra,
        )  # fmt: skip

    def stop(self) -> None:
        if (self.data / "postmaster.pid").exists():
            self.pg_ctl("stop", "-m", "fast")


@contextmanager
def private_cluster(port: int, keep: bool) -> Iterator[Cluster]:
    directory = Path(tempfile.mkdtemp(prefix="sagstilsyn-drill-"))
    cluster = Cluster(directory, pick_port(port))
    try:
        cluster.init()
        cluster.pg_ctl("start")
        yield cluster
    finally:
        cluster.stop()
        if keep:
            print(f"  cluster kept in {directory}")
        else:
            shutil.rmtree(directory, ignore_errors=True)


# ---------------------------------------------------------------------------------------------------
# What the database holds
# ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class State:
    """Counts and fingerprints of the case data (hashes over every row, in id order)."""

    counts: dict[str, int]
    obligations: str
    events: str

    def differences(self, other: State) -> list[str]:
        out = [
            f"{k}: {v:,} → {other.counts.get(k, 0):,}"
            for k, v in self.counts.items()
            if other.counts.get(k) != v
        ]
        if self.obligations != other.obligations:
            out.append("the obligations' fingerprint changed")
        if self.events != other.events:
            out.append("the events' fingerprint changed")
        return out


def _digest(rows: Iterator[tuple[Any, ...]]) -> str:
    digest = hashlib.sha256()
    for row in rows:
        digest.update(repr(row).encode())
    return digest.hexdigest()[:16]


def state_read() -> State:
    from sagstilsyn.cases.models import Case, CaseEvent, Child, Obligation
    from sagstilsyn.core.models import AuditEvent

    counts = {
        "children": Child.objects.count(),
        "cases": Case.objects.count(),
        "events": CaseEvent.objects.count(),
        "obligations": Obligation.objects.count(),
        "import audit events": AuditEvent.objects.filter(action__startswith="events.").count(),
    }
    obligations = Obligation.objects.order_by("pk").values_list(
        "pk", "case_id", "rule_id", "trigger_event_id", "due_day", "due_at", "status", "satisfied_event_id"
    )
    events = CaseEvent.objects.order_by("pk").values_list(
        "pk", "case_id", "source_event_id", "type", "day", "attrs"
    )
    return State(
        counts,
        _digest(iter(obligations.iterator(chunk_size=20_000))),
        _digest(iter(events.iterator(chunk_size=20_000))),
    )


def stored_differ_from_fresh() -> list[int]:
    """The cases whose stored obligations differ from a fresh recompute of their stored events
    (rule, trigger event, due day, status, satisfying event), as tests/cases/test_concurrent_writes.py
    checks it."""
    from sagstilsyn.cases.models import Case, Obligation
    from sagstilsyn.cases.selectors.obligations import obligations_evaluate
    from sagstilsyn.law.calendar import local_date, today_local

    def key(item: Any) -> tuple[Any, ...]:
        trigger = int(item.trigger.id) if item.trigger.id else None
        satisfied = int(item.satisfied_by.id) if item.satisfied_by and item.satisfied_by.id else None
        return (item.rule_id, trigger, local_date(item.due), str(item.status), satisfied)

    case_ids = sorted(Case.objects.values_list("pk", flat=True))
    fresh: dict[int, Counter[tuple[Any, ...]]] = {pk: Counter() for pk in case_ids}
    for case_id, item in obligations_evaluate(case_ids=case_ids, as_of=today_local()):
        fresh[case_id][key(item)] += 1
    stored: dict[int, Counter[tuple[Any, ...]]] = {pk: Counter() for pk in case_ids}
    rows = Obligation.objects.values_list(
        "case_id", "rule_id", "trigger_event_id", "due_day", "status", "satisfied_event_id"
    )
    for case_id, *rest in rows.iterator(chunk_size=20_000):
        stored[case_id][tuple(rest)] += 1
    return [pk for pk in case_ids if stored[pk] != fresh[pk]]


# ---------------------------------------------------------------------------------------------------
# The drill
# ---------------------------------------------------------------------------------------------------


@dataclass
class Drill:
    cluster: Cluster
    url: str
    checks: list[tuple[str, bool, str]] = field(default_factory=list)

    def check(self, name: str, ok: bool, detail: str = "") -> bool:
        self.checks.append((name, ok, detail))
        print(f"  {'PASS' if ok else 'FAIL'}  {name}" + (f": {detail}" if detail else ""))
        return ok

    def env(self) -> dict[str, str]:
        return {
            **os.environ,
            "PYTHONPATH": str(ROOT),
            "DATABASE_URL": self.url,
            "DJANGO_LOG_LEVEL": "WARNING",
        }

    def import_start(self, path: Path) -> subprocess.Popen[bytes]:
        command = [sys.executable, str(ROOT / "manage.py"), "import", "events", str(path), "--source", SOURCE]
        return subprocess.Popen(  # noqa: S603 - our own interpreter, manage.py and file
            command, cwd=ROOT, env=self.env(), stdout=subprocess.PIPE, stderr=subprocess.STDOUT
        )

    def import_run(self, path: Path) -> tuple[int, str, float]:
        started = time.perf_counter()
        process = self.import_start(path)
        out, _ = process.communicate(timeout=WAIT_SECONDS)
        return process.returncode, out.decode(errors="replace").strip(), time.perf_counter() - started

    def wait_for_copy(self, table: str, process: subprocess.Popen[bytes] | None = None) -> bool:
        """Wait until a session of the drill's database runs a COPY into `table`; False if the process
        ended first or the bound passed."""
        import psycopg

        deadline = time.monotonic() + WAIT_SECONDS
        with psycopg.connect(f"{self.cluster.url}/postgres", autocommit=True) as monitor:
            while time.monotonic() < deadline:
                if process is not None and process.poll() is not None:
                    return False
                row = monitor.execute(
                    "SELECT count(*) FROM pg_stat_activity WHERE datname = %s AND state = 'active' "
                    "AND query ILIKE %s",
                    (DB, f"COPY%{table}%"),
                ).fetchone()
                if row and row[0]:
                    return True
                time.sleep(0.02)
        return False

    def wait_idle(self) -> None:
        """Wait until no other session of the drill's database is active (a killed client's backend
        ends when it notices the closed socket)."""
        import psycopg

        deadline = time.monotonic() + WAIT_SECONDS
        with psycopg.connect(f"{self.cluster.url}/postgres", autocommit=True) as monitor:
            while time.monotonic() < deadline:
                row = monitor.execute(
                    "SELECT count(*) FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid() "
                    "AND state <> 'idle'",
                    (DB,),
                ).fetchone()
                if row and not row[0]:
                    return
                time.sleep(0.1)

    def compare_with(self, before: State, step: str) -> None:
        from django.db import connections

        connections.close_all()  # the server may have restarted under the drill's own connection
        after = state_read()
        self.check(
            f"{step}: nothing half-written (counts and fingerprints as before)",
            after == before,
            "; ".join(before.differences(after)),
        )
        differ = stored_differ_from_fresh()
        self.check(
            f"{step}: stored obligations equal a fresh recompute",
            not differ,
            f"{len(differ)} cases differ" if differ else "",
        )


def _django(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sagstilsyn.settings")
    os.environ.setdefault("DJANGO_LOG_LEVEL", "WARNING")
    import django

    django.setup()


def write_files(children: int, seed: int, tmp: Path) -> tuple[Path, Path, int, int]:
    """The population as events file A (the first half of each case's events) and B (the rest), so that
    B adds events to the cases A created and their obligations are recomputed."""
    from bench.law_engine import generate_population
    from bench.obligations import write_events_file

    population = generate_population(children, seed)
    attributes = sorted({name for events in population for e in events for name in e.attrs})
    first: list[tuple[int, list[Any]]] = []
    rest: list[tuple[int, list[Any]]] = []
    for child, events in enumerate(population):
        half = (len(events) + 1) // 2
        first.append((child, events[:half]))
        if events[half:]:
            rest.append((child, events[half:]))
    a, b = tmp / "events-a.csv", tmp / "events-b.csv"
    return a, b, write_events_file(a, first, seed, attributes), write_events_file(b, rest, seed, attributes)


def worker_available() -> str:
    """Why the worker step cannot run ('' when it can): `sagstilsyn worker` and Redis are needed."""
    from django.core.management import get_commands

    if "worker" not in get_commands():
        return "no `sagstilsyn worker` in this checkout (the queue is not merged)"
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=0.5):
            pass
    except OSError:
        return "no Redis on 127.0.0.1:6379"
    return ""


def fault_worker(drill: Drill, file_b: Path, before: State) -> None:
    """3b. A worker killed with SIGKILL while it runs the import of B as a queued job."""
    why = worker_available()
    if why:
        print(f"  skipped: {why}")
        return
    from django.test import override_settings

    from sagstilsyn.cases.importing.jobs import import_job_start
    from sagstilsyn.core.models import Municipality, User

    broker, cache = "redis://127.0.0.1:6379/12", "redis://127.0.0.1:6379/11"
    queue = f"sagstilsyn-drill-{os.getpid()}"
    env = {
        **drill.env(),
        "SAGSTILSYN_BROKER_URL": broker,
        "SAGSTILSYN_CACHE_URL": cache,
        "SAGSTILSYN_QUEUE_NAME": queue,
    }
    command = [
        sys.executable,
        str(ROOT / "manage.py"),
        "worker",
        "--pool",
        "solo",
        "--no-beat",
        "--loglevel",
        "WARNING",
    ]
    worker = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)  # noqa: S603
    job: Any = None
    try:
        with override_settings(QUEUE_BROKER_URL=broker, QUEUE_NAME=queue, IMPORT_INLINE=False):
            job = import_job_start(
                municipality=Municipality.objects.get(),
                actor=User.objects.get(username="bfe-nord-leder"),
                data=file_b.read_bytes(),
                filename=file_b.name,
                source=SOURCE,
            )
        writing = drill.wait_for_copy("cases_caseevent", worker)
        drill.check("3b: the worker was writing the events when killed", writing)
        worker.send_signal(signal.SIGKILL)
        worker.wait()
    finally:
        if worker.poll() is None:
            worker.kill()
            worker.wait()
        import redis

        client = redis.Redis.from_url(broker)
        client.delete(queue)  # the unacknowledged job would wait there for the next worker
        client.close()
    drill.wait_idle()
    drill.compare_with(before, "3b")
    print(f"  (import job {job.pk if job else '-'} is left as the killed worker left it)")


def faults(drill: Drill, file_b: Path, before: State) -> None:
    """3, 3b and 4: the import of B killed, its worker killed, PostgreSQL restarted under it."""
    print("\n3. Fault 1: the importing process killed (SIGKILL) while it writes the events")
    process = drill.import_start(file_b)
    writing = drill.wait_for_copy("cases_caseevent", process)
    process.send_signal(signal.SIGKILL)
    process.wait()
    drill.check("3: the import was writing the events when killed", writing)
    drill.wait_idle()
    drill.compare_with(before, "3")

    print("\n3b. Fault 1 on the queue: a worker killed while it runs the import")
    fault_worker(drill, file_b, before)

    print(
        "\n4. Fault 2: PostgreSQL restarted (immediate: crash and recovery) "
        "while the import writes the obligations"
    )
    process = drill.import_start(file_b)
    writing = drill.wait_for_copy("cases_obligation", process)
    drill.cluster.pg_ctl("restart", "-m", "immediate")
    out_bytes, _ = process.communicate(timeout=WAIT_SECONDS)
    drill.check("4: the import was writing the obligations at the restart", writing)
    last = out_bytes.decode(errors="replace").strip().splitlines()[-1:] or [""]
    drill.check(
        "4: the import failed (exit status not 0)",
        process.returncode != 0,
        f"status {process.returncode}: {last[0][:200]}",
    )
    drill.compare_with(before, "4")


def run(args: argparse.Namespace, cluster: Cluster, tmp: Path) -> Drill:
    import psycopg
    from psycopg import sql

    with psycopg.connect(f"{cluster.url}/postgres", autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(DB)))
    drill = Drill(cluster, f"{cluster.url}/{DB}")
    _django(drill.url)
    from django.core.management import call_command

    from bench.obligations import organisation_setup

    call_command("migrate", verbosity=0)
    organisation_setup()
    file_a, file_b, rows_a, rows_b = write_files(args.children, args.seed, tmp)
    print(
        f"  migrated; organisation set up; events files A ({rows_a:,} rows) and B ({rows_b:,} rows) "
        f"from {args.children:,} children"
    )

    print("\n2. Import A (the state before)")
    status, out, seconds = drill.import_run(file_a)
    if not drill.check("import of A", status == 0, f"{seconds:.0f} s" if status == 0 else out[-500:]):
        return drill
    before = state_read()
    print(f"  before: {before.counts}")

    faults(drill, file_b, before)

    print("\n5. The re-run of B")
    status, out, seconds = drill.import_run(file_b)
    drill.check("5: the re-run completes", status == 0, f"{seconds:.0f} s" if status == 0 else out[-500:])
    from django.db import connections

    connections.close_all()
    after = state_read()
    expected = before.counts["events"] + rows_b
    drill.check(
        "5: every event of A and B is stored",
        after.counts["events"] == expected,
        f"{after.counts['events']:,} of {expected:,}",
    )
    differ = stored_differ_from_fresh()
    drill.check(
        "5: stored obligations equal a fresh recompute",
        not differ,
        f"{len(differ)} cases differ" if differ else f"{after.counts['obligations']:,} obligations",
    )

    print("\n6. The same file once more")
    status, out, seconds = drill.import_run(file_b)
    drill.check(
        "6: the second re-run completes", status == 0, f"{seconds:.0f} s" if status == 0 else out[-500:]
    )
    connections.close_all()
    again = state_read()
    drill.check(
        "6: it changes nothing (counts, ids and fingerprints of events and obligations)",
        {k: v for k, v in again.counts.items() if k != "import audit events"}
        == {k: v for k, v in after.counts.items() if k != "import audit events"}
        and (again.events, again.obligations) == (after.events, after.obligations),
        "; ".join(d for d in after.differences(again) if not d.startswith("import audit events"))
        or "one more audit event of the import, nothing else",
    )
    return drill


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument(
        "--children", type=int, default=20_000, help="children in the population (default 20000)"
    )
    parser.add_argument("--seed", type=int, default=20240101)
    parser.add_argument(
        "--port", type=int, default=5499, help="the private cluster's port (default 5499, or the next free)"
    )
    parser.add_argument("--keep", action="store_true", help="keep the cluster's directory (stopped)")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    print("Sagstilsyn fault drill")
    drill: Drill | None = None
    with (
        private_cluster(args.port, args.keep) as cluster,
        tempfile.TemporaryDirectory(prefix="sagstilsyn-drill-files-") as tmp,
    ):
        print(
            f"\n1. A private PostgreSQL cluster on 127.0.0.1:{cluster.port} ({cluster.bindir}), database {DB}"
        )
        try:
            drill = run(args, cluster, Path(tmp))
        finally:
            from django.db import connections

            if "django" in sys.modules and _django_ready():
                connections.close_all()
    checks = drill.checks if drill else []
    failed = [name for name, ok, _ in checks if not ok]
    print(
        f"\nSUMMARY ({time.perf_counter() - started:,.0f} s): "
        f"{len(checks) - len(failed)} of {len(checks)} checks passed"
    )
    for name in failed:
        print(f"  FAIL {name}")
    print("PASS" if checks and not failed else "FAIL")
    return 0 if checks and not failed else 1


def _django_ready() -> bool:
    from django.apps import apps

    return apps.ready


if __name__ == "__main__":
    sys.exit(main())
