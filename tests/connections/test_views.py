import pytest
from django.contrib.admin.models import LogEntry
from django.urls import reverse

from orderdesk.connections.models import Property
from orderdesk.connections.services import connector_client

pytestmark = pytest.mark.django_db


def test_connection_list_shows_properties(administrator_client, gross_property):
    response = administrator_client.get(reverse("connections:list"))

    assert response.status_code == 200
    assert gross_property.name.encode() in response.content
    assert gross_property.access_token.encode() not in response.content


def test_property_test_shows_enterprise_details(administrator_client, gross_property):
    configuration = connector_client(gross_property).get_configuration()

    response = administrator_client.post(
        reverse("connections:test_property", args=[gross_property.pk])
    )

    assert response.status_code == 200
    body = response.content.decode()
    assert configuration.enterprise.name in body
    assert "Europe/London" in body
    assert "Gross" in body
    assert "GBP" in body
    gross_property.refresh_from_db()
    assert gross_property.last_checked_at is not None


def test_connection_test_covers_every_property(administrator_client, gross_property, net_property):
    response = administrator_client.post(
        reverse("connections:test_connection", args=[gross_property.connection.pk])
    )

    body = response.content.decode()
    assert "Europe/London" in body
    assert "America/New_York" in body
    assert "Net" in body


def test_property_test_bad_token_shows_unauthorised(administrator_client, gross_property):
    gross_property.access_token = "WRONG-ACCESS-TOKEN"
    gross_property.save()

    response = administrator_client.post(
        reverse("connections:test_property", args=[gross_property.pk])
    )

    assert response.status_code == 200
    assert b"did not authorise" in response.content
    assert b"Request-Id" in response.content
    gross_property.refresh_from_db()
    assert gross_property.last_auth_failure_at is not None
    assert gross_property.last_auth_failure_request_id


def test_portfolio_token_lists_enterprises(administrator_client, portfolio_property):
    from orderdesk.sandbox import seed

    portfolio_property.enterprise_id = ""
    portfolio_property.save()

    response = administrator_client.post(
        reverse("connections:test_property", args=[portfolio_property.pk])
    )

    body = response.content.decode()
    assert seed.GROSS_ENTERPRISE_ID in body
    assert seed.NET_ENTERPRISE_ID in body
    assert "choose the one this property posts to" in body
    assert "Connected" not in body


def test_property_test_enterprise_not_covered(administrator_client, gross_property):
    from orderdesk.sandbox import seed

    gross_property.enterprise_id = seed.NET_ENTERPRISE_ID
    gross_property.save()

    response = administrator_client.post(
        reverse("connections:test_property", args=[gross_property.pk])
    )

    body = response.content.decode()
    assert "does not cover the EnterpriseId" in body
    assert "Connected" not in body
    gross_property.refresh_from_db()
    assert gross_property.last_checked_at is None


def test_choose_enterprise_sets_id_and_history(
    administrator_client, administrator_user, portfolio_property
):
    from orderdesk.sandbox import seed

    response = administrator_client.post(
        reverse("connections:choose_enterprise", args=[portfolio_property.pk]),
        {"enterprise_id": seed.GROSS_ENTERPRISE_ID},
    )

    assert response.status_code == 302
    portfolio_property.refresh_from_db()
    assert portfolio_property.enterprise_id == seed.GROSS_ENTERPRISE_ID
    entry = LogEntry.objects.get(object_id=str(portfolio_property.pk))
    assert entry.user == administrator_user
    assert "EnterpriseId" in entry.get_change_message()


def test_choose_enterprise_not_covered(administrator_client, gross_property):
    response = administrator_client.post(
        reverse("connections:choose_enterprise", args=[gross_property.pk]),
        {"enterprise_id": "00000000-0000-0000-0000-000000000000"},
        follow=True,
    )

    assert b"does not cover" in response.content
    assert Property.objects.get(pk=gross_property.pk).enterprise_id == ""


ROLE_CLIENTS = ["administrator_client", "manager_client", "front_desk_client", "outsider_client"]


@pytest.mark.parametrize("fixture", ROLE_CLIENTS)
@pytest.mark.parametrize(
    ("url_name", "method"),
    [
        ("connections:list", "get"),
        ("connections:test_connection", "post"),
        ("connections:test_property", "post"),
        ("connections:choose_enterprise", "post"),
    ],
)
def test_connections_views_permission(request, fixture, url_name, method, gross_property):
    client = request.getfixturevalue(fixture)
    pk = gross_property.connection.pk if url_name == "connections:test_connection" else None
    args = [] if url_name == "connections:list" else [pk or gross_property.pk]

    response = getattr(client, method)(reverse(url_name, args=args))

    if fixture == "administrator_client":
        assert response.status_code in (200, 302)
    else:
        assert response.status_code == 403


def test_property_test_unreachable_platform(administrator_client, gross_property):
    connection = gross_property.connection
    # Nothing listens on port 9 of this machine, so the connection is refused at once.
    connection.platform_address = "http://127.0.0.1:9"
    connection.client_token = "CLIENT-TOKEN-FOR-PORT-9"
    connection.save()
    gross_property.access_token = "ACCESS-TOKEN-FOR-PORT-9"
    gross_property.save()

    response = administrator_client.post(
        reverse("connections:test_property", args=[gross_property.pk])
    )

    assert b"could not reach Mews at http://127.0.0.1:9" in response.content


def test_changed_address_keeps_tokens_home(administrator_client, gross_property, sandbox):
    connection = gross_property.connection
    connection.platform_address = "https://collector.example.org"
    connection.save()
    calls_before = sum(sandbox.request_counts.values())

    response = administrator_client.post(
        reverse("connections:test_property", args=[gross_property.pk])
    )

    assert b"enter the ClientToken and the AccessToken again" in response.content
    assert sum(sandbox.request_counts.values()) == calls_before


def test_reentered_tokens_confirm_new_address(gross_property):
    connection = gross_property.connection
    connection.platform_address = "https://mews.example.org"
    connection.client_token = "REENTERED-CLIENT-TOKEN-1"
    connection.save()

    assert not gross_property.tokens_confirmed

    gross_property.connection = connection
    gross_property.access_token = "REENTERED-ACCESS-TOKEN-1"
    gross_property.save()
    gross_property.refresh_from_db()

    assert gross_property.tokens_confirmed
