"""Input hygiene of the import files: control characters refused by row, column and code point; a
10 MB cell named, not repeated; a CPR-shaped column name masked; nothing written; no report file
when there is nothing to report."""

from __future__ import annotations

from io import BytesIO
from pathlib import Path

import pytest
from openpyxl import Workbook

from sagstilsyn.cases.importing import (
    ImportRejected,
    error_text,
    import_events_file,
    import_organisation_file,
)
from sagstilsyn.cases.importing.table import CELL_MAX
from sagstilsyn.cases.models import Case, CaseEvent, Child, Obligation
from sagstilsyn.core.models import AuditEvent, Municipality, Unit
from tests.cases.data.helpers import EVENTS_CSV, ORGANISATION_CSV, run, write_csv, xlsx_text
from tests.factories import make_municipality, make_unit

pytestmark = pytest.mark.django_db

HEADER = "event_id;case_id;child_id;unit;type;at;notifier\n"
ROW = "E-1;SAG-1;BARN-1;BFE-NORD;need_noticed;2024-10-31;\n"


@pytest.fixture
def copenhagen() -> Municipality:
    municipality = make_municipality()
    make_unit(municipality, "BFE-NORD")
    return municipality


def stored_state() -> dict[str, int]:
    return {
        model.__name__: model.objects.count() for model in (CaseEvent, Case, Child, Obligation, AuditEvent)
    }


def _rejected(data: bytes, municipality: Municipality, **options: object) -> ImportRejected:
    before = stored_state()
    with pytest.raises(ImportRejected) as raised:
        import_events_file(data=data, municipality=municipality, **options)  # type: ignore[arg-type]
    assert stored_state() == before
    return raised.value


@pytest.mark.parametrize(
    ("column", "char", "shown"),
    [("case_id", "\x00", "U+0000"), ("child_id", "\x0b", "U+000B"), ("event_id", "\u202e", "U+202E"),
     ("unit", "\x7f", "U+007F"), ("type", "\u2066", "U+2066"), ("at", "\x1f", "U+001F"),
     ("notifier", "\x85", "U+0085"), ("event_id", "\t", "U+0009")],
)  # fmt: skip
def test_a_control_character_in_any_column_is_refused_by_row_column_and_code_point(
    copenhagen: Municipality, column: str, char: str, shown: str
) -> None:
    values = dict(zip(HEADER.strip().split(";"), ROW.strip("\n").split(";"), strict=True))
    values[column] = f"{values[column] or 'x'}{char}z"
    row = ";".join(values.values()) + "\n"
    rejected = _rejected((HEADER + ROW.replace("E-1", "E-0") + row).encode(), copenhagen)
    lines = [error_text(error) for error in rejected.errors if error.row == 3]
    assert len(lines) == 1, lines
    assert lines[0].startswith(f"Række 3, kolonne {column}, værdi ")
    assert f"[{shown}]" in lines[0]
    assert "styretegn" in lines[0]
    assert char not in "".join(rejected.lines())
    assert not [error for error in rejected.errors if error.row == 2]


def test_a_bidi_override_in_an_xlsx_cell_is_refused(copenhagen: Municipality) -> None:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(HEADER.strip().split(";"))
    sheet.append(["E-1", "SAG-\u202e1", "BARN-1", "BFE-NORD", "need_noticed", "2024-10-31"])
    buffer = BytesIO()
    workbook.save(buffer)
    rejected = _rejected(buffer.getvalue(), copenhagen, filename="h.xlsx")
    assert error_text(rejected.errors[0]).startswith("Række 2, kolonne case_id, værdi SAG-[U+202E]1")


def test_a_control_character_in_the_source_name_is_refused(copenhagen: Municipality) -> None:
    rejected = _rejected((HEADER + ROW).encode(), copenhagen, source="DUBU\x00")
    assert "U+0000" in rejected.lines()[0]


