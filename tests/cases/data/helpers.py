"""Helpers for the import, export and command tests: run a command and capture what it printed."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import load_workbook

DATA = Path(__file__).parent
ORGANISATION_CSV = DATA / "organisation.csv"
EVENTS_CSV = DATA / "events.csv"
EVENTS_XLSX = DATA / "events.xlsx"


@dataclass
class Run:
    """What a command did: its exit status (0 or 1), stdout, stderr and the failure message."""

    status: int
    out: str
    err: str
    failure: str = ""

    @property
    def text(self) -> str:
        return self.out + self.err + self.failure


def run(*args: str) -> Run:
    """Run `sagstilsyn <args>` in-process (like the command line, without leaving the test's transaction)."""
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command(*args, stdout=out, stderr=err)
    except CommandError as error:
        return Run(1, out.getvalue(), err.getvalue(), str(error))
    return Run(0, out.getvalue(), err.getvalue())


def csv_rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def xlsx_text(path: Path) -> str:
    """Every cell of every sheet as one text (to assert what a report does and does not contain)."""
    workbook = load_workbook(path, read_only=True)
    cells = [
        "" if value is None else str(value)
        for sheet in workbook.worksheets
        for row in sheet.iter_rows(values_only=True)
        for value in row
    ]
    workbook.close()
    return "\n".join(cells)


def xlsx_rows(path: Path) -> list[tuple[object, ...]]:
    workbook = load_workbook(path, read_only=True)
    sheet = workbook.worksheets[0]
    rows: list[tuple[object, ...]] = [tuple(row) for row in sheet.iter_rows(values_only=True)]
    workbook.close()
    return rows


def write_csv(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def replace_in_events(path: Path, old: str, new: str) -> Path:
    """A copy of events.csv with one change, written to `path`."""
    text = EVENTS_CSV.read_text(encoding="utf-8")
    assert old in text
    return write_csv(path, text.replace(old, new, 1))
