"""Single sign-on (log ind med kommunens login) by OpenID Connect's code flow, through mozilla-django-oidc.

The identity provider says who the user is; Sagstilsyn says what they may do. The user name claim
(`SAGSTILSYN_OIDC_USERNAME_CLAIM`, default `preferred_username`) is matched to an active user of the
staff register (User, with their RoleAssignments); a user is never created from a token, and no role or
unit is read from it. The ID token must come from the configured issuer and name our client as its
audience. The second factor is the identity provider's (ADR 0016).

The backend stays in AUTHENTICATION_BACKENDS when single sign-on is off (so sessions it began stay
readable) and then authenticates nobody.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY
from django.core.exceptions import SuspiciousOperation
from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from sagstilsyn.core.login.services import sso_refusal_record
from sagstilsyn.core.models import User

#: The dotted path Django stores in a session begun by single sign-on.
SSO_BACKEND = "sagstilsyn.core.login.sso.SsoBackend"
#: The request attribute where the backend leaves why a log-in was refused, for the Danish page.
REFUSAL_ATTRIBUTE = "sagstilsyn_sso_refusal"
UNKNOWN_USER = "unknown_user"
NO_USERNAME = "no_username"
WRONG_TOKEN = "wrong_token"  # noqa: S105 - a reason, not a secret


def sso_enabled() -> bool:
    """Single sign-on is configured (SAGSTILSYN_OIDC_CLIENT_ID and the endpoints, settings.py)."""
    return bool(settings.OIDC_RP_CLIENT_ID)


def signed_in_by_sso(request: HttpRequest) -> bool:
    """The session was begun by single sign-on (not by a password)."""
    return bool(request.session.get(BACKEND_SESSION_KEY) == SSO_BACKEND)


def axes_passes_sso(request: HttpRequest, credentials: dict[str, Any] | None) -> bool:
    """django-axes' whitelist (AXES_WHITELIST_CALLABLE): the return from the identity provider is not a
    password log-in, so axes neither counts nor refuses it; the provider throttles its own log-in."""
    return request.path_info == reverse("core:sso_callback")


def _refuse(request: HttpRequest | None, reason: str, username: str = "") -> None:
    if request is not None:
        setattr(request, REFUSAL_ATTRIBUTE, reason)
    sso_refusal_record(username=username, reason=reason)


class SsoBackend(OIDCAuthenticationBackend):  # type: ignore[misc]  # mozilla-django-oidc is untyped
    """mozilla-django-oidc's backend, matching users by user name and never creating one."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.UserModel = User
        if sso_enabled():
            super().__init__(*args, **kwargs)

    def authenticate(self, request: HttpRequest | None, **kwargs: Any) -> User | None:
        if not sso_enabled() or request is None or request.path_info != reverse("core:sso_callback"):
            return None  # a password log-in, or a code and state sent anywhere but our return page
        user: User | None = super().authenticate(request, **kwargs)
        return user

    def verify_claims(self, claims: dict[str, Any]) -> bool:
        return True  # the user name claim is checked in get_or_create_user

    def get_or_create_user(self, access_token: str, id_token: str, payload: dict[str, Any]) -> User | None:
        """The active user whose user name the provider sent; the ID token (`payload`, verified by its
        signature) must come from our issuer, to our client. Anyone else is refused and audited."""
        audience = payload.get("aud")
        audiences = audience if isinstance(audience, list) else [audience]
        if (
            payload.get("iss") != settings.SAGSTILSYN_OIDC_ISSUER
            or settings.OIDC_RP_CLIENT_ID not in audiences
        ):
            _refuse(self.request, WRONG_TOKEN)
            raise SuspiciousOperation("ID-token fra forkert udsteder eller til en anden klient")
        claims = {**self.get_userinfo(access_token, id_token, payload), **payload}
        username = str(claims.get(settings.SAGSTILSYN_OIDC_USERNAME_CLAIM) or "").strip()
        if not username:
            _refuse(self.request, NO_USERNAME)
            return None
        users = list(self.filter_users_by_username(username))
        if len(users) != 1:
            _refuse(self.request, UNKNOWN_USER, username)
            return None
        return users[0]

    def filter_users_by_username(self, username: str) -> QuerySet[User]:
        """Active users of the staff register with this user name (case does not matter)."""
        return User.objects.filter(username__iexact=username, is_active=True)

    def filter_users_by_claims(self, claims: dict[str, Any]) -> QuerySet[User]:
        username = str(claims.get(settings.SAGSTILSYN_OIDC_USERNAME_CLAIM) or "").strip()
        return self.filter_users_by_username(username) if username else User.objects.none()

    def create_user(self, claims: dict[str, Any]) -> User:
        raise SuspiciousOperation("Sagstilsyn opretter ikke brugere ved log-ind")

    def get_user(self, user_id: int) -> User | None:
        return User.objects.filter(pk=user_id, is_active=True).first()
