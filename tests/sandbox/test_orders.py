from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from orderdesk.sandbox import seed
from tests.sandbox.helpers import net_order


def _iso(moment):
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def _days_ago(days):
    return _iso(datetime.now(UTC) - timedelta(days=days))


def test_order_gross_is_stored_and_read_back(api):
    response = api.order()
    order_id = response.json()["OrderId"]
    items = api.post("orderItems/getAll", _items_filter()).json()

    assert response.status_code == 200
    assert len(items["OrderItems"]) == 1
    item = items["OrderItems"][0]
    assert item["ServiceOrderId"] == order_id
    assert item["ExternalIdentifier"] == "line-1"
    assert item["AccountId"] == seed.GROSS_IN_HOUSE_CUSTOMER_ID
    assert item["AccountType"] == "Customer"
    assert item["UnitAmount"]["GrossValue"] == 14
    assert item["UnitAmount"]["NetValue"] == pytest.approx(11.67)
    assert item["UnitAmount"]["TaxValues"] == [
        {"Code": seed.GROSS_STANDARD_TAX_CODE, "Value": pytest.approx(2.33)}
    ]
    assert item["Type"] == "CustomItem"


def test_order_net_combines_several_taxes(api):
    response = api.post("orders/add", net_order(), token=seed.NET_ACCESS_TOKEN)
    items = api.post(
        "orderItems/getAll",
        _items_filter(account=seed.NET_IN_HOUSE_CUSTOMER_ID),
        token=seed.NET_ACCESS_TOKEN,
    ).json()["OrderItems"]

    assert response.status_code == 200
    amount = items[0]["Amount"]
    assert amount["NetValue"] == 48
    assert [t["Code"] for t in amount["TaxValues"]] == list(seed.NET_FOOD_TAX_CODES)
    assert [t["Value"] for t in amount["TaxValues"]] == [
        pytest.approx(1.92),
        pytest.approx(2.16),
        pytest.approx(0.18),
    ]
    assert amount["GrossValue"] == pytest.approx(52.26)


def test_order_product_uses_catalogue_price(api):
    body = {
        "ServiceId": seed.GROSS_BAR_SERVICE_ID,
        "AccountId": seed.GROSS_PAYMASTER_CUSTOMER_ID,
        "ProductOrders": [
            {"ProductId": seed.GROSS_ALE_PRODUCT_ID, "Count": 3, "ExternalIdentifier": "ale"}
        ],
        "BillId": seed.GROSS_PAYMASTER_OPEN_BILL_ID,
    }

    response = api.post("orders/add", body)
    item = api.app.state.order_items[0]

    assert response.status_code == 200
    assert item["Type"] == "ProductOrder"
    assert item["UnitCount"] == 3
    assert item["Amount"]["GrossValue"] == Decimal("19.50")
    assert item["AccountingCategoryId"] == seed.GROSS_BEVERAGE_ACCOUNTING_CATEGORY_ID
    assert item["BillId"] == seed.GROSS_PAYMASTER_OPEN_BILL_ID
    assert item["ExternalIdentifier"] == "ale"


def test_order_company_account_accepted(api):
    response = api.order({"AccountId": seed.GROSS_COMPANY_ID})

    assert response.status_code == 200
    assert api.app.state.order_items[0]["AccountType"] == "Company"


def test_order_portfolio_posts_to_enterprise(api):
    body = {**net_order(), "EnterpriseId": seed.NET_ENTERPRISE_ID}

    response = api.post("orders/add", body, token=seed.PORTFOLIO_ACCESS_TOKEN)

    assert response.status_code == 200
    assert api.app.state.orders[0]["EnterpriseId"] == seed.NET_ENTERPRISE_ID


def test_order_euro_accepted_on_gross(api):
    amount = {"Currency": "EUR", "GrossValue": 16, "TaxCodes": [seed.GROSS_STANDARD_TAX_CODE]}

    assert api.order(UnitAmount=amount).status_code == 200


