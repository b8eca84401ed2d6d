import pytest
from django.contrib.admin.models import LogEntry
from django.urls import reverse

from orderdesk.connections.forms import TOKEN_PLACEHOLDER
from orderdesk.connections.models import Connection, Property

pytestmark = pytest.mark.django_db

CANARY_CLIENT_TOKEN = "CANARY-CLIENT-TOKEN-5f0e2b"
CANARY_ACCESS_TOKEN = "CANARY-ACCESS-TOKEN-91c7aa"


@pytest.fixture
def connection():
    return Connection.objects.create(
        name="Hotel",
        platform_address="https://api.mews-demo.com",
        client_token=CANARY_CLIENT_TOKEN,
    )


@pytest.fixture
def property(connection):
    return Property.objects.create(
        name="Hotel A", connection=connection, access_token=CANARY_ACCESS_TOKEN
    )


def connection_form_data(**overrides):
    data = {
        "name": "Hotel",
        "platform": "https://api.mews-demo.com",
        "platform_address": "",
        "client_token": TOKEN_PLACEHOLDER,
        "client_name": "",
        "properties-TOTAL_FORMS": "0",
        "properties-INITIAL_FORMS": "0",
    }
    data.update(overrides)
    return data


def test_admin_add_connection(administrator_client):
    response = administrator_client.post(
        reverse("admin:connections_connection_add"),
        connection_form_data(client_token="NEW-CLIENT-TOKEN"),
    )

    assert response.status_code == 302
    assert Connection.objects.get(name="Hotel").client_token == "NEW-CLIENT-TOKEN"


def test_admin_change_page_never_renders_token(administrator_client, property):
    connection_page = administrator_client.get(
        reverse("admin:connections_connection_change", args=[property.connection.pk])
    )
    property_page = administrator_client.get(
        reverse("admin:connections_property_change", args=[property.pk])
    )

    assert connection_page.status_code == 200
    assert CANARY_CLIENT_TOKEN.encode() not in connection_page.content
    assert TOKEN_PLACEHOLDER.encode() in connection_page.content
    assert CANARY_ACCESS_TOKEN.encode() not in property_page.content


def test_admin_placeholder_keeps_stored_token(administrator_client, connection):
    response = administrator_client.post(
        reverse("admin:connections_connection_change", args=[connection.pk]),
        connection_form_data(client_name="Front office"),
    )

    assert response.status_code == 302
    connection.refresh_from_db()
    assert connection.client_token == CANARY_CLIENT_TOKEN
    assert connection.client_name == "Front office"


def test_admin_history_names_fields_not_values(administrator_client, connection):
    administrator_client.post(
        reverse("admin:connections_connection_change", args=[connection.pk]),
        connection_form_data(client_token="REPLACEMENT-TOKEN-abc", client_name="Desk"),
    )

    entry = LogEntry.objects.get(object_id=str(connection.pk))
    message = entry.get_change_message()
    assert "ClientToken" in message
    assert "REPLACEMENT-TOKEN-abc" not in entry.change_message
    assert CANARY_CLIENT_TOKEN not in entry.change_message


def test_admin_placeholder_change_not_in_history(administrator_client, connection):
    administrator_client.post(
        reverse("admin:connections_connection_change", args=[connection.pk]),
        connection_form_data(client_name="Desk"),
    )

    entry = LogEntry.objects.get(object_id=str(connection.pk))
    assert "ClientToken" not in entry.get_change_message()


def test_admin_new_connection_needs_token(administrator_client):
    response = administrator_client.post(
        reverse("admin:connections_connection_add"),
        connection_form_data(client_token=""),
    )

    assert response.status_code == 200
    assert not Connection.objects.exists()
    assert b"Enter the token." in response.content


@pytest.mark.parametrize(
    ("address", "accepted"),
    [
        ("https://mews.example.org", True),
        ("http://127.0.0.1:8010", True),
        ("http://localhost:8010/", True),
        ("http://mews.example.org", False),
        ("ftp://mews.example.org", False),
    ],
)
def test_admin_custom_address_needs_https(administrator_client, address, accepted):
    response = administrator_client.post(
        reverse("admin:connections_connection_add"),
        connection_form_data(platform="custom", platform_address=address, client_token="T-1"),
    )

    assert Connection.objects.exists() is accepted
    if accepted:
        assert Connection.objects.get().platform_address == address.rstrip("/")
    else:
        assert b"must start with https://" in response.content


def test_admin_custom_platform_without_address(administrator_client):
    response = administrator_client.post(
        reverse("admin:connections_connection_add"),
        connection_form_data(platform="custom", client_token="T-1"),
    )

    assert response.status_code == 200
    assert b"Enter the platform address" in response.content


def test_admin_token_with_spaces_rejected(administrator_client):
    response = administrator_client.post(
        reverse("admin:connections_connection_add"),
        connection_form_data(client_token="two words"),
    )

    assert b"A token contains no spaces." in response.content


@pytest.mark.parametrize(
    ("fixture", "status"),
    [
        ("administrator_client", 200),
        ("manager_client", 403),
        ("front_desk_client", 403),
        ("outsider_client", 403),
    ],
)
def test_admin_connections_permission(request, fixture, status, connection):
    client = request.getfixturevalue(fixture)

    response = client.get(reverse("admin:connections_connection_changelist"), follow=True)

    assert response.status_code == status


