"""Factories: test data made through the services, never through fixtures or raw model saves."""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from datetime import date, datetime

from sagstilsyn.api.models import ApiClient
from sagstilsyn.api.services import api_client_create
from sagstilsyn.cases.models import Case
from sagstilsyn.cases.services.event_inputs import EventInput, EventsResult
from sagstilsyn.cases.services.events import events_record
from sagstilsyn.core.models import MUNICIPALITY_ROLES, Municipality, Role, Unit, UnitKind, User
from sagstilsyn.core.services.organisation import municipality_ensure, role_assign, unit_ensure, user_create

_counter = itertools.count(1)


def make_municipality(code: str = "101", name: str = "Københavns Kommune") -> Municipality:
    return municipality_ensure(code=code, name=name)


def make_unit(municipality: Municipality, code: str = "BFE-NORD", kind: str = UnitKind.UNIT) -> Unit:
    return unit_ensure(municipality=municipality, code=code, name=f"Enheden {code}", kind=kind)


def make_user(
    municipality: Municipality,
    role: str = Role.CASEWORKER,
    unit: Unit | None = None,
    username: str | None = None,
    password: str | None = "hemmelig-kode-123",  # noqa: S107 - a test password
) -> User:
    if unit is None and role not in MUNICIPALITY_ROLES:
        unit = Unit.objects.filter(municipality=municipality).order_by("id").first()
    user = user_create(
        municipality=municipality,
        username=username or f"bruger{next(_counter)}",
        first_name="Test",
        last_name=role,
        password=password,
    )
    role_assign(user=user, role=role, unit=unit)
    return user


def event(
    event_id: str,
    type: str,
    at: date | datetime,
    *,
    case_id: str = "SAG-1",
    child_id: str = "BARN-1",
    unit: str = "BFE-NORD",
    row: int = 0,
    attrs: Mapping[str, object] | None = None,
    **extra: object,
) -> EventInput:
    return EventInput(
        row=row or next(_counter),
        event_id=event_id,
        case_id=case_id,
        child_id=child_id,
        unit=unit,
        type=type,
        at=at,
        attrs=dict(attrs or {}),
        **extra,  # type: ignore[arg-type]
    )


def record(municipality: Municipality, *inputs: EventInput, source: str = "test") -> EventsResult:
    return events_record(municipality=municipality, inputs=list(inputs), source=source)


def case_of(municipality: Municipality, ref: str = "SAG-1") -> Case:
    return Case.objects.get(municipality=municipality, source_ref=ref)


def make_api_client(
    municipality: Municipality, source: str = "DUBU", actor: User | None = None
) -> tuple[ApiClient, str]:
    """An API client and its plaintext token, made through the service."""
    return api_client_create(municipality=municipality, source=source, actor=actor)


def make_case(
    municipality: Municipality,
    ref: str = "SAG-1",
    *,
    unit: str = "BFE-NORD",
    child_id: str | None = None,
    caseworker: str = "",
    group: str = "",
    cpr: str | None = None,
    birth_date: date | None = None,
    overdue: bool = True,
    placement: bool = False,
) -> Case:
    """A case whose investigation began 10.01.2024: overdue by now unless `overdue` is False (then met)."""
    prefix = f"{municipality.code}-{ref}"

    def fact(number: int, type: str, day: date, attrs: Mapping[str, object] | None = None) -> EventInput:
        return event(
            f"{prefix}-{number}",
            type,
            day,
            case_id=ref,
            child_id=child_id or f"BARN-{ref}",
            unit=unit,
            attrs=attrs,
            caseworker=caseworker,
            group=group,
            cpr=cpr,
            birth_date=birth_date,
        )

    inputs = [fact(1, "need_noticed", date(2024, 1, 10))]
    if not overdue:
        inputs.append(fact(2, "investigation_completed", date(2024, 3, 1)))
    if placement:
        inputs.append(
            fact(3, "measure_decided", date(2024, 3, 5), attrs={"measure": "placement_with_consent"})
        )
    record(municipality, *inputs)
    return case_of(municipality, ref)


def make_staff(
    municipality: Municipality,
    role: str,
    unit: Unit | None = None,
    *,
    username: str,
    email: str = "",
    first_name: str = "",
    last_name: str = "",
) -> User:
    """A user with a name and an e-mail address and one role, made through the services."""
    user = user_create(
        municipality=municipality,
        username=username,
        first_name=first_name,
        last_name=last_name,
        email=email,
        password="hemmelig-kode-123",  # noqa: S106 - a test password
    )
    role_assign(user=user, role=role, unit=unit)
    return user


def recompute(municipality: Municipality, ref: str, as_of: date) -> None:
    """Recompute one case's obligations as of a chosen day (statuses judged at the end of that day)."""
    from sagstilsyn.cases.services.obligations import obligations_recompute

    obligations_recompute(case_ids=[case_of(municipality, ref).pk], as_of=as_of)
