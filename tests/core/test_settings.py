"""Settings are read from the environment; bad values stop start-up with the variable's name."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

PROJECT_DIR = Path(__file__).resolve().parents[2]

PRODUCTION_ENVIRONMENT = {
    "SECRET_KEY": "a-long-random-secret-key-for-the-settings-test-0123456789",
    "ALLOWED_HOSTS": "orderdesk.example.org",
    "ORDERDESK_FERNET_KEYS": "5Gm2hQ0G8C6n6fZ7yV6p3bV5rQpKx0bqg1z3w9l2m4E=",
}


def load_settings(environment, expression="settings.DEBUG"):
    """Import the settings module in a fresh interpreter with only the given variables."""
    clean_environment = {
        "PATH": os.environ["PATH"],
        "DJANGO_SETTINGS_MODULE": "orderdesk.settings",
        **environment,
    }
    return subprocess.run(
        [
            sys.executable,
            "-c",
            f"from django.conf import settings; print(repr({expression}))",
        ],
        cwd=PROJECT_DIR,
        env=clean_environment,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_settings_production_values_load():
    result = load_settings(
        PRODUCTION_ENVIRONMENT, "(settings.DEBUG, settings.SESSION_COOKIE_SECURE)"
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "(False, True)"


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("DEBUG", "maybe"),
        ("DATABASE_URL", "nosuchdb://x"),
        ("SESSION_IDLE_TIMEOUT", "thirty"),
        ("SESSION_IDLE_TIMEOUT", "0"),
        ("CONNECTOR_RATE_LIMIT", "-5"),
        ("LOG_LEVEL", "LOUD"),
        ("SECRET_KEY", ""),
        ("ORDERDESK_FERNET_KEYS", ""),
        ("ORDERDESK_FERNET_KEYS", "notakey"),
        ("CONNECTOR_MAX_POST_WAIT", "-1"),
        ("CONNECTOR_READ_TIMEOUT", "0"),
    ],
)
def test_settings_invalid_value_names_variable(name, value):
    result = load_settings({**PRODUCTION_ENVIRONMENT, name: value})

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert name in result.stderr


def test_settings_debug_needs_no_secret_key():
    result = load_settings({"DEBUG": "1"}, "settings.DEBUG")

    assert result.returncode == 0, result.stderr


def test_settings_database_url_selects_postgresql():
    result = load_settings(
        {**PRODUCTION_ENVIRONMENT, "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/x"},
        "settings.DATABASES['default']['ENGINE']",
    )

    assert result.stdout.strip() == "'django.db.backends.postgresql'"


def test_settings_redis_url_selects_redis_cache():
    result = load_settings(
        {**PRODUCTION_ENVIRONMENT, "REDIS_URL": "redis://127.0.0.1:6379/1"},
        "settings.CACHES['default']['BACKEND']",
    )

    assert result.stdout.strip() == "'django.core.cache.backends.redis.RedisCache'"


def test_settings_default_cache_is_shared_database_cache():
    result = load_settings(PRODUCTION_ENVIRONMENT, "settings.CACHES['default']['BACKEND']")

    assert result.stdout.strip() == "'django.core.cache.backends.db.DatabaseCache'"


def test_settings_check_deploy_reports_nothing():
    environment = {
        "PATH": os.environ["PATH"],
        **PRODUCTION_ENVIRONMENT,
        "CSRF_TRUSTED_ORIGINS": "https://orderdesk.example.org",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=PROJECT_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout
