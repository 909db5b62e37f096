"""Staff and their roles (medarbejdere og roller): the administrator's changes and the staff file.

The staff file (medarbejderfilen, data-contract.md §0b) states one role a person holds per row. Its
rows are checked against the register by `staff_rows_check` (every problem, with its row and column)
and written by `staff_import` (idempotent: a file imported twice changes nothing the second time). A
person left out of a later file keeps their history; with `deactivate_missing` the roles the file does
not name end, and a person left without a role is deactivated. A role that ends is removed from the
register; the audit trail keeps it (`role.end`, with the role, unit and group). Nobody is deleted.

The administrator's pages call the same services one change at a time: `role_assign` (in
`organisation`), `role_end`, `role_group_set`, `user_deactivate`, `user_activate`, `user_rename`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import NamedTuple

from django.db import transaction

from sagstilsyn.core.access import is_municipality_role
from sagstilsyn.core.cpr import CPR_IN_TEXT, contains_cpr
from sagstilsyn.core.models import (
    UNIT_ROLES,
    CaseGroup,
    Municipality,
    Role,
    RoleAssignment,
    Unit,
    User,
)
from sagstilsyn.core.services.audit import audit_record
from sagstilsyn.core.services.organisation import OrganisationError, role_assign, user_create
from sagstilsyn.core.text_hygiene import free_text_problem

ROLES_TEXT = ", ".join(Role.values)
GROUPS_TEXT = " | ".join(CaseGroup.values)


@dataclass(frozen=True)
class StaffRow:
    """One row of the staff file: one role of one person (data-contract.md §0b)."""

    row: int
    municipality: str
    username: str
    name: str
    role: str
    email: str = ""
    unit: str = ""
    group: str = ""


class StaffProblem(NamedTuple):
    """What is wrong in one row: its number, the column, the value and the Danish message."""

    row: int
    column: str
    value: str
    message: str


@dataclass
class StaffResult:
    """What a staff import did (or, with dry_run, would do)."""

    rows: int = 0
    users_created: int = 0
    users_updated: int = 0
    users_reactivated: int = 0
    users_unchanged: int = 0
    roles_assigned: int = 0
    roles_changed: int = 0
    roles_unchanged: int = 0
    roles_ended: int = 0
    users_deactivated: int = 0
    dry_run: bool = False
    municipalities: list[str] = field(default_factory=list)


def name_split(name: str) -> tuple[str, str]:
    """A full name as (first names, last name): 'Anne Marie Holm' → ('Anne Marie', 'Holm')."""
    parts = name.split()
    if len(parts) < 2:
        return name.strip(), ""
    return " ".join(parts[:-1]), parts[-1]


def staff_rows_check(
    rows: Iterable[StaffRow], *, municipality: Municipality | None = None
) -> tuple[dict[str, Municipality], list[StaffProblem]]:
    """The municipalities the rows name, and every problem the register finds in them: an unknown
    municipality (or another than `municipality`), an unknown unit, a user name that belongs to another
    municipality. The rows' own form (columns, roles, groups) is checked by the reader."""
    problems: list[StaffProblem] = []
    rows = list(rows)
    codes = sorted({row.municipality for row in rows})
    found = {m.code: m for m in Municipality.objects.filter(code__in=codes)}
    units = {
        (unit.municipality.code, unit.code): unit
        for unit in Unit.objects.filter(municipality__code__in=codes).select_related("municipality")
    }
    owners = dict(
        User.objects.filter(username__in={row.username for row in rows}).values_list(
            "username", "municipality__code"
        )
    )
    for row in rows:
        if municipality is not None and row.municipality != municipality.code:
            problems.append(
                StaffProblem(
                    row.row, "municipality", row.municipality, f"filen indlæses i kommune {municipality.code}"
                )
            )
            continue
        if row.municipality not in found:
            problems.append(
                StaffProblem(
                    row.row,
                    "municipality",
                    row.municipality,
                    "kommunen findes ikke; indlæs organisationsfilen først",
                )
            )
            continue
        if row.unit and (row.municipality, row.unit) not in units:
            problems.append(
                StaffProblem(row.row, "unit", row.unit, f"enheden findes ikke i kommune {row.municipality}")
            )
        if row.username in owners and owners[row.username] != row.municipality:
            problems.append(
                StaffProblem(row.row, "username", row.username, "brugernavnet tilhører en anden kommune")
            )
    return found, problems


