from datetime import timedelta
from decimal import Decimal

import httpx
import pytest
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.test import override_settings
from django.utils import timezone

from orderdesk.charges import accounts
from orderdesk.charges.accounts import AccountRefused, AccountSummary
from orderdesk.charges.catalogue import cache_key
from orderdesk.charges.charge import Account, CustomItem
from orderdesk.charges.models import EventCause, Submission, SubmissionStatus
from orderdesk.charges.reconciliation import settle_submission
from orderdesk.charges.services import KeyOfAnotherUser, post_charge, user_message
from orderdesk.connections.models import Connection, Property
from orderdesk.connections.services import connector_client
from orderdesk.connector.http import register_transport, unregister_transport
from tests.charges.catalogues import make_catalogue
from tests.charges.sandbox_helpers import (
    created_orders_text,
    gross_charge,
    inject_fault,
    orders_add_calls,
)


@pytest.fixture
def seed():
    from orderdesk.sandbox import seed

    return seed


@pytest.fixture
def london(gross_property, front_desk_user, manager_user):
    gross_property.users.add(front_desk_user, manager_user)
    return gross_property


@pytest.fixture
def new_york(net_property, front_desk_user):
    net_property.users.add(front_desk_user)
    return net_property


def test_post_charge_posts_and_records(london, front_desk_user, sandbox, seed):
    charge = gross_charge(seed)

    submission = post_charge(user=front_desk_user, property=london, charge=charge)

    assert submission.status == SubmissionStatus.POSTED
    assert submission.order_id
    assert submission.request_id
    assert submission.duration_ms is not None
    assert submission.order_id in created_orders_text(sandbox)
    assert orders_add_calls(sandbox) == 1
    assert [event.status for event in submission.events.all()] == ["pending", "posted"]
    # Two sandwiches at 14.00 and flowers at 12.50, gross.
    assert submission.totals == {"GBP": "40.50"}
    assert submission.total_amount == Decimal("40.50")
    assert submission.line_count == 2


def test_post_charge_stores_request_without_tokens(london, front_desk_user, sandbox, seed):
    submission = post_charge(user=front_desk_user, property=london, charge=gross_charge(seed))

    body = submission.request_body
    text = str(body)
    assert "AccessToken" not in body
    assert "ClientToken" not in body
    assert "Client" not in body
    assert seed.GROSS_ACCESS_TOKEN not in text
    assert seed.CLIENT_TOKEN not in text
    assert body["Items"][0]["UnitAmount"]["GrossValue"] == 12.5
    assert submission.key.hex in body["ProductOrders"][0]["ExternalIdentifier"]


def test_post_charge_same_key_posts_once(london, front_desk_user, sandbox, seed):
    charge = gross_charge(seed)

    first = post_charge(user=front_desk_user, property=london, charge=charge)
    second = post_charge(user=front_desk_user, property=london, charge=charge)

    assert second.pk == first.pk
    assert orders_add_calls(sandbox) == 1
    assert Submission.objects.count() == 1


def test_post_charge_key_of_other_user(london, front_desk_user, manager_user, sandbox, seed):
    charge = gross_charge(seed)
    post_charge(user=front_desk_user, property=london, charge=charge)

    with pytest.raises(KeyOfAnotherUser):
        post_charge(user=manager_user, property=london, charge=charge)
    assert orders_add_calls(sandbox) == 1


def test_post_charge_rejects_cashlist_guest(london, front_desk_user, sandbox, seed):
    account = Account(id=seed.GROSS_CASHLIST_CUSTOMER_ID, type="Customer")

    with pytest.raises(AccountRefused, match="Cashlist"):
        post_charge(
            user=front_desk_user, property=london, charge=gross_charge(seed, account=account)
        )
    assert orders_add_calls(sandbox) == 0
    assert not Submission.objects.exists()


@pytest.mark.parametrize("bill", ["GROSS_COMPANION_OPEN_BILL_ID", "GROSS_CLOSED_BILL_ID"])
def test_post_charge_rejects_foreign_or_closed_bill(london, front_desk_user, sandbox, seed, bill):
    charge = gross_charge(seed, bill_id=getattr(seed, bill))

    with pytest.raises(AccountRefused) as refusal:
        post_charge(user=front_desk_user, property=london, charge=charge)
    assert refusal.value.field == "bill_id"
    assert orders_add_calls(sandbox) == 0


def test_post_charge_accepts_own_open_bill(london, front_desk_user, sandbox, seed):
    charge = gross_charge(seed, bill_id=seed.GROSS_OPEN_BILL_ID)

    submission = post_charge(user=front_desk_user, property=london, charge=charge)

    assert submission.status == SubmissionStatus.POSTED
    assert submission.request_body["BillId"] == seed.GROSS_OPEN_BILL_ID


