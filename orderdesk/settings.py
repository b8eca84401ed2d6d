"""Settings for orderdesk, read from the environment.

Every variable is listed in the README. A malformed or missing required value raises
ImproperlyConfigured naming the variable, so a bad deployment fails at start-up.
"""

from pathlib import Path

import environ
from cryptography.fernet import Fernet
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()


def _read(name, reader, default):
    """Read one variable through a django-environ reader and name it in any parse error."""
    try:
        return reader(name, default=default)
    except (ValueError, TypeError, environ.ImproperlyConfigured) as error:
        raise ImproperlyConfigured(f"{name} is invalid: {error}") from error


def _bool(name, default):
    raw = env.str(name, default="").strip().lower()
    if raw == "":
        return default
    if raw in {"1", "true", "yes", "on"}:
        return True
    if raw in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} is invalid: use 1/0, true/false, yes/no or on/off.")


def _positive_float(name, default):
    value = _read(name, env.float, default)
    if not value > 0:
        raise ImproperlyConfigured(f"{name} must be a positive number of seconds, got {value}.")
    return value


def _positive_int(name, default):
    value = _read(name, env.int, default)
    if value <= 0:
        raise ImproperlyConfigured(f"{name} must be a positive whole number, got {value}.")
    return value


DEBUG = _bool("DEBUG", False)

# Demo mode runs against the offline sandbox with demo logins. It is never on in production.
DEMO_MODE = _bool("ORDERDESK_DEMO", False)

SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY is required when DEBUG is off.")
    SECRET_KEY = "insecure-development-key-only-used-with-debug"

ALLOWED_HOSTS = _read("ALLOWED_HOSTS", env.list, ["localhost", "127.0.0.1"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = _read("CSRF_TRUSTED_ORIGINS", env.list, [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_htmx",
    "django_filters",
    "csp",
    "orderdesk.core",
    "orderdesk.connections",
    "orderdesk.charges",
    "orderdesk.audit",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "orderdesk.core.middleware.PrivatePagesMiddleware",
    "orderdesk.core.middleware.HtmxLoginRedirectMiddleware",
    "orderdesk.core.middleware.IdleLogoutMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "orderdesk.core.middleware.FailedRequestLoggingMiddleware",
]

ROOT_URLCONF = "orderdesk.urls"
WSGI_APPLICATION = "orderdesk.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "csp.context_processors.nonce",
                "orderdesk.core.context_processors.navigation",
            ],
        },
    },
]

_database_url = env.str("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")
if _database_url.split(":", 1)[0] not in {"sqlite", "postgres", "postgresql", "pgsql"}:
    raise ImproperlyConfigured(
        "DATABASE_URL is invalid: use sqlite:///path or postgres://user@host:port/name."
    )
