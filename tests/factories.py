"""Factories: test data made through the services, never through fixtures or raw model saves."""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from datetime import date, datetime

from sagstilsyn.cases.models import Case
from sagstilsyn.cases.services.events import EventInput, EventsResult, events_record
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
