"""The site's 400 page (handler400): a refused query parameter's Danish message, else a general one."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import BadRequest, SuspiciousOperation
from django.test import Client, RequestFactory
from pytest_django.fixtures import Settings as SettingsWrapper

from sagstilsyn.core.models import Role
from sagstilsyn.core.query_params import BadQuery
from sagstilsyn.web.views import bad_request
from tests.factories import make_municipality, make_unit, make_user


def _page(exception: Exception) -> tuple[int, str]:
    request = RequestFactory().get("/frister/?uge=0001-W01")
    request.user = AnonymousUser()
    response = bad_request(request, exception)
    return response.status_code, response.content.decode()


def test_a_refused_query_parameter_is_named_in_danish() -> None:
    status, html = _page(BadQuery("Parameteren 'uge' i adressen ligger uden for årene 1900-2199."))
    assert status == 400
    assert "Adressen kan ikke bruges" in html
    assert "Parameteren &#x27;uge&#x27; i adressen ligger uden for årene 1900-2199." in html


def test_any_other_bad_request_gets_the_general_sentence_and_never_its_message() -> None:
    for exception in (BadRequest("intern detalje"), SuspiciousOperation("intern detalje")):
        status, html = _page(exception)
        assert status == 400
        assert "Siden kan ikke vises med denne adresse." in html
        assert "intern detalje" not in html


@pytest.mark.django_db
def test_a_refused_query_parameter_gets_the_danish_page_with_debug_on_too(
    client: Client, settings: SettingsWrapper
) -> None:
    """The demo runs with DEBUG on, where Django would show its technical page for a 400."""
    settings.DEBUG = True
    municipality = make_municipality()
    unit = make_unit(municipality)
    client.force_login(make_user(municipality, Role.DEPARTMENT_LEADER, unit=unit))
    response = client.get("/frister/?uge=0001-W01")
    assert response.status_code == 400
    html = response.content.decode()
    assert "Adressen kan ikke bruges" in html
    assert "Traceback" not in html