def test_post_charge_rejects_foreign_reservation(london, front_desk_user, sandbox, seed):
    charge = gross_charge(seed, linked_reservation_id=seed.GROSS_CASHLIST_RESERVATION_ID)

    with pytest.raises(AccountRefused) as refusal:
        post_charge(user=front_desk_user, property=london, charge=charge)
    assert refusal.value.field == "linked_reservation_id"


def test_post_charge_links_own_reservation(london, front_desk_user, sandbox, seed):
    charge = gross_charge(seed, linked_reservation_id=seed.GROSS_IN_HOUSE_RESERVATION_ID)

    submission = post_charge(user=front_desk_user, property=london, charge=charge)

    assert submission.status == SubmissionStatus.POSTED


def test_post_charge_company_account(london, front_desk_user, sandbox, seed):
    account = Account(id=seed.GROSS_COMPANY_ID, type="Company", name=seed.GROSS_COMPANY_NAME)

    submission = post_charge(
        user=front_desk_user, property=london, charge=gross_charge(seed, account=account)
    )

    assert submission.status == SubmissionStatus.POSTED
    assert submission.account_type == "Company"


def test_post_charge_unassigned_property_denied(gross_property, front_desk_user, sandbox, seed):
    with pytest.raises(PermissionDenied):
        post_charge(user=front_desk_user, property=gross_property, charge=gross_charge(seed))
    assert not Submission.objects.exists()


def test_post_charge_without_permission_denied(london, outsider_user, sandbox, seed):
    london.users.add(outsider_user)

    with pytest.raises(PermissionDenied):
        post_charge(user=outsider_user, property=london, charge=gross_charge(seed))


def test_post_charge_net_property_sends_net_value(new_york, front_desk_user, sandbox, seed):
    item = CustomItem(
        name="Cake",
        unit_count=2,
        unit_price=Decimal("10.00"),
        currency="USD",
        tax_codes=seed.NET_FOOD_TAX_CODES,
        accounting_category_id=seed.NET_FOOD_ACCOUNTING_CATEGORY_ID,
    )
    charge = gross_charge(
        seed,
        service_id=seed.NET_RESTAURANT_SERVICE_ID,
        account=Account(id=seed.NET_IN_HOUSE_CUSTOMER_ID, type="Customer"),
        product_lines=[],
        custom_items=[item],
    )

    submission = post_charge(user=front_desk_user, property=new_york, charge=charge)

    assert submission.status == SubmissionStatus.POSTED, submission.error_message
    amount = submission.request_body["Items"][0]["UnitAmount"]
    assert amount["NetValue"] == 10
    assert "GrossValue" not in amount


def test_post_charge_totals_match_what_mews_booked(new_york, front_desk_user, sandbox, seed):
    item = CustomItem(
        name="Room service",
        unit_count=3,
        unit_price=Decimal("33.33"),
        currency="USD",
        tax_codes=(*seed.NET_FOOD_TAX_CODES, seed.NET_HOTEL_TAX_CODE),
        accounting_category_id=seed.NET_FOOD_ACCOUNTING_CATEGORY_ID,
    )
    charge = gross_charge(
        seed,
        service_id=seed.NET_RESTAURANT_SERVICE_ID,
        account=Account(id=seed.NET_IN_HOUSE_CUSTOMER_ID, type="Customer"),
        product_lines=[],
        custom_items=[item],
    )

    submission = post_charge(user=front_desk_user, property=new_york, charge=charge)

    items = connector_client(new_york).get_order_items(
        account_ids=[seed.NET_IN_HOUSE_CUSTOMER_ID],
        created_start=submission.created_at - timedelta(minutes=1),
        created_end=submission.created_at + timedelta(minutes=1),
    )
    booked = sum((order_item.amount.gross_value for order_item in items), Decimal(0))
    assert Decimal(submission.totals["USD"]) == booked


def test_post_charge_portfolio_property(portfolio_property, front_desk_user, sandbox, seed):
    portfolio_property.users.add(front_desk_user)
    charge = gross_charge(
        seed,
        service_id=seed.NET_RESTAURANT_SERVICE_ID,
        account=Account(id=seed.NET_IN_HOUSE_CUSTOMER_ID, type="Customer"),
        product_lines=[],
        custom_items=[
            CustomItem(
                name="Cake",
                unit_count=1,
                unit_price=Decimal("5"),
                currency="USD",
                tax_codes=(seed.NET_STATE_TAX_CODE,),
                accounting_category_id=seed.NET_FOOD_ACCOUNTING_CATEGORY_ID,
            )
        ],
    )

    submission = post_charge(user=front_desk_user, property=portfolio_property, charge=charge)

    assert submission.status == SubmissionStatus.POSTED, submission.error_message
    assert submission.enterprise_id == seed.NET_ENTERPRISE_ID


