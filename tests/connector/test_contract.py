"""The client against a Connector API: the offline sandbox always, the Mews demo on request.

The Mews demo run needs ORDERDESK_LIVE_TESTS=1 and the public demo tokens (Mews publishes them
in its environments guide) in MEWS_DEMO_CLIENT_TOKEN and MEWS_DEMO_ACCESS_TOKEN. It posts one
small charge to the demo hotel.
"""

import os
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from orderdesk.connector import ConnectorClient
from orderdesk.connector.ratelimit import NoRateLimiter, SlidingWindowRateLimiter
from orderdesk.sandbox import seed
from tests.fixtures.properties import SANDBOX_TEST_ADDRESS

MEWS_DEMO_ADDRESS = "https://api.mews-demo.com"


@dataclass
class Target:
    client: ConnectorClient
    sandbox: object | None


def _live_client(request) -> ConnectorClient:
    if os.environ.get("ORDERDESK_LIVE_TESTS") != "1":
        pytest.skip("Mews demo contract run is off: set ORDERDESK_LIVE_TESTS=1 to run it.")
    client_token = os.environ.get("MEWS_DEMO_CLIENT_TOKEN")
    access_token = os.environ.get("MEWS_DEMO_ACCESS_TOKEN")
    if not client_token or not access_token:
        pytest.skip("Set MEWS_DEMO_CLIENT_TOKEN and MEWS_DEMO_ACCESS_TOKEN for the Mews demo.")
    request.getfixturevalue("db")
    return ConnectorClient(
        platform_address=MEWS_DEMO_ADDRESS,
        client_token=client_token,
        access_token=access_token,
        client_name="orderdesk contract tests",
        rate_limiter=SlidingWindowRateLimiter(),
    )


@pytest.fixture(params=["sandbox", pytest.param("live", marks=pytest.mark.live)])
def target(request):
    if request.param == "live":
        return Target(client=_live_client(request), sandbox=None)
    app = request.getfixturevalue("sandbox")
    client = ConnectorClient(
        platform_address=SANDBOX_TEST_ADDRESS,
        client_token=seed.CLIENT_TOKEN,
        access_token=seed.GROSS_ACCESS_TOKEN,
        client_name="orderdesk contract tests",
        rate_limiter=NoRateLimiter(),
    )
    return Target(client=client, sandbox=app)


def _in_house_guest(client):
    """Find a checked-in guest by searching the rooms one by one."""
    for resource in list(client.get_resources())[:40]:
        for result in client.search_customers(resource_id=resource.id):
            if result.reservation is not None:
                return result, resource
    pytest.fail("No in-house guest found in any room.")


def _valid_tax_code(client, enterprise, moment):
    environment = next(
        e for e in client.get_tax_environments() if e.code == enterprise.tax_environment_code
    )
    rates = client.get_taxations().rates_for(environment.taxation_codes)
    return next(r.code for r in rates if r.strategy == "Relative" and r.is_valid_at(moment))


def test_contract_configuration(target):
    configuration = target.client.get_configuration()

    enterprise = configuration.enterprise
    assert configuration.now_utc.tzinfo is not None
    assert enterprise.pricing in {"Gross", "Net"}
    assert enterprise.default_currency in enterprise.accepted_currency_codes
    assert enterprise.accounting_editable_history_interval.startswith("P")
    assert enterprise.time_zone_identifier


def test_contract_catalogue(target):
    client = target.client
    services = client.get_services()
    additional = [s for s in services if s.type == "Additional" and s.is_active]
    products = client.get_products(service_ids=[s.id for s in additional])
    categories = client.get_accounting_categories()
    segments = client.get_business_segments(service_ids=[s.id for s in services])
    currencies = client.get_currencies()

    assert additional
    assert any(s.is_bookable for s in services)
    assert products
    assert all(p.price is None or isinstance(p.price.currency, str) for p in products)
    assert categories
    assert all(isinstance(s.name, str) for s in segments)
    assert all(isinstance(c.precision, int) for c in currencies)


def test_contract_taxes(target):
    client = target.client
    enterprise = client.get_configuration().enterprise
    environments = {e.code: e for e in client.get_tax_environments()}
    taxations = client.get_taxations()

    environment = environments[enterprise.tax_environment_code]
    rates = taxations.rates_for(environment.taxation_codes)
    assert rates
    assert all(isinstance(rate.value, Decimal) for rate in rates)


def test_contract_guest_lookup(target):
    client = target.client
    result, resource = _in_house_guest(client)
    customer = result.customer
    by_id = client.get_customers(customer_ids=[customer.id])
    by_name = client.search_customers(name=customer.last_name)
    reservations = client.get_reservations(account_ids=[result.reservation.owner_id])
    bills = client.get_bills(account_ids=[customer.id], state=None)

    assert result.reservation.assigned_resource_id == resource.id
    assert [c.id for c in by_id] == [customer.id]
    assert customer.id in {r.customer.id for r in by_name}
    assert result.reservation.id in {r.id for r in reservations}
    assert all(b.account_id == customer.id for b in bills)


def test_contract_companies(target):
    companies = target.client.get_companies()
    named = target.client.get_companies(name=companies[0].name)

    assert companies[0].id in {c.id for c in named}


def test_contract_order_round_trip(target):
    client = target.client
    enterprise = client.get_configuration().enterprise
    service = next(s for s in client.get_services() if s.type == "Additional" and s.is_active)
    result, _ = _in_house_guest(client)
    before = datetime.now(UTC) - timedelta(seconds=5)
    external_id = f"orderdesk-contract-{uuid.uuid4()}"
    value_field = "GrossValue" if enterprise.pricing == "Gross" else "NetValue"
    body = {
        "ServiceId": service.id,
        "AccountId": result.customer.id,
        "LinkedReservationId": result.reservation.id,
        "Notes": "orderdesk contract test",
        "Items": [
            {
                "Name": "Contract test item",
                "UnitCount": 1,
                "UnitAmount": {
                    "Currency": enterprise.default_currency,
                    value_field: Decimal("1.00"),
                    "TaxCodes": [_valid_tax_code(client, enterprise, before)],
                },
                "ExternalIdentifier": external_id,
            }
        ],
    }

    added = client.add_order(body)
    items = client.get_order_items(
        account_ids=[result.customer.id],
        created_start=before,
        created_end=datetime.now(UTC) + timedelta(seconds=5),
    )

    assert added.order_id
    assert added.request_id
    matching = [item for item in items if item.external_identifier == external_id]
    assert len(matching) == 1
    assert matching[0].service_order_id == added.order_id
