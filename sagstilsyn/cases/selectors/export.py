"""The obligations export (udtræk af forpligtelser, data-contract.md §2): rows, CSV and XLSX.

Statuses are judged on `as_of` by the law core from the cases' events, not read from the stored
obligations (those are judged on the day they were computed). Ids are the source system's: the case's
`source_ref` and the events' `source_event_id`. `due` is an ISO date, or for hour deadlines an ISO
datetime with the Europe/Copenhagen offset. Rows are sorted by case, then deadline (a date deadline
runs to the end of its day), then rule.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable
from dataclasses import astuple, dataclass
from datetime import date, datetime

from sagstilsyn.cases.models import Case, CaseEvent
from sagstilsyn.cases.selectors.obligations import obligations_evaluate
from sagstilsyn.core.exports import formula_safe, xlsx_bytes
from sagstilsyn.core.models import Municipality, Unit
from sagstilsyn.law.calendar import COPENHAGEN, end_of_day

EXPORT_COLUMNS = (
    "case_id",
    "unit",
    "rule",
    "law",
    "trigger_event_id",
    "due",
    "status",
    "satisfied_event_id",
)
CHUNK = 2000


@dataclass(frozen=True, order=True)
class ObligationExportRow:
    """One obligation as exported; the fields are the contract's columns, in order."""

    case_id: str
    unit: str
    rule: str
    law: str
    trigger_event_id: str
    due: str
    status: str
    satisfied_event_id: str

    def values(self) -> tuple[str, ...]:
        return astuple(self)


def obligations_export_rows(
    *,
    municipality: Municipality,
    as_of: date,
    unit: Unit | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> list[ObligationExportRow]:
    """Every obligation of the municipality's cases (or one unit's), judged on `as_of`, sorted."""
    cases = Case.objects.filter(municipality=municipality)
    if unit is not None:
        cases = cases.filter(unit=unit)
    info = {pk: (ref, code) for pk, ref, code in cases.values_list("id", "source_ref", "unit__code")}
    ids = sorted(info)
    keyed: list[tuple[tuple[str, datetime, str], ObligationExportRow]] = []
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        evaluated = list(obligations_evaluate(case_ids=chunk, as_of=as_of))
        source_ids = {
            str(pk): source_id
            for pk, source_id in CaseEvent.objects.filter(case_id__in=chunk).values_list(
                "id", "source_event_id"
            )
        }
        for case_id, item in evaluated:
            case_ref, unit_code = info[case_id]
            if isinstance(item.due, datetime):
                instant = item.due
                due = item.due.astimezone(COPENHAGEN).isoformat()
            else:
                instant = end_of_day(item.due)
                due = item.due.isoformat()
            satisfied = item.satisfied_by
            row = ObligationExportRow(
                case_id=case_ref,
                unit=unit_code,
                rule=item.rule_id,
                law=item.law,
                trigger_event_id=source_ids.get(item.trigger.id or "", ""),
                due=due,
                status=item.status,
                satisfied_event_id=source_ids.get(satisfied.id or "", "") if satisfied is not None else "",
            )
            keyed.append(((case_ref, instant, item.rule_id), row))
        if progress is not None:
            progress(min(start + CHUNK, len(ids)), len(ids))
    keyed.sort(key=lambda pair: (pair[0], pair[1]))
    return [row for _, row in keyed]


def obligations_export_csv(rows: Iterable[ObligationExportRow]) -> str:
    """The rows as CSV text: comma separated, a header row with the contract's column names; a value
    that starts like a formula gets a leading apostrophe, as in the XLSX export (`formula_safe`)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(EXPORT_COLUMNS)
    writer.writerows(tuple(formula_safe(value) for value in row.values()) for row in rows)
    return buffer.getvalue()


def obligations_export_xlsx(rows: Iterable[ObligationExportRow]) -> bytes:
    """The rows as an XLSX workbook (one sheet, the contract's column names, `due` as ISO text). No title
    row: the contract's header is the first row, as programs read it."""
    return xlsx_bytes(
        title=None, sheet_title="Forpligtelser", headers=EXPORT_COLUMNS, rows=(row.values() for row in rows)
    )
