"""Factories: test data made through the services, never through fixtures or raw model saves."""

from __future__ import annotations

import itertools
import time
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime

from django.test import Client
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from sagstilsyn.api.models import ApiClient
from sagstilsyn.api.services import api_client_create
from sagstilsyn.cases.models import Case
from sagstilsyn.cases.services.event_inputs import EventInput, EventsResult
from sagstilsyn.cases.services.events import events_record
from sagstilsyn.cases.services.obligations import obligations_recompute
from sagstilsyn.core.login.services import OtpOutcome, otp_code_check, otp_enrolment_start
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


def totp_code(device: TOTPDevice) -> str:
    """The code the user's code app shows now, or the next one when the current one was used already
    (a code counts once; the device also takes the next step's code)."""
    device.refresh_from_db()
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    step = max(totp.t(), device.last_t + 1)
    totp.time = device.t0 + step * device.step
    return f"{totp.token():0{device.digits}d}"


def make_code_app(user: User) -> TOTPDevice:
    """A code app set up and confirmed for `user`, through the services (as the code page does)."""
    device = otp_enrolment_start(user=user)
    check = otp_code_check(user=user, device=device, code=totp_code(device))
    assert check.outcome is OtpOutcome.VERIFIED
    return check.device


def log_in_with_code(client: Client, user: User) -> None:
    """Log `user` in and give the code of their code app on the code page (set up first if needed): a
    session verified by the second factor."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first() or make_code_app(user)
    client.force_login(user)
    response = client.post(reverse("core:otp"), {"code": totp_code(device)})
    assert response.status_code == 302, response.content.decode()


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
    child_name: str = "",
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
            child_name=child_name,
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
    obligations_recompute(case_ids=[case_of(municipality, ref).pk], as_of=as_of)


# --- The access world: own unit / other unit / other municipality, a user of each role ----------------

#: role: may open the case of (own unit, other unit in the municipality, other municipality)
VISIBLE: dict[str, tuple[bool, bool, bool]] = {
    Role.CASEWORKER: (True, False, False),
    Role.COORDINATOR: (True, False, False),
    Role.DEPARTMENT_LEADER: (True, False, False),
    Role.AREA_CHIEF: (True, False, False),
    Role.AREA_LAWYER: (True, False, False),
    Role.CENTRE_LAWYER: (True, True, False),
    Role.CENTRAL_LAWYER: (True, True, False),
    Role.ADMINISTRATOR: (True, True, False),
    Role.COMMITTEE_MEMBER: (False, False, False),
    Role.DATA_PROTECTION_OFFICER: (False, False, False),
    Role.EXTERNAL_REVIEWER: (False, False, False),
}
#: Roles that never open a child's case (udvalgsmedlem, databeskyttelsesrådgiver): 403 on the case pages.
NO_CASES: tuple[str, ...] = (Role.COMMITTEE_MEMBER, Role.DATA_PROTECTION_OFFICER, Role.EXTERNAL_REVIEWER)
#: role: whom its exports are for, as their title row names it (`export_scope_label`)
SCOPE_LABELS: dict[str, str] = {
    role: "Københavns Kommune" if VISIBLE[role][1] else "Enheden BFE-NORD" for role in VISIBLE
}
PLACES = ("own", "other", "foreign")
REFS = {"own": "SAG-EGEN", "other": "SAG-ANDEN", "foreign": "SAG-FREMMED"}
CPRS = {"own": "0102181234", "other": "0203185678", "foreign": "0304189012"}
#: The children's (fictitious) names: shown only where the case may be opened, never in an aggregate.
CHILD_NAMES = {"own": "Ida Egensen", "other": "Alfred Andersby", "foreign": "Vigga Fremmedgaard"}


def cpr_forms(digits: str) -> tuple[str, ...]:
    """Every way a CPR number (or its masked form) could be written: digits, with a dash, masked."""
    return (digits, f"{digits[:6]}-{digits[6:]}", f"{digits[:6]}-XXXX")


@dataclass(frozen=True)
class AccessWorld:
    """Copenhagen (own unit BFE-NORD, other unit BFE-SYD), Lejre (a unit BFE-NORD too), a user of each
    role in Copenhagen and one case in each place (`PLACES`)."""

    copenhagen: Municipality
    lejre: Municipality
    units: dict[str, Unit]
    users: dict[str, User]
    cases: dict[str, Case]


def make_access_world(*, placement: bool = True) -> AccessWorld:
    """Build the access world through the services. Users are `matrix-<role>`; unit roles hold the own
    unit; the own case is handled by the caseworker; with `placement` each case has a placement (so the
    oversigtsskema applies)."""
    copenhagen = make_municipality()
    lejre = make_municipality("350", "Lejre Kommune")
    units = {
        "own": make_unit(copenhagen, "BFE-NORD"),
        "other": make_unit(copenhagen, "BFE-SYD"),
        "foreign": make_unit(lejre, "BFE-NORD"),
    }
    users: dict[str, User] = {
        role: make_user(
            copenhagen, role, None if role in MUNICIPALITY_ROLES else units["own"], username=f"matrix-{role}"
        )
        for role in Role
    }
    cases = {
        place: make_case(
            unit.municipality,
            REFS[place],
            unit=unit.code,
            cpr=CPRS[place],
            child_name=CHILD_NAMES[place],
            birth_date=date(2018, int(CPRS[place][2:4]), int(CPRS[place][:2])),
            caseworker=users[Role.CASEWORKER].username if place == "own" else "",
            placement=placement,
        )
        for place, unit in units.items()
    }
    return AccessWorld(copenhagen=copenhagen, lejre=lejre, units=units, users=users, cases=cases)
