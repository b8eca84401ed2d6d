import pytest
from cryptography.fernet import Fernet
from django.core.exceptions import ImproperlyConfigured
from django.core.management import CommandError, call_command
from django.db import connection as db_connection
from django.test import override_settings

from orderdesk.connections import crypto
from orderdesk.connections.models import Connection, Property

OLD_KEY = Fernet.generate_key().decode()
NEW_KEY = Fernet.generate_key().decode()


def stored_column(table, column, row_id):
    with db_connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table} WHERE id = %s", [row_id])
        return cursor.fetchone()[0]


def test_encrypt_token_round_trip():
    ciphertext = crypto.encrypt_token("secret-token")

    assert ciphertext != "secret-token"
    assert crypto.decrypt_token(ciphertext) == "secret-token"


@pytest.mark.django_db
def test_token_field_stores_ciphertext_only():
    connection = Connection.objects.create(
        name="Hotel", platform_address="https://api.mews.com", client_token="CLIENT-CANARY-1"
    )

    stored = stored_column("connections_connection", "client_token", connection.pk)

    assert "CLIENT-CANARY-1" not in stored
    assert Connection.objects.get(pk=connection.pk).client_token == "CLIENT-CANARY-1"


@pytest.mark.django_db
def test_rotate_token_keys_reencrypts_with_newest_key():
    with override_settings(FERNET_KEYS=[OLD_KEY]):
        connection = Connection.objects.create(
            name="Hotel", platform_address="https://api.mews.com", client_token="client-secret"
        )
        property = Property.objects.create(
            name="Hotel A", connection=connection, access_token="access-secret"
        )
    old_ciphertext = stored_column("connections_property", "access_token", property.pk)

    with override_settings(FERNET_KEYS=[NEW_KEY, OLD_KEY]):
        call_command("rotate_token_keys", verbosity=0)

    new_ciphertext = stored_column("connections_property", "access_token", property.pk)
    assert new_ciphertext != old_ciphertext
    assert Fernet(NEW_KEY.encode()).decrypt(new_ciphertext.encode()) == b"access-secret"
    with override_settings(FERNET_KEYS=[NEW_KEY]):
        assert Property.objects.get(pk=property.pk).access_token == "access-secret"
        assert Connection.objects.get(pk=connection.pk).client_token == "client-secret"


@pytest.mark.django_db
def test_token_unreadable_after_key_removed():
    with override_settings(FERNET_KEYS=[OLD_KEY]):
        Connection.objects.create(
            name="Hotel", platform_address="https://api.mews.com", client_token="client-secret"
        )

    with override_settings(FERNET_KEYS=[NEW_KEY]), pytest.raises(crypto.TokenDecryptionError):
        Connection.objects.get(name="Hotel")


def test_invalid_key_raises_improperly_configured():
    with override_settings(FERNET_KEYS=["not-a-key"]), pytest.raises(ImproperlyConfigured) as error:
        crypto.get_fernet()

    assert "ORDERDESK_FERNET_KEYS" in str(error.value)


def test_missing_keys_outside_demo_raises():
    with (
        override_settings(FERNET_KEYS=[], DEBUG=False, DEMO_MODE=False),
        pytest.raises(ImproperlyConfigured) as error,
    ):
        crypto.get_fernet()

    assert "ORDERDESK_FERNET_KEYS" in str(error.value)


def test_demo_mode_derives_key():
    with override_settings(FERNET_KEYS=[], DEMO_MODE=True):
        assert crypto.decrypt_token(crypto.encrypt_token("demo")) == "demo"


@pytest.mark.django_db
def test_rotate_moves_demo_tokens_to_configured_key():
    with override_settings(FERNET_KEYS=[], DEMO_MODE=True):
        Connection.objects.create(
            name="Demo", platform_address="https://api.mews.com", client_token="demo-client-token"
        )

    with override_settings(FERNET_KEYS=[NEW_KEY], DEMO_MODE=True):
        call_command("rotate_token_keys", verbosity=0)

    with override_settings(FERNET_KEYS=[NEW_KEY], DEMO_MODE=False, DEBUG=False):
        assert Connection.objects.get(name="Demo").client_token == "demo-client-token"


@pytest.mark.django_db
def test_rotate_unknown_key_explains_and_changes_nothing():
    with override_settings(FERNET_KEYS=[OLD_KEY]):
        connection = Connection.objects.create(
            name="Hotel", platform_address="https://api.mews.com", client_token="client-secret"
        )
    before = stored_column("connections_connection", "client_token", connection.pk)

    with (
        override_settings(FERNET_KEYS=[NEW_KEY], DEMO_MODE=False, DEBUG=False),
        pytest.raises(CommandError) as error,
    ):
        call_command("rotate_token_keys", verbosity=0)

    assert "List the key it was saved with" in str(error.value)
    assert stored_column("connections_connection", "client_token", connection.pk) == before
