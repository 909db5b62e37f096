"""Parsing the staff file (medarbejderfilen, data-contract.md §0b): one row per role a person holds.

Columns: municipality (kommunekode), username (brugernavn), name (fulde navn), email (optional), role,
unit (the unit's code, for roles held in a unit; empty for roles over the whole municipality), group
(optional: investigation, children or youth; only for roles held in a unit).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sagstilsyn.cases.importing.cells import text
from sagstilsyn.cases.importing.columns import control_errors, header_errors
from sagstilsyn.cases.importing.table import Table
from sagstilsyn.cases.services.event_inputs import RowError
from sagstilsyn.core.cpr import CPR_IN_TEXT, contains_cpr, redact
from sagstilsyn.core.models import CaseGroup, Municipality, Role, Unit, User
from sagstilsyn.core.services.staff import GROUPS_TEXT, ROLES_TEXT, UNIT_ROLE_SET, StaffRow

REQUIRED_COLUMNS = ("municipality", "username", "name", "role")
OPTIONAL_COLUMNS = ("email", "unit", "group")
COLUMNS = (*REQUIRED_COLUMNS, *OPTIONAL_COLUMNS)
MAX_LENGTHS = {
    "municipality": Municipality._meta.get_field("code").max_length,
    "username": User._meta.get_field("username").max_length,
    "name": 300,
    "email": User._meta.get_field("email").max_length,
    "unit": Unit._meta.get_field("code").max_length,
}


@dataclass
class ParsedStaff:
    rows: list[StaffRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)


def parse_staff(table: Table, *, ignore_unknown_columns: bool = False) -> ParsedStaff:
    """Read every row; collect every problem (missing values, control characters, unknown role or
    group, a unit where none belongs or none where one must, one person with two names)."""
    parsed = ParsedStaff()
    errors, fatal = header_errors(
        table, required=REQUIRED_COLUMNS, known=COLUMNS, ignore_unknown_columns=ignore_unknown_columns
    )
    parsed.errors.extend(errors)
    if fatal:
        return parsed
    people: dict[str, tuple[str, str, int]] = {}
    roles: dict[tuple[str, str, str], int] = {}
    for row in table.rows:
        values = {c: text(row.cells.get(c)) for c in COLUMNS}
        errors = control_errors(row.number, row.cells, COLUMNS) or _row_errors(row.number, values)
        if errors:
            parsed.errors.extend(errors)
            continue
        staff = StaffRow(
            row=row.number,
            municipality=values["municipality"],
            username=values["username"],
            name=" ".join(values["name"].split()),
            role=values["role"].lower(),
            email=values["email"],
            unit=values["unit"],
            group=values["group"].lower(),
        )
        name, email, first = people.setdefault(staff.username, (staff.name, staff.email, row.number))
        if name != staff.name:
            parsed.errors.append(
                RowError(
                    row.number, "name", staff.name, f"{staff.username} har et andet navn i række {first}"
                )
            )
            continue
        if email != staff.email:
            parsed.errors.append(
                RowError(
                    row.number, "email", staff.email, f"{staff.username} har en anden e-mail i række {first}"
                )
            )
            continue
        key = (staff.username, staff.role, staff.unit)
        if key in roles:
            earlier = next(r for r in parsed.rows if r.row == roles[key])
            if earlier.group != staff.group:
                parsed.errors.append(
                    RowError(
                        row.number,
                        "group",
                        staff.group,
                        f"samme rolle står i række {roles[key]} med en anden gruppe",
                    )
                )
            continue
        roles[key] = row.number
        parsed.rows.append(staff)
    return parsed


def _row_errors(number: int, values: dict[str, str]) -> list[RowError]:
    """What is wrong in one row by itself."""
    errors = [RowError(number, c, "", "værdien mangler") for c in REQUIRED_COLUMNS if not values[c]]
    for column, limit in MAX_LENGTHS.items():
        if contains_cpr(values[column]):  # a name or a code, never a CPR number (nor repeated)
            errors.append(RowError(number, column, "", f"værdien {CPR_IN_TEXT}"))
        elif limit is not None and len(values[column]) > limit:
            errors.append(RowError(number, column, redact(values[column])[:40] + "…", f"højst {limit} tegn"))
    if any(char.isspace() for char in values["username"]):
        errors.append(
            RowError(number, "username", values["username"], "brugernavnet må ikke indeholde mellemrum")
        )
    email = values["email"]
    if email and ("@" not in email or " " in email):
        errors.append(RowError(number, "email", email, "er ikke en e-mailadresse"))
    role, unit, group = values["role"].lower(), values["unit"], values["group"].lower()
    if role and role not in Role.values:
        errors.append(RowError(number, "role", values["role"], f"ukendt rolle; brug en af {ROLES_TEXT}"))
    elif role in UNIT_ROLE_SET and not unit:
        errors.append(RowError(number, "unit", "", f"rollen {role} hører til en enhed: angiv enhedens kode"))
    elif role and role not in UNIT_ROLE_SET and unit:
        errors.append(
            RowError(number, "unit", unit, f"rollen {role} gælder hele kommunen; lad kolonnen unit være tom")
        )
    if group and group not in CaseGroup.values:
        errors.append(RowError(number, "group", values["group"], f"gruppen skal være {GROUPS_TEXT}"))
    elif group and role in Role.values and role not in UNIT_ROLE_SET:
        errors.append(
            RowError(
                number, "group", group, f"rollen {role} gælder hele kommunen; lad kolonnen group være tom"
            )
        )
    return errors
