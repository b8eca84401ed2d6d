import pytest

from orderdesk.sandbox import seed

PAGE = {"Limitation": {"Count": 100}}


def test_configuration_gross_london(api):
    enterprise = api.post("configuration/get").json()["Enterprise"]

    assert enterprise["Id"] == seed.GROSS_ENTERPRISE_ID
    assert enterprise["Pricing"] == "Gross"
    assert enterprise["TimeZoneIdentifier"] == "Europe/London"
    assert [(c["Currency"], c["IsDefault"]) for c in enterprise["Currencies"]] == [
        ("GBP", True),
        ("EUR", False),
        ("USD", False),
    ]
    assert enterprise["AccountingEditableHistoryInterval"] == "P0M7DT0H0M0S"
    assert enterprise["OperationalEditableHistoryInterval"] == "P0M5DT0H0M0S"


def test_configuration_net_new_york(api):
    enterprise = api.post("configuration/get", token=seed.NET_ACCESS_TOKEN).json()["Enterprise"]

    assert enterprise["Pricing"] == "Net"
    assert enterprise["TimeZoneIdentifier"] == "America/New_York"
    assert [c["Currency"] for c in enterprise["Currencies"]] == ["USD"]
    assert enterprise["AccountingEditableHistoryInterval"] == "P1M0DT0H0M0S"


def test_configuration_portfolio_needs_enterprise(api):
    placeholder = api.post("configuration/get", token=seed.PORTFOLIO_ACCESS_TOKEN).json()
    chosen = api.post(
        "configuration/get",
        {"EnterpriseId": seed.NET_ENTERPRISE_ID},
        token=seed.PORTFOLIO_ACCESS_TOKEN,
    ).json()
    outside = api.post(
        "configuration/get", {"EnterpriseId": "nope"}, token=seed.PORTFOLIO_ACCESS_TOKEN
    )

    assert placeholder["Enterprise"]["IsPortfolio"] is True
    assert chosen["Enterprise"]["Id"] == seed.NET_ENTERPRISE_ID
    assert outside.status_code == 400
    assert outside.json()["Message"].startswith("Invalid EnterpriseId.")


def test_portfolio_reads_both_hotels(api):
    services = api.post("services/getAll", PAGE, token=seed.PORTFOLIO_ACCESS_TOKEN).json()
    only_net = api.post(
        "services/getAll",
        {**PAGE, "EnterpriseIds": [seed.NET_ENTERPRISE_ID]},
        token=seed.PORTFOLIO_ACCESS_TOKEN,
    ).json()

    assert {s["EnterpriseId"] for s in services["Services"]} == {
        seed.GROSS_ENTERPRISE_ID,
        seed.NET_ENTERPRISE_ID,
    }
    assert {s["EnterpriseId"] for s in only_net["Services"]} == {seed.NET_ENTERPRISE_ID}


def test_single_token_rejects_other_enterprise(api):
    response = api.post("services/getAll", {**PAGE, "EnterpriseIds": [seed.NET_ENTERPRISE_ID]})

    assert response.status_code == 400
    assert response.json()["Message"].startswith("Invalid EnterpriseIds.")


def test_services_cover_each_kind(api):
    services = api.post("services/getAll", PAGE).json()["Services"]
    by_id = {s["Id"]: s for s in services}

    assert by_id[seed.GROSS_RESTAURANT_SERVICE_ID]["Data"]["Discriminator"] == "Additional"
    assert by_id[seed.GROSS_BOOKABLE_SERVICE_ID]["Data"]["Discriminator"] == "Bookable"
    assert by_id[seed.GROSS_INACTIVE_SERVICE_ID]["IsActive"] is False
    assert {s["Name"] for s in services} >= {"Restaurant", "Bar", "Minibar", "Spa"}


def test_products_need_service_ids(api):
    response = api.post("products/getAll", PAGE)

    assert response.status_code == 400
    assert response.json()["Message"] == "Invalid ServiceIds. At least one service is required."


def test_products_have_prices(api):
    body = {**PAGE, "ServiceIds": [seed.GROSS_RESTAURANT_SERVICE_ID]}

    products = api.post("products/getAll", body).json()["Products"]
    inactive = next(p for p in products if p["Id"] == seed.GROSS_INACTIVE_PRODUCT_ID)

    assert inactive["IsActive"] is False
    assert all(p["Price"]["Currency"] == "GBP" for p in products)
    assert all(p["Price"]["GrossValue"] > 0 for p in products)


def test_accounting_categories_filter_activity(api):
    active = api.post("accountingCategories/getAll", {**PAGE, "ActivityStates": ["Active"]})
    bad = api.post("accountingCategories/getAll", {**PAGE, "ActivityStates": ["Sleeping"]})

    ids = {c["Id"] for c in active.json()["AccountingCategories"]}
    assert seed.GROSS_FOOD_ACCOUNTING_CATEGORY_ID in ids
    assert seed.GROSS_INACTIVE_ACCOUNTING_CATEGORY_ID not in ids
    assert bad.status_code == 400