def _audit_user(*, actor: User | None, action: str, user: User, before: object, after: object) -> None:
    audit_record(
        actor=actor,
        action=action,
        municipality=user.municipality,
        target_type="user",
        target_id=user.pk,
        target_label=user.username,
        before=before if isinstance(before, dict) else None,
        after=after if isinstance(after, dict) else None,
    )


def _role_facts(assignment: RoleAssignment) -> dict[str, object]:
    return {
        "role": assignment.role,
        "unit": assignment.unit.code if assignment.unit else None,
        "group": assignment.group,
    }


def role_end(*, assignment: RoleAssignment, actor: User | None) -> None:
    """End a role: it leaves the register, and the audit trail keeps it (``role.end``)."""
    with transaction.atomic():
        user = assignment.user
        facts = _role_facts(assignment)
        assignment.delete()
        _audit_user(actor=actor, action="role.end", user=user, before=facts, after=None)


def role_group_set(*, assignment: RoleAssignment, group: str, actor: User | None) -> RoleAssignment:
    """Move a unit role to another group (or none); a municipality role has no group."""
    if group and group not in CaseGroup.values:
        raise OrganisationError(f"gruppen skal være {GROUPS_TEXT}, ikke '{group}'")
    if group and is_municipality_role(assignment.role):
        raise OrganisationError(
            f"rollen {Role(assignment.role).label} gælder hele kommunen og har ingen gruppe"
        )
    if assignment.group == group:
        return assignment
    with transaction.atomic():
        before = _role_facts(assignment)
        assignment.group = group
        assignment.save(update_fields=["group"])
        _audit_user(
            actor=actor,
            action="role.update",
            user=assignment.user,
            before=before,
            after=_role_facts(assignment),
        )
    return assignment


def user_deactivate(*, user: User, actor: User | None, end_roles: bool = False) -> User:
    """Deactivate a person: they can no longer log in; their history stays. With `end_roles` their
    roles end too. A person cannot deactivate themselves."""
    if actor is not None and actor.pk == user.pk:
        raise OrganisationError("du kan ikke deaktivere dig selv")
    with transaction.atomic():
        if end_roles:
            for assignment in RoleAssignment.objects.filter(user=user).select_related("unit", "user"):
                role_end(assignment=assignment, actor=actor)
        if user.is_active:
            user.is_active = False
            user.save(update_fields=["is_active"])
            _audit_user(
                actor=actor,
                action="user.deactivate",
                user=user,
                before={"active": True},
                after={"active": False},
            )
    return user


def user_activate(*, user: User, actor: User | None) -> User:
    """Let a deactivated person log in again (with their roles, if any)."""
    if user.is_active:
        return user
    with transaction.atomic():
        user.is_active = True
        user.save(update_fields=["is_active"])
        _audit_user(
            actor=actor, action="user.activate", user=user, before={"active": False}, after={"active": True}
        )
    return user


def user_rename(*, user: User, name: str, email: str, actor: User | None) -> bool:
    """Set a person's full name and e-mail address; whether anything changed."""
    name, email = name.strip(), email.strip()
    for label, text in (("navnet", name), ("e-mailadressen", email)):
        if contains_cpr(text):
            raise OrganisationError(f"{label} {CPR_IN_TEXT}")
        problem = free_text_problem(text)
        if problem is not None:
            raise OrganisationError(f"{label} {problem}")
    if not name:
        raise OrganisationError("navnet skal udfyldes")
    first, last = name_split(name)
    before = {"name": user.get_full_name(), "email": user.email}
    if (user.first_name, user.last_name, user.email) == (first, last, email):
        return False
    with transaction.atomic():
        user.first_name, user.last_name, user.email = first, last, email
        user.save(update_fields=["first_name", "last_name", "email"])
        _audit_user(
            actor=actor, action="user.update", user=user, before=before, after={"name": name, "email": email}
        )
    return True


