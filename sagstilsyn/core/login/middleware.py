"""The second factor before any page: a user who logged in locally (with a password) and needs a code
(`needs_second_factor`, or who has set up a code app of their own accord) is sent to the code page until
the session is verified. Single sign-on sessions are not asked (their identity provider does it)."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import Resolver404, resolve, reverse
from django_otp import user_has_device

from sagstilsyn.core.access import needs_second_factor, user_scope
from sagstilsyn.core.login.sso import signed_in_by_sso

#: Pages open before the code: the code page itself and log-out.
OPEN_BEFORE_CODE = frozenset({"core:otp", "core:logout"})
#: The case systems' API answers to its keys only; a browser session changes nothing there.
API_PREFIX = "/api/"


def _open_before_code(request: HttpRequest) -> bool:
    if request.path_info.startswith(API_PREFIX):
        return True
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return False
    return match.view_name in OPEN_BEFORE_CODE


def second_factor_pending(request: HttpRequest) -> bool:
    """The session is logged in locally, not yet verified by a code, and must be before any page."""
    user = request.user
    if not settings.SAGSTILSYN_OTP_REQUIRED or not user.is_authenticated:
        return False
    if signed_in_by_sso(request) or user.is_verified():  # type: ignore[attr-defined]  # set by OTPMiddleware
        return False
    return needs_second_factor(user_scope(user)) or user_has_device(user, confirmed=True)


class SecondFactorMiddleware:
    """After django-otp's OTPMiddleware: redirects a session whose code is pending to the code page."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if second_factor_pending(request) and not _open_before_code(request):
            query = urlencode({"next": request.get_full_path()}) if request.method == "GET" else ""
            return HttpResponseRedirect(reverse("core:otp") + (f"?{query}" if query else ""))
        return self.get_response(request)