DATABASES = {"default": _read("DATABASE_URL", env.db_url, _database_url)}
DATABASES["default"].setdefault("CONN_MAX_AGE", _read("DATABASE_CONN_MAX_AGE", env.int, 60))
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Several processes (app, reconciliation command) share the file: wait on locks.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("timeout", 20)
    DATABASES["default"]["OPTIONS"].setdefault("transaction_mode", "IMMEDIATE")
    # Write-ahead logging lets readers go on while one process writes; commits stay durable.
    DATABASES["default"]["OPTIONS"].setdefault("init_command", "PRAGMA journal_mode=WAL;")
    DATABASES["default"]["CONN_MAX_AGE"] = 0
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# The default cache contains the Connector API rate limiter and the catalogue cache, so it must be
# shared by every process of one installation: the database cache unless Redis is configured.
_cache_url = env.str("CACHE_URL", default="") or env.str("REDIS_URL", default="")
if _cache_url:
    try:
        CACHES = {"default": env.cache_url_config(_cache_url)}
    except Exception as error:
        raise ImproperlyConfigured(f"CACHE_URL or REDIS_URL is invalid: {error}") from error
    if CACHES["default"]["BACKEND"] == "django_redis.cache.RedisCache":
        CACHES["default"]["BACKEND"] = "django.core.cache.backends.redis.RedisCache"
        CACHES["default"].pop("OPTIONS", None)
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "orderdesk_cache",
            # Culling a full table deletes arbitrary keys, the rate limiter's among them.
            "OPTIONS": {"MAX_ENTRIES": 100000},
        }
    }

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English")]
LOCALE_PATHS = [BASE_DIR / "orderdesk" / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "UTC"

STATIC_URL = "static/"
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"

# Sessions and cookies. Front-desk computers are shared, so an idle session ends early.
SESSION_COOKIE_AGE = _positive_int("SESSION_COOKIE_AGE", 8 * 60 * 60)
SESSION_IDLE_TIMEOUT = _positive_int("SESSION_IDLE_TIMEOUT", 30 * 60)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True

# Failed log-ins allowed per user name and client address within the window (seconds).
LOGIN_FAILURE_LIMIT = _positive_int("LOGIN_FAILURE_LIMIT", 5)
LOGIN_FAILURE_WINDOW = _positive_int("LOGIN_FAILURE_WINDOW", 15 * 60)

# HTTPS settings are on by default outside DEBUG; SECURE_HTTPS=False serves plain HTTP,
# for example behind a trusted TLS proxy on the same host.
SECURE_HTTPS = _bool("SECURE_HTTPS", not DEBUG)
SESSION_COOKIE_SECURE = SECURE_HTTPS
CSRF_COOKIE_SECURE = SECURE_HTTPS
SECURE_SSL_REDIRECT = SECURE_HTTPS and _bool("SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = _read("SECURE_HSTS_SECONDS", env.int, 31536000) if SECURE_HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HTTPS
SECURE_HSTS_PRELOAD = SECURE_HTTPS and _bool("SECURE_HSTS_PRELOAD", True)
if _bool("SECURE_PROXY_SSL_HEADER", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SILENCED_SYSTEM_CHECKS = []

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "font-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# Connector API client.
CONNECTOR_RATE_LIMIT = _positive_int("CONNECTOR_RATE_LIMIT", 180)
CONNECTOR_RATE_WINDOW = _positive_int("CONNECTOR_RATE_WINDOW", 30)
CONNECTOR_CONNECT_TIMEOUT = _positive_float("CONNECTOR_CONNECT_TIMEOUT", 5.0)
CONNECTOR_READ_TIMEOUT = _positive_float("CONNECTOR_READ_TIMEOUT", 60.0)
# Maximum Retry-After wait, in seconds, that a post sits through before it reports not posted.
CONNECTOR_MAX_POST_WAIT = _read("CONNECTOR_MAX_POST_WAIT", env.float, 5.0)
if not 0 <= CONNECTOR_MAX_POST_WAIT <= 60:
    raise ImproperlyConfigured("CONNECTOR_MAX_POST_WAIT must be between 0 and 60 seconds.")

# Catalogue (configuration, services, products, taxes...) cache lifetime, in seconds.
CATALOGUE_CACHE_TTL = _positive_int("CATALOGUE_CACHE_TTL", 600)

# Comma-separated Fernet keys for tokens at rest; the first encrypts, all decrypt.
FERNET_KEYS = [key.strip() for key in _read("ORDERDESK_FERNET_KEYS", env.list, []) if key.strip()]
for _position, _key in enumerate(FERNET_KEYS, start=1):
    try:
        Fernet(_key.encode())
    except (ValueError, TypeError) as error:
        raise ImproperlyConfigured(
            f"ORDERDESK_FERNET_KEYS entry {_position} is not a valid Fernet key "
            "(32 url-safe base64-encoded bytes)."
        ) from error
if not FERNET_KEYS and not (DEBUG or DEMO_MODE):
    raise ImproperlyConfigured(
        "ORDERDESK_FERNET_KEYS is required when DEBUG and ORDERDESK_DEMO are off: "
        "it encrypts the Mews tokens stored in the database."
    )

# Address of the offline sandbox that `make run` starts beside the app.
SANDBOX_ADDRESS = env.str("ORDERDESK_SANDBOX_ADDRESS", default="http://127.0.0.1:8010")

LOG_LEVEL = env.str("LOG_LEVEL", default="INFO").upper()
if LOG_LEVEL not in {"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"}:
    raise ImproperlyConfigured(f"LOG_LEVEL is invalid: {LOG_LEVEL!r}.")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain"},
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        # Failed requests are logged once by FailedRequestLoggingMiddleware, without the
        # request's POST data, so Django's own request logger is kept quiet.
        "django.request": {"level": "CRITICAL"},
        "httpx": {"level": "WARNING"},
        "httpcore": {"level": "WARNING"},
    },
}
