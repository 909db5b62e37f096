"""Organisation and people (organisation og medarbejdere): municipalities, units, users and roles."""

from __future__ import annotations

from django.db import transaction

from sagstilsyn.core.cpr import CPR_IN_TEXT, contains_cpr
from sagstilsyn.core.models import (
    MUNICIPALITY_ROLES,
    Centre,
    Municipality,
    Role,
    RoleAssignment,
    Unit,
    UnitKind,
    User,
)
from sagstilsyn.core.services.audit import audit_record
from sagstilsyn.core.text_hygiene import free_text_problem


class OrganisationError(ValueError):
    """A Danish message explaining why an organisation change was refused."""


def _refuse_cpr(texts: dict[str, str]) -> None:
    """OrganisationError when a code or name holds a CPR number (the value is not repeated)."""
    for label, text in texts.items():
        if contains_cpr(text):
            raise OrganisationError(f"{label} {CPR_IN_TEXT}")


def municipality_ensure(*, code: str, name: str, actor: User | None = None) -> Municipality:
    """Create the municipality, or rename it; returns it."""
    _refuse_cpr({"kommunekoden": code, "kommunens navn": name})
    with transaction.atomic():
        municipality, created = Municipality.objects.get_or_create(code=code, defaults={"name": name})
        if created or municipality.name != name:
            before = None if created else {"name": municipality.name}
            municipality.name = name
            municipality.save(update_fields=["name"])
            audit_record(
                actor=actor,
                action="municipality.create" if created else "municipality.rename",
                municipality=municipality,
                target_type="municipality",
                target_id=municipality.pk,
                target_label=str(municipality),
                before=before,
                after={"code": code, "name": name},
            )
    return municipality


def unit_ensure(
    *,
    municipality: Municipality,
    code: str,
    name: str,
    kind: str = UnitKind.UNIT,
    centre_name: str = "",
    actor: User | None = None,
) -> Unit:
    """Create or update a unit (enhed) by its code within the municipality."""
    _refuse_cpr({"enhedskoden": code, "enhedens navn": name, "centrets navn": centre_name})
    if kind not in UnitKind.values:
        raise OrganisationError(f"enhedstypen skal være {' eller '.join(UnitKind.values)}, ikke '{kind}'")
    with transaction.atomic():
        centre = None
        if centre_name:
            centre, _ = Centre.objects.get_or_create(municipality=municipality, name=centre_name)
        unit = Unit.objects.filter(municipality=municipality, code=code).first()
        before = None
        if unit is None:
            unit = Unit.objects.create(
                municipality=municipality, code=code, name=name, kind=kind, centre=centre
            )
        else:
            before = {"name": unit.name, "kind": unit.kind, "centre": unit.centre.name if unit.centre else ""}
            if before == {"name": name, "kind": kind, "centre": centre_name}:
                return unit
            unit.name, unit.kind, unit.centre = name, kind, centre
            unit.save(update_fields=["name", "kind", "centre"])
        audit_record(
            actor=actor,
            action="unit.create" if before is None else "unit.update",
            municipality=municipality,
            target_type="unit",
            target_id=unit.pk,
            target_label=unit.name,
            before=before,
            after={"code": code, "name": name, "kind": kind, "centre": centre_name},
        )
    return unit


UNIT_CODE_MAX = Unit._meta.get_field("code").max_length or 40
UNIT_NAME_MAX = Unit._meta.get_field("name").max_length or 200


def _unit_texts(*, code: str, name: str, centre_name: str) -> None:
    """OrganisationError for a code or name that cannot be stored or shown (Danish, value not repeated)."""
    for label, text in (("enhedskoden", code), ("enhedens navn", name), ("centrets navn", centre_name)):
        problem = free_text_problem(text)
        if problem is not None:
            raise OrganisationError(f"{label} {problem}")
    if not code:
        raise OrganisationError("enhedskoden skal udfyldes")
    if not name:
        raise OrganisationError("enhedens navn skal udfyldes")
    if len(code) > UNIT_CODE_MAX or any(char.isspace() for char in code):
        raise OrganisationError(f"enhedskoden skal være højst {UNIT_CODE_MAX} tegn uden mellemrum")
    if len(name) > UNIT_NAME_MAX or len(centre_name) > UNIT_NAME_MAX:
        raise OrganisationError(f"et navn må højst være {UNIT_NAME_MAX} tegn")