def test_admin_user_page_hides_superuser_flag(administrator_client, front_desk_user):
    response = administrator_client.get(
        reverse("admin:auth_user_change", args=[front_desk_user.pk])
    )

    assert response.status_code == 200
    assert b'name="is_superuser"' not in response.content
    assert b'name="groups"' in response.content


def property_form_data(connection, **overrides):
    data = {
        "name": "Hotel B",
        "connection": str(connection.pk),
        "access_token": "ACCESS-TOKEN-FOR-B-123",
        "enterprise_id": "",
        "is_active": "on",
    }
    data.update(overrides)
    return data


@pytest.mark.parametrize(
    ("enterprise_id", "stored"),
    [
        ("", ""),
        (" 3FA85F64-5717-4562-B3FC-2C963F66AFA6 ", "3fa85f64-5717-4562-b3fc-2c963f66afa6"),
        ("not-a-uuid", None),
    ],
)
def test_admin_property_enterprise_id_format(
    administrator_client, connection, enterprise_id, stored
):
    response = administrator_client.post(
        reverse("admin:connections_property_add"),
        property_form_data(connection, enterprise_id=enterprise_id),
    )

    property = Property.objects.filter(name="Hotel B").first()
    if stored is None:
        assert property is None
        assert b"An EnterpriseId looks like" in response.content
    else:
        assert property.enterprise_id == stored


def test_admin_add_page_has_no_keep_token_hint(administrator_client):
    response = administrator_client.get(reverse("admin:connections_property_add"))

    assert b"keep the stored token" not in response.content


def test_admin_property_offers_posting_users_only(
    administrator_client, connection, front_desk_user, administrator_user
):
    response = administrator_client.get(reverse("admin:connections_property_add"))

    users = response.context["adminform"].form.fields["users"].queryset
    assert front_desk_user in users
    assert administrator_user not in users


@pytest.fixture
def superuser(django_user_model):
    return django_user_model.objects.create_superuser("root", password="Root-pass-2026x")


@pytest.fixture
def other_administrator(django_user_model):
    from django.contrib.auth.models import Group

    from orderdesk.core.roles import ADMINISTRATOR

    user = django_user_model.objects.create_user("admin2", password="x", is_staff=True)
    user.groups.add(Group.objects.get(name=ADMINISTRATOR))
    return user


def test_admin_cannot_reset_superuser_password(administrator_client, superuser):
    response = administrator_client.post(
        reverse("admin:auth_user_password_change", args=[superuser.pk]),
        {"password1": "Hacked-pass-2026x", "password2": "Hacked-pass-2026x"},
    )

    assert response.status_code == 403
    superuser.refresh_from_db()
    assert superuser.check_password("Root-pass-2026x")


def test_admin_cannot_change_other_administrator(administrator_client, other_administrator):
    page = administrator_client.get(
        reverse("admin:auth_user_change", args=[other_administrator.pk])
    )
    administrator_client.post(
        reverse("admin:auth_user_change", args=[other_administrator.pk]),
        {"username": "admin2", "is_active": "", "groups": []},
    )
    password = administrator_client.get(
        reverse("admin:auth_user_password_change", args=[other_administrator.pk])
    )

    other_administrator.refresh_from_db()
    assert other_administrator.is_active
    assert other_administrator.groups.exists()
    assert b'name="is_active"' not in page.content
    assert password.status_code == 403


def test_admin_cannot_raise_own_role(administrator_client, administrator_user):
    from django.contrib.auth.models import Group

    from orderdesk.core.roles import MANAGER

    manager_group = Group.objects.get(name=MANAGER)
    page = administrator_client.get(reverse("admin:auth_user_change", args=[administrator_user.pk]))

    assert b'name="groups"' not in page.content
    assert b'name="is_staff"' not in page.content
    assert manager_group not in administrator_user.groups.all()


def test_admin_cannot_grant_administrator_role(administrator_client, front_desk_user):

    from orderdesk.core.roles import ADMINISTRATOR

    page = administrator_client.get(reverse("admin:auth_user_change", args=[front_desk_user.pk]))

    groups = page.context["adminform"].form.fields["groups"].queryset
    assert not groups.filter(name=ADMINISTRATOR).exists()
    assert groups.exists()
    assert b'name="is_staff"' not in page.content


def test_admin_can_reset_front_desk_password(administrator_client, front_desk_user):
    response = administrator_client.post(
        reverse("admin:auth_user_password_change", args=[front_desk_user.pk]),
        {"password1": "New-desk-pass-2026x", "password2": "New-desk-pass-2026x"},
    )

    assert response.status_code == 302
    front_desk_user.refresh_from_db()
    assert front_desk_user.check_password("New-desk-pass-2026x")


def test_admin_new_address_needs_token_again(administrator_client, connection):
    response = administrator_client.post(
        reverse("admin:connections_connection_change", args=[connection.pk]),
        connection_form_data(platform="custom", platform_address="https://collector.example.org"),
    )

    assert b"Enter the token again" in response.content
    connection.refresh_from_db()
    assert connection.platform_address == "https://api.mews-demo.com"


def test_admin_new_address_with_token_saved(administrator_client, connection):
    response = administrator_client.post(
        reverse("admin:connections_connection_change", args=[connection.pk]),
        connection_form_data(
            platform="https://api.mews.com", client_token="PRODUCTION-CLIENT-TOKEN-1"
        ),
    )

    assert response.status_code == 302
    connection.refresh_from_db()
    assert connection.platform_address == "https://api.mews.com"
    assert connection.client_token_confirmed