def test_order_consumption_inside_history_accepted(api):
    assert api.order({"ConsumptionUtc": _days_ago(6)}).status_code == 200


def test_order_net_history_has_months_part(api):
    body = {**net_order(), "ConsumptionUtc": _days_ago(25)}

    assert api.post("orders/add", body, token=seed.NET_ACCESS_TOKEN).status_code == 200


@pytest.mark.parametrize(
    ("body", "item_changes", "message"),
    [
        ({"ServiceId": None}, {}, "Invalid ServiceId. The parameter is required."),
        ({"ServiceId": "5a000002-0000-4000-8000-0000000000ff"}, {}, "Invalid ServiceId."),
        ({"ServiceId": seed.NET_RESTAURANT_SERVICE_ID}, {}, "Invalid ServiceId."),
        ({"ServiceId": 17}, {}, "Invalid ServiceId. Expected a non-empty string."),
        ({"AccountId": None}, {}, "Invalid AccountId. The parameter is required."),
        ({"AccountId": seed.NET_IN_HOUSE_CUSTOMER_ID}, {}, "Invalid AccountId."),
        ({"Items": []}, {}, "Invalid Items. The order contains no Items and no ProductOrders."),
        ({"Items": "beer"}, {}, "Invalid Items. Expected an array."),
        ({}, {"Name": ""}, "Invalid Items[0].Name. Expected a non-empty string."),
        ({}, {"UnitCount": "two"}, "Invalid Items[0].UnitCount. Expected a whole number."),
        ({}, {"UnitCount": 1.5}, "Invalid Items[0].UnitCount. Expected a whole number."),
        ({}, {"UnitCount": True}, "Invalid Items[0].UnitCount. Expected a whole number."),
        ({}, {"UnitCount": 0}, "Invalid Items[0].UnitCount. UnitCount must be at least 1."),
        (
            {"ProductOrders": [{"ProductId": seed.GROSS_SANDWICH_PRODUCT_ID, "Count": 0}]},
            {},
            "Invalid ProductOrders[0].Count. Count must be at least 1.",
        ),
        ({}, {"UnitAmount": None}, "Invalid Items[0].UnitAmount. The parameter is required."),
        (
            {},
            {"UnitAmount": {"GrossValue": 3, "TaxCodes": []}},
            "Invalid Items[0].UnitAmount.Currency. The parameter is required.",
        ),
        (
            {},
            {"UnitAmount": {"Currency": "GBP", "GrossValue": "3", "TaxCodes": []}},
            "Invalid Items[0].UnitAmount.GrossValue. Expected a number.",
        ),
        (
            {},
            {"UnitAmount": {"Currency": "GBP", "GrossValue": 3}},
            "Invalid Items[0].UnitAmount.TaxCodes. The parameter is required.",
        ),
        (
            {},
            {"UnitAmount": {"Currency": "GBP", "TaxCodes": []}},
            "Invalid Items[0].UnitAmount.GrossValue. It is required on a gross-pricing property.",
        ),
        (
            {},
            {"AccountingCategoryId": seed.NET_FOOD_ACCOUNTING_CATEGORY_ID},
            "Invalid Items[0].AccountingCategoryId.",
        ),
        ({"BillId": "5a00000a-0000-4000-8000-0000000000ff"}, {}, "Invalid BillId."),
        ({"LinkedReservationId": "nope"}, {}, "Invalid LinkedReservationId."),
        ({"BusinessSegmentId": seed.NET_LEISURE_SEGMENT_ID}, {}, "Invalid BusinessSegmentId."),
        ({"ConsumptionUtc": "yesterday"}, {}, "Invalid ConsumptionUtc."),
        (
            {"ProductOrders": [{"ProductId": seed.GROSS_ALE_PRODUCT_ID}]},
            {},
            "Invalid ProductOrders[0].ProductId.",
        ),
    ],
)
def test_order_invalid_parameter_is_400(api, body, item_changes, message):
    response = api.order(body, **item_changes)

    assert response.status_code == 400
    assert response.json()["Message"].startswith(message)