def staff_import(
    *,
    rows: list[StaffRow],
    municipalities: dict[str, Municipality],
    actor: User | None,
    deactivate_missing: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> StaffResult:
    """Write the staff file's rows (already checked): people created or updated, roles given or moved to
    another group, and with `deactivate_missing` the roles not in the file ended. Run it in a
    transaction. Raises OrganisationError when the file would end the acting administrator's own role."""
    result = StaffResult(rows=len(rows), municipalities=sorted(municipalities))
    units = {
        (unit.municipality_id, unit.code): unit
        for unit in Unit.objects.filter(municipality__in=list(municipalities.values()))
    }
    people: dict[str, User] = {}
    kept: set[int] = set()
    for done, row in enumerate(rows, start=1):
        municipality = municipalities[row.municipality]
        user = people.get(row.username)
        if user is None:
            user = _person(row, municipality, actor, result)
            people[row.username] = user
        unit = units[(municipality.pk, row.unit)] if row.unit else None
        kept.add(_role(user, row, unit, actor, result))
        if progress is not None:
            progress(done, len(rows))
    if deactivate_missing:
        _end_missing(list(municipalities.values()), kept, actor, result)
    return result


def _person(row: StaffRow, municipality: Municipality, actor: User | None, result: StaffResult) -> User:
    first, last = name_split(row.name)
    user = User.objects.filter(username=row.username).first()
    if user is None:
        result.users_created += 1
        return user_create(
            municipality=municipality,
            username=row.username,
            first_name=first,
            last_name=last,
            email=row.email,
            password=None,  # single sign-on, or an administrator sets one
            actor=actor,
        )
    changed = user_rename(user=user, name=row.name, email=row.email, actor=actor)
    if not user.is_active:
        user_activate(user=user, actor=actor)
        result.users_reactivated += 1
    elif changed:
        result.users_updated += 1
    else:
        result.users_unchanged += 1
    return user


def _role(user: User, row: StaffRow, unit: Unit | None, actor: User | None, result: StaffResult) -> int:
    existing = (
        RoleAssignment.objects.filter(user=user, role=row.role, unit=unit).select_related("unit").first()
    )
    if existing is None:
        result.roles_assigned += 1
        return role_assign(user=user, role=row.role, unit=unit, group=row.group, actor=actor).pk
    if existing.group != row.group:
        result.roles_changed += 1
        role_group_set(assignment=existing, group=row.group, actor=actor)
    else:
        result.roles_unchanged += 1
    return existing.pk


def _end_missing(
    municipalities: list[Municipality], kept: set[int], actor: User | None, result: StaffResult
) -> None:
    missing = (
        RoleAssignment.objects.filter(municipality__in=municipalities)
        .exclude(pk__in=sorted(kept))
        .select_related("user", "unit")
        .order_by("user__username", "role", "id")
    )
    touched: dict[int, User] = {}
    for assignment in missing:
        if actor is not None and assignment.user_id == actor.pk and assignment.role == Role.ADMINISTRATOR:
            raise OrganisationError(
                f"filen nævner ikke din egen rolle som administrator ({actor.username}); "
                "den ville blive afsluttet. Tilføj den til filen"
            )
        touched[assignment.user_id] = assignment.user
        role_end(assignment=assignment, actor=actor)
        result.roles_ended += 1
    for user in touched.values():
        if user.is_active and not RoleAssignment.objects.filter(user=user).exists():
            user_deactivate(user=user, actor=actor)
            result.users_deactivated += 1


#: The roles of the staff file: the contract's names and the databeskyttelsesrådgiver (ours).
STAFF_ROLES: tuple[str, ...] = tuple(Role.values)
UNIT_ROLE_SET = frozenset(UNIT_ROLES)
