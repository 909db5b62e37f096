"""Importing the events file (data-contract.md §1): CSV and XLSX, all or nothing, idempotent, Danish
errors naming row, column and value, and never a CPR number in any output."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest
from django.core.management import ManagementUtility
from openpyxl import Workbook

from sagstilsyn.cases.importing import ImportRejected, import_events_file
from sagstilsyn.cases.models import Case, CaseEvent, Child, Obligation
from sagstilsyn.core.cpr import CPR_LIKE, cpr_digest
from sagstilsyn.core.models import Municipality
from sagstilsyn.law.yes_no import FALSE_WORDS, TRUE_WORDS
from tests.cases.data.helpers import (
    EVENTS_CSV,
    EVENTS_XLSX,
    ORGANISATION_CSV,
    csv_rows,
    replace_in_events,
    run,
    write_csv,
    xlsx_rows,
    xlsx_text,
)
from tests.factories import make_municipality, make_unit

pytestmark = pytest.mark.django_db

HEADER = "event_id;case_id;child_id;cpr;unit;type;at;notifier;abuse;measure\n"


@pytest.fixture
def organisation() -> Municipality:
    assert run("import", "organisation", str(ORGANISATION_CSV)).status == 0
    return Municipality.objects.get(code="101")


def export(*extra: str) -> dict[tuple[str, str], dict[str, str]]:
    result = run("obligations", "export", "--as-of", "2025-03-10", *extra)
    assert result.status == 0, result.text
    return {(row["case_id"], row["rule"]): row for row in csv_rows(result.out)}


def stored_state() -> list[object]:
    return [
        list(
            CaseEvent.objects.order_by("id").values_list(
                "id", "type", "day", "instant", "attrs", "recorded_at"
            )
        ),
        list(Case.objects.order_by("id").values_list("id", "unit_id", "group", "updated_at")),
        list(Child.objects.order_by("id").values_list("id", "cpr_digest", "birth_date")),
        list(
            Obligation.objects.order_by("id").values_list("id", "rule_id", "due_day", "status", "computed_at")
        ),
    ]


def test_the_semicolon_csv_gives_the_obligations_of_the_rules_contract(organisation: Municipality) -> None:
    result = run("import", "events", str(EVENTS_CSV))
    assert result.status == 0, result.text
    assert "Indlæst 6 rækker" in result.out
    assert "hændelser 6 nye" in result.out
    rows = export()
    assert rows["SAG-1", "concern_acknowledgement"] | {} == {
        "case_id": "SAG-1",
        "unit": "BFE-NORD",
        "rule": "concern_acknowledgement",
        "law": "barnets_lov",
        "trigger_event_id": "U-1",
        "due": "2025-01-06",  # 6 working days after Friday 20 December 2024, over Christmas
        "status": "met",
        "satisfied_event_id": "U-3",
    }
    assessment = rows["SAG-1", "concern_assessment"]
    assert (assessment["due"], assessment["status"], assessment["satisfied_event_id"]) == (
        "2024-12-21T14:00:00+01:00",
        "met",
        "U-2",
    )
    investigation = rows["SAG-2", "investigation_deadline"]
    assert (investigation["due"], investigation["status"], investigation["satisfied_event_id"]) == (
        "2025-02-28",
        "met",
        "N-2",
    )
    child = Child.objects.get(source_ref="BARN-1")
    assert child.cpr_digest == cpr_digest("010118-1234")
    assert child.birth_date == date(2018, 1, 1)
    assert Case.objects.get(source_ref="SAG-1").group == "investigation"


def test_the_xlsx_file_imports_the_same_as_the_csv_file(organisation: Municipality) -> None:
    assert run("import", "events", str(EVENTS_CSV)).status == 0
    from_csv = export()
    Obligation.objects.all().delete()
    CaseEvent.objects.all().delete()
    Case.objects.all().delete()
    Child.objects.all().delete()
    result = run("import", "events", str(EVENTS_XLSX))
    assert result.status == 0, result.text
    assert export() == from_csv
    # The CPR number typed as a number lost its leading 0 in Excel; it is restored.
    assert Child.objects.get(source_ref="BARN-1").cpr_digest == cpr_digest("0101181234")
    assert CaseEvent.objects.get(source_event_id="U-1").attrs == {"notifier": "professional", "abuse": False}


def test_importing_the_same_file_twice_changes_nothing(organisation: Municipality) -> None:
    assert run("import", "events", str(EVENTS_CSV)).status == 0
    before = stored_state()
    again = run("import", "events", str(EVENTS_CSV))
    assert again.status == 0
    assert "hændelser 0 nye, 0 ændrede, 6 uændrede" in again.out
    assert stored_state() == before


def test_a_file_with_one_bad_row_imports_nothing_and_names_row_column_and_value(
    organisation: Municipality, tmp_path: Path
) -> None:
    bad = replace_in_events(tmp_path / "bad.csv", "N-2;SAG-2;BARN-2;;;BFE-SYD", "N-2;SAG-2;BARN-2;;;BFE-VEST")
    result = run("import", "events", str(bad))
    assert result.status == 1
    assert "Række 6, kolonne unit, værdi BFE-VEST: enheden findes ikke i kommunen" in result.err
    assert result.failure == "Intet er indlæst."
    assert (CaseEvent.objects.count(), Case.objects.count(), Child.objects.count()) == (0, 0, 0)


def test_every_bad_row_is_reported_in_row_order(organisation: Municipality, tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "bad.csv",
        HEADER
        + "E-1;SAG-1;BARN-1;;BFE-NORD;need_noticed;31-10-2024;;;\n"  # 2: not an ISO date
        + "E-2;SAG-1;BARN-1;;BFE-NORD;concern_received;2024-12-20;professional;ja;\n"  # 3: needs a time
        + "E-3;SAG-1;BARN-1;;BFE-NORD;need_noticed;2024-10-31;;;support\n"  # 4: need_noticed has no measure
        + "E-4;SAG-1;BARN-1;;BFE-NORD;concern_received;2024-12-20T14:00:00+01:00;professional;kanske;\n"
        + "E-5;SAG-1;BARN-1;;BFE-NORD;no_such_type;2024-10-31;;;\n"  # 6
        + "E-6;;BARN-1;;BFE-NORD;need_noticed;2024-10-31;;;\n"  # 7: case_id missing
        + "E-7;SAG-1;BARN-1;;BFE-NORD;need_noticed;2024-10-31;;;\n",  # 8: fine
    )
    result = run("import", "events", str(path))
    assert result.status == 1
    lines = result.err.splitlines()
    assert lines[0] == "6 fejl i 6 rækker."
    assert lines[1:] == [
        "Række 2, kolonne at, værdi 31-10-2024: skal være en dato (ÅÅÅÅ-MM-DD) eller et tidspunkt med "
        "UTC-forskydning (fx 2024-12-20T14:00:00+01:00)",
        "Række 3, kolonne at, værdi 2024-12-20: hændelsen 'concern_received' kræver et tidspunkt med "
        "UTC-forskydning, fx 2024-12-20T14:00:00+01:00",
        "Række 4, kolonne measure, værdi support: hændelsen 'need_noticed' har ingen egenskab 'measure'",
        "Række 5, kolonne abuse, værdi kanske: skal være true/false, ja/nej, yes/no, sand/falsk eller 1/0",
        "Række 6, kolonne type, værdi no_such_type: ukendt hændelsestype 'no_such_type'",
        "Række 7, kolonne case_id: værdien mangler",
    ]
    assert CaseEvent.objects.count() == 0


def test_booleans_are_read_with_the_yes_no_words(organisation: Municipality, tmp_path: Path) -> None:
    words = [(word.capitalize(), True) for word in sorted(TRUE_WORDS)]
    words += [(word.upper(), False) for word in sorted(FALSE_WORDS)]
    rows = [
        f"A-{n};SAG-{n};BARN-{n};;BFE-NORD;concern_received;2024-12-20T14:00:00+01:00;private;{word};\n"
        for n, (word, _) in enumerate(words, start=1)
    ]
    assert run("import", "events", str(write_csv(tmp_path / "b.csv", HEADER + "".join(rows)))).status == 0
    values = dict(CaseEvent.objects.values_list("source_event_id", "attrs__abuse"))
    assert values == {f"A-{n}": value for n, (_, value) in enumerate(words, start=1)}


def test_an_empty_attribute_cell_means_not_given(organisation: Municipality) -> None:
    assert run("import", "events", str(EVENTS_CSV)).status == 0
    assert CaseEvent.objects.get(source_event_id="N-1").attrs == {}
    assert CaseEvent.objects.get(source_event_id="N-3").attrs == {"measure": "support"}


def test_no_cpr_number_appears_in_output_or_report(organisation: Municipality, tmp_path: Path) -> None:
    assert run("import", "events", str(EVENTS_CSV)).status == 0
    path = write_csv(
        tmp_path / "cpr.csv",
        HEADER
        + "C-1;SAG-1;BARN-1;010118-4821;BFE-NORD;need_noticed;2024-10-31;;;\n"  # differs from the stored
        + "C-2;SAG-7;BARN-7;991318-4822;BFE-NORD;need_noticed;2024-10-31;;;\n"  # impossible date
        + "C-3;SAG-8;0202184823;;BFE-NORD;need_noticed;2024-10-31;;;\n"  # a CPR number as child id
        + "C-4;SAG-9;BARN-9;020218-4824;BFE-NORD;need_noticed;2024-13-31;;;\n",  # valid CPR, bad date
    )
    report = tmp_path / "rapport.xlsx"
    result = run("import", "events", str(path), "--report", str(report))
    assert result.status == 1
    shown = result.text + xlsx_text(report)
    for serial in ("4821", "4822", "4823", "4824"):
        assert serial not in shown
    assert CPR_LIKE.search(shown) is None
    assert "Række 2, kolonne cpr: CPR-nummeret passer ikke" in result.err
    assert "Række 3, kolonne cpr: CPR-nummerets dato er ugyldig" in result.err
    assert "Række 4, kolonne child_id: barn-id'et indeholder et CPR-nummer" in result.err


def test_the_report_lists_every_error_in_danish_columns(organisation: Municipality, tmp_path: Path) -> None:
    bad = replace_in_events(
        tmp_path / "bad.csv", "BFE-SYD;children;;need_noticed", "BFE-VEST;children;;need_noticed"
    )
    report = tmp_path / "fejl.xlsx"
    assert run("import", "events", str(bad), "--report", str(report)).status == 1
    rows = xlsx_rows(report)
    assert str(rows[0][0]).startswith("Fejlrapport for bad.csv · Københavns Kommune · udtrukket ")
    assert rows[1:] == [
        ("Række", "Kolonne", "Værdi", "Fejl"),
        (5, "unit", "BFE-VEST", "enheden findes ikke i kommunen"),
    ]


def test_an_unknown_column_is_an_error_unless_told_to_ignore_it(
    organisation: Municipality, tmp_path: Path
) -> None:
    text = EVENTS_CSV.read_text(encoding="utf-8").splitlines()
    path = write_csv(
        tmp_path / "extra.csv", "\n".join([text[0] + ";sagsbehandler_note"] + [t + ";x" for t in text[1:]])
    )
    refused = run("import", "events", str(path))
    assert refused.status == 1
    assert "Række 1, kolonne sagsbehandler_note: ukendt kolonne" in refused.err
    assert CaseEvent.objects.count() == 0
    accepted = run("import", "events", str(path), "--ignore-unknown-columns")
    assert accepted.status == 0, accepted.text
    assert CaseEvent.objects.count() == 6


def test_dry_run_checks_the_file_and_writes_nothing(organisation: Municipality) -> None:
    result = run("import", "events", str(EVENTS_CSV), "--dry-run")
    assert result.status == 0
    assert "Prøvekørsel – intet gemt" in result.out
    assert "Ville indlæse 6 rækker" in result.out
    assert (CaseEvent.objects.count(), Case.objects.count(), Obligation.objects.count()) == (0, 0, 0)


def test_a_comma_separated_file_with_quotes_and_a_byte_order_mark(
    organisation: Municipality, tmp_path: Path
) -> None:
    path = tmp_path / "comma.csv"
    path.write_bytes(
        "\ufeffevent_id,case_id,child_id,unit,type,at\n"
        '"Q-1","SAG, 1",BARN-1,BFE-NORD,need_noticed,2024-10-31\n'.encode()
    )
    assert run("import", "events", str(path)).status == 0
    assert Case.objects.get().source_ref == "SAG, 1"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "Filen er tom."),
        (b"\n\n", "Filen er tom."),
        (b"event_id;case_id\n", "Række 1, kolonne at: den påkrævede kolonne mangler"),
        (HEADER.encode(), "Filen har ingen rækker under overskriftsrækken."),
        ("event_id;case_id\nÆ;Ø\n".encode("cp1252"), "Filen er ikke gemt som UTF-8"),
        (b"PK\x03\x04 not really a workbook", "Filen kan ikke åbnes som Excel-projektmappe"),
    ],
)
def test_a_file_that_cannot_be_read_gets_a_clear_danish_error(
    organisation: Municipality, tmp_path: Path, content: bytes, message: str
) -> None:
    path = tmp_path / "f.csv"
    path.write_bytes(content)
    result = run("import", "events", str(path))
    assert result.status == 1
    assert message in result.err
    assert result.failure == "Intet er indlæst."


def test_the_municipality_is_needed_only_when_there_are_several(
    organisation: Municipality, tmp_path: Path
) -> None:
    other = make_municipality("147", "Frederiksberg Kommune")
    make_unit(other, "BFE-NORD")
    refused = run("import", "events", str(EVENTS_CSV))
    assert refused.status == 1
    assert "flere kommuner (101, 147)" in refused.failure
    assert "--municipality" in refused.failure
    assert "Intet er indlæst." in refused.failure
    assert run("import", "events", str(EVENTS_CSV), "--municipality", "101").status == 0
    assert run("import", "events", str(EVENTS_CSV), "--municipality", "999").status == 1


def test_the_source_name_keeps_event_ids_apart(organisation: Municipality) -> None:
    assert run("import", "events", str(EVENTS_CSV)).status == 0
    assert run("import", "events", str(EVENTS_CSV), "--source", "DUBU").status == 0
    assert set(CaseEvent.objects.values_list("source", flat=True)) == {"import", "DUBU"}
    assert CaseEvent.objects.count() == 12


def test_the_service_reports_progress_and_rejects_with_every_error(organisation: Municipality) -> None:
    calls: list[tuple[int, int]] = []
    result = import_events_file(
        data=EVENTS_CSV.read_bytes(),
        municipality=organisation,
        filename="events.csv",
        progress=lambda done, total: calls.append((done, total)),
    )
    assert result.events_created == 6
    assert calls[-1] == (12, 12)
    assert all(total == 12 for _, total in calls)
    with pytest.raises(ImportRejected) as rejected:
        import_events_file(data=b"event_id\nx\n", municipality=organisation)
    assert [e.column for e in rejected.value.errors] == ["at", "case_id", "child_id", "type", "unit"]


def test_the_command_line_prints_plainly_and_exits_with_status_1(
    organisation: Municipality,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:

    monkeypatch.setattr("django.core.management.base.connections.close_all", lambda: None)
    bad = replace_in_events(
        tmp_path / "bad.csv", "BFE-SYD;children;;need_noticed", "BFE-VEST;children;;need_noticed"
    )
    with pytest.raises(SystemExit) as exit_:
        ManagementUtility(["sagstilsyn", "import", "events", str(bad)]).execute()
    assert exit_.value.code == 1
    err = capsys.readouterr().err
    assert err.splitlines()[-1] == "Intet er indlæst."
    assert "CommandError" not in err


def test_spreadsheet_cells_times_without_offset_and_enum_case(
    organisation: Municipality, tmp_path: Path
) -> None:

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["event_id", "case_id", "child_id", "birth_date", "unit", "type", "at", "notifier", "abuse"])
    sheet.append(["X-1", "SAG-1", "BARN-1", datetime(2018, 1, 1), "BFE-NORD", "concern_received",
                  datetime(2024, 12, 20, 14, 0), "professional", None])  # fmt: skip
    sheet.append(["X-2", "SAG-2", "BARN-2", datetime(2018, 1, 1, 8, 30), "BFE-NORD", "need_noticed",
                  datetime(2024, 10, 31), None, None])  # fmt: skip
    path = tmp_path / "quirks.xlsx"
    workbook.save(path)
    result = run("import", "events", str(path))
    assert result.status == 1
    assert "Række 2, kolonne at, værdi 2024-12-20T14:00:00: tidspunktet mangler UTC-forskydning" in result.err
    assert (
        "Række 3, kolonne birth_date, værdi 2018-01-01T08:30:00: skal være en dato uden klokkeslæt"
        in result.err
    )
    sheet["G2"] = "2024-12-20T14:00:00+01:00"
    sheet["D3"] = datetime(2018, 1, 1)
    sheet["H2"] = "Professional"
    workbook.save(path)
    assert run("import", "events", str(path)).status == 0
    assert CaseEvent.objects.get(source_event_id="X-1").attrs == {"notifier": "professional"}
    assert Child.objects.get(source_ref="BARN-2").birth_date == date(2018, 1, 1)