def test_order_portfolio_needs_enterprise_id(api):
    response = api.post("orders/add", net_order(), token=seed.PORTFOLIO_ACCESS_TOKEN)

    assert response.status_code == 400
    assert response.json()["Message"] == (
        "Invalid EnterpriseId. It is required with a portfolio AccessToken."
    )


GROSS_TAX = [seed.GROSS_STANDARD_TAX_CODE]


@pytest.mark.parametrize(
    ("body", "item_changes", "message"),
    [
        (
            {"BillId": seed.GROSS_COMPANION_OPEN_BILL_ID},
            {},
            "The bill belongs to another account. Choose a bill of this guest.",
        ),
        (
            {"BillId": seed.GROSS_CLOSED_BILL_ID},
            {},
            "The bill is closed. Choose an open bill or post without a bill.",
        ),
        (
            {"ConsumptionUtc": _days_ago(8)},
            {},
            "The consumption time",
        ),
        (
            {},
            {
                "UnitAmount": {
                    "Currency": "GBP",
                    "GrossValue": 10,
                    "TaxCodes": [seed.GROSS_STANDARD_TAX_CODE, seed.GROSS_REDUCED_TAX_CODE],
                }
            },
            "A price including tax can carry only one tax code.",
        ),
        (
            {},
            {"UnitAmount": {"Currency": "GBP", "NetValue": 10, "TaxCodes": GROSS_TAX}},
            "This property uses gross pricing",
        ),
        (
            {},
            {"UnitAmount": {"Currency": "GBP", "GrossValue": 10, "TaxCodes": ["US-NY-S-4%"]}},
            "The tax code US-NY-S-4% does not exist in this property's tax environment.",
        ),
        (
            {},
            {
                "UnitAmount": {
                    "Currency": "GBP",
                    "GrossValue": 10,
                    "TaxCodes": [seed.GROSS_EXPIRED_TAX_CODE],
                }
            },
            f"The tax code {seed.GROSS_EXPIRED_TAX_CODE} is not valid on",
        ),
        (
            {},
            {"UnitAmount": {"Currency": "CHF", "GrossValue": 10, "TaxCodes": GROSS_TAX}},
            "The currency CHF is not accepted by this property.",
        ),
        (
            {"ServiceId": seed.GROSS_BOOKABLE_SERVICE_ID},
            {},
            "Accommodation is a bookable service.",
        ),
        (
            {"ServiceId": seed.GROSS_INACTIVE_SERVICE_ID},
            {},
            "The service Pool Bar (closed) is no longer active.",
        ),
        (
            {"ProductOrders": [{"ProductId": seed.GROSS_INACTIVE_PRODUCT_ID}], "Items": None},
            {},
            "The product Afternoon Tea (discontinued) is no longer active.",
        ),
        (
            {},
            {"AccountingCategoryId": seed.GROSS_INACTIVE_ACCOUNTING_CATEGORY_ID},
            "The accounting category Old Food and Beverage is no longer active.",
        ),
        (
            {
                "ServiceId": seed.GROSS_RESTAURANT_SERVICE_ID,
                "BusinessSegmentId": seed.GROSS_INACTIVE_SEGMENT_ID,
            },
            {},
            "The business segment Tour Operator (old) is no longer active.",
        ),
    ],
)
def test_order_business_rule_is_403(api, body, item_changes, message):
    response = api.order(body, **item_changes)

    assert response.status_code == 403
    assert response.json()["Message"].startswith(message)
    assert api.app.state.orders == []


