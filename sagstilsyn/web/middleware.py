"""The site's own middleware: a refused query parameter (`BadQuery`) always gets the Danish 400 page.

Django shows its technical error page for a 400 when DEBUG is on, and the demo runs with DEBUG on; a
user who follows a crafted or stale link should read what is wrong in Danish there too.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from sagstilsyn.core.query_params import BadQuery
from sagstilsyn.web.views import bad_request


class BadQueryMiddleware:
    """Turns a `BadQuery` raised by a view into the Danish 400 page, whatever DEBUG says."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, BadQuery):
            return bad_request(request, exception)
        return None
