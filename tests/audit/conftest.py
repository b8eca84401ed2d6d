"""Submissions and properties for the audit history tests, written straight to the database."""

import itertools
from datetime import UTC, datetime
from decimal import Decimal

import pytest

from orderdesk.charges.models import AccountType, Submission, SubmissionStatus
from orderdesk.connections.models import Connection, Property

_order_numbers = itertools.count(1)


@pytest.fixture
def seed():
    """The sandbox's fixed data: its hotels, accounts, services and tokens."""
    from orderdesk.sandbox import seed

    return seed


@pytest.fixture
def audit_property(db):
    connection = Connection.objects.create(
        name="Audit", platform_address="http://127.0.0.1:9/", client_token="client-secret-token"
    )
    return Property.objects.create(
        name="Audit Hotel", connection=connection, access_token="access-secret-token"
    )


@pytest.fixture
def other_property(audit_property):
    return Property.objects.create(
        name="Other Hotel", connection=audit_property.connection, access_token="other-token"
    )


@pytest.fixture
def make_submission(audit_property):
    """Return a function that stores a posted submission; keyword arguments override fields."""

    def make(**fields):
        number = next(_order_numbers)
        total = fields.pop("total", Decimal("12.50"))
        currency = fields.pop("currency", "GBP")
        values = {
            "created_at": datetime(2026, 11, 20, 12, 0, tzinfo=UTC),
            "property": audit_property,
            "service_id": "service-restaurant",
            "service_name": "Restaurant",
            "account_id": f"account-{number}",
            "account_type": AccountType.CUSTOMER,
            "account_name": "Zoë Müller",
            "status": SubmissionStatus.POSTED,
            "request_body": {
                "ServiceId": "service-restaurant",
                "AccountId": f"account-{number}",
                "Items": [{"Name": "Crème brûlée", "UnitCount": 1}],
            },
            "line_count": 1,
            "totals": {currency: str(total)},
            "total_amount": total,
            "currency": currency,
            "order_id": f"order-{number}",
            "request_id": f"request-{number}",
            "http_status": 200,
        }
        values.update(fields)
        return Submission.objects.create(**values)

    return make