@pytest.mark.parametrize("status", [400, 401, 403, 404, 409])
def test_post_charge_rejected_statuses(london, front_desk_user, sandbox, seed, status):
    inject_fault(sandbox, operation="orders/add", fail_status=status, fail_count=1)

    submission = post_charge(user=front_desk_user, property=london, charge=gross_charge(seed))

    assert submission.status == SubmissionStatus.REJECTED
    assert submission.http_status == status
    assert submission.request_id
    assert submission.request_id in user_message(submission)
    assert orders_add_calls(sandbox) == 1


def test_post_charge_rule_violation_shows_message(london, front_desk_user, sandbox, seed):
    # The sandbox rejects a gross value with two tax codes as a business rule (403).
    item = CustomItem(
        name="Two taxes",
        unit_count=1,
        unit_price=Decimal("10"),
        currency="GBP",
        tax_codes=(seed.GROSS_STANDARD_TAX_CODE, seed.GROSS_REDUCED_TAX_CODE),
        accounting_category_id=seed.GROSS_FOOD_ACCOUNTING_CATEGORY_ID,
    )

    submission = post_charge(
        user=front_desk_user,
        property=london,
        charge=gross_charge(seed, product_lines=[], custom_items=[item]),
    )

    assert submission.status == SubmissionStatus.REJECTED
    assert submission.http_status == 403
    assert submission.error_message
    assert submission.error_message in user_message(submission)


def test_user_message_per_rejection(london, front_desk_user, sandbox, seed):
    messages = {}
    for status in (400, 401, 404):
        inject_fault(sandbox, operation="orders/add", fail_status=status, fail_count=1)
        submission = post_charge(user=front_desk_user, property=london, charge=gross_charge(seed))
        messages[status] = user_message(submission)

    assert "integration needs attention" in messages[400]
    assert "integration needs attention" in messages[404]
    assert "not authorised" in messages[401]


@override_settings(CONNECTOR_MAX_POST_WAIT=0)
def test_post_charge_rate_limited_not_posted(london, front_desk_user, sandbox, seed):
    inject_fault(sandbox, operation="orders/add", fail_status=429, fail_count=1)

    submission = post_charge(user=front_desk_user, property=london, charge=gross_charge(seed))

    assert submission.status == SubmissionStatus.NOT_POSTED
    assert submission.http_status == 429
    assert "post it again" in user_message(submission)


@pytest.mark.parametrize("status", [408, 500, 503])
def test_post_charge_unknown_statuses(london, front_desk_user, sandbox, seed, status):
    inject_fault(sandbox, operation="orders/add", fail_status=status, fail_count=1)

    submission = post_charge(user=front_desk_user, property=london, charge=gross_charge(seed))

    # The order was not created and the grace period has not passed, so it stays unknown.
    assert submission.status == SubmissionStatus.UNKNOWN
    assert "Do not post it again" in user_message(submission)
    assert orders_add_calls(sandbox) == 1


def test_unknown_settles_not_posted_after_grace(london, front_desk_user, sandbox, seed):
    inject_fault(sandbox, operation="orders/add", fail_status=503, fail_count=1)
    submission = post_charge(user=front_desk_user, property=london, charge=gross_charge(seed))
    Submission.objects.filter(pk=submission.pk).update(
        sent_at=timezone.now() - timedelta(minutes=3)
    )

    settled = settle_submission(submission=submission, cause=EventCause.RECONCILIATION)

    assert settled.status == SubmissionStatus.NOT_POSTED
    assert settled.events.last().cause == EventCause.RECONCILIATION
    assert orders_add_calls(sandbox) == 1


def test_response_lost_settles_posted(london, front_desk_user, sandbox, seed):
    inject_fault(sandbox, operation="orders/add", commit_then_drop=1)

    submission = post_charge(user=front_desk_user, property=london, charge=gross_charge(seed))

    assert submission.status == SubmissionStatus.POSTED
    assert [order["OrderId"] for order in sandbox.state.orders] == [submission.order_id]
    assert [event.status for event in submission.events.all()] == ["pending", "unknown", "posted"]
    assert orders_add_calls(sandbox) == 1


