"""Benchmark of the published draw (supervision-contract.md §2): a stratified 60-case sample from a
100,000-case frame, the whole default programme for a quarter at national scale, and `samples verify` over
three years of samples, each against a naive baseline in the same run.

    .venv/bin/python bench/sampling.py [--cases N] [--n 60] [--strata 6] [--repeat R] [--seed S]
        [--database-url URL] [--national-cases 30000] [--units 100] [--verify-cases 3000] [--small]
        [--draw-only]

- **draw**: `sagstilsyn.reviews.sampling.stratified` (proportional allocation): one SHA-256 key per
  case, one sort per stratum, plus the frame's hash.
- **naive**: the same draw written the obvious slow way: each stratum sorted with a comparison
  function that computes both cases' SHA-256 keys on every comparison (no key cache).

Both must give the same cases (checked). Absolute times (best of --repeat, in ms) and the ratio
naive/draw are printed, never asserted; one JSON line at the end. See bench/README.md.

Then, in a throwaway database (--database-url: a SQLite file, or a PostgreSQL database whose name holds
"bench", dropped and created; default a SQLite file in a temporary directory), `bench/sampling_programme.py`:

- **programme**: `supervision_start` for January (the month, its quarter and its year: every part of the
  default programme) over a synthetic national population (--national-cases cases in --units units), against
  `naive_draw` (per-part reloads, per-case reader queries), both rolled back, same seeds; the rows must match.
- **verify**: three years of samples (36 months, 12 quarters, 3 years) for a --verify-cases municipality,
  then `samples_verify` against `naive_verify` (model instances, as before ADR 0030); both must find nothing.
"""

from __future__ import annotations

import argparse
import functools
import hashlib
import json
import platform
import random
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sagstilsyn.reviews.sampling import FrameCase, allocate, stratified


def make_frame(cases: int, strata: int, seed: int) -> list[FrameCase]:
    """A synthetic frame: case ids like `SAG-0012345`, unequal strata named `enhed-1`…, risk weights 1–10."""
    rng = random.Random(seed)  # noqa: S311 - a synthetic frame, repeatable
    names = [f"enhed-{i + 1}" for i in range(strata)]
    shares = [rng.uniform(0.5, 2.0) for _ in names]
    return [
        FrameCase(f"SAG-{i:07d}", rng.choices(names, shares)[0], float(rng.randint(1, 10)))
        for i in range(cases)
    ]


def naive_stratified(frame: Sequence[FrameCase], n: int, seed: str) -> set[str]:
    """The baseline: the contract's draw with a comparison sort hashing both sides every time."""

    def key(case_id: str) -> float:
        return int(hashlib.sha256(f"{seed}:{case_id}".encode()).hexdigest()[:16], 16) / 2**64

    def compare(a: str, b: str) -> int:
        ka, kb = key(a), key(b)
        return -1 if (ka, a) < (kb, b) else (1 if (ka, a) > (kb, b) else 0)

    strata: dict[str, list[str]] = {}
    for case in frame:
        strata.setdefault(case.stratum, []).append(case.case_id)
    sizes = allocate({name: len(ids) for name, ids in strata.items()}, n)
    hashlib.sha256("\n".join(sorted(case.case_id for case in frame)).encode()).hexdigest()
    return {
        case_id
        for name, ids in strata.items()
        for case_id in sorted(ids, key=functools.cmp_to_key(compare))[: sizes[name]]
    }


