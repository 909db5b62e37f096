"""Reads for the administration pages: units with their staff per group, staff with their roles."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from sagstilsyn.core.access import Scope, can_administer
from sagstilsyn.core.models import CaseGroup, RoleAssignment, Unit, User

STAFF_EXPORT_HEADERS = (
    "Brugernavn",
    "Navn",
    "E-mail",
    "Aktiv",
    "Rolle",
    "Enhed",
    "Gruppe",
    "Senest logget ind",
)
UNIT_EXPORT_HEADERS = (
    "Enhedskode",
    "Navn",
    "Type",
    "Borgercenter",
    "Medarbejdere i alt",
    *(f"Gruppe {label.lower()}" for label in CaseGroup.labels),
    "Uden gruppe",
)


def _municipality_id(scope: Scope) -> int | None:
    """The administrator's municipality, or None for anyone else."""
    return scope.municipality_id if can_administer(scope) else None


@dataclass(frozen=True)
class UnitOverview:
    """A unit with how many people hold a role in it, in all and per group (undersøgelse, børn, unge)."""

    unit: Unit
    people: int
    groups: dict[str, int] = field(default_factory=dict)
    without_group: int = 0

    @property
    def group_counts(self) -> list[tuple[str, int]]:
        return [(label, self.groups.get(value, 0)) for value, label in CaseGroup.choices]


def units_administered(*, scope: Scope) -> list[UnitOverview]:
    """The municipality's units, by code, with their staff per group; empty for anyone but an
    administrator."""
    municipality_id = _municipality_id(scope)
    if municipality_id is None:
        return []
    units = list(Unit.objects.filter(municipality_id=municipality_id).select_related("centre"))
    people: dict[int, set[int]] = {}
    groups: dict[int, Counter[str]] = {}
    for unit_id, user_id, group in RoleAssignment.objects.filter(
        municipality_id=municipality_id, unit__isnull=False, user__is_active=True
    ).values_list("unit_id", "user_id", "group"):
        assert unit_id is not None  # noqa: S101 - filtered above
        people.setdefault(unit_id, set()).add(user_id)
        groups.setdefault(unit_id, Counter())[group] += 1
    return [
        UnitOverview(
            unit=unit,
            people=len(people.get(unit.pk, ())),
            groups={k: v for k, v in groups.get(unit.pk, Counter()).items() if k},
            without_group=groups.get(unit.pk, Counter()).get("", 0),
        )
        for unit in units
    ]


def unit_export_rows(*, scope: Scope) -> list[list[object]]:
    return [
        [
            row.unit.code,
            row.unit.name,
            row.unit.get_kind_display(),
            row.unit.centre.name if row.unit.centre else "",
            row.people,
            *(count for _, count in row.group_counts),
            row.without_group,
        ]
        for row in units_administered(scope=scope)
    ]


def unit_administered(*, scope: Scope, unit_id: int) -> Unit | None:
    """One unit of the administrator's municipality, or None (another municipality's does not exist)."""
    municipality_id = _municipality_id(scope)
    if municipality_id is None:
        return None
    return Unit.objects.filter(pk=unit_id, municipality_id=municipality_id).select_related("centre").first()


def staff_search(*, scope: Scope, query: str = "", active: bool | None = None) -> QuerySet[User]:
    """The municipality's staff, by name, with their roles; `query` matches user name, name or e-mail
    (every word), `active` keeps only active (True) or deactivated (False) people."""
    municipality_id = _municipality_id(scope)
    if municipality_id is None:
        return User.objects.none()
    people = User.objects.filter(municipality_id=municipality_id)
    for word in query.split():
        people = people.filter(
            Q(username__icontains=word)
            | Q(first_name__icontains=word)
            | Q(last_name__icontains=word)
            | Q(email__icontains=word)
        )
    if active is not None:
        people = people.filter(is_active=active)
    roles = RoleAssignment.objects.select_related("unit").order_by("role", "unit__code")
    return people.prefetch_related(Prefetch("role_assignments", queryset=roles)).order_by(
        "first_name", "last_name", "username"
    )


def staff_export_rows(*, scope: Scope, query: str = "", active: bool | None = None) -> list[list[object]]:
    """One row per role (a person without roles: one row without a role), for the Excel export."""
    rows: list[list[object]] = []
    for user in staff_search(scope=scope, query=query, active=active):
        person: list[object] = [
            user.username,
            user.get_full_name(),
            user.email,
            "Ja" if user.is_active else "Nej",
        ]
        last_login = timezone.localtime(user.last_login) if user.last_login else None
        assignments = list(user.role_assignments.all())
        if not assignments:
            rows.append([*person, "", "", "", last_login])
        for assignment in assignments:
            rows.append(
                [
                    *person,
                    assignment.get_role_display(),
                    assignment.unit.name if assignment.unit else "Hele kommunen",
                    assignment.get_group_display() if assignment.group else "",
                    last_login,
                ]
            )
    return rows


def staff_member(*, scope: Scope, user_id: int) -> User | None:
    """One person of the administrator's municipality with their roles, or None."""
    if not can_administer(scope):
        return None
    return staff_search(scope=scope).filter(pk=user_id).first()


@dataclass(frozen=True)
class AdministrationCounts:
    units: int
    active_staff: int
    inactive_staff: int


def administration_counts(*, scope: Scope) -> AdministrationCounts:
    """How many units and (active, deactivated) people the administrator's municipality has."""
    municipality_id = _municipality_id(scope)
    if municipality_id is None:
        return AdministrationCounts(0, 0, 0)
    people = User.objects.filter(municipality_id=municipality_id)
    return AdministrationCounts(
        units=Unit.objects.filter(municipality_id=municipality_id).count(),
        active_staff=people.filter(is_active=True).count(),
        inactive_staff=people.filter(is_active=False).count(),
    )
