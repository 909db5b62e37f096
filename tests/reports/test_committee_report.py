"""The committee report (issue 14 §5, ADR 0039): its figures equal what the register holds, counted here
independently; made twice it gives the same hash; verify finds a changed answer; the PDF and the XLSX
render, and name no child, CPR number or case."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path
from typing import Any

import pypdfium2
import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from sagstilsyn.cases.models import Case, Obligation
from sagstilsyn.core.management.base import Failed
from sagstilsyn.core.models import Municipality
from sagstilsyn.law.model import ObligationStatus
from sagstilsyn.reports.committee import services
from sagstilsyn.reports.committee.content import committee_content
from sagstilsyn.reports.committee.pdf import committee_report_pdf
from sagstilsyn.reports.committee.selectors import committee_reports_verified
from sagstilsyn.reports.committee.services import committee_report_make, committee_report_verify
from sagstilsyn.reports.committee.xlsx import committee_report_xlsx
from sagstilsyn.reports.models import CommitteeReport
from sagstilsyn.reviews.programmes.periods import period_parse
from tests.reports.committee_world import (
    AS_OF,
    EXPECTED,
    REVIEW_FINAL,
    REVIEW_LEVEL2,
    committee_world,
    import_file,
    reviews_text,
)

pytestmark = pytest.mark.django_db
Q2 = period_parse("2025Q2")


@pytest.fixture
def municipality(tmp_path: Path) -> Municipality:
    return committee_world(tmp_path)


def _table(report: CommitteeReport, key: str) -> dict[str, dict[str, Any]]:
    figures = json.loads(report.figures)
    table = next(t for t in figures["tables"] if t["key"] == key)
    return {row["unit"]: row for row in table["rows"]}


def test_the_data_pillar_equals_the_obligations_counted_here(municipality: Municipality) -> None:
    report = committee_report_make(municipality=municipality, period=Q2, as_of=AS_OF, actor=None)
    rows = _table(report, "investigation_deadline")
    got = {unit: (row["data"]["n"], row["data"]["numerator"]) for unit, row in rows.items()}
    assert got == EXPECTED["2025Q2"]
    # and the same from the stored obligations, counted without the reports' code
    stored: dict[str, list[int]] = {}
    for obligation in Obligation.objects.filter(
        rule_id="investigation_deadline", due_day__gte=Q2.start, due_day__lte=Q2.end
    ).select_related("case__unit"):
        for unit in (obligation.case.unit.code, "ALL"):
            cell = stored.setdefault(unit, [0, 0])
            cell[0] += 1
            cell[1] += obligation.status == ObligationStatus.MET
    assert {unit: tuple(cell) for unit, cell in stored.items()} == got


def test_suppression_hides_the_small_unit_and_the_next_smallest(municipality: Municipality) -> None:
    rows = _table(
        committee_report_make(municipality=municipality, period=Q2, as_of=AS_OF, actor=None),
        "investigation_deadline",
    )
    assert rows["BFE-VEST"]["data"]["mark"] == "<5"
    assert rows["BFE-SYD"]["data"]["mark"] == "–"
    assert rows["BFE-NORD"]["data"]["mark"] == ""
    assert rows["ALL"]["data"]["mark"] == ""
    # NORD went from 5 of 20 to 15 of 20: significant; marked
    assert rows["BFE-NORD"]["data"]["change"]["significant"] is True


def test_the_review_pillar_and_level_2_are_side_by_side(municipality: Municipality) -> None:
    rows = _table(
        committee_report_make(municipality=municipality, period=Q2, as_of=AS_OF, actor=None),
        "monthly_case_review.child_conversation",
    )
    assert (rows["ALL"]["review"]["n"], rows["ALL"]["review"]["numerator"]) == REVIEW_FINAL
    assert (rows["ALL"]["level2"]["n"], rows["ALL"]["level2"]["numerator"]) == REVIEW_LEVEL2


def test_made_twice_the_report_has_the_same_hash(municipality: Municipality) -> None:
    first = committee_report_make(municipality=municipality, period=Q2, as_of=AS_OF, actor=None)
    second = committee_report_make(municipality=municipality, period=Q2, as_of=AS_OF, actor=None)
    assert first.pk != second.pk
    assert first.figures_hash == second.figures_hash
    assert first.figures == second.figures
    assert committee_report_verify(first).matches


def test_verify_names_a_changed_answer(municipality: Municipality, tmp_path: Path) -> None:
    report = committee_report_make(municipality=municipality, period=Q2, as_of=AS_OF, actor=None)
    # a level-2 re-read arrives later, dated inside the quarter: one more Nej replaces a Ja
    lines = reviews_text(extra_level2=True).splitlines()
    import_file(tmp_path, "reviews", "efter.csv", f"{lines[0]}\n{lines[-1]}\n")  # the header and L7
    result = committee_report_verify(report)
    assert not result.matches
    assert any("gennemgangssøjlen" in d and "opfyldt var 11, er nu 10" in d for d in result.differences)
    out = io.StringIO()
    with pytest.raises(Failed, match="passer ikke"):
        call_command("report", "verify", stdout=out)
    assert "passer IKKE" in out.getvalue()


CPR = re.compile(r"\b\d{6}-?\d{4}\b")


def _no_personal_data(text: str) -> None:
    assert not CPR.search(text)
    for ref in Case.objects.values_list("source_ref", flat=True):
        assert ref not in text
    assert "SAG-" not in text


def test_the_pdf_renders_and_names_no_case(municipality: Municipality, tmp_path: Path) -> None:
    report = committee_report_make(municipality=municipality, period=Q2, as_of=AS_OF, actor=None)
    document = pypdfium2.PdfDocument(committee_report_pdf(report))
    assert len(document) >= 4  # front page, guide, tables, the basis
    text = "\n".join(document[i].get_textpage().get_text_range() for i in range(len(document)))
    assert "Sådan læser du tallene" in text
    assert "Børnefaglig undersøgelse afsluttet inden 4 måneder" in text
    _no_personal_data(text)
    image = document[2].render(scale=0.5).to_pil().convert("L")
    low, high = image.getextrema()
    assert high - low > 100  # not blank
    assert sum(image.histogram()[:128]) > 500  # some ink


def test_the_xlsx_has_a_sheet_per_table_with_suppression(municipality: Municipality) -> None:
    report = committee_report_make(municipality=municipality, period=Q2, as_of=AS_OF, actor=None)
    workbook = load_workbook(io.BytesIO(committee_report_xlsx(report)))
    tables = json.loads(report.figures)["tables"]
    assert len(workbook.sheetnames) == 1 + len(tables)
    first_rule = next(i for i, table in enumerate(tables) if table["rule"] != "barn_samlet")
    sheet = workbook[workbook.sheetnames[1 + first_rule]]
    rows = {row[0]: row for row in sheet.iter_rows(min_row=3, values_only=True)}
    assert rows["Hele kommunen"][1:3] == (35, 23)
    assert rows["Enheden BFE-VEST"][1:4] == ("<5", None, None)
    assert rows["Enheden BFE-SYD"][1:4] == ("–", None, None)
    text = " ".join(
        str(v) for ws in workbook for row in ws.iter_rows(values_only=True) for v in row if v is not None
    )
    _no_personal_data(text)


def test_the_command_refuses_a_bad_period_and_a_bad_file_in_danish(
    municipality: Municipality, tmp_path: Path
) -> None:
    with pytest.raises(Failed, match="Perioden kan ikke læses"):
        call_command("report", "committee", "--period", "2025Q5", stdout=io.StringIO())
    with pytest.raises(Failed, match=r"skal ende på \.pdf eller \.xlsx"):
        call_command(
            "report",
            "committee",
            "--period",
            "2025Q2",
            "--output",
            str(tmp_path / "r.docx"),
            stdout=io.StringIO(),
        )
    with pytest.raises(Failed, match="ingen udvalgsrapport med nummer 99"):
        call_command("report", "verify", "--id", "99", stdout=io.StringIO())


def test_the_list_recomputes_reports_with_the_same_inputs_once(
    municipality: Municipality, monkeypatch: pytest.MonkeyPatch
) -> None:
    for _ in range(3):
        committee_report_make(municipality=municipality, period=Q2, as_of=AS_OF, actor=None)
    calls: list[dict[str, object]] = []
    real = committee_content

    def counted(**inputs: Any) -> dict[str, Any]:
        calls.append(inputs)
        return real(**inputs)

    monkeypatch.setattr(services, "committee_content", counted)

    verified = committee_reports_verified(municipality_id=municipality.pk)

    assert [v.matches for v in verified] == [True, True, True]
    assert len(calls) == 1
