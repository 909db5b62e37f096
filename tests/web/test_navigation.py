"""The main menu the site shell composes from the apps below it: who sees which entry, and which entry
is marked as the current page."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from sagstilsyn.core.models import Role, User
from sagstilsyn.web.navigation import menu_for
from tests.factories import make_municipality, make_unit, make_user

pytestmark = pytest.mark.django_db


def _labels(user: User | AnonymousUser | None, path: str = "/") -> list[str]:
    return [link.label for link in menu_for(user, path=path)]


def test_before_log_in_the_menu_holds_only_the_start_page() -> None:
    assert _labels(AnonymousUser()) == ["Forside"]
    assert _labels(None) == ["Forside"]


def test_each_role_sees_the_pages_its_access_predicates_allow() -> None:
    municipality = make_municipality()
    make_unit(municipality)
    caseworker = make_user(municipality, Role.CASEWORKER, username="bent")
    administrator = make_user(municipality, Role.ADMINISTRATOR, username="admin")
    member = make_user(municipality, Role.COMMITTEE_MEMBER, username="udvalg")

    assert _labels(caseworker) == ["Forside", "Sager", "Ugens frister", "Mine fund", "Regelkatalog"]
    assert _labels(administrator) == [
        "Forside",
        "Sager",
        "Ugens frister",
        "Tilsyn",
        "Fund",
        "Udvalgsrapport",
        "Indlæs",
        "Administration",
        "Planlagte job",
        "Regelkatalog",
    ]
    assert _labels(member) == ["Forside", "Udvalgsrapport", "Regelkatalog"]


@pytest.mark.parametrize(
    ("path", "active"),
    [
        ("/", "Forside"),
        ("/sager/12/", "Sager"),
        ("/frister/", "Ugens frister"),
        ("/tilsyn/start/", "Tilsyn"),
        ("/regler/frist-x/", "Regelkatalog"),
        ("/log-ind/", None),
    ],
)
def test_the_current_page_is_marked_and_the_start_page_only_on_itself(path: str, active: str | None) -> None:
    administrator = make_user(make_municipality(), Role.ADMINISTRATOR, username="admin")
    marked = [link.label for link in menu_for(administrator, path=path) if link.active]
    assert marked == ([active] if active else [])
