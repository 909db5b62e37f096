"""Benchmark of the published draw (supervision-contract.md §2): a stratified 60-case sample from a
100,000-case frame, against a naive baseline, same run.

    .venv/bin/python bench/sampling.py [--cases N] [--n 60] [--strata 6] [--repeat R] [--seed S]

- **draw**: `sagstilsyn.reviews.sampling.stratified` (proportional allocation): one SHA-256 key per
  case, one sort per stratum, plus the frame's hash.
- **naive**: the same draw written the obvious slow way: each stratum sorted with a comparison
  function that computes both cases' SHA-256 keys on every comparison (no key cache).

Both must give the same cases (checked). Absolute times (best of --repeat, in ms) and the ratio
naive/draw are printed, never asserted; one JSON line at the end. See bench/README.md.
"""

from __future__ import annotations

import argparse
import functools
import hashlib
import json
import platform
import random
import sys
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
    args = parser.parse_args(argv)

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
    print(json.dumps(record))
    return 0


if __name__ == "__main__":
    sys.exit(main())