def unit_create(
    *,
    municipality: Municipality,
    code: str,
    name: str,
    kind: str = UnitKind.UNIT,
    centre_name: str = "",
    actor: User | None,
) -> Unit:
    """Create a new unit from the administration page; its code must be new in the municipality."""
    code, name, centre_name = code.strip(), name.strip(), centre_name.strip()
    _unit_texts(code=code, name=name, centre_name=centre_name)
    with transaction.atomic():
        if Unit.objects.filter(municipality=municipality, code=code).exists():
            raise OrganisationError(f"enhedskoden {code} findes allerede i kommunen")
        return unit_ensure(
            municipality=municipality, code=code, name=name, kind=kind, centre_name=centre_name, actor=actor
        )


def unit_rename(
    *, unit: Unit, name: str, kind: str | None = None, centre_name: str | None = None, actor: User | None
) -> Unit:
    """Give a unit a new name (and type or centre); its code is its identity and stays."""
    name = name.strip()
    centre = (unit.centre.name if unit.centre else "") if centre_name is None else centre_name.strip()
    _unit_texts(code=unit.code, name=name, centre_name=centre)
    return unit_ensure(
        municipality=unit.municipality,
        code=unit.code,
        name=name,
        kind=kind or unit.kind,
        centre_name=centre,
        actor=actor,
    )


def user_create(
    *,
    municipality: Municipality,
    username: str,
    first_name: str = "",
    last_name: str = "",
    email: str = "",
    password: str | None = None,
    actor: User | None = None,
) -> User:
    """Create a user (medarbejder) in the municipality. Roles are given with role_assign."""
    _refuse_cpr(
        {"brugernavnet": username, "fornavnet": first_name, "efternavnet": last_name, "e-mailadressen": email}
    )
    with transaction.atomic():
        if User.objects.filter(username=username).exists():
            raise OrganisationError(f"brugernavnet '{username}' er allerede i brug")
        user = User(
            username=username,
            first_name=first_name,
            last_name=last_name,
            email=email,
            municipality=municipality,
        )
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.save()
        audit_record(
            actor=actor,
            action="user.create",
            municipality=municipality,
            target_type="user",
            target_id=user.pk,
            target_label=username,
            after={"username": username, "name": f"{first_name} {last_name}".strip()},
        )
    return user


def role_assign(
    *, user: User, role: str, unit: Unit | None = None, group: str = "", actor: User | None = None
) -> RoleAssignment:
    """Give `user` a role: in one unit (unit roles) or across the municipality (the others)."""
    if role not in Role.values:
        raise OrganisationError(f"ukendt rolle '{role}'")
    if user.municipality_id is None:
        raise OrganisationError("brugeren hører ikke til en kommune")
    if role in MUNICIPALITY_ROLES and unit is not None:
        raise OrganisationError(f"rollen {Role(role).label} gælder hele kommunen og har ingen enhed")
    if role not in MUNICIPALITY_ROLES and unit is None:
        raise OrganisationError(f"rollen {Role(role).label} kræver en enhed")
    if unit is not None and unit.municipality_id != user.municipality_id:
        raise OrganisationError("enheden hører til en anden kommune end brugeren")
    with transaction.atomic():
        assignment, created = RoleAssignment.objects.get_or_create(
            user=user,
            role=role,
            unit=unit,
            defaults={"municipality_id": user.municipality_id, "group": group},
        )
        if created:
            audit_record(
                actor=actor,
                action="role.assign",
                municipality=user.municipality,
                target_type="user",
                target_id=user.pk,
                target_label=user.username,
                after={"role": role, "unit": unit.code if unit else None, "group": group},
            )
    return assignment
