import re
import uuid
from datetime import timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from orderdesk.charges.models import Submission, SubmissionStatus
from tests.charges.sandbox_helpers import inject_fault, orders_add_calls


@pytest.fixture
def seed():
    from orderdesk.sandbox import seed

    return seed


@pytest.fixture
def london(gross_property, front_desk_user):
    gross_property.users.add(front_desk_user)
    return gross_property


def form_data(property, seed, **overrides):
    data = {
        "property": str(property.pk),
        "submission_key": str(uuid.uuid4()),
        "service_id": seed.GROSS_RESTAURANT_SERVICE_ID,
        "account_id": seed.GROSS_IN_HOUSE_CUSTOMER_ID,
        "account_type": "Customer",
        "account_name": seed.GROSS_IN_HOUSE_CUSTOMER_NAME,
        "products-TOTAL_FORMS": "2",
        "products-INITIAL_FORMS": "0",
        "products-0-product_id": seed.GROSS_SANDWICH_PRODUCT_ID,
        "products-0-count": "1",
        "products-1-count": "1",
        "items-TOTAL_FORMS": "1",
        "items-INITIAL_FORMS": "0",
        "items-0-name": "Birthday cake",
        "items-0-unit_count": "1",
        "items-0-unit_price": "15.00",
        "items-0-currency": "GBP",
        "items-0-tax_codes": seed.GROSS_STANDARD_TAX_CODE,
        "items-0-accounting_category_id": seed.GROSS_FOOD_ACCOUNTING_CATEGORY_ID,
        "notes": "Zimmer 12A – crème brûlée 🎂",
    }
    data.update(overrides)
    return data


def test_room_search_then_post_shows_order(london, front_desk_client, sandbox, seed):
    search = front_desk_client.get(
        reverse("charges:account_search"),
        {"property": london.pk, "q": seed.GROSS_IN_HOUSE_ROOM, "kind": "room"},
    )
    assert seed.GROSS_IN_HOUSE_CUSTOMER_NAME in search.text

    response = front_desk_client.post(reverse("charges:new"), form_data(london, seed))

    assert response.status_code == 303
    submission = Submission.objects.get()
    assert response["Location"] == reverse("charges:result", args=[submission.key])
    result = front_desk_client.get(response["Location"])
    assert submission.order_id in result.text
    assert "Birthday cake" in result.text
    assert "15.00 GBP" in result.text
    assert "Post another charge for this account" in result.text
    mine = front_desk_client.get(reverse("charges:mine"))
    assert submission.order_id in mine.text
    assert orders_add_calls(sandbox) == 1
    order = sandbox.state.orders[0]
    assert order["Notes"] == "Zimmer 12A – crème brûlée 🎂"
    assert order["LinkedReservationId"] is None
    cake = next(item for item in order["OrderItems"] if item["BillingName"] == "Birthday cake")
    assert Decimal(str(cake["UnitAmount"]["GrossValue"])) == Decimal("15.00")


def test_double_submit_posts_once(london, front_desk_client, sandbox, seed):
    data = form_data(london, seed)

    first = front_desk_client.post(reverse("charges:new"), data)
    second = front_desk_client.post(reverse("charges:new"), data)

    assert first.status_code == 303
    assert second.status_code == 303
    assert second["Location"] == first["Location"]
    assert orders_add_calls(sandbox) == 1


def test_changed_resubmit_says_nothing_new_posted(london, front_desk_client, sandbox, seed):
    first = form_data(london, seed)
    front_desk_client.post(reverse("charges:new"), first)
    changed = {**first, "products-0-count": "5"}

    response = front_desk_client.post(reverse("charges:new"), changed, follow=True)

    assert len(sandbox.state.orders) == 1
    assert "nothing new was posted" in response.text


def test_result_shows_consumption_in_property_zone(london, front_desk_client, sandbox, seed):
    soon = timezone.localtime(timezone.now() + timedelta(days=1), ZoneInfo("Europe/London"))
    typed = soon.strftime("%Y-%m-%dT%H:%M")
    data = form_data(london, seed, consumed_at=typed)

    response = front_desk_client.post(reverse("charges:new"), data, follow=True)

    assert soon.strftime("%Y-%m-%d %H:%M") in response.text
    assert Submission.objects.get().consumption_utc() is not None


