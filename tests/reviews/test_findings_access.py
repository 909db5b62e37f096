"""Who may do what with a finding's case repair and a unit's action plans (core/access.py predicates,
ADR 0031): report done (owner or line leader of the unit), sign off (line leader or områdejurist of the
unit, centre and central lawyers), comment (the case's caseworker or a line leader), plan (line leaders)."""

from __future__ import annotations

import pytest

from sagstilsyn.core.access import (
    Scope,
    can_comment_finding,
    can_mark_repair_done,
    can_plan_actions,
    can_plan_any_actions,
    can_sign_off_repair,
    can_view_findings,
    can_view_own_findings,
    user_scope,
)
from sagstilsyn.core.models import Role, Unit
from tests.factories import make_staff
from tests.reviews.worlds import supervision_world, user

pytestmark = pytest.mark.django_db


def test_the_repair_predicates_follow_the_unit_and_the_role() -> None:
    municipality = supervision_world()
    north = Unit.objects.get(municipality=municipality, code="BFE-NORD")
    make_staff(municipality, Role.AREA_LAWYER, north, username="omraadejurist-nord")
    where = {"municipality_id": municipality.pk, "unit_id": north.pk}
    owner = user("sb-1")

    def scope(username: str) -> Scope:
        return user_scope(user(username))

    assert can_mark_repair_done(scope("sb-1"), **where, owner_id=owner.pk)
    assert not can_mark_repair_done(scope("sb-2"), **where, owner_id=owner.pk), "another caseworker"
    assert can_mark_repair_done(scope("chef-nord"), **where, owner_id=owner.pk)
    assert not can_mark_repair_done(scope("koord-syd"), **where, owner_id=owner.pk)
    for signer in ("koord-nord", "chef-nord", "omraadejurist-nord", "jurist-a", "central-a"):
        assert can_sign_off_repair(scope(signer), **where), signer
    for outsider in ("sb-1", "koord-syd", "chef-dv"):
        assert not can_sign_off_repair(scope(outsider), **where), outsider
    assert can_comment_finding(scope("sb-2"), **where, caseworker_id=user("sb-2").pk)
    assert not can_comment_finding(scope("sb-2"), **where, caseworker_id=owner.pk)
    assert can_plan_actions(scope("koord-nord"), **where)
    assert not can_plan_actions(scope("omraadejurist-nord"), **where)
    assert not can_plan_any_actions(scope("jurist-a"))
    assert can_view_findings(scope("jurist-a"))
    assert not can_view_findings(scope("sb-1"))
    assert can_view_own_findings(scope("sb-1"))
    assert not can_view_own_findings(scope("koord-nord"))
