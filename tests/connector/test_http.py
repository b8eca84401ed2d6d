import httpx
import pytest

from orderdesk.connector.http import (
    build_operation_url,
    connector_timeout,
    get_http_client,
    normalize_platform_address,
    register_transport,
    unregister_transport,
)


@pytest.mark.parametrize(
    ("address", "expected"),
    [
        ("https://api.example.test", "https://api.example.test"),
        ("https://api.example.test///", "https://api.example.test"),
        ("https://api.example.test/api/connector/v1", "https://api.example.test"),
        ("https://api.example.test/api/connector/v1/api/connector/v1/", "https://api.example.test"),
        ("http://127.0.0.1:8010/", "http://127.0.0.1:8010"),
    ],
)
def test_normalize_platform_address_strips(address, expected):
    assert normalize_platform_address(address) == expected


@pytest.mark.parametrize("address", ["", "  ", "/", "/api/connector/v1/"])
def test_normalize_platform_address_rejects_empty(address):
    with pytest.raises(ValueError):
        normalize_platform_address(address)


def test_build_operation_url_keeps_case():
    url = build_operation_url("https://x.test/", "reservations/getAll/2023-06-06")

    assert url == "https://x.test/api/connector/v1/reservations/getAll/2023-06-06"


def test_connector_timeout_uses_settings(settings):
    settings.CONNECTOR_CONNECT_TIMEOUT = 2.0
    settings.CONNECTOR_READ_TIMEOUT = 40.0

    timeout = connector_timeout()

    assert timeout.connect == 2.0
    assert timeout.read == 40.0
    assert timeout.pool == 2.0


def test_get_http_client_is_pooled_per_address():
    first = get_http_client("http://pool.test/")
    second = get_http_client("http://pool.test/api/connector/v1")

    assert first is second
    assert get_http_client("http://other.test") is not first


def test_register_transport_routes_requests():
    transport = httpx.MockTransport(lambda request: httpx.Response(200, json={"ok": True}))
    register_transport("http://registered.test", transport)
    try:
        client = get_http_client("http://registered.test/")
        response = client.post("http://registered.test/api/connector/v1/x/y")
        assert response.json() == {"ok": True}
    finally:
        unregister_transport("http://registered.test")

    assert get_http_client("http://registered.test") is not client