@pytest.mark.parametrize(
    ("field", "value"), [("submission_key", "notauuid"), ("account_type", "Bogus")]
)
def test_tampered_hidden_field_shows_message(
    london, front_desk_client, sandbox, seed, field, value
):
    response = front_desk_client.post(
        reverse("charges:new"), form_data(london, seed, **{field: value})
    )

    assert response.status_code == 200
    assert "reload the page" in response.text
    assert not sandbox.state.orders


def test_cashlist_guest_refused_by_view(london, front_desk_client, sandbox, seed):
    data = form_data(london, seed, account_id=seed.GROSS_CASHLIST_CUSTOMER_ID, account_name="")

    response = front_desk_client.post(reverse("charges:new"), data)

    assert response.status_code == 200
    assert "Cashlist" in response.text
    assert "Birthday cake" in response.text
    assert orders_add_calls(sandbox) == 0


def test_cashlist_badge_in_search(london, front_desk_client, sandbox, seed):
    response = front_desk_client.get(
        reverse("charges:account_search"),
        {"property": london.pk, "q": seed.GROSS_CASHLIST_ROOM, "kind": "room"},
    )

    assert "Cashlist: no post" in response.text
    assert "Charge this account" not in response.text


def test_rule_violation_rerenders_with_new_key(london, front_desk_client, sandbox, seed):
    inject_fault(sandbox, operation="orders/add", fail_status=403, fail_count=1)
    data = form_data(london, seed)

    response = front_desk_client.post(reverse("charges:new"), data)

    assert response.status_code == 200
    assert "Mews refused the charge" in response.text
    assert "Request-Id" in response.text
    assert "crème brûlée 🎂" in response.text
    keys = re.findall(r'name="submission_key" value="([0-9a-f-]+)"', response.text)
    assert keys
    assert keys[0] != data["submission_key"]
    assert Submission.objects.get().status == SubmissionStatus.REJECTED


def test_unknown_outcome_keeps_key(london, front_desk_client, sandbox, seed):
    inject_fault(sandbox, operation="orders/add", fail_status=503, fail_count=1)
    data = form_data(london, seed)

    response = front_desk_client.post(reverse("charges:new"), data)
    again = front_desk_client.post(reverse("charges:new"), data)

    assert "Do not post it again" in response.text
    assert data["submission_key"] in response.text
    assert "Do not post it again" in again.text
    assert orders_add_calls(sandbox) == 1


def test_tampered_bookable_service_refused(london, front_desk_client, sandbox, seed):
    data = form_data(london, seed, service_id=seed.GROSS_BOOKABLE_SERVICE_ID)

    response = front_desk_client.post(reverse("charges:new"), data)

    assert response.status_code == 200
    assert "Select a valid choice" in response.text
    assert orders_add_calls(sandbox) == 0


def test_tampered_inactive_product_refused(london, front_desk_client, sandbox, seed):
    data = form_data(london, seed, **{"products-0-product_id": seed.GROSS_INACTIVE_PRODUCT_ID})

    response = front_desk_client.post(reverse("charges:new"), data)

    assert "Select a valid choice" in response.text
    assert orders_add_calls(sandbox) == 0


def test_tampered_inactive_category_refused(london, front_desk_client, sandbox, seed):
    category = seed.GROSS_INACTIVE_ACCOUNTING_CATEGORY_ID
    data = form_data(london, seed, **{"items-0-accounting_category_id": category})

    response = front_desk_client.post(reverse("charges:new"), data)

    assert "Select a valid choice" in response.text
    assert orders_add_calls(sandbox) == 0


def test_tampered_foreign_bill_refused(london, front_desk_client, sandbox, seed):
    data = form_data(london, seed, bill_id=seed.GROSS_COMPANION_OPEN_BILL_ID)

    response = front_desk_client.post(reverse("charges:new"), data)

    assert "open bills" in response.text
    assert orders_add_calls(sandbox) == 0


