"""Middleware of the deployment hardening (ADR 0017).

`NoStoreMiddleware`: no browser or proxy keeps a copy of what Sagstilsyn answers. Pages, exports and API
answers hold children's data, so every answer says `Cache-Control: no-store` and `Pragma: no-cache`,
whatever the view set, with one exception: an answer the view itself marked `Cache-Control: public`
(the Swagger page's fixed files), which holds no personal data by that decision. Static files are
served by the web server (or runserver's static handler) and never pass through here.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponseBase
from django.utils.cache import patch_cache_control

NO_STORE = "no-store"


def is_public(response: HttpResponseBase) -> bool:
    """The view marked the answer as public: the same for everyone, with no personal data in it."""
    directives = [part.strip().lower() for part in response.get("Cache-Control", "").split(",")]
    return "public" in directives


class NoStoreMiddleware:
    """`Cache-Control: no-store` and `Pragma: no-cache` on every answer that is not marked public."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        if not is_public(response):
            if "Cache-Control" in response:
                del response["Cache-Control"]
            patch_cache_control(response, no_store=True)
            response["Pragma"] = "no-cache"
        return response
