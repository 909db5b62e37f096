"""Public tables written by commands (the contracts' exports: samples, frames, agreement, compliance): CSV
to the screen or a file, or XLSX to a file, with the contract's header as the first row."""

from __future__ import annotations

import csv
import io
from argparse import ArgumentParser
from pathlib import Path

from django.core.management.base import OutputWrapper

from sagstilsyn.core.exports import formula_safe, xlsx_bytes
from sagstilsyn.core.management.base import Failed


def table_arguments(parser: ArgumentParser) -> None:
    """The options of a command that writes a public table: `--format csv|xlsx` and `--output FILE`."""
    parser.add_argument("--format", choices=("csv", "xlsx"), default="csv")
    parser.add_argument("--output", metavar="FIL", help="skriv hertil (standard: skærmen, kun csv)")


def table_csv(headers: tuple[str, ...], rows: list[list[object]]) -> str:
    """Rows as CSV text with a header row; text that starts like a formula gets an apostrophe."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(headers)
    writer.writerows([formula_safe(v) if isinstance(v, str) else v for v in row] for row in rows)
    return buffer.getvalue()


def table_xlsx(headers: tuple[str, ...], rows: list[list[object]], sheet_title: str) -> bytes:
    """Rows as an XLSX workbook: the header is the first row, as programs read it."""
    return xlsx_bytes(title=None, sheet_title=sheet_title, headers=headers, rows=rows)


def table_write(
    stdout: OutputWrapper,
    headers: tuple[str, ...],
    rows: list[list[object]],
    *,
    file_format: str | None,
    output: str | None,
    sheet_title: str,
) -> None:
    """Write the table as `file_format` (csv or xlsx; none: xlsx for an .xlsx file, else csv) to `output`,
    or CSV to the screen. XLSX needs a file (Failed, in Danish)."""
    kind = file_format or ("xlsx" if output and output.lower().endswith(".xlsx") else "csv")
    if kind == "xlsx":
        if not output:
            raise Failed("XLSX skal skrives til en fil: angiv --output FIL.xlsx.")
        Path(output).write_bytes(table_xlsx(headers, rows, sheet_title))
    elif output:
        Path(output).write_text(table_csv(headers, rows), encoding="utf-8", newline="")
    else:
        stdout.write(table_csv(headers, rows), ending="")