def test_bills_partial_lists_open_bills(london, front_desk_client, sandbox, seed):
    response = front_desk_client.get(
        reverse("charges:bills"),
        {"property": london.pk, "account_id": seed.GROSS_IN_HOUSE_CUSTOMER_ID},
    )

    assert seed.GROSS_OPEN_BILL_ID in response.text
    assert seed.GROSS_CLOSED_BILL_ID not in response.text


def test_reservations_partial_preselects_stay(london, front_desk_client, sandbox, seed):
    front_desk_client.get(
        reverse("charges:account_search"),
        {"property": london.pk, "q": seed.GROSS_IN_HOUSE_ROOM, "kind": "room"},
    )

    response = front_desk_client.get(
        reverse("charges:reservations"),
        {
            "property": london.pk,
            "account_id": seed.GROSS_IN_HOUSE_CUSTOMER_ID,
            "linked_reservation_id": "",
        },
    )

    assert f'value="{seed.GROSS_IN_HOUSE_RESERVATION_ID}" selected' in response.text


def test_company_search_by_name(london, front_desk_client, sandbox, seed):
    response = front_desk_client.get(
        reverse("charges:account_search"),
        {"property": london.pk, "q": seed.GROSS_COMPANY_NAME, "kind": "company"},
    )

    assert seed.GROSS_COMPANY_NAME in response.text


def test_company_search_by_part_of_name(london, front_desk_client, sandbox, seed):
    part = seed.GROSS_COMPANY_NAME.split()[0].lower()

    response = front_desk_client.get(
        reverse("charges:account_search"),
        {"property": london.pk, "q": part, "kind": "company"},
    )

    assert seed.GROSS_COMPANY_NAME in response.text
    assert seed.GROSS_INACTIVE_COMPANY_ID not in response.text


def test_warm_render_makes_no_call(london, front_desk_client, sandbox):
    front_desk_client.get(reverse("charges:new"))
    before = sum(sandbox.request_counts.values())

    response = front_desk_client.get(reverse("charges:new"))

    assert response.status_code == 200
    assert sum(sandbox.request_counts.values()) == before


def test_post_another_prefills_account(london, front_desk_client, sandbox, seed):
    front_desk_client.get(
        reverse("charges:account_search"),
        {"property": london.pk, "q": seed.GROSS_IN_HOUSE_ROOM, "kind": "room"},
    )

    response = front_desk_client.get(
        reverse("charges:new"),
        {"property": london.pk, "account": seed.GROSS_IN_HOUSE_CUSTOMER_ID},
    )

    assert seed.GROSS_IN_HOUSE_CUSTOMER_NAME in response.text


def test_administrator_refreshes_catalogue(gross_property, administrator_client, sandbox):
    response = administrator_client.post(
        reverse("charges:refresh_catalogue"), {"property": gross_property.pk}
    )

    assert response.status_code == 303
    assert response["Location"] == reverse("connections:list")
    assert sandbox.request_counts["configuration/get"] == 1
    assert sandbox.request_counts["taxations/getAll"] == 1


def test_catalogue_cold_build_reads_eight_operations(london, front_desk_client, sandbox):
    front_desk_client.get(reverse("charges:new"))

    assert sum(sandbox.request_counts.values()) == 8


def test_bill_label_prefers_name_then_date():
    from datetime import UTC, datetime

    from orderdesk.charges.accounts import _bill_label
    from orderdesk.connector.models import Bill

    named = Bill(id="b-000001", account_id="a", state="Open", name="Minibar")
    dated = Bill(
        id="b-000002",
        account_id="a",
        state="Open",
        created_utc=datetime(2026, 12, 1, 9, 0, tzinfo=UTC),
    )
    bare = Bill(id="b-000003", account_id="a", state="Open")

    assert _bill_label(named) == "Minibar"
    assert _bill_label(dated) == "Open bill from 2026-12-01 (…000002)"
    assert _bill_label(bare) == "Open bill …000003"


def test_new_charge_remembers_chosen_property(
    london, net_property, front_desk_user, front_desk_client, sandbox
):
    net_property.users.add(front_desk_user)

    front_desk_client.get(reverse("charges:new"), {"property": net_property.pk})
    response = front_desk_client.get(reverse("charges:new"))

    assert response.context["property"] == net_property
