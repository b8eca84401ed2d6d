from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.test import override_settings

from orderdesk.connections.models import Connection, Property

pytestmark = pytest.mark.django_db


def run_seed_demo(**settings):
    output = StringIO()
    with override_settings(DEMO_MODE=True, **settings):
        call_command("seed_demo", password="Demo-pass-2026", stdout=output)
    return output.getvalue()


def test_seed_demo_creates_users_and_sandbox_properties():
    output = run_seed_demo()

    users = get_user_model().objects.all()
    assert {user.username for user in users} == {"frontdesk", "manager", "admin"}
    assert "frontdesk" in output
    assert "Demo-pass-2026" in output
    assert Connection.objects.get().name == "Sandbox"
    assert Property.objects.count() == 3
    assert all(property.tokens_confirmed for property in Property.objects.all())
    assert set(Property.objects.first().users.values_list("username", flat=True)) == {
        "frontdesk",
        "manager",
    }


def test_seed_demo_again_on_new_sandbox_port():
    run_seed_demo(SANDBOX_ADDRESS="http://127.0.0.1:8010")
    run_seed_demo(SANDBOX_ADDRESS="http://127.0.0.1:8011")

    connection = Connection.objects.get()
    assert connection.platform_address == "http://127.0.0.1:8011"
    assert all(property.tokens_confirmed for property in Property.objects.all())


def test_seed_demo_refused_in_production():
    with (
        override_settings(DEBUG=False, DEMO_MODE=False),
        pytest.raises(CommandError, match="only with DEBUG=1 or ORDERDESK_DEMO=1"),
    ):
        call_command("seed_demo", stdout=StringIO())
