"""Crafted query parameters on the case list and the follow-up pages (and their Excel downloads): a
value no link makes is a 400 with a Danish message naming the parameter, never a 500; a typing mistake
is still ignored. One case per parameter."""

from __future__ import annotations

from datetime import date
from html import unescape
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from pytest_django import DjangoDbBlocker

from sagstilsyn.core.models import Role, User
from tests.factories import event, make_municipality, make_unit, make_user, record

pytestmark = pytest.mark.django_db

HUGE = "99999999999999999999999"
PAGES = ("cases:case_list", "cases:case_list_xlsx")
FOLLOWUP = ("cases:followup", "cases:followup_xlsx")


@pytest.fixture(scope="module")
def lawyer(module_db: DjangoDbBlocker) -> User:
    with module_db.unblock():
        municipality = make_municipality()
        make_unit(municipality, "BFE-NORD")
        record(municipality, event("1", "need_noticed", date(2024, 1, 2), case_id="SAG-1", child_id="C1"))
        return make_user(municipality, Role.CENTRE_LAWYER, username="jurist")


def _get(user: User, name: str, params: dict[str, str]) -> Any:
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client.get(reverse(name), params)


@pytest.mark.parametrize("name", PAGES)
@pytest.mark.parametrize(
    ("param", "value"),
    [("unit", HUGE), ("caseworker", HUGE), ("unit", "1\x00"), ("q", "SAG\x00"), ("q", "\u202eSAG"),
     ("caseworker", "1\x0b")],
)  # fmt: skip
def test_the_case_list_refuses_crafted_parameters_with_400(
    lawyer: User, name: str, param: str, value: str
) -> None:
    response = _get(lawyer, name, {param: value})
    assert response.status_code == 400
    if name == "cases:case_list":
        text = unescape(response.content.decode())
        assert f"Parameteren '{param}'" in text
        assert value not in text


@pytest.mark.parametrize("name", FOLLOWUP)
@pytest.mark.parametrize(
    ("param", "value"),
    [("uge", "0001-W01"), ("uge", "9999-W53"), ("uge", "9999-W52"), ("uge", "2024-W60"),
     ("uge", "0001-01-01"), ("uge", "2024-02-30"), ("uge", "2024-W01\x00"),
     ("enhed", HUGE), ("sagsbehandler", HUGE),
     ("gruppe", "children\x00")],
)  # fmt: skip
def test_the_followup_refuses_crafted_parameters_with_400(
    lawyer: User, name: str, param: str, value: str
) -> None:
    response = _get(lawyer, name, {param: value})
    expected = 200 if param == "gruppe" else 400  # an unknown group is ignored, as it always was
    assert response.status_code == expected
    if name == "cases:followup" and expected == 400:
        text = unescape(response.content.decode())
        assert f"Parameteren '{param}'" in text
        assert "Adressen kan ikke bruges" in text


@pytest.mark.parametrize(
    ("name", "params"),
    [("cases:case_list", {"unit": "abc", "caseworker": "-1", "side": HUGE}),
     ("cases:case_list", {"side": "x\x00", "status": "\x00", "sort": "\x0b", "group": "\u202e"}),
     ("cases:followup", {"uge": "rubbish", "enhed": "abc", "sagsbehandler": "²"}),
     ("cases:followup", {"uge": "2024-W09"})],
)  # fmt: skip
def test_typing_mistakes_are_still_ignored(lawyer: User, name: str, params: dict[str, str]) -> None:
    assert _get(lawyer, name, params).status_code == 200
