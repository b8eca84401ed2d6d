"""The client's failure handling against the in-process sandbox, through the pooled client."""

from datetime import UTC, datetime, timedelta

import pytest

from orderdesk.connector import (
    ConnectorClient,
    RateLimitedError,
    RuleViolationError,
    ServerError,
    TransportError,
    UnauthorizedError,
)
from orderdesk.connector.ratelimit import NoRateLimiter
from orderdesk.sandbox import seed
from tests.fixtures.properties import SANDBOX_TEST_ADDRESS

ORDER = {
    "ServiceId": seed.GROSS_RESTAURANT_SERVICE_ID,
    "AccountId": seed.GROSS_IN_HOUSE_CUSTOMER_ID,
    "Items": [
        {
            "Name": "Club Sandwich",
            "UnitCount": 1,
            "UnitAmount": {
                "Currency": "GBP",
                "GrossValue": 14,
                "TaxCodes": [seed.GROSS_STANDARD_TAX_CODE],
            },
            "ExternalIdentifier": "client-sandbox-1",
        }
    ],
}


@pytest.fixture
def sleeps():
    return []


@pytest.fixture
def client(sandbox, sleeps):
    return ConnectorClient(
        platform_address=SANDBOX_TEST_ADDRESS + "/api/connector/v1/",
        client_token=seed.CLIENT_TOKEN,
        access_token=seed.GROSS_ACCESS_TOKEN,
        client_name="orderdesk tests",
        rate_limiter=NoRateLimiter(),
        sleep=sleeps.append,
    )


def test_sandbox_client_dropped_order_can_be_read_back(client, sandbox):
    sandbox.faults.inject("orders/add", commit_then_drop=1)
    before = datetime.now(UTC) - timedelta(seconds=1)

    with pytest.raises(TransportError) as caught:
        client.add_order(ORDER)
    items = client.get_order_items(
        account_ids=[seed.GROSS_IN_HOUSE_CUSTOMER_ID],
        created_start=before,
        created_end=datetime.now(UTC),
    )

    assert caught.value.may_have_reached_mews is True
    assert sandbox.request_counts["orders/add"] == 1
    assert [item.external_identifier for item in items] == ["client-sandbox-1"]
    assert items[0].service_order_id == sandbox.state.orders[0]["OrderId"]


def test_sandbox_client_order_not_retried_on_503(client, sandbox):
    sandbox.faults.inject("orders/add", fail_status=503, fail_count=1)

    with pytest.raises(ServerError):
        client.add_order(ORDER)

    assert sandbox.request_counts["orders/add"] == 1
    assert sandbox.state.orders == []


def test_sandbox_client_order_retried_on_429(client, sandbox, sleeps):
    sandbox.faults.inject("orders/add", fail_status=429, fail_count=1)

    result = client.add_order(ORDER)

    assert result.order_id == sandbox.state.orders[0]["OrderId"]
    assert sandbox.request_counts["orders/add"] == 2
    assert sleeps == [1.0]


def test_sandbox_client_read_retried_on_500(client, sandbox, sleeps):
    sandbox.faults.inject("services/getAll", fail_status=500, fail_count=2)

    services = client.get_services()

    assert len(services) == 6
    assert sandbox.request_counts["services/getAll"] == 3
    assert len(sleeps) == 2


def test_sandbox_client_rule_violation_has_message(client, sandbox):
    body = {**ORDER, "BillId": seed.GROSS_CLOSED_BILL_ID}

    with pytest.raises(RuleViolationError) as caught:
        client.add_order(body)

    assert caught.value.status == 403
    assert caught.value.message.startswith("The bill is closed.")
    assert caught.value.request_id


def test_sandbox_client_rate_limit_surfaces(client, sandbox):
    sandbox.rate_limit = 1
    sandbox.rate_window = 300
    client.get_currencies()

    with pytest.raises(RateLimitedError) as caught:
        client.get_currencies()

    assert caught.value.retry_after > 30


def test_sandbox_client_wrong_token_unauthorized(sandbox):
    client = ConnectorClient(
        platform_address=SANDBOX_TEST_ADDRESS,
        client_token=seed.CLIENT_TOKEN,
        access_token="not-a-sandbox-token",
        client_name="orderdesk tests",
        rate_limiter=NoRateLimiter(),
    )

    with pytest.raises(UnauthorizedError) as caught:
        client.get_configuration()

    assert caught.value.status == 401
    assert "not-a-sandbox-token" not in repr(caught.value)
