"""Django settings for Sagstilsyn: one file, driven by environment variables, safe local defaults.

Environment variables (all optional for local use):

- ``DJANGO_DEBUG``: ``1``/``0`` (default ``1``: local development).
- ``DJANGO_SECRET_KEY``: required when DEBUG is off; the development default is refused then.
- ``DJANGO_ALLOWED_HOSTS``: comma-separated host names (default ``127.0.0.1,localhost`` with DEBUG on).
- ``DATABASE_URL``: e.g. ``postgres://postgres@127.0.0.1:5432/sagstilsyn`` (default: SQLite in the repo).
- ``SAGSTILSYN_RULE_CATALOGUE_DIR``: another rule catalogue directory (default: the shipped one).
- ``DJANGO_LOG_LEVEL``: log level for the console (default ``INFO``).
- ``SAGSTILSYN_CACHE_URL``: e.g. ``redis://127.0.0.1:6379/1`` to share Django's cache (upload progress)
  between processes through Redis (default: local memory in each process).
- ``SAGSTILSYN_OTP_REQUIRED``, ``SAGSTILSYN_OIDC_*``: log-in's second factor and single sign-on
  (docs/sso.md, ADR 0016).
- ``SAGSTILSYN_BROKER_URL``: e.g. ``redis://127.0.0.1:6379/0`` or ``amqp://guest:guest@127.0.0.1:5672//``
  to run background work (imports, recomputes, scheduled jobs) on Celery workers (`sagstilsyn worker`);
  default: none, and background work runs in the web process (ADR 0015).
- ``SAGSTILSYN_PRODUCTION``: ``1`` for HTTPS only (redirect, HSTS, secure cookies; needs DEBUG off),
  with ``SAGSTILSYN_HSTS_SECONDS``, ``SAGSTILSYN_HSTS_INCLUDE_SUBDOMAINS``, ``SAGSTILSYN_HSTS_PRELOAD``
  and ``SAGSTILSYN_PROXY_SSL_HEADER`` (trust X-Forwarded-Proto). docs/operations.md, ADR 0017.
- ``SAGSTILSYN_SESSION_HOURS``: how long a log-in lasts at most (default 10).
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

PACKAGE_DIR = Path(__file__).resolve().parent
BASE_DIR = PACKAGE_DIR.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    if value.strip().lower() in {"1", "true", "yes", "on"}:
        return True
    if value.strip().lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} skal være 1 eller 0, ikke {value!r}")


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if value is None:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG", True)

DEV_SECRET_KEY = "django-insecure-sagstilsyn-local-development-only"  # noqa: S105 - refused without DEBUG
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", DEV_SECRET_KEY)
if not DEBUG and SECRET_KEY == DEV_SECRET_KEY:
    raise ImproperlyConfigured("DJANGO_SECRET_KEY skal sættes, når DJANGO_DEBUG er slået fra.")

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "axes",
    "csp",  # Content-Security-Policy (ADR 0017)
    "sagstilsyn.core",
    "sagstilsyn.cases",
    "sagstilsyn.reviews",
    "sagstilsyn.reports",
    "sagstilsyn.api",
    "sagstilsyn.demo",
    "sagstilsyn.web",
]

AUTH_USER_MODEL = "core.User"
LOGIN_URL = "core:login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "core:login"

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",  # Content-Security-Policy (ADR 0017)
    "sagstilsyn.core.middleware.NoStoreMiddleware",  # Cache-Control: no-store (ADR 0017)
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # A refused query parameter gets the Danish 400 page even with DEBUG on (the demo).
    "sagstilsyn.web.middleware.BadQueryMiddleware",
    # Last, as django-axes asks: it turns a locked-out log-in into the Danish lockout page.
    "axes.middleware.AxesMiddleware",
]

# Log-in throttling (django-axes, ADR 0014): after AXES_FAILURE_LIMIT wrong passwords for one user name
# from one address, that pair is locked out for SAGSTILSYN_LOCKOUT_MINUTES, the right password included.
# The failures are kept in the database (axes' own tables); there is no /admin/ to show them (ADR 0016).
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(os.environ.get("SAGSTILSYN_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(os.environ.get("SAGSTILSYN_LOCKOUT_MINUTES", "15")) / 60  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "sagstilsyn.core.views.locked_out"
AXES_VERBOSE = False
AXES_ENABLE_ADMIN = False

# --- Log-in: a second factor (TOTP) and single sign-on (OpenID Connect), ADR 0016 and docs/sso.md ------
# Local (password) log-ins of leaders, lawyers and administrators need a code from a code app (TOTP,
# django-otp) before any page; SAGSTILSYN_OTP_REQUIRED=0 turns that off, for the demo only (`make run`),
# and is refused without DEBUG. Single sign-on is on when SAGSTILSYN_OIDC_CLIENT_ID is set: users are
# matched to the staff register by the user name claim, never created, and their roles stay ours.
INSTALLED_APPS += ["django_otp", "django_otp.plugins.otp_totp"]
MIDDLEWARE[MIDDLEWARE.index("django.contrib.auth.middleware.AuthenticationMiddleware") + 1 : 0] = [
    "django_otp.middleware.OTPMiddleware",
    "sagstilsyn.core.login.middleware.SecondFactorMiddleware",
]
AUTHENTICATION_BACKENDS += ["sagstilsyn.core.login.sso.SsoBackend"]
SAGSTILSYN_OTP_REQUIRED = env_bool("SAGSTILSYN_OTP_REQUIRED", True)
if not DEBUG and not SAGSTILSYN_OTP_REQUIRED:
    raise ImproperlyConfigured("SAGSTILSYN_OTP_REQUIRED=0 er kun for demoen: den kræver DJANGO_DEBUG=1.")
OTP_TOTP_ISSUER = os.environ.get("SAGSTILSYN_OTP_ISSUER", "Sagstilsyn")
OTP_TOTP_THROTTLE_FACTOR = 1  # after n wrong codes in a row, wait 2^(n-1) seconds (django-otp)
SAGSTILSYN_OIDC_USERNAME_CLAIM = os.environ.get("SAGSTILSYN_OIDC_USERNAME_CLAIM", "preferred_username")
SAGSTILSYN_OIDC_ISSUER = os.environ.get("SAGSTILSYN_OIDC_ISSUER", "")
SAGSTILSYN_OIDC_END_SESSION_ENDPOINT = os.environ.get("SAGSTILSYN_OIDC_END_SESSION_ENDPOINT", "")
OIDC_RP_CLIENT_ID = os.environ.get("SAGSTILSYN_OIDC_CLIENT_ID", "")
OIDC_RP_CLIENT_SECRET = os.environ.get("SAGSTILSYN_OIDC_CLIENT_SECRET", "")
OIDC_OP_AUTHORIZATION_ENDPOINT = os.environ.get("SAGSTILSYN_OIDC_AUTHORIZATION_ENDPOINT", "")
OIDC_OP_TOKEN_ENDPOINT = os.environ.get("SAGSTILSYN_OIDC_TOKEN_ENDPOINT", "")
OIDC_OP_USER_ENDPOINT = os.environ.get("SAGSTILSYN_OIDC_USERINFO_ENDPOINT", "")
OIDC_OP_JWKS_ENDPOINT = os.environ.get("SAGSTILSYN_OIDC_JWKS_ENDPOINT", "")
OIDC_RP_SIGN_ALGO = os.environ.get("SAGSTILSYN_OIDC_SIGN_ALGO", "RS256")
OIDC_RP_SCOPES = os.environ.get("SAGSTILSYN_OIDC_SCOPES", "openid profile")
OIDC_CREATE_USER = False
OIDC_USE_PKCE = True
OIDC_STORE_ID_TOKEN = True  # for the identity provider's log-out (id_token_hint)
OIDC_TIMEOUT = 10
OIDC_AUTHENTICATION_CALLBACK_URL = "core:sso_callback"
# Behind a reverse proxy that ends HTTPS, SAGSTILSYN_PROXY_SSL_HEADER=1 (below) tells Django the request
# came over HTTPS, or the return address it sends the identity provider starts with http:// (docs/sso.md).
# The identity provider throttles its own log-in; axes must not count our refusals of its users (they have
# no user name, so five refusals would lock out single sign-on for everyone behind the same address).
AXES_WHITELIST_CALLABLE = "sagstilsyn.core.login.sso.axes_passes_sso"
if OIDC_RP_CLIENT_ID:
    _oidc_missing = [
        name
        for name, value in (
            ("SAGSTILSYN_OIDC_CLIENT_SECRET", OIDC_RP_CLIENT_SECRET),
            ("SAGSTILSYN_OIDC_ISSUER", SAGSTILSYN_OIDC_ISSUER),
            ("SAGSTILSYN_OIDC_AUTHORIZATION_ENDPOINT", OIDC_OP_AUTHORIZATION_ENDPOINT),
            ("SAGSTILSYN_OIDC_TOKEN_ENDPOINT", OIDC_OP_TOKEN_ENDPOINT),
            ("SAGSTILSYN_OIDC_USERINFO_ENDPOINT", OIDC_OP_USER_ENDPOINT),
            ("SAGSTILSYN_OIDC_JWKS_ENDPOINT", OIDC_OP_JWKS_ENDPOINT),
        )
        if not value
    ]
    if _oidc_missing:
        raise ImproperlyConfigured(
            f"Single sign-on (SAGSTILSYN_OIDC_CLIENT_ID) mangler også: {', '.join(_oidc_missing)}"
        )

ROOT_URLCONF = "sagstilsyn.urls"
WSGI_APPLICATION = "sagstilsyn.wsgi.application"
ASGI_APPLICATION = "sagstilsyn.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASE_URL = os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}"
DATABASES = {
    "default": dj_database_url.parse(
        DATABASE_URL, conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "0"))
    )
}
if DATABASES["default"]["ENGINE"].endswith("postgresql"):
    # PostgreSQL's JIT compiles every query costed above 100,000 (a quarter's compliance table, the
    # follow-up list at national scale) and spends more compiling (≈ 370 ms) than it saves: off for our
    # short aggregate queries (ADR 0040). SAGSTILSYN_PG_JIT=on turns it back on.
    _jit = "on" if os.environ.get("SAGSTILSYN_PG_JIT") == "on" else "off"
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = f"-c jit={_jit}"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    # Length beats complexity rules (NIST SP 800-63B; the Danish Agency for Digital Government's advice):
    # at least 12 characters, not a common or all-numeric password, not close to the user's name.
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": int(os.environ.get("SAGSTILSYN_PASSWORD_MIN_LENGTH", "12"))},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "da"
LANGUAGES = [("da", "Dansk")]
TIME_ZONE = "Europe/Copenhagen"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT", BASE_DIR / "var" / "static"))
# Det Fælles Designsystem (DKFDS) from npm (`npm ci`): served as /static/dkfds/{css,fonts,img,js}/.
DKFDS_DIST = BASE_DIR / "node_modules" / "dkfds" / "dist"
STATICFILES_DIRS = [("dkfds", DKFDS_DIST), ("htmx", BASE_DIR / "node_modules" / "htmx.org" / "dist")]

# Long imports run in a background thread of the web process (on a worker with a broker, see below) and
# report progress through the cache:
# local memory by default, Redis when SAGSTILSYN_CACHE_URL is set (needed with several web processes,
# so each sees the same progress). With SAGSTILSYN_IMPORT_INLINE=1 (tests) the upload runs in the request.
IMPORT_INLINE = env_bool("SAGSTILSYN_IMPORT_INLINE", False)
CACHE_URL = os.environ.get("SAGSTILSYN_CACHE_URL", "").strip()
if CACHE_URL and not CACHE_URL.startswith(("redis://", "rediss://", "unix://")):
    raise ImproperlyConfigured(
        "SAGSTILSYN_CACHE_URL skal være en Redis-adresse (redis://, rediss:// eller unix://), "
        "fx redis://127.0.0.1:6379/1"
    )
CACHES = {
    "default": (
        {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": CACHE_URL,
            "KEY_PREFIX": "sagstilsyn",
        }
        if CACHE_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "sagstilsyn"}
    )
}

# Background work on a queue (ADR 0015): with SAGSTILSYN_BROKER_URL (Redis or RabbitMQ) imports, recomputes
# and the scheduled jobs run as Celery tasks on `sagstilsyn worker`; without it they run in the web
# process as before (the demo). The worker writes the upload progress and its heartbeat to the cache,
# so a broker needs a shared cache (SAGSTILSYN_CACHE_URL). A running job whose worker has died (its
# process is gone on this machine, or its heartbeat is older than SAGSTILSYN_WORKER_STALE_SECONDS in a
# shared cache) is marked failed. SAGSTILSYN_QUEUE_NAME: the Celery queue (default "sagstilsyn").
QUEUE_BROKER_URL = os.environ.get("SAGSTILSYN_BROKER_URL", "").strip()
QUEUE_NAME = os.environ.get("SAGSTILSYN_QUEUE_NAME", "").strip() or "sagstilsyn"
QUEUE_WORKER_STALE_SECONDS = float(os.environ.get("SAGSTILSYN_WORKER_STALE_SECONDS", "60"))
if QUEUE_BROKER_URL and not CACHE_URL:
    raise ImproperlyConfigured(
        "SAGSTILSYN_BROKER_URL kræver SAGSTILSYN_CACHE_URL (Redis), så webprocessen kan se "
        "arbejdsprocessens fremdrift, fx redis://127.0.0.1:6379/1"
    )

# CPR numbers are stored encrypted (Fernet) with a keyed hash for look-up. The key is derived from
# SAGSTILSYN_CPR_KEY (any string); locally it falls back to SECRET_KEY, refused without DEBUG.
CPR_KEY = os.environ.get("SAGSTILSYN_CPR_KEY") or (SECRET_KEY if DEBUG else "")
if not CPR_KEY:
    raise ImproperlyConfigured("SAGSTILSYN_CPR_KEY skal sættes, når DJANGO_DEBUG er slået fra.")

# Audit chain (ADR 0018): the revisionsspor and the adgangslog are hash chains keyed with
# SAGSTILSYN_AUDIT_KEY (any string, kept outside the database); locally it falls back to SECRET_KEY,
# refused without DEBUG. The DPO's page "Usædvanlig adgang" flags more than
# SAGSTILSYN_UNUSUAL_BURST_CASES distinct cases opened within SAGSTILSYN_UNUSUAL_BURST_MINUTES, and reads
# outside SAGSTILSYN_WORKDAY_HOURS (Danish time, "7-18") or on days that are not hverdage.
AUDIT_KEY = os.environ.get("SAGSTILSYN_AUDIT_KEY") or (SECRET_KEY if DEBUG else "")
if not AUDIT_KEY:
    raise ImproperlyConfigured("SAGSTILSYN_AUDIT_KEY skal sættes, når DJANGO_DEBUG er slået fra.")
UNUSUAL_BURST_CASES = int(os.environ.get("SAGSTILSYN_UNUSUAL_BURST_CASES", "30"))
UNUSUAL_BURST_MINUTES = int(os.environ.get("SAGSTILSYN_UNUSUAL_BURST_MINUTES", "10"))
WORKDAY_HOURS = tuple(int(h) for h in os.environ.get("SAGSTILSYN_WORKDAY_HOURS", "7-18").split("-", 1))
# The page checks the chains itself up to this many rows; longer chains show the daily job's latest run.
AUDIT_PAGE_CHECK_ROWS = int(os.environ.get("SAGSTILSYN_AUDIT_PAGE_CHECK_ROWS", "50000"))

# The rule catalogue (regelkataloget); None means the catalogue shipped with the package.
RULE_CATALOGUE_DIR: str | None = os.environ.get("SAGSTILSYN_RULE_CATALOGUE_DIR") or None

# --- Deployment hardening (issue 11 point 6, ADR 0017) --------------------------------------------
# Sessions end when the browser closes and at the latest a working day after log-in
# (SAGSTILSYN_SESSION_HOURS, default 10). The session cookie is HttpOnly and SameSite=Lax.
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_AGE = int(float(os.environ.get("SAGSTILSYN_SESSION_HOURS", "10")) * 3600)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
if not DEBUG:
    SESSION_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", True)
    CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
# SAGSTILSYN_PRODUCTION=1 (with DJANGO_DEBUG=0): HTTPS only. Redirect http to https, HSTS for a year
# (SAGSTILSYN_HSTS_SECONDS) with subdomains and preload, secure cookies; behind a proxy that ends TLS,
# SAGSTILSYN_PROXY_SSL_HEADER=1 trusts its X-Forwarded-Proto (only if the proxy always sets it).
# docs/operations.md lists the whole production environment; `manage.py check --deploy` is clean with it.
PRODUCTION = env_bool("SAGSTILSYN_PRODUCTION", False)
if PRODUCTION:
    if DEBUG:
        raise ImproperlyConfigured("SAGSTILSYN_PRODUCTION=1 kræver DJANGO_DEBUG=0.")
    SECURE_SSL_REDIRECT = True
    SECURE_HSTS_SECONDS = int(os.environ.get("SAGSTILSYN_HSTS_SECONDS", str(365 * 24 * 3600)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SAGSTILSYN_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("SAGSTILSYN_HSTS_PRELOAD", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
# Trust the proxy's X-Forwarded-Proto only when asked (a client could otherwise claim https); with or
# without SAGSTILSYN_PRODUCTION (single sign-on's return address needs it too, ADR 0016).
if env_bool("SAGSTILSYN_PROXY_SSL_HEADER", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Content-Security-Policy (django-csp 4): only our own files, no inline script or style anywhere (the
# API's Swagger page included: it needs none); htmx is told not to inject its indicator styles nor to
# evaluate strings (the htmx-config meta tag in web/base.html). tests/e2e/test_csp_e2e.py: no violation.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],  # DKFDS's stylesheet draws icons as data: SVG
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "console": {"format": "{asctime} {levelname} {name}: {message}", "style": "{"},
    },
    "filters": {"redact_cpr": {"()": "sagstilsyn.core.logging.CprRedactingFilter"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "console", "filters": ["redact_cpr"]},
    },
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
    # Django's own loggers come with handlers of their own (DEFAULT_LOGGING: runserver's request log
    # on `django.server`, errors on `django`), which would bypass the CPR filter: every one of them
    # writes through the filtered handler instead (a test checks every handler has the filter).
    "loggers": {
        "django": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "django.server": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "django.db.backends": {"level": "INFO"},
        "axes": {"level": "WARNING"},  # lockouts are warnings; every successful log-in is not news
    },
}

# E-mail (the weekly deadline digest to leaders). Locally mail is written as files to var/mail/;
# set DJANGO_EMAIL_BACKEND=django.core.mail.backends.console.EmailBackend to print it instead.
EMAIL_BACKEND = os.environ.get("DJANGO_EMAIL_BACKEND", "django.core.mail.backends.filebased.EmailBackend")
EMAIL_FILE_PATH = BASE_DIR / "var" / "mail"
#: The address the server runs on, for links in mails (the weekly deadline mail). `make run` sets it
#: from HOST; SAGSTILSYN_BASE_URL is the older name, still read.
SAGSTILSYN_SITE_URL = os.environ.get("SAGSTILSYN_SITE_URL") or os.environ.get(
    "SAGSTILSYN_BASE_URL", "http://127.0.0.1:8000"
)
DEFAULT_FROM_EMAIL = os.environ.get("DJANGO_DEFAULT_FROM_EMAIL", "sagstilsyn@localhost")

# An API call waits at most this long for another writer to the municipality's cases (an import);
# then it gets 503 with a Danish "prøv igen" and Retry-After (ADR 0013).
SAGSTILSYN_API_WAIT_SECONDS = float(os.environ.get("SAGSTILSYN_API_WAIT_SECONDS", "30"))