def best_ms(run: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append((time.perf_counter() - start) * 1000)
    return min(times)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--n", type=int, default=60)
    parser.add_argument("--strata", type=int, default=6)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", default="5f0c2a9e1b7d4c3a8e6f0b1d2c3e4f5a")
    parser.add_argument(
        "--database-url", help="throwaway database (default: SQLite in a temporary directory)"
    )
    parser.add_argument("--national-cases", type=int, default=30_000)
    parser.add_argument("--units", type=int, default=100)
    parser.add_argument("--caseworkers", type=int, default=15, help="caseworkers per unit; default 15")
    parser.add_argument("--verify-cases", type=int, default=3_000)
    parser.add_argument("--small", action="store_true", help="a small run for CI (about 20 s)")
    parser.add_argument("--draw-only", action="store_true", help="only the pure draw, no database")
    args = parser.parse_args(argv)
    if args.small:
        args.cases, args.national_cases, args.units, args.verify_cases = 10_000, 1_200, 8, 300

    frame = make_frame(args.cases, args.strata, 20250101)
    drawn = set(stratified(frame, args.n, args.seed).case_ids())
    baseline = naive_stratified(frame, args.n, args.seed)
    if drawn != baseline:
        print(f"FORSKEL mellem draw og naiv: {sorted(drawn ^ baseline)[:10]}", file=sys.stderr)
        return 1
    draw_ms = best_ms(lambda: stratified(frame, args.n, args.seed), args.repeat)
    naive_ms = best_ms(lambda: naive_stratified(frame, args.n, args.seed), max(1, args.repeat // 3))
    ratio = naive_ms / draw_ms
    print(f"frame {args.cases:,} cases in {args.strata} strata, stratified n = {args.n}")
    print(f"  draw   {draw_ms:9.1f} ms  (best of {args.repeat})")
    print(f"  naive  {naive_ms:9.1f} ms")
    print(f"  ratio naive/draw {ratio:.1f}")
    record = {
        "bench": "sampling",
        "cases": args.cases,
        "strata": args.strata,
        "n": args.n,
        "draw_ms": round(draw_ms, 1),
        "naive_ms": round(naive_ms, 1),
        "ratio": round(ratio, 2),
        "python": platform.python_version(),
    }
    if not args.draw_only:
        with tempfile.TemporaryDirectory(prefix="sagstilsyn-bench-") as tmp:
            record.update(database_bench(args, args.database_url or f"sqlite:///{tmp}/bench.sqlite3"))
            if "error" in record:
                print(json.dumps(record))
                return 1
    print(json.dumps(record))
    return 0


def database_bench(args: argparse.Namespace, url: str) -> dict[str, object]:
    """The programme and verify benchmarks (bench/sampling_programme.py); their figures for the record."""
    from bench import sampling_programme as sp

    if url.startswith("postgres"):
        sp.recreate_postgres(url)
    sp.setup_django(url)
    from django.core.management import call_command
    from django.db import connection

    start = time.perf_counter()
    call_command("migrate", verbosity=0)
    print(f"database {connection.vendor}, migrated in {time.perf_counter() - start:.1f} s")

    start = time.perf_counter()
    scale = sp.Scale(args.national_cases, args.units, args.caseworkers)
    national = sp.population("901", scale, 20260101)
    workers = (args.units + 1) * args.caseworkers
    written = time.perf_counter() - start
    print(
        f"national population: {args.national_cases:,} cases, {args.units + 1} units, "
        f"{workers:,} caseworkers (written in {written:.1f} s)"
    )
    fast = sp.timed_start(national, "2026-01", naive=False)
    naive = sp.timed_start(national, "2026-01", naive=True)
    if fast.rows != naive.rows:
        print("FORSKEL mellem udtræk og naivt udtræk", file=sys.stderr)
        return {"error": "programme rows differ"}
    print(f"supervision_start 2026-01 (month, quarter, year): {len(fast.rows):,} sample rows")
    for name, timing in (("draw", fast), ("naive", naive)):
        print(
            f"  {name:6} {timing.ms:9.1f} ms  {timing.queries:7,} queries"
            f"  (draw {timing.draw_ms:9.1f} ms, assignment {timing.ms - timing.draw_ms:9.1f} ms)"
        )
    print(f"  ratio naive/draw {naive.ms / fast.ms:.1f}; the draw alone {naive.draw_ms / fast.draw_ms:.1f}")

    start = time.perf_counter()
    local = sp.population("902", sp.Scale(args.verify_cases, 10, args.caseworkers), 20230101)
    samples = sp.three_years(local, 2023)
    print(
        f"three years 2023-2025 for {args.verify_cases:,} cases: {samples} samples "
        f"(written and drawn in {time.perf_counter() - start:.1f} s)"
    )
    from sagstilsyn.reviews.programmes.draw import samples_verify

    verify_ms, problems = sp.best_ms(samples_verify, args.repeat)
    naive_verify_ms, naive_problems = sp.best_ms(sp.naive_verify, 1)
    if problems or naive_problems:
        print(f"FORSKEL i samples verify: {problems or naive_problems}", file=sys.stderr)
        return {"error": "verify found differences"}
    print(f"samples verify over {samples} samples")
    print(f"  verify {verify_ms:9.1f} ms  (best of {args.repeat})")
    print(f"  naive  {naive_verify_ms:9.1f} ms")
    print(f"  ratio naive/verify {naive_verify_ms / verify_ms:.1f}")
    return {
        "database": connection.vendor,
        "national_cases": args.national_cases,
        "units": args.units,
        "programme_rows": len(fast.rows),
        "programme_ms": round(fast.ms, 1),
        "programme_draw_ms": round(fast.draw_ms, 1),
        "programme_queries": fast.queries,
        "programme_naive_ms": round(naive.ms, 1),
        "programme_naive_draw_ms": round(naive.draw_ms, 1),
        "programme_naive_queries": naive.queries,
        "programme_ratio": round(naive.ms / fast.ms, 2),
        "programme_draw_ratio": round(naive.draw_ms / fast.draw_ms, 2),
        "verify_samples": samples,
        "verify_ms": round(verify_ms, 1),
        "verify_naive_ms": round(naive_verify_ms, 1),
        "verify_ratio": round(naive_verify_ms / verify_ms, 2),
    }


if __name__ == "__main__":
    sys.exit(main())