def test_settle_submission_by_manager(london, front_desk_user, manager_user, sandbox, seed):
    inject_fault(sandbox, operation="orders/add", fail_status=500, fail_count=1)
    submission = post_charge(user=front_desk_user, property=london, charge=gross_charge(seed))
    Submission.objects.filter(pk=submission.pk).update(
        sent_at=timezone.now() - timedelta(minutes=5)
    )

    settled = settle_submission(submission=submission, actor=manager_user, cause=EventCause.MANAGER)

    event = settled.events.last()
    assert settled.status == SubmissionStatus.NOT_POSTED
    assert event.actor == manager_user
    assert event.cause == EventCause.MANAGER


def test_settle_submission_leaves_final_status(london, front_desk_user, sandbox, seed):
    submission = post_charge(user=front_desk_user, property=london, charge=gross_charge(seed))

    settled = settle_submission(submission=submission)

    assert settled.status == SubmissionStatus.POSTED
    assert settled.events.count() == 2


@pytest.fixture
def unreachable_property(db, front_desk_user, seed):
    """A property whose platform refuses every connection, with a warm catalogue and account."""

    def refuse(request):
        raise httpx.ConnectError("connection refused", request=request)

    register_transport("http://refused.test", httpx.MockTransport(refuse))
    connection = Connection.objects.create(
        name="Refused", platform_address="http://refused.test", client_token="client-token"
    )
    property = Property.objects.create(
        name="Refused", connection=connection, access_token="access-token"
    )
    property.users.add(front_desk_user)
    cache.set(cache_key(property), make_catalogue(), 60)
    account = AccountSummary(id=seed.GROSS_IN_HOUSE_CUSTOMER_ID, type="Customer", name="Guest")
    cache.set(accounts._key("account", property, account.id), account, 60)
    yield property
    unregister_transport("http://refused.test")


def test_post_charge_connection_refused_not_posted(unreachable_property, front_desk_user, seed):
    # The client retries a refused connection with real backoff sleeps (1.75 to 3.5 s in all).
    charge = gross_charge(seed, product_lines=[], custom_items=[])

    submission = post_charge(user=front_desk_user, property=unreachable_property, charge=charge)

    assert submission.status == SubmissionStatus.NOT_POSTED
    assert "could not be reached" in user_message(submission)


def test_post_charge_override_needs_permission(london, front_desk_user, sandbox, seed):
    from orderdesk.charges.charge import ProductLine

    line = ProductLine(product_id=seed.GROSS_SANDWICH_PRODUCT_ID, count=1, unit_price=Decimal(1))

    with pytest.raises(AccountRefused, match="override"):
        post_charge(
            user=front_desk_user,
            property=london,
            charge=gross_charge(seed, product_lines=[line], custom_items=[]),
        )
    assert orders_add_calls(sandbox) == 0


def test_post_charge_rebate_needs_permission(london, front_desk_user, sandbox, seed):
    rebate = CustomItem(
        name="Discount",
        unit_count=1,
        unit_price=Decimal("-5"),
        currency="GBP",
        tax_codes=(seed.GROSS_STANDARD_TAX_CODE,),
        accounting_category_id=seed.GROSS_FOOD_ACCOUNTING_CATEGORY_ID,
    )

    with pytest.raises(AccountRefused, match="rebate"):
        post_charge(
            user=front_desk_user,
            property=london,
            charge=gross_charge(seed, product_lines=[], custom_items=[rebate]),
        )
    assert orders_add_calls(sandbox) == 0


def test_post_charge_manager_posts_rebate(london, manager_user, sandbox, seed):
    rebate = CustomItem(
        name="Discount",
        unit_count=1,
        unit_price=Decimal("-5"),
        currency="GBP",
        tax_codes=(seed.GROSS_STANDARD_TAX_CODE,),
        accounting_category_id=seed.GROSS_FOOD_ACCOUNTING_CATEGORY_ID,
    )
    charge = gross_charge(seed, custom_items=[rebate])

    submission = post_charge(user=manager_user, property=london, charge=charge)

    assert submission.status == SubmissionStatus.POSTED, submission.error_message


def test_post_charge_unauthorised_marks_property(london, front_desk_user, sandbox, seed):
    inject_fault(sandbox, operation="orders/add", fail_status=401, fail_count=1)

    submission = post_charge(user=front_desk_user, property=london, charge=gross_charge(seed))

    london.refresh_from_db()
    assert london.last_auth_failure_at is not None
    assert london.last_auth_failure_request_id == submission.request_id


def test_post_charge_refuses_outer_transaction(london, front_desk_user, sandbox, seed):
    from django.db import transaction

    with pytest.raises(RuntimeError), transaction.atomic():
        post_charge(user=front_desk_user, property=london, charge=gross_charge(seed))
    assert orders_add_calls(sandbox) == 0
