"""Single sign-on (log ind med kommunens login) against a local OpenID Connect provider, driven through
the whole code flow: our start page sends the browser to the provider, the provider sends it back with
a code, and our return page exchanges the code for the tokens (over HTTP, to 127.0.0.1), checks the ID
token's signature against the provider's keys, and finds the user by user name in the staff register.
(Issue 11, point 3; ADR 0016; docs/sso.md.)"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.core.exceptions import ImproperlyConfigured
from django.test import Client
from django.urls import reverse
from pytest_django.fixtures import Settings as SettingsWrapper

from sagstilsyn.core.access import can_import, can_list_cases, user_scope
from sagstilsyn.core.models import AuditEvent, Role, User
from sagstilsyn.core.services.organisation import user_create
from tests.core.oidc_provider import CLIENT_ID, CLIENT_SECRET, Provider, running_provider
from tests.factories import make_municipality, make_unit, make_user

pytestmark = pytest.mark.django_db

START = "/log-ind/kommunens-login/"


@pytest.fixture
def provider(settings: SettingsWrapper, monkeypatch: pytest.MonkeyPatch) -> Iterator[Provider]:
    """The local provider, and Sagstilsyn's settings pointing at it (as the SAGSTILSYN_OIDC_* variables
    would)."""
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    with running_provider() as running:
        settings.OIDC_RP_CLIENT_ID = CLIENT_ID
        settings.OIDC_RP_CLIENT_SECRET = CLIENT_SECRET
        settings.SAGSTILSYN_OIDC_ISSUER = running.issuer
        settings.OIDC_OP_AUTHORIZATION_ENDPOINT = running.endpoint("authorize")
        settings.OIDC_OP_TOKEN_ENDPOINT = running.endpoint("token")
        settings.OIDC_OP_USER_ENDPOINT = running.endpoint("userinfo")
        settings.OIDC_OP_JWKS_ENDPOINT = running.endpoint("jwks")
        settings.SAGSTILSYN_OIDC_END_SESSION_ENDPOINT = running.endpoint("logout")
        yield running


def _staff() -> dict[str, User]:
    """The staff register: a caseworker, an administrator and a deactivated caseworker."""
    municipality = make_municipality()
    unit = make_unit(municipality)
    users = {
        "caseworker": make_user(municipality, Role.CASEWORKER, unit, username="sara.sagsbehandler"),
        "administrator": make_user(municipality, Role.ADMINISTRATOR, username="anders.admin", password=None),
        "gone": make_user(municipality, Role.CASEWORKER, unit, username="fratraadt"),
    }
    users["gone"].is_active = False
    users["gone"].save(update_fields=["is_active"])
    return users


def _sign_in(client: Client, provider: Provider, username: str, next_page: str = "") -> int:
    """Drive the code flow as a browser would; returns the status of our return page."""
    start = client.get(START + (f"?next={next_page}" if next_page else ""))
    assert start.status_code == 302
    authorize = start["Location"]
    assert authorize.startswith(provider.endpoint("authorize"))
    query = parse_qs(urlsplit(authorize).query)
    assert query["code_challenge_method"] == ["S256"]  # PKCE
    provider.username = username
    back = requests.get(authorize, allow_redirects=False, timeout=10)  # the browser at the provider
    assert back.status_code == 302
    returned = urlsplit(back.headers["Location"])
    assert returned.path == reverse("core:sso_callback")
    response = client.get(f"{returned.path}?{returned.query}")
    return response.status_code


def _session_user(client: Client) -> int | None:
    value = client.session.get(SESSION_KEY)
    return int(value) if value is not None else None


def test_a_user_in_the_staff_register_is_logged_in_with_our_roles(provider: Provider) -> None:
    users = _staff()
    client = Client()
    assert _sign_in(client, provider, "anders.admin") == 302
    assert _session_user(client) == users["administrator"].pk
    assert provider.token_calls == 1
    assert client.get("/job/").status_code == 200  # the administrator's page
    assert can_import(user_scope(users["administrator"]))


def test_roles_come_from_the_staff_register_never_from_the_token(provider: Provider) -> None:
    users = _staff()
    provider.extra_claims = {"roles": ["administrator"], "groups": ["administrator"]}
    client = Client()
    assert _sign_in(client, provider, "sara.sagsbehandler") == 302
    assert _session_user(client) == users["caseworker"].pk
    assert client.get("/job/").status_code == 403  # a caseworker, whatever the token says
    scope = user_scope(users["caseworker"])
    assert can_list_cases(scope)
    assert not can_import(scope)


def test_the_user_name_is_matched_without_regard_to_case(provider: Provider) -> None:
    users = _staff()
    client = Client()
    assert _sign_in(client, provider, "Sara.Sagsbehandler") == 302
    assert _session_user(client) == users["caseworker"].pk


@pytest.mark.parametrize("username", ["ukendt.person", "fratraadt"])
def test_an_unknown_or_deactivated_user_is_refused_in_danish_and_never_created(
    provider: Provider, username: str
) -> None:
    _staff()
    before = User.objects.count()
    client = Client()
    start = client.get(START)
    provider.username = username
    back = urlsplit(requests.get(start["Location"], allow_redirects=False, timeout=10).headers["Location"])
    response = client.get(f"{back.path}?{back.query}")
    assert response.status_code == 403
    page = response.content.decode()
    assert "Du er ikke oprettet som aktiv bruger i Sagstilsyn" in page
    assert "Kontakt din administrator" in page
    assert _session_user(client) is None
    assert User.objects.count() == before
    refusal = AuditEvent.objects.get(action="login.sso_refused")
    assert refusal.target_label == username
    assert refusal.after == {"reason": "unknown_user"}


def test_refusals_do_not_lock_out_single_sign_on_for_others_at_the_same_address(provider: Provider) -> None:
    """django-axes counts password log-ins only: refused users of the identity provider (no user name)
    would otherwise lock out everyone behind the municipality's address after five."""
    _staff()
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT + 1):
        assert _sign_in(client, provider, "ukendt.person") == 403
    assert _sign_in(client, provider, "anders.admin") == 302


