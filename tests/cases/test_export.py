"""The obligations export (data-contract.md §2): columns, source ids, sorting, hour deadlines with
their Copenhagen offset, statuses judged on --as-of, unit filter, CSV and XLSX."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest

from sagstilsyn.cases.models import Obligation
from sagstilsyn.cases.selectors.export import EXPORT_COLUMNS, ObligationExportRow, obligations_export_rows
from sagstilsyn.core.models import Municipality
from sagstilsyn.law.calendar import COPENHAGEN, end_of_day
from tests.cases.data.helpers import csv_rows, run, xlsx_rows
from tests.factories import event, make_municipality, make_unit, record

pytestmark = pytest.mark.django_db


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=COPENHAGEN)


@pytest.fixture
def municipality() -> Municipality:
    municipality = make_municipality()
    make_unit(municipality, "BFE-NORD")
    make_unit(municipality, "BFE-SYD")
    record(
        municipality,
        event("b1", "need_noticed", date(2024, 10, 31), case_id="SAG-B", child_id="BARN-B", unit="BFE-SYD"),
        event(
            "a1",
            "concern_received",
            at("2024-06-10T09:00"),
            case_id="SAG-A",
            child_id="BARN-A",
            attrs={"notifier": "professional"},
        ),
        event("a2", "need_noticed", date(2024, 6, 10), case_id="SAG-A", child_id="BARN-A"),
        event(
            "a3",
            "concern_received",
            at("2024-12-20T14:00"),
            case_id="SAG-A",
            child_id="BARN-A",
            attrs={"notifier": "professional"},
        ),
        event("a4", "concern_acknowledged", date(2024, 12, 23), case_id="SAG-A", child_id="BARN-A"),
    )
    return municipality


def sort_key(row: dict[str, str]) -> tuple[str, datetime, str]:
    due = row["due"]
    instant = datetime.fromisoformat(due) if "T" in due else end_of_day(date.fromisoformat(due))
    return (row["case_id"], instant, row["rule"])


def test_the_csv_has_the_contract_columns_in_order_and_is_sorted(municipality: Municipality) -> None:
    result = run("obligations", "export", "--as-of", "2025-01-15")
    assert result.status == 0, result.text
    assert result.out.splitlines()[0] == ",".join(EXPORT_COLUMNS)
    assert EXPORT_COLUMNS == (
        "case_id",
        "unit",
        "rule",
        "law",
        "trigger_event_id",
        "due",
        "status",
        "satisfied_event_id",
    )
    rows = csv_rows(result.out)
    assert rows == sorted(rows, key=sort_key)
    assert rows[0]["case_id"] == "SAG-A"
    assert rows[-1]["case_id"] == "SAG-B"
    assert {row["trigger_event_id"] for row in rows} <= {"a1", "a2", "a3", "b1"}
    acknowledgement = next(
        r for r in rows if r["rule"] == "concern_acknowledgement" and r["trigger_event_id"] == "a3"
    )
    assert (acknowledgement["due"], acknowledgement["status"], acknowledgement["satisfied_event_id"]) == (
        "2025-01-06",
        "met",
        "a4",
    )
    assert {r["unit"] for r in rows if r["case_id"] == "SAG-B"} == {"BFE-SYD"}


def test_hour_deadlines_carry_the_copenhagen_offset_summer_and_winter(municipality: Municipality) -> None:
    rows = csv_rows(run("obligations", "export", "--as-of", "2025-01-15").out)
    assessments = {r["trigger_event_id"]: r["due"] for r in rows if r["rule"] == "concern_assessment"}
    assert assessments == {"a1": "2024-06-11T09:00:00+02:00", "a3": "2024-12-21T14:00:00+01:00"}


def test_statuses_are_judged_on_as_of_not_read_from_storage(municipality: Municipality) -> None:
    stored = Obligation.objects.get(rule_id="investigation_deadline", case__source_ref="SAG-B")
    assert stored.status == "overdue"  # judged today, long after 2025-02-28
    early = obligations_export_rows(municipality=municipality, as_of=date(2025, 2, 28))
    late = obligations_export_rows(municipality=municipality, as_of=date(2025, 3, 1))

    def status(rows: list[ObligationExportRow], rule: str) -> str:
        return next(r.status for r in rows if r.case_id == "SAG-B" and r.rule == rule)

    assert status(early, "investigation_deadline") == "open"
    assert status(late, "investigation_deadline") == "overdue"
    stored.refresh_from_db()
    assert stored.status == "overdue"


def test_events_after_as_of_are_not_yet_known(municipality: Municipality) -> None:
    rows = obligations_export_rows(municipality=municipality, as_of=date(2024, 6, 10))
    assert {r.trigger_event_id for r in rows} == {"a1", "a2"}
    assessment = next(r for r in rows if r.rule == "concern_assessment")
    assert assessment.status == "open"


def test_the_unit_filter_and_an_unknown_unit(municipality: Municipality) -> None:
    rows = csv_rows(run("obligations", "export", "--as-of", "2025-01-15", "--unit", "BFE-SYD").out)
    assert rows
    assert {r["case_id"] for r in rows} == {"SAG-B"}
    unknown = run("obligations", "export", "--unit", "BFE-VEST")
    assert unknown.status == 1
    assert "Enheden 'BFE-VEST' findes ikke" in unknown.failure


def test_xlsx_and_csv_files(municipality: Municipality, tmp_path: Path) -> None:
    csv_file = tmp_path / "forpligtelser.csv"
    xlsx_file = tmp_path / "forpligtelser.xlsx"
    assert run("obligations", "export", "--as-of", "2025-01-15", "--output", str(csv_file)).status == 0
    assert run("obligations", "export", "--as-of", "2025-01-15", "--output", str(xlsx_file)).status == 0
    from_csv = [tuple(r.values()) for r in csv_rows(csv_file.read_text(encoding="utf-8"))]
    from_xlsx = xlsx_rows(xlsx_file)
    assert from_xlsx[0] == EXPORT_COLUMNS
    assert [tuple(v or "" for v in row) for row in from_xlsx[1:]] == from_csv
    refused = run("obligations", "export", "--format", "xlsx")
    assert refused.status == 1
    assert "--output" in refused.failure


def test_the_municipality_is_needed_when_there_are_several(municipality: Municipality) -> None:
    other = make_municipality("147", "Frederiksberg Kommune")
    make_unit(other, "BFE-NORD")
    record(other, event("f1", "need_noticed", date(2024, 10, 31), case_id="F-1"))
    assert run("obligations", "export").status == 1
    rows = csv_rows(run("obligations", "export", "--municipality", "147", "--as-of", "2025-01-15").out)
    assert {r["case_id"] for r in rows} == {"F-1"}


def test_a_derived_trigger_exports_an_empty_trigger_event_id_and_uses_the_birth_date() -> None:
    municipality = make_municipality()
    make_unit(municipality, "BFE-NORD")
    record(
        municipality,
        event(
            "m1",
            "measure_started",
            date(2023, 5, 1),
            case_id="SAG-U",
            child_id="BARN-U",
            attrs={"measure": "support"},
            birth_date=date(2008, 3, 10),
        ),
    )
    rows = obligations_export_rows(municipality=municipality, as_of=date(2024, 7, 1))
    [youth] = [row for row in rows if row.rule == "youth_plan"]
    assert (youth.trigger_event_id, youth.due, youth.status) == ("", "2024-06-10", "overdue")


@pytest.mark.parametrize("prefix", ["=", "+", "-", "@"])
def test_a_value_starting_like_a_formula_is_neutralised_in_csv_as_in_xlsx(
    tmp_path: Path, prefix: str
) -> None:
    municipality = make_municipality()
    make_unit(municipality, "BFE-NORD")
    ref = f"{prefix}HYPERLINK(1)"
    record(municipality, event(f"{prefix}e1", "need_noticed", date(2024, 10, 31), case_id=ref, child_id="B"))
    rows = csv_rows(run("obligations", "export", "--as-of", "2025-01-15").out)
    assert {(row["case_id"], row["trigger_event_id"]) for row in rows} == {(f"'{ref}", f"'{prefix}e1")}
    xlsx_file = tmp_path / "forpligtelser.xlsx"
    assert run("obligations", "export", "--as-of", "2025-01-15", "--output", str(xlsx_file)).status == 0
    assert {row[0] for row in xlsx_rows(xlsx_file)[1:]} == {f"'{ref}"}
