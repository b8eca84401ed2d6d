"""Helpers for charge tests on the in-process sandbox: fault injection and charge data."""

import uuid
from decimal import Decimal

import httpx

from orderdesk.charges.charge import Account, Charge, CustomItem, ProductLine
from tests.fixtures.properties import SANDBOX_TEST_ADDRESS


def sandbox_control(sandbox) -> httpx.Client:
    """Return an HTTP client for the sandbox's control endpoints."""
    return httpx.Client(transport=httpx.WSGITransport(app=sandbox), base_url=SANDBOX_TEST_ADDRESS)


def inject_fault(sandbox, **fault) -> None:
    """Register a fault through POST /_sandbox/faults, for example fail_status=503."""
    with sandbox_control(sandbox) as control:
        response = control.post("/_sandbox/faults", json=fault)
        response.raise_for_status()


def created_orders_text(sandbox) -> str:
    with sandbox_control(sandbox) as control:
        return control.get("/_sandbox/orders").text


def orders_add_calls(sandbox) -> int:
    return sandbox.request_counts.get("orders/add", 0)


def gross_charge(seed, **overrides) -> Charge:
    """A London charge for the in-house guest: one product and one custom item."""
    values = {
        "key": uuid.uuid4(),
        "service_id": seed.GROSS_RESTAURANT_SERVICE_ID,
        "account": Account(
            id=seed.GROSS_IN_HOUSE_CUSTOMER_ID,
            type="Customer",
            name=seed.GROSS_IN_HOUSE_CUSTOMER_NAME,
        ),
        "product_lines": [ProductLine(product_id=seed.GROSS_SANDWICH_PRODUCT_ID, count=2)],
        "custom_items": [
            CustomItem(
                name="Flowers",
                unit_count=1,
                unit_price=Decimal("12.50"),
                currency="GBP",
                tax_codes=(seed.GROSS_STANDARD_TAX_CODE,),
                accounting_category_id=seed.GROSS_FOOD_ACCOUNTING_CATEGORY_ID,
            )
        ],
    }
    values.update(overrides)
    return Charge(**values)
