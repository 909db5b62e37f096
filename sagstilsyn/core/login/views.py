"""The log-in pages beyond the password: the code page (set up a code app, or give its code), single
sign-on's start and return, and log-out (ending the identity provider's session too, when it has one)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

import django_otp
from django.conf import settings
from django.contrib.auth import logout as auth_logout
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from sagstilsyn.core.cpr import contains_cpr
from sagstilsyn.core.login.selectors import (
    otp_device_confirmed,
    otp_manual_key,
    otp_qr_svg,
)
from sagstilsyn.core.login.services import OtpOutcome, otp_code_check, otp_enrolment_start
from sagstilsyn.core.login.sso import REFUSAL_ATTRIBUTE, UNKNOWN_USER, signed_in_by_sso, sso_enabled
from sagstilsyn.core.models import User

CODE_LENGTH = 6


def _next_url(request: HttpRequest) -> str:
    """Where to go after the code: `next` when it is one of ours (and holds no CPR number, which would be
    shown back and sent on), else the start page."""
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if (
        candidate
        and not contains_cpr(candidate)
        and url_has_allowed_host_and_scheme(
            candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
    ):
        return candidate
    return reverse(settings.LOGIN_REDIRECT_URL)


def _code_error(code: str) -> str:
    if not code:
        return "Skriv koden fra din kodeapp: 6 cifre."
    if len(code) != CODE_LENGTH or not code.isdigit():
        return "Koden skal være 6 cifre, uden bogstaver."
    return ""


@login_required
@require_http_methods(["GET", "POST"])
def otp_page(request: HttpRequest) -> HttpResponse:
    """Tofaktor-log-ind: with a code app set up, ask for its code; without one, set one up (a QR code and
    the key by hand) and confirm it with a first code. Single sign-on sessions have nothing to do here."""
    user = request.user
    assert isinstance(user, User)  # noqa: S101 - login_required
    if signed_in_by_sso(request) or user.is_verified():  # type: ignore[attr-defined]  # OTPMiddleware
        return HttpResponseRedirect(_next_url(request))
    device = otp_device_confirmed(user=user)
    enrolling = device is None
    if device is None:
        device = otp_enrolment_start(user=user)
    context: dict[str, Any] = {"enrolling": enrolling, "next": _next_url(request), "error": ""}
    status = 200
    if request.method == "POST":
        code = request.POST.get("code", "").replace(" ", "").strip()
        context["error"] = _code_error(code)
        if not context["error"]:
            check = otp_code_check(user=user, device=device, code=code)
            if check.outcome is OtpOutcome.VERIFIED:
                django_otp.login(request, check.device)
                return HttpResponseRedirect(_next_url(request))
            if check.outcome is OtpOutcome.THROTTLED:
                context["error"] = (
                    "For mange forkerte koder i træk. Af hensyn til sikkerheden kan du først prøve igen om "
                    f"{check.wait_seconds} sekunder."
                )
                status = 429
            else:
                context["error"] = "Koden er forkert eller udløbet. Skriv den kode, appen viser nu."
    if enrolling:
        context["qr_svg"] = otp_qr_svg(device=device)
        context["manual_key"] = otp_manual_key(device=device)
    return render(request, "core/otp.html", context, status=status)


def sso_start(request: HttpRequest) -> HttpResponse:
    """Log ind med kommunens login: off to the identity provider (404 when single sign-on is off)."""
    if not sso_enabled():
        raise Http404("Log-ind med kommunens login er ikke sat op.")
    response: HttpResponse = OIDCAuthenticationRequestView.as_view()(request)
    return response


class _SsoCallback(OIDCAuthenticationCallbackView):  # type: ignore[misc]  # mozilla-django-oidc is untyped
    def login_failure(self) -> HttpResponse:
        """A Danish page, never a user created: the user name is not an active user of Sagstilsyn, or
        the identity provider did not log the user in."""
        reason = getattr(self.request, REFUSAL_ATTRIBUTE, "")
        return render(
            self.request, "core/sso_refused.html", {"unknown_user": reason == UNKNOWN_USER}, status=403
        )


def sso_callback(request: HttpRequest) -> HttpResponse:
    """The identity provider's return with a code: exchanged for the tokens, the user found by user name."""
    if not sso_enabled():
        raise Http404("Log-ind med kommunens login er ikke sat op.")
    response: HttpResponse = _SsoCallback.as_view()(request)
    return response


@require_POST
def logout(request: HttpRequest) -> HttpResponse:
    """Log ud: ends the session; after single sign-on also the identity provider's, when its log-out
    address (SAGSTILSYN_OIDC_END_SESSION_ENDPOINT) is set."""
    end_session = settings.SAGSTILSYN_OIDC_END_SESSION_ENDPOINT if signed_in_by_sso(request) else ""
    id_token = request.session.get("oidc_id_token", "")
    auth_logout(request)
    if end_session:
        query = {
            "client_id": settings.OIDC_RP_CLIENT_ID,
            "post_logout_redirect_uri": request.build_absolute_uri(reverse(settings.LOGOUT_REDIRECT_URL)),
        }
        if id_token:
            query["id_token_hint"] = id_token
        return HttpResponseRedirect(f"{end_session}?{urlencode(query)}")
    return redirect(settings.LOGOUT_REDIRECT_URL)
