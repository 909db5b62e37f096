"""Importing the organisation file (data-contract.md §0): municipalities and units, idempotent, all or
nothing, Danish errors."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import Workbook

from sagstilsyn.cases.importing import ImportRejected, import_organisation_file
from sagstilsyn.core.models import AuditEvent, Centre, Municipality, Unit
from tests.cases.data.helpers import ORGANISATION_CSV, run, write_csv

pytestmark = pytest.mark.django_db

HEADER = "municipality,municipality_name,centre,unit,unit_name,kind\n"


def test_the_organisation_file_creates_municipality_centre_and_units() -> None:
    result = run("import", "organisation", str(ORGANISATION_CSV))
    assert result.status == 0, result.text
    assert "kommuner 1 nye" in result.out
    assert "enheder 3 nye" in result.out
    municipality = Municipality.objects.get()
    assert (municipality.code, municipality.name) == ("101", "Københavns Kommune")
    units = {u.code: (u.name, u.kind, u.centre.name if u.centre else "") for u in Unit.objects.all()}
    assert units == {
        "BFE-NORD": ("Børnefamilieenheden Nord", "unit", "Borgercenter Børn og Unge"),
        "BFE-SYD": ("Børnefamilieenheden Syd", "unit", "Borgercenter Børn og Unge"),
        "DOEGNVAGTEN": ("Døgnvagten", "emergency", ""),
    }
    assert Centre.objects.count() == 1
    assert AuditEvent.objects.filter(action="unit.create").count() == 3
    assert AuditEvent.objects.filter(action="organisation.import").count() == 1


def test_importing_the_organisation_file_twice_changes_nothing() -> None:
    assert run("import", "organisation", str(ORGANISATION_CSV)).status == 0
    before = list(Unit.objects.order_by("id").values_list("id", "code", "name", "kind", "centre_id"))
    again = run("import", "organisation", str(ORGANISATION_CSV))
    assert again.status == 0
    assert "enheder 0 nye, 0 ændrede, 3 uændrede" in again.out
    assert list(Unit.objects.order_by("id").values_list("id", "code", "name", "kind", "centre_id")) == before
    assert AuditEvent.objects.filter(action__startswith="unit.").count() == 3


def test_a_changed_unit_name_updates_the_unit(tmp_path: Path) -> None:
    assert run("import", "organisation", str(ORGANISATION_CSV)).status == 0
    text = ORGANISATION_CSV.read_text(encoding="utf-8").replace("Børnefamilieenheden Syd", "BFE Syd")
    result = run("import", "organisation", str(write_csv(tmp_path / "o.csv", text)))
    assert "enheder 0 nye, 1 ændrede, 2 uændrede" in result.out
    assert Unit.objects.get(code="BFE-SYD").name == "BFE Syd"


def test_a_bad_kind_imports_nothing_and_names_the_row(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "o.csv",
        HEADER
        + "101,Københavns Kommune,,BFE-NORD,Børnefamilieenheden Nord,unit\n"
        + "101,Københavns Kommune,,DOEGNVAGTEN,Døgnvagten,vagt\n",
    )
    result = run("import", "organisation", str(path))
    assert result.status == 1
    assert "Række 3, kolonne kind, værdi vagt: enhedstypen skal være unit eller emergency" in result.err
    assert result.failure == "Intet er indlæst."
    assert (Municipality.objects.count(), Unit.objects.count()) == (0, 0)


def test_missing_values_contradictions_and_unknown_columns_are_all_reported(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "o.csv",
        "municipality;municipality_name;unit;unit_name;leder\n"
        "101;Københavns Kommune;BFE-NORD;Nord;x\n"
        "101;Kbh;BFE-SYD;Syd;x\n"
        "101;Københavns Kommune;;Vest;x\n"
        "101;Københavns Kommune;BFE-NORD;Nord igen;x\n",
    )
    with pytest.raises(ImportRejected) as rejected:
        import_organisation_file(data=path.read_bytes(), filename=path.name)
    assert [(e.row, e.column) for e in rejected.value.errors] == [
        (1, "leder"),
        (3, "municipality_name"),
        (4, "unit"),
        (5, "unit"),
    ]
    with pytest.raises(ImportRejected) as ignored:
        import_organisation_file(data=path.read_bytes(), ignore_unknown_columns=True)
    assert [(e.row, e.column) for e in ignored.value.errors] == [
        (3, "municipality_name"),
        (4, "unit"),
        (5, "unit"),
    ]
    assert Unit.objects.count() == 0


def test_dry_run_writes_nothing() -> None:
    result = run("import", "organisation", str(ORGANISATION_CSV), "--dry-run")
    assert result.status == 0
    assert "Prøvekørsel – intet gemt" in result.out
    assert "Ville indlæse 3 rækker" in result.out
    assert (Municipality.objects.count(), Unit.objects.count(), AuditEvent.objects.count()) == (0, 0, 0)


def test_an_xlsx_organisation_file_with_a_numeric_municipality_code(tmp_path: Path) -> None:

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["Municipality", "Municipality_Name", "Unit", "Unit_Name", "Kind"])
    sheet.append([101, "Københavns Kommune", "DOEGNVAGTEN", "Døgnvagten", "Emergency"])
    path = tmp_path / "organisation.xlsx"
    workbook.save(path)
    assert run("import", "organisation", str(path)).status == 0
    unit = Unit.objects.get()
    assert (unit.municipality.code, unit.kind) == ("101", "emergency")
