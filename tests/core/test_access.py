"""The access predicates: role × own unit / other unit / other municipality."""

from __future__ import annotations

import pytest

from sagstilsyn.core.access import can_see_cpr, can_view_case, user_scope
from sagstilsyn.core.models import MUNICIPALITY_ROLES, Role
from tests.factories import make_municipality, make_unit, make_user
from tests.test_access_matrix import VISIBLE

pytestmark = pytest.mark.django_db

EXPECTED = VISIBLE


@pytest.mark.parametrize("role", list(Role))
def test_case_visibility_matrix(role: Role) -> None:
    copenhagen = make_municipality()
    own, other = make_unit(copenhagen, "BFE-NORD"), make_unit(copenhagen, "BFE-SYD")
    lejre = make_municipality("350", "Lejre Kommune")
    foreign = make_unit(lejre, "BFE-NORD")
    user = make_user(copenhagen, role, None if role in MUNICIPALITY_ROLES else own)
    scope = user_scope(user)
    seen = tuple(
        can_view_case(scope, municipality_id=unit.municipality_id, unit_id=unit.pk)
        for unit in (own, other, foreign)
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