def test_taxations_include_expired_rate(api):
    rates = {r["Code"]: r for r in api.post("taxations/getAll").json()["TaxRates"]}

    expired = rates[seed.GROSS_EXPIRED_TAX_CODE]
    assert expired["ValidityInvervalsUtc"] == [
        {"StartUtc": "2021-10-01T00:00:00Z", "EndUtc": "2022-04-01T00:00:00Z"}
    ]
    assert rates[seed.GROSS_STANDARD_TAX_CODE]["Value"] == pytest.approx(0.2)


def test_tax_environment_of_new_york_combines(api):
    environments = api.post("taxEnvironments/getAll").json()["TaxEnvironments"]
    new_york = next(e for e in environments if e["Code"] == seed.NET_TAX_ENVIRONMENT_CODE)

    assert len(new_york["TaxationCodes"]) == 4


def test_search_by_name_finds_companions(api):
    results = api.post("customers/search", {"Name": "bennett"}).json()["Customers"]

    assert {r["Customer"]["Id"] for r in results} == {
        seed.GROSS_IN_HOUSE_CUSTOMER_ID,
        seed.GROSS_COMPANION_CUSTOMER_ID,
    }
    assert {r["Reservation"]["AssignedResourceId"] for r in results} == {seed.GROSS_ROOM_12A_ID}


def test_search_by_room_finds_guests(api):
    results = api.post("customers/search", {"ResourceId": seed.GROSS_ROOM_12A_ID}).json()

    names = {r["Customer"]["FirstName"] for r in results["Customers"]}
    assert names == {"Oliver", "Amelia"}


def test_search_finds_paymaster_without_stay(api):
    results = api.post("customers/search", {"Name": "paymaster"}).json()["Customers"]

    assert [r["Customer"]["Id"] for r in results] == [seed.GROSS_PAYMASTER_CUSTOMER_ID]
    assert results[0]["Reservation"] is None


def test_search_marks_cashlist_guest(api):
    results = api.post("customers/search", {"Name": "Whitlock"}).json()["Customers"]

    assert results[0]["Customer"]["Id"] == seed.GROSS_CASHLIST_CUSTOMER_ID
    assert results[0]["Customer"]["Classifications"] == ["Cashlist"]


def test_search_skips_departed_guest(api):
    assert api.post("customers/search", {"Name": "Holloway"}).json()["Customers"] == []


def test_search_unknown_room_is_400(api):
    response = api.post("customers/search", {"ResourceId": seed.NET_ROOM_PH2_ID})

    assert response.status_code == 400
    assert response.json()["Message"] == "Invalid ResourceId."


def test_customers_need_a_filter(api):
    response = api.post("customers/getAll", {**PAGE, "Extent": {"Customers": True}})

    assert response.status_code == 400
    assert response.json()["Message"].startswith("Invalid CustomerIds.")


def test_companies_by_name(api):
    body = {**PAGE, "Names": [seed.GROSS_COMPANY_NAME]}

    companies = api.post("companies/getAll", body).json()["Companies"]

    assert [c["Id"] for c in companies] == [seed.GROSS_COMPANY_ID]


def test_bills_by_account_and_state(api):
    body = {**PAGE, "CustomerIds": [seed.GROSS_IN_HOUSE_CUSTOMER_ID], "State": "Open"}

    bills = api.post("bills/getAll", body).json()["Bills"]
    bad_state = api.post("bills/getAll", {**body, "State": "Paid"})

    assert [b["Id"] for b in bills] == [seed.GROSS_OPEN_BILL_ID]
    assert bad_state.status_code == 400


def test_rooms_are_not_all_digits(api):
    body = {**PAGE, "Extent": {"Resources": True}}

    names = {r["Name"] for r in api.post("resources/getAll", body).json()["Resources"]}

    assert seed.GROSS_IN_HOUSE_ROOM in names
    assert not all(name.isdigit() for name in names)


def test_reservations_by_account(api):
    body = {**PAGE, "AccountIds": [seed.GROSS_IN_HOUSE_CUSTOMER_ID]}

    reservations = api.post("reservations/getAll/2023-06-06", body).json()["Reservations"]

    assert [r["Id"] for r in reservations] == [seed.GROSS_IN_HOUSE_RESERVATION_ID]
    assert reservations[0]["State"] == "Started"
    assert "_CompanionIds" not in reservations[0]


@pytest.mark.parametrize(
    "operation",
    [
        "enterprises/getAll",
        "services/getAll",
        "accountingCategories/getAll",
        "businessSegments/getAll",
        "companies/getAll",
        "reservations/getAll/2023-06-06",
    ],
)
def test_paginated_reads_need_limitation(api, operation):
    response = api.post(operation)

    assert response.status_code == 400
    assert response.json()["Message"] == "Invalid Limitation. The parameter is required."
