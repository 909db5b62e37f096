"""Writes events.xlsx beside this file: the rows of events.csv as a caseworker would type them in Excel.

Dates are real spreadsheet dates, the CPR number of BARN-1 is a number (Excel drops its leading 0),
`abuse` is a spreadsheet FALSE, and the hour-counted timestamps are text with their UTC offset (a
spreadsheet cannot store an offset). A second sheet is there to show that only the first is read.
Run: .venv/bin/python tests/cases/data/make_events_xlsx.py
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from openpyxl import Workbook

HEADER = [
    "event_id", "case_id", "child_id", "cpr", "birth_date", "unit", "group", "type", "at",
    "notifier", "abuse", "measure",
]  # fmt: skip
ROWS: list[list[object]] = [
    ["U-1", "SAG-1", "BARN-1", 101181234, datetime(2018, 1, 1), "BFE-NORD", "investigation",
     "concern_received", "2024-12-20T14:00:00+01:00", "professional", False, None],
    ["U-2", "SAG-1", "BARN-1", None, None, "BFE-NORD", "investigation",
     "concern_assessed", "2024-12-21T10:00:00+01:00", None, None, None],
    ["U-3", "SAG-1", "BARN-1", None, None, "BFE-NORD", "investigation",
     "concern_acknowledged", datetime(2025, 1, 3), None, None, None],
    [],  # an empty row: skipped, but the rows after it keep their spreadsheet numbers
    ["N-1", "SAG-2", "BARN-2", "050515-1234", "2015-05-05", "BFE-SYD", "children",
     "need_noticed", datetime(2024, 10, 31), None, None, None],
    ["N-2", "SAG-2", "BARN-2", None, None, "BFE-SYD", "children",
     "investigation_completed", datetime(2025, 2, 20), None, None, None],
    ["N-3", "SAG-2", "BARN-2", None, None, "BFE-SYD", "children",
     "measure_decided", datetime(2025, 3, 3), None, None, "support"],
]  # fmt: skip


def main() -> None:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "Hændelser"
    sheet.append(HEADER)
    for row in ROWS:
        sheet.append(row)
    workbook.create_sheet("Noter").append(["Dette ark læses ikke"])
    workbook.save(Path(__file__).with_name("events.xlsx"))


if __name__ == "__main__":
    main()
