"""A small OpenID Connect provider for the single sign-on tests, served from the test on 127.0.0.1 (no
internet): discovery, authorize, token, jwks and userinfo, with ID tokens signed by an RSA key made for
the test run. It logs in whoever the test names (`provider.username`) without asking, checks the client,
the redirect address, the code and PKCE's verifier, and hands out each code once."""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa

CLIENT_ID = "sagstilsyn-test"
CLIENT_SECRET = "klient-hemmelighed"  # noqa: S105 - the test provider's client secret
KEY_ID = "testnoegle-1"


def _b64url_uint(number: int) -> str:
    raw = number.to_bytes((number.bit_length() + 7) // 8, "big")
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


@dataclass
class Provider:
    """The provider's state: its address, key, the user it logs in next and the codes handed out."""

    issuer: str = ""
    username: str = ""
    #: Extra claims put in the next ID token (e.g. roles, which Sagstilsyn must ignore).
    extra_claims: dict[str, Any] = field(default_factory=dict)
    audience: str = CLIENT_ID
    key: rsa.RSAPrivateKey = field(default_factory=lambda: rsa.generate_private_key(65537, 2048))
    codes: dict[str, dict[str, str]] = field(default_factory=dict)
    tokens: dict[str, str] = field(default_factory=dict)
    token_calls: int = 0

    def endpoint(self, name: str) -> str:
        return f"{self.issuer}/{name}"

    def jwks(self) -> dict[str, Any]:
        numbers = self.key.public_key().public_numbers()
        return {
            "keys": [
                {
                    "kty": "RSA",
                    "use": "sig",
                    "alg": "RS256",
                    "kid": KEY_ID,
                    "n": _b64url_uint(numbers.n),
                    "e": _b64url_uint(numbers.e),
                }
            ]
        }

    def id_token(self, *, username: str, nonce: str) -> str:
        now = int(time.time())
        claims = {
            "iss": self.issuer,
            "aud": self.audience,
            "sub": f"sub-{username}",
            "iat": now,
            "exp": now + 300,
            "nonce": nonce,
            "preferred_username": username,
            **self.extra_claims,
        }
        return jwt.encode(claims, self.key, algorithm="RS256", headers={"kid": KEY_ID})


class _Handler(BaseHTTPRequestHandler):
    provider: Provider

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: the tests read answers, not the server's log."""

    def _json(self, body: dict[str, Any], status: int = 200) -> None:
        data = json.dumps(body).encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self) -> None:
        url = urlsplit(self.path)
        query = {name: values[0] for name, values in parse_qs(url.query).items()}
        provider = self.provider
        if url.path == "/.well-known/openid-configuration":
            self._json(
                {
                    "issuer": provider.issuer,
                    "authorization_endpoint": provider.endpoint("authorize"),
                    "token_endpoint": provider.endpoint("token"),
                    "userinfo_endpoint": provider.endpoint("userinfo"),
                    "jwks_uri": provider.endpoint("jwks"),
                    "id_token_signing_alg_values_supported": ["RS256"],
                }
            )
        elif url.path == "/jwks":
            self._json(provider.jwks())
        elif url.path == "/authorize":
            self._authorize(query)
        elif url.path == "/userinfo":
            token = self.headers.get("Authorization", "").removeprefix("Bearer ")
            username = provider.tokens.get(token)
            if username is None:
                self._json({"error": "invalid_token"}, 401)
            else:
                self._json({"sub": f"sub-{username}", "preferred_username": username, "name": "Fra IdP"})
        else:
            self._json({"error": "not_found"}, 404)

    def _authorize(self, query: dict[str, str]) -> None:
        if query.get("client_id") != CLIENT_ID or query.get("response_type") != "code":
            self._json({"error": "unauthorized_client"}, 400)
            return
        code = secrets.token_urlsafe(16)
        self.provider.codes[code] = {
            "username": self.provider.username,
            "nonce": query.get("nonce", ""),
            "redirect_uri": query["redirect_uri"],
            "code_challenge": query.get("code_challenge", ""),
        }
        self.send_response(302)
        self.send_header(
            "Location", f"{query['redirect_uri']}?{urlencode({'code': code, 'state': query['state']})}"
        )
        self.end_headers()

    def do_POST(self) -> None:
        if urlsplit(self.path).path != "/token":
            self._json({"error": "not_found"}, 404)
            return
        length = int(self.headers.get("Content-Length", "0"))
        form = {name: values[0] for name, values in parse_qs(self.rfile.read(length).decode()).items()}
        provider = self.provider
        provider.token_calls += 1
        grant = provider.codes.pop(form.get("code", ""), None)  # a code counts once
        verifier = form.get("code_verifier", "")
        challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
        if (
            grant is None
            or form.get("client_id") != CLIENT_ID
            or form.get("client_secret") != CLIENT_SECRET
            or form.get("redirect_uri") != grant["redirect_uri"]
            or challenge != grant["code_challenge"]
        ):
            self._json({"error": "invalid_grant"}, 400)
            return
        access_token = secrets.token_urlsafe(16)
        provider.tokens[access_token] = grant["username"]
        self._json(
            {
                "access_token": access_token,
                "token_type": "Bearer",
                "expires_in": 300,
                "id_token": provider.id_token(username=grant["username"], nonce=grant["nonce"]),
            }
        )


@contextmanager
def running_provider() -> Iterator[Provider]:
    """The provider, served from a thread on a free port of 127.0.0.1 while the block runs."""
    provider = Provider()
    handler = type("Handler", (_Handler,), {"provider": provider})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    provider.issuer = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield provider
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