def test_a_token_for_another_client_is_refused(provider: Provider) -> None:
    _staff()
    provider.audience = "en-anden-klient"
    client = Client()
    assert _sign_in(client, provider, "anders.admin") == 403
    assert _session_user(client) is None
    assert AuditEvent.objects.get(action="login.sso_refused").after == {"reason": "wrong_token"}


@pytest.mark.usefixtures("otp_required")
def test_single_sign_on_leaves_the_second_factor_to_the_identity_provider(provider: Provider) -> None:
    _staff()
    client = Client()
    assert _sign_in(client, provider, "anders.admin", next_page="/job/") == 302
    assert client.get("/job/").status_code == 200  # no code page for an administrator


def test_log_out_ends_the_session_and_the_identity_providers(provider: Provider) -> None:
    _staff()
    client = Client()
    _sign_in(client, provider, "anders.admin")
    response = client.post(reverse("core:logout"))
    assert response.status_code == 302
    location = urlsplit(response["Location"])
    assert f"{location.scheme}://{location.netloc}{location.path}" == provider.endpoint("logout")
    query = parse_qs(location.query)
    assert query["post_logout_redirect_uri"] == ["http://testserver/log-ind/"]
    assert query["id_token_hint"]
    assert _session_user(client) is None


def test_a_password_log_out_stays_here(provider: Provider) -> None:
    users = _staff()
    client = Client()
    client.force_login(users["caseworker"])
    response = client.post(reverse("core:logout"))
    assert response["Location"] == "/log-ind/"


def test_the_log_in_page_offers_the_municipalitys_log_in_and_keeps_the_password(provider: Provider) -> None:
    page = Client().get(reverse("core:login")).content.decode()
    assert "Log ind med kommunens login" in page
    assert 'name="password"' in page


def test_without_single_sign_on_its_pages_are_not_found_and_the_log_in_page_has_no_button() -> None:
    client = Client()
    assert client.get(START).status_code == 404
    assert client.get(reverse("core:sso_callback")).status_code == 404
    assert "kommunens login" not in client.get(reverse("core:login")).content.decode()


def test_a_user_made_without_a_password_cannot_log_in_with_one() -> None:
    """Imported staff have no password (data contract §0b): only single sign-on lets them in."""
    municipality = make_municipality()
    user_create(municipality=municipality, username="uden.kode")
    response = Client().post(
        reverse("core:login"), {"username": "uden.kode", "password": "et-gaet-paa-en-kode"}
    )
    assert response.status_code == 200


def test_a_password_log_in_with_a_code_in_its_address_does_not_reach_the_provider(provider: Provider) -> None:
    _staff()
    response = Client().post(
        f"{reverse('core:login')}?code=gaet&state=gaet",
        {"username": "sara.sagsbehandler", "password": "forkert-adgangskode"},
    )
    assert response.status_code == 200  # the form again, with its error
    assert provider.token_calls == 0


def test_single_sign_on_half_set_up_is_refused_at_start_naming_what_is_missing(
    settings_from_env: Callable[..., dict[str, object]],
) -> None:
    with pytest.raises(ImproperlyConfigured, match="SAGSTILSYN_OIDC_ISSUER"):
        settings_from_env(SAGSTILSYN_OIDC_CLIENT_ID="sagstilsyn", SAGSTILSYN_OIDC_CLIENT_SECRET="x")  # noqa: S106


def test_behind_an_https_proxy_the_return_address_is_https(
    settings_from_env: Callable[..., dict[str, object]],
) -> None:
    assert "SECURE_PROXY_SSL_HEADER" not in settings_from_env()
    proxied = settings_from_env(SAGSTILSYN_PROXY_SSL_HEADER="1")
    assert proxied["SECURE_PROXY_SSL_HEADER"] == ("HTTP_X_FORWARDED_PROTO", "https")
