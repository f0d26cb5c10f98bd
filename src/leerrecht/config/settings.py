"""Django settings for Leerrecht, read from the environment (see docs/configuration.md).

Safe defaults give the embedded product: SQLite + DuckDB in ./var, DEBUG off, a generated
secret key. Every malformed value fails fast with a one-line message.
"""

from __future__ import annotations

import os
from pathlib import Path

from leerrecht.config.env import (
    env_bool,
    env_int,
    env_list,
    parse_database_url,
    secret_key_load_or_create,
)

PACKAGE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(os.environ.get("LEERRECHT_DATA_DIR", Path.cwd() / "var")).resolve()

DEBUG = env_bool("LEERRECHT_DEBUG", False)
SECRET_KEY = os.environ.get("LEERRECHT_SECRET_KEY") or secret_key_load_or_create(
    DATA_DIR / "secret_key"
)
ALLOWED_HOSTS = env_list("LEERRECHT_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("LEERRECHT_CSRF_TRUSTED_ORIGINS", [])

_database_url = os.environ.get("DATABASE_URL", "").strip()
DATABASES = {
    "default": (
        parse_database_url(_database_url).as_django()
        if _database_url
        else parse_database_url(f"sqlite:///{DATA_DIR / 'leerrecht.sqlite3'}").as_django()
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

INSTALLED_APPS = [
    "leerrecht.accounts.apps.PlatformAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "leerrecht.accounts",
    "leerrecht.registry",
    "leerrecht.privacy",
    "leerrecht.jobs",
    "leerrecht.attendance",
    "leerrecht.cases",
    "leerrecht.monitoring",
    "leerrecht.reconciliation",
    "leerrecht.api",
    "leerrecht.web",
    "leerrecht.beheer",
    "leerrecht.protocols",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "leerrecht.web.middleware.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    # Trace id, and one audit entry per request to a declared endpoint (docs/adr/0103).
    "leerrecht.privacy.middleware.RequestContextMiddleware",
    "leerrecht.accounts.middleware.ControlCharactersRefusedMiddleware",
    "leerrecht.accounts.middleware.SecondFactorRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "leerrecht.web.form_tokens.OneTimeFormMiddleware",
]

ROOT_URLCONF = "leerrecht.config.urls"
WSGI_APPLICATION = "leerrecht.config.wsgi.application"

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
                "leerrecht.web.context_processors.navigation",
            ],
        },
    }
]

AUTH_USER_MODEL = "accounts.User"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Login throttling: this many failures per account (or per client address) within the
# window lock further attempts for the lockout period.
LEERRECHT_LOGIN_MAX_FAILURES = env_int("LEERRECHT_LOGIN_MAX_FAILURES", 5, minimum=1)
LEERRECHT_LOGIN_LOCKOUT_MINUTES = env_int("LEERRECHT_LOGIN_LOCKOUT_MINUTES", 15, minimum=1)

# Sessions expire after inactivity.
SESSION_COOKIE_AGE = env_int("LEERRECHT_SESSION_IDLE_MINUTES", 30, minimum=1) * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"

# Behind TLS (production), cookies are secure and HSTS is sent.
TLS = env_bool("LEERRECHT_TLS", False)
SESSION_COOKIE_SECURE = TLS
CSRF_COOKIE_SECURE = TLS
SECURE_HSTS_SECONDS = 31536000 if TLS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = TLS
SECURE_SSL_REDIRECT = env_bool("LEERRECHT_SSL_REDIRECT", False)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if TLS else None
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

LANGUAGE_CODE = "nl"
# Dutch only (ADR 0002): a browser asking for English still gets the Dutch UI.
LANGUAGES = [("nl", "Nederlands")]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "Europe/Amsterdam"
LOCALE_PATHS = [PACKAGE_DIR / "locale"]

STATIC_URL = "/static/"
# Production may collect static files into a directory (collectstatic); the embedded
# default serves them straight from the app and node_modules through WhiteNoise.
STATIC_ROOT = os.environ.get("LEERRECHT_STATIC_ROOT") or None
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
MEDIA_ROOT = DATA_DIR / "media"
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 20 * 1024 * 1024

EMAIL_BACKEND = os.environ.get(
    "LEERRECHT_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
)
DEFAULT_FROM_EMAIL = os.environ.get("LEERRECHT_FROM_EMAIL", "leerrecht@localhost")

# Background jobs: run in the `leerrecht worker` process, or inline when eager (tests).
LEERRECHT_JOBS_EAGER = env_bool("LEERRECHT_JOBS_EAGER", False)
# The region's protocol preset (leerrecht/engine/presets/<name>.toml).
LEERRECHT_PROTOCOL = os.environ.get("LEERRECHT_PROTOCOL", "haaglanden-po")
# The API's contact in its OpenAPI document (API Design Rules /core/doc-openapi-contact).
LEERRECHT_API_CONTACT_NAME = os.environ.get("LEERRECHT_API_CONTACT_NAME", "Beheer Leerrecht")
LEERRECHT_API_CONTACT_EMAIL = os.environ.get(
    "LEERRECHT_API_CONTACT_EMAIL", "api-beheer@leerrecht.example"
)
LEERRECHT_API_CONTACT_URL = os.environ.get(
    "LEERRECHT_API_CONTACT_URL", "https://leerrecht.example/api/v1/openapi.json"
)
# Retention (years) of closed cases and of the audit log.
# API tokens expire (issue 14): default one year, rotate with `api_token_rotate`.
LEERRECHT_API_TOKEN_LIFETIME_DAYS = env_int("LEERRECHT_API_TOKEN_LIFETIME_DAYS", 365, minimum=1)
LEERRECHT_CASE_RETENTION_YEARS = env_int("LEERRECHT_CASE_RETENTION_YEARS", 5, minimum=1)
LEERRECHT_AUDIT_RETENTION_YEARS = env_int("LEERRECHT_AUDIT_RETENTION_YEARS", 7, minimum=1)
# Rows per page of the worklists (ADR 0133).
LEERRECHT_PAGE_SIZE = env_int("LEERRECHT_PAGE_SIZE", 25, minimum=1)
# How long the dashboard's aggregate figures are reused before they are computed again
# (0: every request). At region size they take seconds (docs/performance.md).
LEERRECHT_FIGURES_CACHE_SECONDS = env_int("LEERRECHT_FIGURES_CACHE_SECONDS", 600, minimum=0)
# Shared by the web worker processes (the dashboard's figures), under the data directory.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": str(DATA_DIR / "cache"),
    }
}
# Roles that may see personal data must use a second factor; off only for local demos.
LEERRECHT_REQUIRE_2FA = env_bool("LEERRECHT_REQUIRE_2FA", True)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LEERRECHT_LOG_LEVEL", "WARNING")},
}

# Front-end assets from the npm registry (package.json; installed by scripts/run.sh and
# scripts/test.sh). No CDN: everything is served from our own origin.
NODE_MODULES = Path(
    os.environ.get("LEERRECHT_NODE_MODULES", PACKAGE_DIR.parent.parent / "node_modules")
)
STATICFILES_DIRS = [
    (prefix, NODE_MODULES / sub)
    for prefix, sub in (
        ("vendor/utrecht", "@utrecht/component-library-css/dist"),
        ("vendor/utrecht-tokens", "@utrecht/design-tokens/dist"),
        ("vendor/htmx", "htmx.org/dist"),
    )
    if (NODE_MODULES / sub).is_dir()
]
