"""NoStoreMiddleware (ADR 0017): every answer says no-store, whatever the view set, unless the view
marked it public. The access matrix (tests/test_access_matrix_urls.py) checks it on every URL."""

from __future__ import annotations

from django.http import HttpResponse
from django.test import RequestFactory

from sagstilsyn.core.middleware import NoStoreMiddleware


def _through(response: HttpResponse) -> HttpResponse:
    answer = NoStoreMiddleware(lambda request: response)(RequestFactory().get("/"))
    assert isinstance(answer, HttpResponse)
    return answer


def test_an_answer_gets_no_store_and_no_cache() -> None:
    answer = _through(HttpResponse("barnets sag"))
    assert answer["Cache-Control"] == "no-store"
    assert answer["Pragma"] == "no-cache"


def test_a_view_cannot_let_a_private_answer_be_kept() -> None:
    response = HttpResponse("eksport")
    response["Cache-Control"] = "private, max-age=3600"
    answer = _through(response)
    assert answer["Cache-Control"] == "no-store"


def test_an_answer_marked_public_is_kept() -> None:
    response = HttpResponse("swagger-ui.css")
    response["Cache-Control"] = "public, max-age=86400"
    answer = _through(response)
    assert answer["Cache-Control"] == "public, max-age=86400"
    assert "Pragma" not in answer
