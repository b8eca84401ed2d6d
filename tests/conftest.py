import pytest
from django.contrib.auth.models import Group
from django.test import override_settings

from orderdesk.core.roles import ADMINISTRATOR, FRONT_DESK, MANAGER

pytest_plugins = ["tests.fixtures.properties", "tests.fixtures.sandbox", "tests.fixtures.canary"]

PASSWORD = "correct-horse-battery-staple"


@pytest.fixture(scope="session", autouse=True)
def _test_storage_and_hashers():
    """Serve static files without collectstatic and hash passwords quickly in tests.

    The production manifest storage is exercised by its own test, which runs collectstatic.
    """
    with override_settings(
        STORAGES={
            "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        },
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
        SECURE_SSL_REDIRECT=False,
    ):
        yield


def _make_user(django_user_model, username, group_name=None, **extra):
    user = django_user_model.objects.create_user(
        username=username, password=PASSWORD, first_name=username.title(), **extra
    )
    if group_name:
        user.groups.add(Group.objects.get(name=group_name))
    return user


@pytest.fixture
def front_desk_user(db, django_user_model):
    return _make_user(django_user_model, "frontdesk", FRONT_DESK)


@pytest.fixture
def manager_user(db, django_user_model):
    return _make_user(django_user_model, "manager", MANAGER)


@pytest.fixture
def administrator_user(db, django_user_model):
    return _make_user(django_user_model, "administrator", ADMINISTRATOR, is_staff=True)


@pytest.fixture
def outsider_user(db, django_user_model):
    """A logged-in user with no role at all."""
    return _make_user(django_user_model, "outsider")


@pytest.fixture
def front_desk_client(client, front_desk_user):
    client.force_login(front_desk_user)
    return client


@pytest.fixture
def manager_client(client, manager_user):
    client.force_login(manager_user)
    return client


@pytest.fixture
def administrator_client(client, administrator_user):
    client.force_login(administrator_user)
    return client


@pytest.fixture
def outsider_client(client, outsider_user):
    client.force_login(outsider_user)
    return client
