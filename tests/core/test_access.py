"""The access predicates: role × own unit / other unit / other municipality."""

from __future__ import annotations

import pytest

from sagstilsyn.core.access import (
    NO_SCOPE,
    Scope,
    can_see_all_units,
    can_see_cpr,
    can_view_case,
    can_view_deadlines,
    can_view_own_caseload,
    can_view_unit_overview,
    has_any_role,
    leads_units,
    receives_weekly_digest,
    user_scope,
)
from sagstilsyn.core.models import Role
from tests.factories import PLACES, VISIBLE, AccessWorld, make_municipality, make_unit, make_user

pytestmark = pytest.mark.django_db

EXPECTED = VISIBLE


@pytest.mark.parametrize("role", list(Role))
def test_case_visibility_matrix(access_world: AccessWorld, role: Role) -> None:
    scope = user_scope(access_world.users[role])
    seen = tuple(
        can_view_case(scope, municipality_id=unit.municipality_id, unit_id=unit.pk)
        for unit in (access_world.units[place] for place in PLACES)
    )
    assert seen == EXPECTED[role]


def test_user_without_roles_sees_nothing_and_cpr_is_masked_for_leaders() -> None:
    copenhagen = make_municipality()
    unit = make_unit(copenhagen)
    leader = make_user(copenhagen, Role.AREA_CHIEF, unit)
    worker = make_user(copenhagen, Role.CASEWORKER, unit)
    assert not can_see_cpr(user_scope(leader))
    assert can_see_cpr(user_scope(worker))
    assert not user_scope(None).sees_children


#: role: (own caseload, leads units, unit overview, sees all units, deadline lists, weekly mail)
PREDICATES: dict[str, tuple[bool, bool, bool, bool, bool, bool]] = {
    Role.CASEWORKER: (True, False, False, False, True, False),
    Role.COORDINATOR: (False, True, True, False, True, True),
    Role.DEPARTMENT_LEADER: (False, True, True, False, True, True),
    Role.AREA_CHIEF: (False, True, True, False, True, True),
    Role.AREA_LAWYER: (False, True, True, False, True, True),
    Role.CENTRE_LAWYER: (False, True, True, True, True, True),
    Role.CENTRAL_LAWYER: (False, True, True, True, True, True),
    Role.ADMINISTRATOR: (False, True, True, True, True, False),  # no leader mail unless they lead (ADR 0020)
    Role.COMMITTEE_MEMBER: (False, False, False, False, False, False),
    Role.DATA_PROTECTION_OFFICER: (False, False, False, False, False, False),
    Role.EXTERNAL_REVIEWER: (False, False, False, False, False, False),
}


def _answers(scope: Scope) -> tuple[bool, ...]:
    return (
        can_view_own_caseload(scope),
        leads_units(scope),
        can_view_unit_overview(scope),
        can_see_all_units(scope),
        can_view_deadlines(scope),
        receives_weekly_digest(scope),
    )


@pytest.mark.parametrize("role", list(Role))
def test_named_predicates_per_role(access_world: AccessWorld, role: Role) -> None:
    user = access_world.users[role]
    assert _answers(user_scope(user)) == PREDICATES[role]
    assert has_any_role(user_scope(user))


def test_no_roles_no_answers() -> None:
    assert _answers(NO_SCOPE) == (False,) * 6
    assert not has_any_role(NO_SCOPE)
