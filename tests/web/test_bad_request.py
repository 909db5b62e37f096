"""The site's 400 page (handler400): a refused query parameter's Danish message, else a general one."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import BadRequest, SuspiciousOperation
from django.test import RequestFactory

from sagstilsyn.core.query_params import BadQuery
from sagstilsyn.web.views import bad_request


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
