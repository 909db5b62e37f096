"""The pure helpers of bench/fault_drill.py: the split of the population into files A and B, and the
comparison of states. The drill itself needs a PostgreSQL cluster of its own and is run by hand."""

from __future__ import annotations

import csv
from pathlib import Path

from bench.fault_drill import State, write_files


def _event_ids(path: Path) -> list[str]:
    with path.open(newline="", encoding="utf-8") as handle:
        return [row["event_id"] for row in csv.DictReader(handle)]


def test_files_a_and_b_hold_every_event_once(tmp_path: Path) -> None:
    a, b, rows_a, rows_b = write_files(60, 7, tmp_path)
    ids_a, ids_b = _event_ids(a), _event_ids(b)
    assert (len(ids_a), len(ids_b)) == (rows_a, rows_b)
    assert len(set(ids_a) | set(ids_b)) == rows_a + rows_b


def test_file_b_only_adds_to_cases_that_file_a_started(tmp_path: Path) -> None:
    a, b, _, _ = write_files(60, 7, tmp_path)
    with a.open(newline="", encoding="utf-8") as ha, b.open(newline="", encoding="utf-8") as hb:
        cases_a = {row["case_id"] for row in csv.DictReader(ha)}
        cases_b = {row["case_id"] for row in csv.DictReader(hb)}
    assert cases_b
    assert cases_b <= cases_a


def test_differences_name_what_changed() -> None:
    before = State({"events": 10, "obligations": 5}, obligations="aa", events="bb")
    after = State({"events": 12, "obligations": 5}, obligations="ac", events="bb")
    assert before.differences(after) == ["events: 10 → 12", "the obligations' fingerprint changed"]
    assert before.differences(before) == []
