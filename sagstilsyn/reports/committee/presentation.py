"""The committee report as people read it (ADR 0039): the stored figures turned into Danish text cells
with suppression applied, for the PDF and the XLSX alike. A hidden cell shows only its mark ("<5" or
"–"): no count, percentage, interval, traffic light, risk flag or change."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.utils import timezone

from sagstilsyn.core.models import Unit
from sagstilsyn.core.numbers import number_text
from sagstilsyn.law.calendar import long_date
from sagstilsyn.reports.compliance.figures import ALL
from sagstilsyn.reports.compliance.readings import requirement_title
from sagstilsyn.reports.models import CommitteeReport
from sagstilsyn.reviews.programmes.adhoc import ADHOC_KIND_LABELS
from sagstilsyn.reviews.programmes.periods import period_parse

JSON = dict[str, Any]
QUARTER_NAMES = {1: "1. kvartal", 2: "2. kvartal", 3: "3. kvartal", 4: "4. kvartal"}
#: The traffic light's short labels and CSS classes, by its Danish label.
LIGHTS = {
    "Lever op til standarden": ("Lever op", "light-green"),
    "Uafklaret": ("Uafklaret", "light-yellow"),
    "Under standarden": ("Under", "light-red"),
}


def period_text(label: str) -> str:
    """ "2025Q1" → "1. kvartal 2025" (a month or year as itself)."""
    period = period_parse(label)
    if period.kind == "quarter":
        return f"{QUARTER_NAMES[period.number]} {period.year}"
    return label


def pct(value: float) -> str:
    """A percentage without decimals, the Danish way: "75 %"."""
    return f"{round(value):.0f} %"


@dataclass(frozen=True, slots=True)
class ShownCell:
    """One pillar of one row as shown; every text empty for a hidden cell but `n`."""

    present: bool
    hidden: bool
    n: str = ""
    numerator: str = ""
    share: str = ""
    interval: str = ""
    change: str = ""
    change_class: str = ""
    light: str = ""
    light_class: str = ""
    risk: bool = False
    weighted: bool = False
    # plain values for the spreadsheet (None when hidden)
    values: tuple[object, ...] = ()


EMPTY = ShownCell(present=False, hidden=False, values=(None,) * 8)


def _change(cell: JSON) -> tuple[str, str]:
    if not cell["comparable"]:
        return "Ikke sammenlignelig", "change-none"
    change = cell.get("change")
    if change is None or cell["previous_hidden"] or not change["significant"]:
        return "", ""
    points = change["points"]
    sign = "+" if points > 0 else "−"
    arrow = "▲" if points > 0 else "▼"
    return f"{arrow} {sign}{abs(round(points)):.0f} point", "change-up" if points > 0 else "change-down"


def shown_cell(cell: JSON | None) -> ShownCell:
    if cell is None:
        return EMPTY
    if cell["mark"]:
        return ShownCell(present=True, hidden=True, n=cell["mark"], values=(cell["mark"], *(None,) * 7))
    change, change_class = _change(cell)
    light, light_class = LIGHTS.get(cell["light"] or "", ("", ""))
    shown_change = cell["change"]["points"] if change and cell["comparable"] else None
    return ShownCell(
        present=True,
        hidden=False,
        n=number_text(cell["n"]),
        numerator=number_text(cell["numerator"]),
        share=pct(cell["percentage"]),
        interval=f"{round(cell['low']):.0f}–{round(cell['high']):.0f} %",
        change=change,
        change_class=change_class,
        light=light,
        light_class=light_class,
        risk=bool(cell["risk"]),
        weighted=bool(cell["weighted"]),
        values=(
            cell["n"],
            cell["numerator"],
            cell["percentage"],
            cell["low"],
            cell["high"],
            shown_change,
            cell["light"] or "",
            "Ja" if cell["risk"] else "",
        ),
    )


@dataclass(frozen=True, slots=True)
class ShownRow:
    unit: str
    total: bool
    data: ShownCell
    review: ShownCell
    level2: ShownCell


@dataclass(frozen=True, slots=True)
class ShownTable:
    number: int
    title: str
    rule_title: str
    question_title: str
    has_data: bool
    has_review: bool
    rows: tuple[ShownRow, ...]
    risk: bool

    @property
    def shown(self) -> bool:
        """Whether any cell shows a figure (a table of hidden cells only is listed by name instead)."""
        return any(
            cell.present and not cell.hidden
            for row in self.rows
            for cell in (row.data, row.review, row.level2)
        )


@dataclass(frozen=True, slots=True)
class ShownQuestion:
    text: str
    then: ShownCell
    now: ShownCell
    change: str
    change_class: str


@dataclass(frozen=True, slots=True)
class ShownAudit:
    title: str
    baseline: str
    follow_up: str
    questions: tuple[ShownQuestion, ...]


@dataclass(frozen=True, slots=True)
class ShownReport:
    report_id: int
    municipality: str
    period: str
    previous_period: str
    as_of: str
    made: str
    figures_hash: str
    catalogue_version: str
    target: str
    lower: str
    tables: tuple[ShownTable, ...]
    risk_titles: tuple[str, ...]
    audits: tuple[ShownAudit, ...]

    @property
    def too_few(self) -> tuple[ShownTable, ...]:
        return tuple(table for table in self.tables if not table.shown)


def _unit_names(municipality_id: int) -> dict[str, str]:
    names = dict(Unit.objects.filter(municipality_id=municipality_id).values_list("code", "name"))
    names[ALL] = "Hele kommunen"
    return names


def _table(number: int, table: JSON, names: dict[str, str]) -> ShownTable:
    rule_title = requirement_title(table["rule"]) if table["rule"] else ""
    question_title = requirement_title(table["question"]) if table["question"] else ""
    rows = tuple(
        ShownRow(
            unit=names.get(row["unit"], row["unit"]),
            total=row["unit"] == ALL,
            data=shown_cell(row.get("data")),
            review=shown_cell(row.get("review")),
            level2=shown_cell(row.get("level2")),
        )
        for row in table["rows"]
    )
    total = rows[0] if rows and rows[0].total else None
    risk = total is not None and (total.data.risk or total.review.risk)
    return ShownTable(
        number=number,
        title=rule_title or question_title,
        rule_title=rule_title,
        question_title=question_title,
        has_data=table["rule"] is not None,
        has_review=table["question"] is not None,
        rows=rows,
        risk=risk,
    )


def _audit_title(side: JSON) -> str:
    kind = ADHOC_KIND_LABELS.get(side["kind"], side["kind"])
    try:
        day = long_date(date.fromisoformat(side["day"]))
    except ValueError:
        day = side["day"]
    return f"{kind} {day} ({number_text(side['cases'])} sager)"


def _side_cell(side: JSON | None) -> ShownCell:
    if side is None:
        return EMPTY
    if side["mark"]:
        return ShownCell(present=True, hidden=True, n=side["mark"], values=(side["mark"], *(None,) * 7))
    return ShownCell(
        present=True,
        hidden=False,
        n=number_text(side["n"]),
        numerator=number_text(side["numerator"]),
        share=pct(side["percentage"]),
        interval=f"{round(side['low']):.0f}–{round(side['high']):.0f} %",
        values=(side["n"], side["numerator"], side["percentage"], side["low"], side["high"], None, "", ""),
    )


def _audit(audit: JSON) -> ShownAudit:
    questions = []
    for question in audit["questions"]:
        then, now = _side_cell(question["then"]), _side_cell(question["now"])
        change, change_class = "", ""
        tested = question["change"]
        if tested and tested["significant"] and not then.hidden and not now.hidden:
            points = tested["points"]
            change = f"{'▲ +' if points > 0 else '▼ −'}{abs(round(points)):.0f} point"
            change_class = "change-up" if points > 0 else "change-down"
        text = requirement_title(f"{audit['questionnaire']}.{question['question']}")
        questions.append(ShownQuestion(text, then, now, change, change_class))
    return ShownAudit(
        title=f"{_audit_title(audit['follow_up'])} sammenlignet med {_audit_title(audit['baseline'])}",
        baseline=_audit_title(audit["baseline"]),
        follow_up=_audit_title(audit["follow_up"]),
        questions=tuple(questions),
    )


def report_shown(report: CommitteeReport) -> ShownReport:
    """The stored report as people read it (titles and unit names looked up now)."""
    figures = json.loads(report.figures)
    names = _unit_names(report.municipality_id)
    tables = tuple(_table(number, table, names) for number, table in enumerate(figures["tables"], start=1))
    standard = figures["standard"]
    return ShownReport(
        report_id=report.pk,
        municipality=report.municipality.name,
        period=period_text(figures["period"]),
        previous_period=period_text(figures["previous_period"]),
        as_of=long_date(report.as_of),
        made=long_date(timezone.localtime(report.created_at).date()),
        figures_hash=report.figures_hash,
        catalogue_version=report.catalogue_version,
        target=pct(100 * standard["target"]),
        lower=pct(100 * standard["lower"]),
        tables=tables,
        risk_titles=tuple(table.title for table in tables if table.risk),
        audits=tuple(_audit(audit) for audit in figures.get("audits", [])),
    )
