"""docs/supervision-redraw.md: the auditor's lines, taken out of the markdown and run on frames made
here, redraw exactly what sagstilsyn/reviews/sampling draws, for every design. Pure pytest."""

from __future__ import annotations

import csv
import re
import subprocess
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sagstilsyn.reviews.sampling import (
    FrameCase,
    Sample,
    apply_exclusions,
    case_key,
    new_seed,
    pps,
    srs,
    stratified,
    systematic,
)

DOC = Path(__file__).resolve().parents[2] / "docs" / "supervision-redraw.md"
EXPORT_COLUMNS = [
    *("sample_id", "programme", "part", "period", "design", "seed", "frame_hash", "frame_size", "stratum"),
    *("case_id", "unit", "key", "inclusion_probability", "weight", "status", "reason", "reviewer"),
]

Draw = Callable[[Sequence[FrameCase], int, str], Sample]
DRAWS: dict[str, Draw] = {"srs": srs, "stratified": stratified, "pps": pps, "systematic": systematic}
Redraw = Callable[[list[dict[str, str]], list[dict[str, str]]], list[str]]


def code_block(text: str) -> str:
    """The one ```python block of the document."""
    blocks = re.findall(r"^```python\n(.*?)^```$", text, flags=re.MULTILINE | re.DOTALL)
    assert len(blocks) == 1, "docs/supervision-redraw.md skal have netop én python-kodeblok"
    return str(blocks[0])


def load_redraw() -> Redraw:
    namespace: dict[str, Any] = {"__name__": "redraw_doc"}
    exec(compile(code_block(DOC.read_text(encoding="utf-8")), str(DOC), "exec"), namespace)  # noqa: S102
    redraw: Redraw = namespace["redraw"]
    return redraw


REDRAW = load_redraw()


def frame_rows(frame: Sequence[FrameCase]) -> list[dict[str, str]]:
    return [{"case_id": c.case_id, "stratum": c.stratum, "risk_weight": repr(c.risk_weight)} for c in frame]


def export_rows(sample: Sample, sample_id: str = "1") -> list[dict[str, str]]:
    """The sample as the contract's export writes it (unit and reviewer left empty here)."""
    return [
        {
            "sample_id": sample_id,
            "programme": "kvartal",
            "part": "enhed",
            "period": "2025Q1",
            "design": sample.design,
            "seed": sample.seed,
            "frame_hash": sample.frame_hash,
            "frame_size": str(sample.frame_size),
            "stratum": row.stratum,
            "case_id": row.case_id,
            "unit": "",
            "key": repr(row.key),
            "inclusion_probability": repr(row.inclusion_probability),
            "weight": repr(row.weight),
            "status": row.status,
            "reason": row.reason,
            "reviewer": "",
        }
        for row in sample.rows
    ]


def test_the_document_has_the_code_block_and_it_is_short() -> None:
    lines = code_block(DOC.read_text(encoding="utf-8")).strip().splitlines()
    assert len(lines) <= 45
    assert all(not line.startswith(("import sagstilsyn", "from sagstilsyn")) for line in lines)


def test_a_wrong_block_would_be_caught() -> None:
    """The comparison can fail: a redraw with another seed gives other cases."""
    frame = [FrameCase(f"S-{i}", "", 1.0) for i in range(50)]
    sample = srs(frame, 5, "a")
    rows = export_rows(sample)
    assert set(REDRAW(frame_rows(frame), rows)) == set(sample.case_ids())
    other = [dict(row, seed="b") for row in rows]
    assert set(REDRAW(frame_rows(frame), other)) != set(sample.case_ids())


case_ids = st.lists(
    st.text(alphabet="abæøå-0123456789Z", min_size=1, max_size=7), min_size=1, max_size=60, unique=True
)


@st.composite
def frames(draw: st.DrawFn) -> list[FrameCase]:
    weights = st.one_of(st.integers(1, 20).map(float), st.floats(0.001, 1000, allow_nan=False))
    return [
        FrameCase(case_id, draw(st.sampled_from(["a", "b", "c", "ø"])), draw(weights))
        for case_id in draw(case_ids)
    ]


@settings(max_examples=200, deadline=None)
@given(
    frames(), st.integers(1, 70), st.sampled_from(sorted(DRAWS)), st.one_of(st.just(""), st.text(max_size=10))
)
def test_the_documented_lines_redraw_the_modules_sample(
    frame: list[FrameCase], n: int, design: str, seed: str
) -> None:
    sample = DRAWS[design](frame, n, seed or new_seed())
    drawn = set(sample.case_ids())
    assert set(REDRAW(frame_rows(frame), export_rows(sample))) == drawn


@settings(max_examples=50, deadline=None)
@given(
    frames(), st.dictionaries(st.sampled_from(["a", "b", "c", "ø", "tom"]), st.integers(0, 20), min_size=1)
)
def test_the_documented_lines_redraw_fixed_stratum_sizes(
    frame: list[FrameCase], sizes: dict[str, int]
) -> None:
    sample = stratified(frame, sizes, "frø")
    if sample.rows:
        assert set(REDRAW(frame_rows(frame), export_rows(sample))) == set(sample.case_ids())


def test_replacements_in_the_export_are_not_counted(tmp_path: Path) -> None:
    frame = [FrameCase(f"S-{i:03d}", "ab"[i % 2], 1.0 + i % 5) for i in range(200)]
    for design, draw in DRAWS.items():
        sample = draw(frame, 12, "ab12")
        first = sample.rows[0].case_id
        record = apply_exclusions(sample, frame, {first: "sagen er lukket"})
        assert any(row.status == "replacement" for row in record.rows), design
        assert set(REDRAW(frame_rows(frame), export_rows(record))) == set(sample.case_ids()), design


def write_csv(path: Path, rows: list[dict[str, str]], columns: Sequence[str]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(columns))
        writer.writeheader()
        writer.writerows(rows)


@pytest.mark.parametrize("design", sorted(DRAWS))
def test_the_script_run_from_the_command_line(tmp_path: Path, design: str) -> None:
    frame = [FrameCase(f"K-{i:04d}", "xyz"[i % 3], 0.5 + (i * 7919 % 13)) for i in range(300)]
    sample = DRAWS[design](frame, 20, "7f3a")
    script = tmp_path / "redraw.py"
    script.write_text(code_block(DOC.read_text(encoding="utf-8")), encoding="utf-8")
    write_csv(tmp_path / "frame.csv", frame_rows(frame), ["case_id", "stratum", "risk_weight"])
    other = srs(frame, 3, "andet")
    write_csv(tmp_path / "export.csv", export_rows(sample, "1") + export_rows(other, "2"), EXPORT_COLUMNS)

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        command = [
            sys.executable,
            str(script),
            str(tmp_path / "frame.csv"),
            str(tmp_path / "export.csv"),
            *args,
        ]
        return subprocess.run(command, capture_output=True, text=True, check=False)

    same = run("1")
    assert (same.returncode, same.stdout.strip()) == (0, "samme stikprøve")
    rows = export_rows(sample, "1")
    rows[0] = dict(rows[0], case_id=next(c.case_id for c in frame if c.case_id not in set(sample.case_ids())))
    write_csv(tmp_path / "export.csv", rows, EXPORT_COLUMNS)
    differs = run("1")
    assert differs.returncode == 1
    assert differs.stdout.startswith("forskel:")


def test_keys_in_the_export_are_the_contracts() -> None:
    sample = srs([FrameCase("x")], 1, "s")
    assert float(export_rows(sample)[0]["key"]) == case_key("s", "x")
