"""Benchmark of the audit chain (ADR 0018) on PostgreSQL: what chaining costs an access-log write.

    .venv/bin/python bench/audit_chain.py [--reads N] [--list L] [--server URL] [--db NAME]

In a scratch database of its own (dropped and created; default `sagstilsyn_bench_chain` on
postgres://postgres@127.0.0.1:5432), with one municipality and one user made through the services:

(a) ONE READ: N case-page reads through `access_log_record` (lock the chain's head, hash, insert, move
    the head; each in its own transaction, as a page view does), against the same N rows written as
    before the chain, one `AccessLogEntry.objects.create` each (no lock, no hash).
(b) A LIST: a list of L cases through `access_log_record_many` (one lock, L hashes, one bulk insert),
    against one `bulk_create` of the same rows; repeated 20 times.
(c) VERIFY: `audit_chain_verify` over every row written, in rows per second.

Ratios are measured in the same run and printed; absolute times are printed, never asserted. Ends with
one JSON line. See bench/README.md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.obligations import DEFAULT_SERVER, _recreate_database, _setup_django  # noqa: E402

LIST_REPEAT = 20


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--reads", type=int, default=5000, help="single reads timed; default 5000")
    parser.add_argument("--list", type=int, default=2000, help="cases in the timed list; default 2000")
    parser.add_argument(
        "--server", default=DEFAULT_SERVER, help=f"PostgreSQL server; default {DEFAULT_SERVER}"
    )
    parser.add_argument(
        "--db", default="sagstilsyn_bench_chain", help="scratch database (dropped and created)"
    )
    args = parser.parse_args(argv)
    _setup_django(_recreate_database(args.server, args.db))

    from django.core.management import call_command  # noqa: PLC0415 - after Django is set up
    from django.db import transaction  # noqa: PLC0415 - after Django is set up
    from django.utils import timezone  # noqa: PLC0415 - after Django is set up

    from sagstilsyn.core.chain_check import audit_chain_verify  # noqa: PLC0415 - after Django is set up
    from sagstilsyn.core.models import AccessLogEntry  # noqa: PLC0415 - after Django is set up
    from sagstilsyn.core.services.access_log import access_log_record, access_log_record_many  # noqa: PLC0415 - after Django is set up
    from sagstilsyn.core.services.organisation import municipality_ensure, user_create  # noqa: PLC0415 - after Django is set up

    print(f"Sagstilsyn audit chain benchmark — Python {platform.python_version()}, {os.cpu_count()} CPUs")
    call_command("migrate", verbosity=0)
    municipality = municipality_ensure(code="101", name="Københavns Kommune")
    user = user_create(municipality=municipality, username="laeser")
    times: dict[str, float] = {}

    def plain(case_id: int, seq: int) -> AccessLogEntry:
        return AccessLogEntry(
            at=timezone.now(),
            user=user,
            user_label=user.username,
            municipality=None,  # the rows without a municipality: no clash with the chained rows' numbers
            child_id=case_id,
            case_id=case_id,
            purpose="case_view",
            seq=seq,
            prev_hash="",
            hash="",
        )

    start = time.perf_counter()
    for number in range(args.reads):
        access_log_record(user=user, purpose="case_view", child_id=number, case_id=number)
    times["one_read_chained"] = time.perf_counter() - start
    start = time.perf_counter()
    for number in range(args.reads):
        with transaction.atomic():
            plain(number, number + 1).save(force_insert=True)
    times["one_read_plain"] = time.perf_counter() - start
    AccessLogEntry.objects.filter(municipality=None).delete()

    cases = [(number, number) for number in range(args.list)]
    start = time.perf_counter()
    for _ in range(LIST_REPEAT):
        access_log_record_many(user=user, cases=cases, purpose="followup_list")
    times["list_chained"] = time.perf_counter() - start
    start = time.perf_counter()
    for repeat in range(LIST_REPEAT):
        with transaction.atomic():
            AccessLogEntry.objects.bulk_create(
                [plain(n, repeat * args.list + n + 1) for n in range(args.list)], batch_size=2000
            )
    times["list_plain"] = time.perf_counter() - start
    AccessLogEntry.objects.filter(municipality=None).delete()

    start = time.perf_counter()
    check = audit_chain_verify()
    times["verify"] = time.perf_counter() - start
    result = {
        "bench": "audit_chain",
        "ok": check.ok,
        "reads": args.reads,
        "list": args.list,
        "one_read_ms_chained": round(1000 * times["one_read_chained"] / args.reads, 3),
        "one_read_ms_plain": round(1000 * times["one_read_plain"] / args.reads, 3),
        "one_read_ratio": round(times["one_read_chained"] / times["one_read_plain"], 2),
        "list_ms_chained": round(1000 * times["list_chained"] / LIST_REPEAT, 1),
        "list_ms_plain": round(1000 * times["list_plain"] / LIST_REPEAT, 1),
        "list_ratio": round(times["list_chained"] / times["list_plain"], 2),
        "verify_rows": check.rows,
        "verify_rows_per_s": round(check.rows / times["verify"]),
    }
    print(
        f"  one read: {result['one_read_ms_chained']} ms chained, {result['one_read_ms_plain']} ms plain "
        f"(× {result['one_read_ratio']})"
    )
    print(
        f"  a list of {args.list}: {result['list_ms_chained']} ms chained, "
        f"{result['list_ms_plain']} ms plain "
        f"(× {result['list_ratio']})"
    )
    print(f"  verify: {check.rows} rows, {result['verify_rows_per_s']} rows/s, intact: {check.ok}")
    print(json.dumps(result))
    return 0 if check.ok else 1


if __name__ == "__main__":
    sys.exit(main())
