import httpx
import pytest
from django.core.cache import cache

from orderdesk.charges.catalogue import cache_key
from orderdesk.connections.models import Connection, Property
from orderdesk.connector.http import register_transport, unregister_transport
from tests.charges.catalogues import make_catalogue

OFFLINE_ADDRESS = "http://offline.test"


@pytest.fixture
def offline_calls():
    """A transport for OFFLINE_ADDRESS that records every Connector API call and returns 400."""
    calls = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(request.url.path)
        return httpx.Response(400, json={"Message": "offline"})

    register_transport(OFFLINE_ADDRESS, httpx.MockTransport(handler))
    yield calls
    unregister_transport(OFFLINE_ADDRESS)


@pytest.fixture
def cached_property(db, offline_calls, front_desk_user, manager_user):
    """A property with a warm in-memory catalogue, assigned to the front desk and the manager."""
    cache.clear()
    connection = Connection.objects.create(
        name="Offline", platform_address=OFFLINE_ADDRESS, client_token="client-token"
    )
    property = Property.objects.create(
        name="Offline hotel", connection=connection, access_token="access-token"
    )
    property.users.add(front_desk_user, manager_user)
    cache.set(cache_key(property), make_catalogue(), 600)
    yield property
    cache.clear()