@pytest.mark.parametrize("delimiter", [";", ","])
def test_a_10_mb_cell_names_its_row_and_column_without_repeating_it(
    copenhagen: Municipality, delimiter: str
) -> None:
    big = "A" * 10_000_000
    text = (HEADER + ROW + f"E-2;SAG-1;BARN-1;BFE-NORD;need_noticed;2024-10-31;{big}\n").replace(
        ";", delimiter
    )
    rejected = _rejected(text.encode(), copenhagen)
    lines = rejected.lines()
    limit = f"{CELL_MAX:,}".replace(",", ".")
    assert lines[0] == f"Række 3, kolonne notifier: cellen er for lang: 10.000.000 tegn, højst {limit}"
    assert sum(len(line) for line in lines) < 500


def test_a_10_mb_column_name_is_named_by_its_position(copenhagen: Municipality) -> None:
    text = HEADER.strip() + ";" + "B" * 10_000_000 + "\n" + ROW
    rejected = _rejected(text.encode(), copenhagen)
    assert rejected.lines()[0].startswith("Række 1, kolonne kolonne nr. 8: kolonnenavnet er for lang")
    assert sum(len(line) for line in rejected.lines()) < 500


def test_a_cpr_shaped_column_name_is_masked_in_the_errors_and_the_report(
    copenhagen: Municipality, tmp_path: Path
) -> None:
    path = write_csv(tmp_path / "h.csv", HEADER.strip() + ";010203-1234\n" + ROW.strip() + ";x\n")
    rejected = _rejected(path.read_bytes(), copenhagen)
    text = "\n".join(rejected.lines())
    assert "kolonne 010203-XXXX" in text
    assert "1234" not in text
    result = run("import", "events", str(path), "--report", str(tmp_path / "fejl.xlsx"))
    assert result.status == 1
    assert "010203-XXXX" in result.text
    assert "010203-1234" not in result.text
    report = xlsx_text(tmp_path / "fejl.xlsx")
    assert "010203-XXXX" in report
    assert "010203-1234" not in report


def test_the_organisation_file_refuses_control_characters(tmp_path: Path) -> None:
    header = "municipality,municipality_name,centre,unit,unit_name,kind\n"
    data = (header + "101,Københavns Kommune,,BFE-NORD,Nord\x0bvest,unit\n").encode()
    with pytest.raises(ImportRejected) as raised:
        import_organisation_file(data=data)
    assert raised.value.lines()[0].startswith(
        "Række 2, kolonne unit_name, værdi Nord[U+000B]vest: værdien indeholder"
    )
    assert not Unit.objects.exists()
    assert not AuditEvent.objects.exists()


def test_the_command_writes_no_report_when_there_are_no_errors(tmp_path: Path) -> None:
    report = tmp_path / "fejl.xlsx"
    result = run("import", "organisation", str(ORGANISATION_CSV), "--report", str(report))
    assert result.status == 0, result.text
    assert not report.exists()
    result = run("import", "events", str(EVENTS_CSV), "--dry-run", "--report", str(report))
    assert result.status == 0, result.text
    assert not report.exists()
    assert "Fejlrapporten" not in result.text
    bad = write_csv(
        tmp_path / "bad.csv", EVENTS_CSV.read_text(encoding="utf-8").replace("SAG-1", "SAG\x0b1", 1)
    )
    result = run("import", "events", str(bad), "--report", str(report))
    assert result.status == 1
    assert "U+000B" in xlsx_text(report)


def test_a_stray_tab_or_line_break_at_a_cells_ends_is_dropped_as_before(copenhagen: Municipality) -> None:
    row = 'E-1;\tSAG-1\t;"BARN-1\r\n";BFE-NORD;need_noticed;2024-10-31;\n'
    result = import_events_file(data=(HEADER + row).encode(), municipality=copenhagen)
    assert result.events_created == 1
    assert Case.objects.get().source_ref == "SAG-1"