@pytest.mark.parametrize(
    ("item_changes", "body", "message"),
    [
        (
            {"UnitAmount": {"Currency": "USD", "GrossValue": 10, "TaxCodes": ["US-NY-S-4%"]}},
            {},
            "This property uses net pricing",
        ),
        (
            {"UnitAmount": {"Currency": "EUR", "NetValue": 10, "TaxCodes": ["US-NY-S-4%"]}},
            {},
            "The currency EUR is not accepted by this property. Accepted currencies: USD.",
        ),
        ({}, {"ConsumptionUtc": _days_ago(40)}, "The consumption time"),
        ({}, {"ServiceId": seed.NET_BOOKABLE_SERVICE_ID}, "Accommodation is a bookable service."),
    ],
)
def test_order_net_rule_is_403(api, item_changes, body, message):
    response = api.post(
        "orders/add", {**net_order(**item_changes), **body}, token=seed.NET_ACCESS_TOKEN
    )

    assert response.status_code == 403
    assert response.json()["Message"].startswith(message)


def _items_filter(account=seed.GROSS_IN_HOUSE_CUSTOMER_ID, **changes):
    now = datetime.now(UTC)
    body = {
        "AccountIds": [account],
        "CreatedUtc": {
            "StartUtc": _iso(now - timedelta(hours=1)),
            "EndUtc": _iso(now + timedelta(hours=1)),
        },
        "Limitation": {"Count": 100},
    }
    body.update(changes)
    return body


def test_order_items_filter_by_service(api):
    api.order()
    api.order({"ServiceId": seed.GROSS_BAR_SERVICE_ID})

    bar = api.post("orderItems/getAll", _items_filter(ServiceIds=[seed.GROSS_BAR_SERVICE_ID]))

    assert [i["ServiceId"] for i in bar.json()["OrderItems"]] == [seed.GROSS_BAR_SERVICE_ID]


def test_order_items_filter_by_created_time(api):
    api.order()
    past = datetime.now(UTC) - timedelta(days=2)
    window = {"StartUtc": _iso(past - timedelta(hours=1)), "EndUtc": _iso(past)}

    response = api.post("orderItems/getAll", _items_filter(CreatedUtc=window))

    assert response.json()["OrderItems"] == []
    assert response.json()["Cursor"] is None


def test_order_items_paginate_with_cursor(api):
    for _ in range(3):
        api.order()

    first = api.post("orderItems/getAll", _items_filter(Limitation={"Count": 2})).json()
    second = api.post(
        "orderItems/getAll", _items_filter(Limitation={"Count": 2, "Cursor": first["Cursor"]})
    ).json()

    assert len(first["OrderItems"]) == 2
    assert len(second["OrderItems"]) == 1
    assert second["Cursor"] == second["OrderItems"][0]["Id"]


def test_order_items_other_enterprise_hidden(api):
    api.order()

    response = api.post("orderItems/getAll", _items_filter(), token=seed.NET_ACCESS_TOKEN)

    assert response.json()["OrderItems"] == []


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"AccountIds": None, "CreatedUtc": None}, "Invalid OrderItemIds. Specify at least one of"),
        ({"AccountIds": [f"a{i}" for i in range(101)]}, "Invalid AccountIds. At most 100 items"),
        (
            {"CreatedUtc": {"StartUtc": "2026-01-01T00:00:00Z", "EndUtc": "2026-05-01T00:00:00Z"}},
            "Invalid CreatedUtc. The interval must not be longer than 3 months.",
        ),
        (
            {"CreatedUtc": {"StartUtc": "2026-02-01T00:00:00Z", "EndUtc": "2026-01-01T00:00:00Z"}},
            "Invalid CreatedUtc. EndUtc must not be before StartUtc.",
        ),
        ({"CreatedUtc": {"StartUtc": "soon"}}, "Invalid CreatedUtc.StartUtc."),
        ({"Limitation": None}, "Invalid Limitation. The parameter is required."),
        ({"Limitation": {"Count": 1001}}, "Invalid Limitation.Count."),
        ({"Limitation": {"Count": 10, "Cursor": "unknown"}}, "Invalid Limitation.Cursor."),
    ],
)
def test_order_items_invalid_filter_is_400(api, changes, message):
    body = {k: v for k, v in _items_filter(**changes).items() if v is not None}

    response = api.post("orderItems/getAll", body)

    assert response.status_code == 400
    assert response.json()["Message"].startswith(message)
