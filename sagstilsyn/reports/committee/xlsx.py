"""The committee report as XLSX (openpyxl): the same content as the PDF with suppression applied — a
sheet with the report's facts and the reading guide, one sheet per requirement, one per audit comparison
(ADR 0039). Each sheet has the house's title row, bold header, autofilter and frozen panes."""

from __future__ import annotations

from collections.abc import Sequence
from io import BytesIO

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from sagstilsyn.core.exports import formula_safe
from sagstilsyn.reports.committee.presentation import ShownReport, report_shown
from sagstilsyn.reports.models import CommitteeReport

PILLAR_HEADERS = (
    "n",
    "opfyldt",
    "andel %",
    "interval fra %",
    "interval til %",
    "ændring, point",
    "trafiklys",
    "risikoområde",
)
GUIDE = (
    (
        "Andel",
        "Procent af sagerne, der overholdt kravet (datasøjlen: fristen holdt; gennemgangssøjlen: svaret Ja).",
    ),
    ("n", "Antallet af sager (frister eller relevante svar), andelen bygger på."),
    ("95 %-interval", "Det spænd, den sande andel med 95 % sikkerhed ligger inden for."),
    ("Ændring", "Kun udfyldt, når ændringen fra forrige kvartal er statistisk sikker (5 %-niveau)."),
    ("Trafiklys", "Ved under 20 sager: Lever op til standarden, Uafklaret eller Under standarden."),
    ("Risikoområde", "Hele intervallet ligger under kommunens målsætning."),
    ("<5", "Færre end 5 sager i alt, opfyldt eller ikke opfyldt: tallet er skjult."),
    ("–", "Skjult, så et andet skjult tal ikke kan regnes ud fra totalen."),
    ("2. niveau", "Fornyet gennemgang ved en jurist; erstatter det første svar i gennemgangssøjlen."),
)


def _sheet(
    workbook: Workbook, title: str, heading: str, headers: Sequence[str], rows: Sequence[Sequence[object]]
) -> None:
    sheet: Worksheet = workbook.create_sheet(title=title[:31])
    sheet.append([formula_safe(heading)])
    sheet.cell(row=1, column=1).font = Font(bold=True, size=13)
    sheet.append(list(headers))
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([formula_safe(value) if isinstance(value, str) else value for value in row])
    for index, header in enumerate(headers, start=1):
        width = max([len(str(header))] + [len(str(row[index - 1] or "")) for row in rows])
        sheet.column_dimensions[get_column_letter(index)].width = min(width, 70) + 2
    sheet.auto_filter.ref = f"A2:{get_column_letter(len(headers))}{len(rows) + 2}"
    sheet.freeze_panes = "B3"


def _sheet_title(number: int, title: str) -> str:
    cleaned = "".join(ch for ch in title if ch not in "[]:*?/\\")
    return f"{number} {cleaned}"[:31]


def committee_report_workbook(shown: ShownReport) -> bytes:
    workbook = Workbook()
    workbook.remove(workbook.active)  # type: ignore[arg-type]
    facts = [
        ("Kommune", shown.municipality),
        ("Periode", shown.period),
        ("Opgjort pr.", shown.as_of),
        ("Sammenlignet med", shown.previous_period),
        ("Målsætning", shown.target),
        ("Regelkatalogets version", shown.catalogue_version),
        ("Rapportens nummer", shown.report_id),
        ("Tallenes kontrolsum (SHA-256)", shown.figures_hash),
        *(("Risikoområde", title) for title in shown.risk_titles),
        *GUIDE,
    ]
    _sheet(
        workbook,
        "Om rapporten",
        f"Udvalgsrapport {shown.period} · {shown.municipality}",
        ("Emne", "Forklaring"),
        facts,
    )
    pillar = [f"{name}: {header}" for name in ("Data", "Gennemgang") for header in PILLAR_HEADERS]
    level2 = [f"2. niveau: {header}" for header in PILLAR_HEADERS[:5]]
    headers = ("Enhed", *pillar, *level2)
    for table in shown.tables:
        rows = [
            (row.unit, *row.data.values, *row.review.values, *row.level2.values[:5]) for row in table.rows
        ]
        heading = f"{table.number}. {table.title}"
        if table.has_review:
            heading += f" · Gennemgangens spørgsmål: {table.question_title}"
        _sheet(workbook, _sheet_title(table.number, table.title), heading, headers, rows)
    for number, audit in enumerate(shown.audits, start=1):
        rows = [(q.text, *q.then.values[:5], *q.now.values[:5], q.change) for q in audit.questions]
        audit_headers = (
            "Spørgsmål",
            *(f"Tidligere: {h}" for h in PILLAR_HEADERS[:5]),
            *(f"Opfølgning: {h}" for h in PILLAR_HEADERS[:5]),
            "Ændring",
        )
        _sheet(workbook, f"Revision {number}", audit.title, audit_headers, rows)
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def committee_report_xlsx(report: CommitteeReport) -> bytes:
    """The stored report as an XLSX workbook."""
    return committee_report_workbook(report_shown(report))
