"""Parsing the organisation file (organisationsfilen, data-contract.md §0): one row per unit (enhed).

Columns: municipality (kommunekode), municipality_name, centre (borgercenter, optional), unit
(enhedskode), unit_name, kind (`unit`, the default, or `emergency` for Døgnvagten).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sagstilsyn.cases.importing.cells import text
from sagstilsyn.cases.importing.columns import control_errors, header_errors
from sagstilsyn.cases.importing.table import Table
from sagstilsyn.cases.services.event_inputs import RowError
from sagstilsyn.core.cpr import CPR_IN_TEXT, contains_cpr, redact
from sagstilsyn.core.models import Centre, Municipality, Unit, UnitKind

REQUIRED_COLUMNS = ("municipality", "municipality_name", "unit", "unit_name")
OPTIONAL_COLUMNS = ("centre", "kind")
COLUMNS = (*REQUIRED_COLUMNS, *OPTIONAL_COLUMNS)
MAX_LENGTHS = {
    "municipality": Municipality._meta.get_field("code").max_length,
    "municipality_name": Municipality._meta.get_field("name").max_length,
    "centre": Centre._meta.get_field("name").max_length,
    "unit": Unit._meta.get_field("code").max_length,
    "unit_name": Unit._meta.get_field("name").max_length,
}

KINDS = " eller ".join(UnitKind.values)


@dataclass(frozen=True)
class UnitRow:
    """One unit as the file states it."""

    row: int
    municipality: str
    municipality_name: str
    unit: str
    unit_name: str
    centre: str = ""
    kind: str = UnitKind.UNIT


@dataclass
class ParsedOrganisation:
    units: list[UnitRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)


def parse_organisation(table: Table, *, ignore_unknown_columns: bool = False) -> ParsedOrganisation:
    """Read every row; collect every problem (missing values, control characters, bad kind,
    contradicting rows)."""
    parsed = ParsedOrganisation()
    errors, fatal = header_errors(
        table,
        required=REQUIRED_COLUMNS,
        known=COLUMNS,
        ignore_unknown_columns=ignore_unknown_columns,
    )
    parsed.errors.extend(errors)
    if fatal:
        return parsed
    names: dict[str, tuple[str, int]] = {}
    units: dict[tuple[str, str], UnitRow] = {}
    for row in table.rows:
        values = {c: text(row.cells.get(c)) for c in COLUMNS}
        errors = control_errors(row.number, row.cells, COLUMNS) or _row_errors(row.number, values, names)
        if errors:
            parsed.errors.extend(errors)
            continue
        unit = UnitRow(
            row=row.number,
            municipality=values["municipality"],
            municipality_name=values["municipality_name"],
            unit=values["unit"],
            unit_name=values["unit_name"],
            centre=values["centre"],
            kind=values["kind"].lower() or UnitKind.UNIT,
        )
        earlier = units.get((unit.municipality, unit.unit))
        if earlier is None:
            units[(unit.municipality, unit.unit)] = unit
            parsed.units.append(unit)
        elif _content(earlier) != _content(unit):
            parsed.errors.append(
                RowError(row.number, "unit", unit.unit, f"står også i række {earlier.row} med andet indhold")
            )
    return parsed


def _row_errors(number: int, values: dict[str, str], names: dict[str, tuple[str, int]]) -> list[RowError]:
    """What is wrong in one row; `names` holds each municipality's name and the row that first gave it."""
    errors = [
        RowError(number, column, "", "værdien mangler") for column in REQUIRED_COLUMNS if not values[column]
    ]
    for column, limit in MAX_LENGTHS.items():
        if contains_cpr(values[column]):  # a code or a name, never a CPR number (nor repeated)
            errors.append(RowError(number, column, "", f"værdien {CPR_IN_TEXT}"))
        elif limit is not None and len(values[column]) > limit:
            errors.append(RowError(number, column, redact(values[column])[:40] + "…", f"højst {limit} tegn"))
    if (values["kind"].lower() or UnitKind.UNIT) not in UnitKind.values:
        errors.append(RowError(number, "kind", values["kind"], f"enhedstypen skal være {KINDS}"))
    code, name = values["municipality"], values["municipality_name"]
    if code and name:
        known_name, first_row = names.setdefault(code, (name, number))
        if known_name != name:
            errors.append(
                RowError(
                    number, "municipality_name", name, f"kommune {code} har et andet navn i række {first_row}"
                )
            )
    return errors


def _content(unit: UnitRow) -> tuple[str, ...]:
    return (unit.municipality_name, unit.unit_name, unit.centre, unit.kind)
