"""Whom an export is for (`export_scope_label`), as its title row names it."""

from __future__ import annotations

import pytest

from sagstilsyn.core.access import NO_SCOPE, user_scope
from sagstilsyn.core.models import Role
from sagstilsyn.core.selectors import export_scope_label
from tests.factories import make_municipality, make_unit, make_user

pytestmark = pytest.mark.django_db


def test_the_label_names_the_units_filtered_the_own_units_or_the_municipality() -> None:
    copenhagen = make_municipality()
    units = [make_unit(copenhagen, code) for code in ("BFE-A", "BFE-B", "BFE-C", "BFE-D")]
    make_unit(make_municipality("350", "Lejre Kommune"), "BFE-A")
    leader = make_user(copenhagen, Role.DEPARTMENT_LEADER, units[0], username="leder")
    lawyer = make_user(copenhagen, Role.CENTRAL_LAWYER, None, username="jurist")

    assert export_scope_label(user_scope(leader)) == "Enheden BFE-A"
    assert export_scope_label(user_scope(lawyer)) == "Københavns Kommune"
    assert export_scope_label(user_scope(lawyer), unit_ids=[units[1].pk]) == "Enheden BFE-B"
    assert (
        export_scope_label(user_scope(lawyer), unit_ids=[u.pk for u in units[:3]])
        == "Enheden BFE-A, Enheden BFE-B og Enheden BFE-C"
    )
    assert export_scope_label(user_scope(lawyer), unit_ids=[u.pk for u in units]) == (
        "4 enheder i Københavns Kommune"
    )
    assert export_scope_label(NO_SCOPE) == ""
