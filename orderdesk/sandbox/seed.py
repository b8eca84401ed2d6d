"""Seed data of the Connector API sandbox: two made-up hotels and the tokens that reach them.

Every token and identifier here is invented for the sandbox and works nowhere else. The London
hotel uses gross pricing (taxes included in prices) and the New York hotel net pricing (taxes
added on top), like the two public Mews demo environments.
"""

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

CLIENT_TOKEN = "SANDBOX-CLIENT-TOKEN-00000000000000000000"
GROSS_ACCESS_TOKEN = "SANDBOX-ACCESS-TOKEN-LONDON-GROSS-0000000"
NET_ACCESS_TOKEN = "SANDBOX-ACCESS-TOKEN-NEWYORK-NET-00000000"
PORTFOLIO_ACCESS_TOKEN = "SANDBOX-ACCESS-TOKEN-PORTFOLIO-000000000"


def _id(kind: int, number: int) -> str:
    """Build an obviously invented UUID: the kind and a counter, zeros in between."""
    return f"5a{kind:06x}-0000-4000-8000-{number:012x}"


# Enterprises and chains (kind 1).
GROSS_ENTERPRISE_ID = _id(1, 1)
NET_ENTERPRISE_ID = _id(1, 2)
PORTFOLIO_ENTERPRISE_ID = _id(1, 3)
GROSS_CHAIN_ID = _id(1, 11)
NET_CHAIN_ID = _id(1, 12)

# Services (kind 2).
GROSS_RESTAURANT_SERVICE_ID = _id(2, 1)
GROSS_BAR_SERVICE_ID = _id(2, 2)
GROSS_MINIBAR_SERVICE_ID = _id(2, 3)
GROSS_SPA_SERVICE_ID = _id(2, 4)
GROSS_BOOKABLE_SERVICE_ID = _id(2, 5)
GROSS_INACTIVE_SERVICE_ID = _id(2, 6)
NET_RESTAURANT_SERVICE_ID = _id(2, 11)
NET_BAR_SERVICE_ID = _id(2, 12)
NET_MINIBAR_SERVICE_ID = _id(2, 13)
NET_SPA_SERVICE_ID = _id(2, 14)
NET_BOOKABLE_SERVICE_ID = _id(2, 15)
NET_INACTIVE_SERVICE_ID = _id(2, 16)

# Accounting categories (kind 3).
GROSS_FOOD_ACCOUNTING_CATEGORY_ID = _id(3, 1)
GROSS_BEVERAGE_ACCOUNTING_CATEGORY_ID = _id(3, 2)
GROSS_WELLNESS_ACCOUNTING_CATEGORY_ID = _id(3, 3)
GROSS_INACTIVE_ACCOUNTING_CATEGORY_ID = _id(3, 4)
NET_FOOD_ACCOUNTING_CATEGORY_ID = _id(3, 11)
NET_BEVERAGE_ACCOUNTING_CATEGORY_ID = _id(3, 12)
NET_WELLNESS_ACCOUNTING_CATEGORY_ID = _id(3, 13)
NET_INACTIVE_ACCOUNTING_CATEGORY_ID = _id(3, 14)

# Products (kind 4).
GROSS_BREAKFAST_PRODUCT_ID = _id(4, 1)
GROSS_SANDWICH_PRODUCT_ID = _id(4, 2)
GROSS_ALE_PRODUCT_ID = _id(4, 3)
GROSS_WINE_PRODUCT_ID = _id(4, 4)
GROSS_WATER_PRODUCT_ID = _id(4, 5)
GROSS_MASSAGE_PRODUCT_ID = _id(4, 6)
GROSS_INACTIVE_PRODUCT_ID = _id(4, 7)
NET_BREAKFAST_PRODUCT_ID = _id(4, 11)
NET_BURGER_PRODUCT_ID = _id(4, 12)
NET_BEER_PRODUCT_ID = _id(4, 13)
NET_COCKTAIL_PRODUCT_ID = _id(4, 14)
NET_WATER_PRODUCT_ID = _id(4, 15)
NET_MASSAGE_PRODUCT_ID = _id(4, 16)
NET_INACTIVE_PRODUCT_ID = _id(4, 17)

# Business segments (kind 5).
GROSS_LEISURE_SEGMENT_ID = _id(5, 1)
GROSS_CORPORATE_SEGMENT_ID = _id(5, 2)
GROSS_WALK_IN_SEGMENT_ID = _id(5, 3)
GROSS_INACTIVE_SEGMENT_ID = _id(5, 4)
NET_LEISURE_SEGMENT_ID = _id(5, 11)
NET_CORPORATE_SEGMENT_ID = _id(5, 12)
NET_WALK_IN_SEGMENT_ID = _id(5, 13)

# Rooms (kind 6). Room numbers are not all digits.
GROSS_IN_HOUSE_ROOM = "12A"
GROSS_ROOM_12A_ID = _id(6, 1)
GROSS_ROOM_12B_ID = _id(6, 2)
GROSS_ROOM_101_ID = _id(6, 3)
GROSS_ROOM_SUITE_ID = _id(6, 4)
NET_IN_HOUSE_ROOM = "PH-2"
NET_ROOM_PH2_ID = _id(6, 11)
NET_ROOM_1407_ID = _id(6, 12)
NET_ROOM_803B_ID = _id(6, 13)

# Customers (kind 7).
GROSS_IN_HOUSE_CUSTOMER_ID = _id(7, 1)
GROSS_IN_HOUSE_CUSTOMER_NAME = "Oliver Bennett"
GROSS_COMPANION_CUSTOMER_ID = _id(7, 2)
GROSS_COMPANION_CUSTOMER_NAME = "Amelia Bennett"
GROSS_CASHLIST_CUSTOMER_ID = _id(7, 3)
GROSS_CASHLIST_CUSTOMER_NAME = "Henry Whitlock"
GROSS_CASHLIST_ROOM = "101"
GROSS_PAYMASTER_CUSTOMER_ID = _id(7, 4)
GROSS_PAYMASTER_CUSTOMER_NAME = "Conference Paymaster"
GROSS_DEPARTED_CUSTOMER_ID = _id(7, 5)
GROSS_ARRIVING_CUSTOMER_ID = _id(7, 6)
NET_IN_HOUSE_CUSTOMER_ID = _id(7, 11)
NET_IN_HOUSE_CUSTOMER_NAME = "Maria Garcia"
NET_COMPANION_CUSTOMER_ID = _id(7, 12)
NET_COMPANION_CUSTOMER_NAME = "Lucas Garcia"
NET_CASHLIST_CUSTOMER_ID = _id(7, 13)
NET_CASHLIST_CUSTOMER_NAME = "Nathan Pierce"
NET_PAYMASTER_CUSTOMER_ID = _id(7, 14)
NET_PAYMASTER_CUSTOMER_NAME = "Wedding Paymaster"

# Companies (kind 8).
GROSS_COMPANY_ID = _id(8, 1)
GROSS_COMPANY_NAME = "Thames Travel Ltd"
GROSS_SECOND_COMPANY_ID = _id(8, 2)
GROSS_INACTIVE_COMPANY_ID = _id(8, 3)
NET_COMPANY_ID = _id(8, 11)
NET_COMPANY_NAME = "Hudson Events Inc."
NET_SECOND_COMPANY_ID = _id(8, 12)

# Reservations and reservation groups (kind 9).
GROSS_IN_HOUSE_RESERVATION_ID = _id(9, 1)
GROSS_CASHLIST_RESERVATION_ID = _id(9, 2)
GROSS_DEPARTED_RESERVATION_ID = _id(9, 3)
GROSS_ARRIVING_RESERVATION_ID = _id(9, 4)
NET_IN_HOUSE_RESERVATION_ID = _id(9, 11)
NET_CASHLIST_RESERVATION_ID = _id(9, 12)

# Bills (kind 10).
GROSS_OPEN_BILL_ID = _id(10, 1)
GROSS_CLOSED_BILL_ID = _id(10, 2)
GROSS_COMPANION_OPEN_BILL_ID = _id(10, 3)
GROSS_PAYMASTER_OPEN_BILL_ID = _id(10, 4)
GROSS_COMPANY_OPEN_BILL_ID = _id(10, 5)
NET_OPEN_BILL_ID = _id(10, 11)
NET_CLOSED_BILL_ID = _id(10, 12)
NET_PAYMASTER_OPEN_BILL_ID = _id(10, 13)

# Tax codes.
GROSS_TAX_ENVIRONMENT_CODE = "UK-2022"
GROSS_STANDARD_TAX_CODE = "UK-2022-S"
GROSS_REDUCED_TAX_CODE = "UK-2022-R"
GROSS_ZERO_TAX_CODE = "UK-2022-Z"
# The temporary hospitality rate: valid only from 2021-10-01 to 2022-04-01.
GROSS_EXPIRED_TAX_CODE = "UK-2022-HOSP"
NET_TAX_ENVIRONMENT_CODE = "US-NY-2023"
NET_STATE_TAX_CODE = "US-NY-S-4%"
NET_CITY_TAX_CODE = "US-NYC-4.5%"
NET_TRANSIT_TAX_CODE = "US-MCTD-0.375%"
NET_HOTEL_TAX_CODE = "US-NYC-HOTEL-5.875%"
# Food and drink in New York carry the state, city and transit taxes together.
NET_FOOD_TAX_CODES = (NET_STATE_TAX_CODE, NET_CITY_TAX_CODE, NET_TRANSIT_TAX_CODE)

# How far back orders may be consumed; Mews writes durations with a months part.
GROSS_ACCOUNTING_EDITABLE_HISTORY = "P0M7DT0H0M0S"
GROSS_OPERATIONAL_EDITABLE_HISTORY = "P0M5DT0H0M0S"
NET_ACCOUNTING_EDITABLE_HISTORY = "P1M0DT0H0M0S"
NET_OPERATIONAL_EDITABLE_HISTORY = "P0M3DT0H0M0S"

SEED_CREATED_UTC = "2024-01-15T09:00:00Z"


def _utc(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _address(address_id: str, line1: str, city: str, postal_code: str, country: str) -> dict:
    return {
        "Id": address_id,
        "Line1": line1,
        "Line2": None,
        "City": city,
        "PostalCode": postal_code,
        "CountryCode": country,
        "CountrySubdivisionCode": None,
        "Latitude": None,
        "Longitude": None,
    }


def _enterprise(
    *,
    enterprise_id: str,
    chain_id: str,
    name: str,
    time_zone: str,
    pricing: str,
    currencies: list[tuple[str, bool]],
    legal_environment: str,
    tax_environment: str,
    accounting_history: str,
    operational_history: str,
    address: dict,
) -> dict:
    return {
        "Id": enterprise_id,
        "ExternalIdentifier": None,
        "HoldingKey": None,
        "ChainId": chain_id,
        "ChainName": f"{name} Chain",
        "CreatedUtc": SEED_CREATED_UTC,
        "UpdatedUtc": SEED_CREATED_UTC,
        "Name": name,
        "ShortName": None,
        "TimeZoneIdentifier": time_zone,
        "LegalEnvironmentCode": legal_environment,
        "AccommodationEnvironmentCode": legal_environment,
        "AccountingEnvironmentCode": legal_environment,
        "TaxEnvironmentCode": tax_environment,
        "DefaultLanguageCode": "en-GB" if pricing == "Gross" else "en-US",
        "EditableHistoryInterval": accounting_history,
        "AccountingEditableHistoryInterval": accounting_history,
        "OperationalEditableHistoryInterval": operational_history,
        "BusinessDayClosingOffset": None,
        "WebsiteUrl": None,
        "Email": None,
        "Phone": None,
        "LogoImageId": None,
        "CoverImageId": None,
        "Pricing": pricing,
        "TaxPrecision": None,
        "AddressId": address["Id"],
        "Address": address,
        "GroupNames": [],
        "Subscription": {"TaxIdentifier": None},
        "Currencies": [
            {"Currency": code, "IsDefault": is_default, "IsEnabled": True}
            for code, is_default in currencies
        ],
        "IsPortfolio": False,
        "LinkedUtc": SEED_CREATED_UTC,
    }


def _enterprises() -> dict[str, dict]:
    london = _enterprise(
        enterprise_id=GROSS_ENTERPRISE_ID,
        chain_id=GROSS_CHAIN_ID,
        name="Sandbox Riverside Hotel London",
        time_zone="Europe/London",
        pricing="Gross",
        currencies=[("GBP", True), ("EUR", False), ("USD", False)],
        legal_environment="UK",
        tax_environment=GROSS_TAX_ENVIRONMENT_CODE,
        accounting_history=GROSS_ACCOUNTING_EDITABLE_HISTORY,
        operational_history=GROSS_OPERATIONAL_EDITABLE_HISTORY,
        address=_address(_id(11, 1), "1 Sandbox Embankment", "London", "SE1 0ZZ", "GB"),
    )
    new_york = _enterprise(
        enterprise_id=NET_ENTERPRISE_ID,
        chain_id=NET_CHAIN_ID,
        name="Sandbox Midtown Hotel New York",
        time_zone="America/New_York",
        pricing="Net",
        currencies=[("USD", True)],
        legal_environment="US-NY",
        tax_environment=NET_TAX_ENVIRONMENT_CODE,
        accounting_history=NET_ACCOUNTING_EDITABLE_HISTORY,
        operational_history=NET_OPERATIONAL_EDITABLE_HISTORY,
        address=_address(_id(11, 2), "500 Sandbox Avenue", "New York", "10018", "US"),
    )
    portfolio = _enterprise(
        enterprise_id=PORTFOLIO_ENTERPRISE_ID,
        chain_id=GROSS_CHAIN_ID,
        name="Sandbox Hotels Portfolio",
        time_zone="Europe/London",
        pricing="Gross",
        currencies=[("GBP", True)],
        legal_environment="UK",
        tax_environment=GROSS_TAX_ENVIRONMENT_CODE,
        accounting_history=GROSS_ACCOUNTING_EDITABLE_HISTORY,
        operational_history=GROSS_OPERATIONAL_EDITABLE_HISTORY,
        address=_address(_id(11, 3), "1 Sandbox Embankment", "London", "SE1 0ZZ", "GB"),
    )
    portfolio["IsPortfolio"] = True
    return {e["Id"]: e for e in (london, new_york, portfolio)}


# AccessToken -> enterprises it reaches. The portfolio token reaches both hotels; without an
# EnterpriseId, configuration/get returns the portfolio's own placeholder enterprise.
TOKEN_SCOPES = {
    GROSS_ACCESS_TOKEN: (GROSS_ENTERPRISE_ID,),
    NET_ACCESS_TOKEN: (NET_ENTERPRISE_ID,),
    PORTFOLIO_ACCESS_TOKEN: (GROSS_ENTERPRISE_ID, NET_ENTERPRISE_ID),
}
PORTFOLIO_TOKENS = {PORTFOLIO_ACCESS_TOKEN: PORTFOLIO_ENTERPRISE_ID}


def _service(service_id, enterprise_id, name, *, bookable=False, active=True, ordering=0):
    if bookable:
        data = {
            "Discriminator": "Bookable",
            "Value": {
                "StartOffset": "P0M0DT15H0M0S",
                "EndOffset": "P0M0DT11H0M0S",
                "OccupancyStartOffset": "P0M0DT15H0M0S",
                "OccupancyEndOffset": "P0M0DT11H0M0S",
                "TimeUnitPeriod": "Day",
            },
        }
    else:
        promotions = dict.fromkeys(
            (
                "BeforeCheckIn",
                "AfterCheckIn",
                "DuringStay",
                "BeforeCheckOut",
                "AfterCheckOut",
                "DuringCheckOut",
            ),
            False,
        )
        data = {"Discriminator": "Additional", "Value": {"Promotions": promotions}}
    return {
        "Id": service_id,
        "EnterpriseId": enterprise_id,
        "IsActive": active,
        "Name": name,
        "Names": {"en-GB": name, "en-US": name},
        "Options": {"BillAsPackage": False},
        "Ordering": ordering,
        "Data": data,
        "ExternalIdentifier": None,
        "CreatedUtc": SEED_CREATED_UTC,
        "UpdatedUtc": SEED_CREATED_UTC,
    }


def _services() -> list[dict]:
    services = []
    hotels = (
        (
            GROSS_ENTERPRISE_ID,
            GROSS_RESTAURANT_SERVICE_ID,
            GROSS_BAR_SERVICE_ID,
            GROSS_MINIBAR_SERVICE_ID,
            GROSS_SPA_SERVICE_ID,
            GROSS_BOOKABLE_SERVICE_ID,
            GROSS_INACTIVE_SERVICE_ID,
        ),
        (
            NET_ENTERPRISE_ID,
            NET_RESTAURANT_SERVICE_ID,
            NET_BAR_SERVICE_ID,
            NET_MINIBAR_SERVICE_ID,
            NET_SPA_SERVICE_ID,
            NET_BOOKABLE_SERVICE_ID,
            NET_INACTIVE_SERVICE_ID,
        ),
    )
    for enterprise_id, restaurant, bar, minibar, spa, bookable, inactive in hotels:
        services += [
            _service(restaurant, enterprise_id, "Restaurant", ordering=1),
            _service(bar, enterprise_id, "Bar", ordering=2),
            _service(minibar, enterprise_id, "Minibar", ordering=3),
            _service(spa, enterprise_id, "Spa", ordering=4),
            _service(bookable, enterprise_id, "Accommodation", bookable=True, ordering=0),
            _service(inactive, enterprise_id, "Pool Bar (closed)", active=False, ordering=9),
        ]
    return services


def _accounting_category(category_id, enterprise_id, name, code, classification, active=True):
    return {
        "Id": category_id,
        "EnterpriseId": enterprise_id,
        "IsActive": active,
        "Name": name,
        "Code": code,
        "ExternalCode": None,
        "LedgerAccountCode": None,
        "PostingAccountCode": None,
        "CostCenterCode": None,
        "Classification": classification,
        "CreatedUtc": SEED_CREATED_UTC,
        "UpdatedUtc": SEED_CREATED_UTC,
    }


def _accounting_categories() -> list[dict]:
    return [
        _accounting_category(
            GROSS_FOOD_ACCOUNTING_CATEGORY_ID, GROSS_ENTERPRISE_ID, "Food", "400", "FoodAndBeverage"
        ),
        _accounting_category(
            GROSS_BEVERAGE_ACCOUNTING_CATEGORY_ID,
            GROSS_ENTERPRISE_ID,
            "Beverage",
            "410",
            "FoodAndBeverage",
        ),
        _accounting_category(
            GROSS_WELLNESS_ACCOUNTING_CATEGORY_ID,
            GROSS_ENTERPRISE_ID,
            "Wellness",
            "500",
            "Wellness",
        ),
        _accounting_category(
            GROSS_INACTIVE_ACCOUNTING_CATEGORY_ID,
            GROSS_ENTERPRISE_ID,
            "Old Food and Beverage",
            "399",
            "FoodAndBeverage",
            active=False,
        ),
        _accounting_category(
            NET_FOOD_ACCOUNTING_CATEGORY_ID, NET_ENTERPRISE_ID, "Food", "4000", "FoodAndBeverage"
        ),
        _accounting_category(
            NET_BEVERAGE_ACCOUNTING_CATEGORY_ID,
            NET_ENTERPRISE_ID,
            "Beverage",
            "4100",
            "FoodAndBeverage",
        ),
        _accounting_category(
            NET_WELLNESS_ACCOUNTING_CATEGORY_ID, NET_ENTERPRISE_ID, "Spa", "5000", "Wellness"
        ),
        _accounting_category(
            NET_INACTIVE_ACCOUNTING_CATEGORY_ID,
            NET_ENTERPRISE_ID,
            "Retired Minibar",
            "4200",
            "FoodAndBeverage",
            active=False,
        ),
    ]


def _product(
    product_id, service_id, name, short_name, category_id, price, *, pricing, tax_codes, active=True
):
    currency = "GBP" if pricing == "Gross" else "USD"
    price_value = Decimal(price)
    return {
        "Id": product_id,
        "ServiceId": service_id,
        "CategoryId": None,
        "AccountingCategoryId": category_id,
        "IsActive": active,
        "Name": name,
        "Names": {"en-GB": name, "en-US": name},
        "ExternalNames": {"en-GB": name, "en-US": name},
        "ShortNames": {"en-GB": short_name, "en-US": short_name},
        "Descriptions": {},
        "ChargingMode": "Once",
        "PostingMode": "Once",
        "Options": {"BillAsPackage": False, "ExcludePriceFromOffer": False},
        "Promotions": {},
        "Classifications": {
            "Food": category_id
            in (GROSS_FOOD_ACCOUNTING_CATEGORY_ID, NET_FOOD_ACCOUNTING_CATEGORY_ID),
            "Beverage": category_id
            in (GROSS_BEVERAGE_ACCOUNTING_CATEGORY_ID, NET_BEVERAGE_ACCOUNTING_CATEGORY_ID),
            "Wellness": category_id
            in (GROSS_WELLNESS_ACCOUNTING_CATEGORY_ID, NET_WELLNESS_ACCOUNTING_CATEGORY_ID),
            "CityTax": False,
            "Fee": False,
        },
        "Price": {
            "Currency": currency,
            "GrossValue": price_value if pricing == "Gross" else None,
            "NetValue": price_value if pricing == "Net" else None,
            "TaxValues": [{"Code": code} for code in tax_codes],
        },
        "Ordering": 0,
        "ExternalIdentifier": None,
        "CreatedUtc": SEED_CREATED_UTC,
        "UpdatedUtc": SEED_CREATED_UTC,
        "ConsumptionMoment": "PostingTimeUnit",
    }


def _products() -> list[dict]:
    gross = {"pricing": "Gross", "tax_codes": (GROSS_STANDARD_TAX_CODE,)}
    net = {"pricing": "Net", "tax_codes": NET_FOOD_TAX_CODES}
    return [
        _product(
            GROSS_BREAKFAST_PRODUCT_ID,
            GROSS_RESTAURANT_SERVICE_ID,
            "Full English Breakfast",
            "BRKF",
            GROSS_FOOD_ACCOUNTING_CATEGORY_ID,
            "18.50",
            **gross,
        ),
        _product(
            GROSS_SANDWICH_PRODUCT_ID,
            GROSS_RESTAURANT_SERVICE_ID,
            "Club Sandwich",
            "CLUB",
            GROSS_FOOD_ACCOUNTING_CATEGORY_ID,
            "14.00",
            **gross,
        ),
        _product(
            GROSS_ALE_PRODUCT_ID,
            GROSS_BAR_SERVICE_ID,
            "Pint of Ale",
            "ALE",
            GROSS_BEVERAGE_ACCOUNTING_CATEGORY_ID,
            "6.50",
            **gross,
        ),
        _product(
            GROSS_WINE_PRODUCT_ID,
            GROSS_BAR_SERVICE_ID,
            "Glass of House Red",
            "WINE",
            GROSS_BEVERAGE_ACCOUNTING_CATEGORY_ID,
            "8.00",
            **gross,
        ),
        _product(
            GROSS_WATER_PRODUCT_ID,
            GROSS_MINIBAR_SERVICE_ID,
            "Sparkling Water 500 ml",
            "WATR",
            GROSS_BEVERAGE_ACCOUNTING_CATEGORY_ID,
            "3.00",
            **gross,
        ),
        _product(
            GROSS_MASSAGE_PRODUCT_ID,
            GROSS_SPA_SERVICE_ID,
            "Massage 60 min",
            "MSG60",
            GROSS_WELLNESS_ACCOUNTING_CATEGORY_ID,
            "85.00",
            **gross,
        ),
        _product(
            GROSS_INACTIVE_PRODUCT_ID,
            GROSS_RESTAURANT_SERVICE_ID,
            "Afternoon Tea (discontinued)",
            "TEA",
            GROSS_FOOD_ACCOUNTING_CATEGORY_ID,
            "24.00",
            active=False,
            **gross,
        ),
        _product(
            NET_BREAKFAST_PRODUCT_ID,
            NET_RESTAURANT_SERVICE_ID,
            "Pancake Breakfast",
            "PNCK",
            NET_FOOD_ACCOUNTING_CATEGORY_ID,
            "21.00",
            **net,
        ),
        _product(
            NET_BURGER_PRODUCT_ID,
            NET_RESTAURANT_SERVICE_ID,
            "Midtown Burger",
            "BRGR",
            NET_FOOD_ACCOUNTING_CATEGORY_ID,
            "24.00",
            **net,
        ),
        _product(
            NET_BEER_PRODUCT_ID,
            NET_BAR_SERVICE_ID,
            "Draft Beer",
            "BEER",
            NET_BEVERAGE_ACCOUNTING_CATEGORY_ID,
            "9.00",
            **net,
        ),
        _product(
            NET_COCKTAIL_PRODUCT_ID,
            NET_BAR_SERVICE_ID,
            "Manhattan Cocktail",
            "MNHT",
            NET_BEVERAGE_ACCOUNTING_CATEGORY_ID,
            "18.00",
            **net,
        ),
        _product(
            NET_WATER_PRODUCT_ID,
            NET_MINIBAR_SERVICE_ID,
            "Spring Water",
            "WATR",
            NET_BEVERAGE_ACCOUNTING_CATEGORY_ID,
            "4.00",
            **net,
        ),
        _product(
            NET_MASSAGE_PRODUCT_ID,
            NET_SPA_SERVICE_ID,
            "Deep Tissue Massage",
            "DTM",
            NET_WELLNESS_ACCOUNTING_CATEGORY_ID,
            "140.00",
            **net,
        ),
        _product(
            NET_INACTIVE_PRODUCT_ID,
            NET_RESTAURANT_SERVICE_ID,
            "Brunch Buffet (discontinued)",
            "BRUN",
            NET_FOOD_ACCOUNTING_CATEGORY_ID,
            "35.00",
            active=False,
            **net,
        ),
    ]


def _business_segments() -> list[dict]:
    rows = [
        (GROSS_LEISURE_SEGMENT_ID, GROSS_BOOKABLE_SERVICE_ID, "Leisure", True),
        (GROSS_CORPORATE_SEGMENT_ID, GROSS_BOOKABLE_SERVICE_ID, "Corporate", True),
        (GROSS_WALK_IN_SEGMENT_ID, GROSS_RESTAURANT_SERVICE_ID, "Walk-in", True),
        (GROSS_INACTIVE_SEGMENT_ID, GROSS_BOOKABLE_SERVICE_ID, "Tour Operator (old)", False),
        (NET_LEISURE_SEGMENT_ID, NET_BOOKABLE_SERVICE_ID, "Leisure", True),
        (NET_CORPORATE_SEGMENT_ID, NET_BOOKABLE_SERVICE_ID, "Corporate", True),
        (NET_WALK_IN_SEGMENT_ID, NET_RESTAURANT_SERVICE_ID, "Walk-in", True),
    ]
    return [
        {
            "Id": segment_id,
            "ServiceId": service_id,
            "IsActive": active,
            "Name": name,
            "CreatedUtc": SEED_CREATED_UTC,
            "UpdatedUtc": SEED_CREATED_UTC,
        }
        for segment_id, service_id, name, active in rows
    ]


def _resources() -> list[dict]:
    rows = [
        (GROSS_ROOM_12A_ID, GROSS_ENTERPRISE_ID, GROSS_IN_HOUSE_ROOM, "Dirty", "1"),
        (GROSS_ROOM_12B_ID, GROSS_ENTERPRISE_ID, "12B", "Inspected", "1"),
        (GROSS_ROOM_101_ID, GROSS_ENTERPRISE_ID, GROSS_CASHLIST_ROOM, "Clean", "1"),
        (GROSS_ROOM_SUITE_ID, GROSS_ENTERPRISE_ID, "Thames Suite", "Inspected", "4"),
        (NET_ROOM_PH2_ID, NET_ENTERPRISE_ID, NET_IN_HOUSE_ROOM, "Dirty", "40"),
        (NET_ROOM_1407_ID, NET_ENTERPRISE_ID, "1407", "Clean", "14"),
        (NET_ROOM_803B_ID, NET_ENTERPRISE_ID, "803B", "Inspected", "8"),
    ]
    return [
        {
            "Id": resource_id,
            "EnterpriseId": enterprise_id,
            "IsActive": True,
            "ParentResourceId": None,
            "Name": name,
            "State": state,
            "Descriptions": {},
            "ExternalNames": {},
            "Directions": {},
            "Data": {"Discriminator": "Space", "Value": {"FloorNumber": floor}},
            "CreatedUtc": SEED_CREATED_UTC,
            "UpdatedUtc": SEED_CREATED_UTC,
        }
        for resource_id, enterprise_id, name, state, floor in rows
    ]


def _customer(customer_id, chain_id, first_name, last_name, number, classifications=()):
    return {
        "Id": customer_id,
        "ChainId": chain_id,
        "Number": str(number),
        "Title": None,
        "Sex": None,
        "FirstName": first_name,
        "LastName": last_name,
        "SecondLastName": None,
        "NationalityCode": None,
        "PreferredLanguageCode": None,
        "LanguageCode": None,
        "BirthDate": None,
        "Email": None,
        "HasOtaEmail": False,
        "Phone": None,
        "LoyaltyCode": None,
        "AccountingCode": None,
        "BillingCode": None,
        "Notes": "",
        "CreatedUtc": SEED_CREATED_UTC,
        "UpdatedUtc": SEED_CREATED_UTC,
        "AddressId": None,
        "Classifications": list(classifications),
        "Options": [],
        "CompanyId": None,
        "MergeTargetId": None,
        "ActivityState": "Active",
        "IsActive": True,
        "PreferredSpaceFeatures": [],
        "CreatorProfileId": _id(12, 1),
        "UpdaterProfileId": _id(12, 1),
    }


def _customers() -> list[dict]:
    return [
        _customer(GROSS_IN_HOUSE_CUSTOMER_ID, GROSS_CHAIN_ID, "Oliver", "Bennett", 1001),
        _customer(GROSS_COMPANION_CUSTOMER_ID, GROSS_CHAIN_ID, "Amelia", "Bennett", 1002),
        _customer(
            GROSS_CASHLIST_CUSTOMER_ID, GROSS_CHAIN_ID, "Henry", "Whitlock", 1003, ["Cashlist"]
        ),
        _customer(
            GROSS_PAYMASTER_CUSTOMER_ID,
            GROSS_CHAIN_ID,
            None,
            "Conference Paymaster",
            1004,
            ["PaymasterAccount"],
        ),
        _customer(GROSS_DEPARTED_CUSTOMER_ID, GROSS_CHAIN_ID, "Grace", "Holloway", 1005),
        _customer(GROSS_ARRIVING_CUSTOMER_ID, GROSS_CHAIN_ID, "Samuel", "Okafor", 1006),
        _customer(NET_IN_HOUSE_CUSTOMER_ID, NET_CHAIN_ID, "Maria", "Garcia", 2001, ["Returning"]),
        _customer(NET_COMPANION_CUSTOMER_ID, NET_CHAIN_ID, "Lucas", "Garcia", 2002),
        _customer(NET_CASHLIST_CUSTOMER_ID, NET_CHAIN_ID, "Nathan", "Pierce", 2003, ["Cashlist"]),
        _customer(
            NET_PAYMASTER_CUSTOMER_ID,
            NET_CHAIN_ID,
            None,
            "Wedding Paymaster",
            2004,
            ["PaymasterAccount"],
        ),
    ]


def _companies() -> list[dict]:
    rows = [
        (GROSS_COMPANY_ID, GROSS_CHAIN_ID, GROSS_COMPANY_NAME, 501, True),
        (GROSS_SECOND_COMPANY_ID, GROSS_CHAIN_ID, "Southbank Consulting LLP", 502, True),
        (GROSS_INACTIVE_COMPANY_ID, GROSS_CHAIN_ID, "Old Kent Road Tours (closed)", 503, False),
        (NET_COMPANY_ID, NET_CHAIN_ID, NET_COMPANY_NAME, 601, True),
        (NET_SECOND_COMPANY_ID, NET_CHAIN_ID, "Empire Film Productions", 602, True),
    ]
    return [
        {
            "Id": company_id,
            "ChainId": chain_id,
            "Name": name,
            "IsActive": active,
            "Number": number,
            "Identifier": None,
            "TaxIdentifier": None,
            "AdditionalTaxIdentifier": None,
            "InvoiceDueInterval": "P0M14DT0H0M0S",
            "AccountingCode": None,
            "MotherCompanyId": None,
            "CreatedUtc": SEED_CREATED_UTC,
            "UpdatedUtc": SEED_CREATED_UTC,
            "AddressId": None,
            "BillingCode": None,
            "Iata": None,
            "Telephone": None,
            "InvoicingEmail": None,
            "Contact": None,
            "Notes": None,
            "Options": {"Invoiceable": True, "AddFeesToInvoices": False},
            "Department": None,
            "DunsNumber": None,
            "CreditRating": {"Basic": "CreditOk"},
            "ReferenceIdentifier": None,
            "WebsiteUrl": None,
            "ExternalIdentifier": None,
        }
        for company_id, chain_id, name, number, active in rows
    ]


def _reservations(now: datetime) -> list[dict]:
    """Build reservations; `_CompanionIds` lists everyone staying, which Mews keeps apart."""
    today = now.replace(hour=14, minute=0, second=0, microsecond=0)
    rows = [
        (
            GROSS_IN_HOUSE_RESERVATION_ID,
            GROSS_ENTERPRISE_ID,
            GROSS_BOOKABLE_SERVICE_ID,
            GROSS_IN_HOUSE_CUSTOMER_ID,
            [GROSS_IN_HOUSE_CUSTOMER_ID, GROSS_COMPANION_CUSTOMER_ID],
            GROSS_ROOM_12A_ID,
            "Started",
            -2,
            3,
            "L-1001",
        ),
        (
            GROSS_CASHLIST_RESERVATION_ID,
            GROSS_ENTERPRISE_ID,
            GROSS_BOOKABLE_SERVICE_ID,
            GROSS_CASHLIST_CUSTOMER_ID,
            [GROSS_CASHLIST_CUSTOMER_ID],
            GROSS_ROOM_101_ID,
            "Started",
            -1,
            2,
            "L-1002",
        ),
        (
            GROSS_DEPARTED_RESERVATION_ID,
            GROSS_ENTERPRISE_ID,
            GROSS_BOOKABLE_SERVICE_ID,
            GROSS_DEPARTED_CUSTOMER_ID,
            [GROSS_DEPARTED_CUSTOMER_ID],
            GROSS_ROOM_12B_ID,
            "Processed",
            -5,
            -1,
            "L-0990",
        ),
        (
            GROSS_ARRIVING_RESERVATION_ID,
            GROSS_ENTERPRISE_ID,
            GROSS_BOOKABLE_SERVICE_ID,
            GROSS_ARRIVING_CUSTOMER_ID,
            [GROSS_ARRIVING_CUSTOMER_ID],
            GROSS_ROOM_SUITE_ID,
            "Confirmed",
            2,
            4,
            "L-1010",
        ),
        (
            NET_IN_HOUSE_RESERVATION_ID,
            NET_ENTERPRISE_ID,
            NET_BOOKABLE_SERVICE_ID,
            NET_IN_HOUSE_CUSTOMER_ID,
            [NET_IN_HOUSE_CUSTOMER_ID, NET_COMPANION_CUSTOMER_ID],
            NET_ROOM_PH2_ID,
            "Started",
            -3,
            2,
            "NY-2001",
        ),
        (
            NET_CASHLIST_RESERVATION_ID,
            NET_ENTERPRISE_ID,
            NET_BOOKABLE_SERVICE_ID,
            NET_CASHLIST_CUSTOMER_ID,
            [NET_CASHLIST_CUSTOMER_ID],
            NET_ROOM_1407_ID,
            "Started",
            -1,
            1,
            "NY-2002",
        ),
    ]
    reservations = []
    for index, row in enumerate(rows):
        (
            reservation_id,
            enterprise_id,
            service_id,
            owner_id,
            companions,
            room_id,
            state,
            start_days,
            end_days,
            number,
        ) = row
        start = today + timedelta(days=start_days)
        end = (today + timedelta(days=end_days)).replace(hour=11)
        started = state in ("Started", "Processed")
        reservations.append(
            {
                "Id": reservation_id,
                "EnterpriseId": enterprise_id,
                "ServiceId": service_id,
                "AccountId": owner_id,
                "AccountType": "Customer",
                "CreatorProfileId": _id(12, 1),
                "UpdaterProfileId": _id(12, 1),
                "BookerId": None,
                "Number": number,
                "State": state,
                "Origin": "Commander",
                "CommanderOrigin": "InPerson",
                "OriginDetails": None,
                "CreatedUtc": SEED_CREATED_UTC,
                "UpdatedUtc": SEED_CREATED_UTC,
                "CancelledUtc": None,
                "VoucherId": None,
                "BusinessSegmentId": None,
                "Options": {
                    "OwnerCheckedIn": started,
                    "AllCompanionsCheckedIn": started,
                    "AnyCompanionCheckedIn": started,
                    "ConnectorCheckIn": False,
                },
                "RateId": _id(13, 1),
                "CreditCardId": None,
                "GroupId": _id(9, 100 + index),
                "RequestedResourceCategoryId": _id(14, 1),
                "AssignedResourceId": room_id,
                "AvailabilityBlockId": None,
                "PartnerCompanyId": None,
                "TravelAgencyId": None,
                "AssignedResourceLocked": False,
                "ChannelNumber": None,
                "ChannelManagerNumber": None,
                "CancellationReason": None,
                "ReleasedUtc": None,
                "StartUtc": _utc(start),
                "EndUtc": _utc(end),
                "ScheduledStartUtc": _utc(start),
                "ActualStartUtc": _utc(start) if started else None,
                "ScheduledEndUtc": _utc(end),
                "ActualEndUtc": _utc(end) if state == "Processed" else None,
                "Purpose": "Leisure",
                "QrCodeData": None,
                "PersonCounts": [{"AgeCategoryId": _id(15, 1), "Count": len(companions)}],
                "_CompanionIds": list(companions),
            }
        )
    return reservations


def _bills() -> list[dict]:
    rows = [
        (GROSS_OPEN_BILL_ID, GROSS_ENTERPRISE_ID, GROSS_IN_HOUSE_CUSTOMER_ID, "Customer", "Open"),
        (
            GROSS_CLOSED_BILL_ID,
            GROSS_ENTERPRISE_ID,
            GROSS_IN_HOUSE_CUSTOMER_ID,
            "Customer",
            "Closed",
        ),
        (
            GROSS_COMPANION_OPEN_BILL_ID,
            GROSS_ENTERPRISE_ID,
            GROSS_COMPANION_CUSTOMER_ID,
            "Customer",
            "Open",
        ),
        (
            GROSS_PAYMASTER_OPEN_BILL_ID,
            GROSS_ENTERPRISE_ID,
            GROSS_PAYMASTER_CUSTOMER_ID,
            "Customer",
            "Open",
        ),
        (GROSS_COMPANY_OPEN_BILL_ID, GROSS_ENTERPRISE_ID, GROSS_COMPANY_ID, "Company", "Open"),
        (NET_OPEN_BILL_ID, NET_ENTERPRISE_ID, NET_IN_HOUSE_CUSTOMER_ID, "Customer", "Open"),
        (NET_CLOSED_BILL_ID, NET_ENTERPRISE_ID, NET_IN_HOUSE_CUSTOMER_ID, "Customer", "Closed"),
        (
            NET_PAYMASTER_OPEN_BILL_ID,
            NET_ENTERPRISE_ID,
            NET_PAYMASTER_CUSTOMER_ID,
            "Customer",
            "Open",
        ),
    ]
    bills = []
    for number, (bill_id, enterprise_id, account_id, account_type, state) in enumerate(rows, 1):
        closed = state == "Closed"
        bills.append(
            {
                "Id": bill_id,
                "Name": None,
                "EnterpriseId": enterprise_id,
                "AccountId": account_id,
                "AccountType": account_type,
                "AssociatedAccountIds": [],
                "CounterId": None,
                "State": state,
                "Type": "Receipt",
                "Number": str(7000 + number) if closed else None,
                "VariableSymbol": None,
                "CreatedUtc": SEED_CREATED_UTC,
                "IssuedUtc": SEED_CREATED_UTC if closed else None,
                "TaxedUtc": None,
                "PaidUtc": SEED_CREATED_UTC if closed else None,
                "DueUtc": None,
                "LastReminderDateUtc": None,
                "UpdatedUtc": SEED_CREATED_UTC,
                "PurchaseOrderNumber": None,
                "Notes": None,
                "Options": {
                    "DisplayCustomer": True,
                    "DisplayTaxation": True,
                    "TrackReceivable": False,
                    "DisplayCid": False,
                    "Rebated": False,
                },
                "CorrectionState": "Bill",
                "CorrectionType": None,
                "CorrectedBillId": None,
            }
        )
    return bills


def _tax_environments() -> list[dict]:
    return [
        {
            "Code": GROSS_TAX_ENVIRONMENT_CODE,
            "CountryCode": "GBR",
            "ValidityStartUtc": "2022-01-01T00:00:00Z",
            "ValidityEndUtc": None,
            "TaxationCodes": ["UK-2022", "UK-2022-HOSP"],
        },
        {
            "Code": NET_TAX_ENVIRONMENT_CODE,
            "CountryCode": "USA",
            "ValidityStartUtc": "2023-01-01T05:00:00Z",
            "ValidityEndUtc": None,
            "TaxationCodes": ["US-NY-S", "US-NYC", "US-MCTD", "US-NYC-HOTEL"],
        },
        {
            "Code": "DE-2020",
            "CountryCode": "DEU",
            "ValidityStartUtc": None,
            "ValidityEndUtc": None,
            "TaxationCodes": ["DE-2020"],
        },
    ]


def _relative(code, taxation, rate, intervals=None):
    value = Decimal(rate)
    return {
        "Code": code,
        "TaxationCode": taxation,
        "Value": value,
        "ValidityInvervalsUtc": intervals,
        "Strategy": {"Discriminator": "Relative", "Value": {"Value": value}},
    }


def _taxations() -> dict[str, Any]:
    return {
        "Taxations": [
            {"Code": "UK-2022", "Name": "VAT", "LocalName": "VAT"},
            {"Code": "UK-2022-HOSP", "Name": "VAT (hospitality)", "LocalName": "VAT"},
            {"Code": "US-NY-S", "Name": "New York State sales tax", "LocalName": "State tax"},
            {"Code": "US-NYC", "Name": "New York City sales tax", "LocalName": "City tax"},
            {"Code": "US-MCTD", "Name": "Metropolitan commuter district", "LocalName": "MCTD"},
            {"Code": "US-NYC-HOTEL", "Name": "NYC hotel room occupancy", "LocalName": "Hotel"},
            {"Code": "DE-2020", "Name": "VAT", "LocalName": "MwSt"},
        ],
        "TaxRates": [
            _relative(GROSS_STANDARD_TAX_CODE, "UK-2022", "0.2"),
            _relative(GROSS_REDUCED_TAX_CODE, "UK-2022", "0.05"),
            _relative(GROSS_ZERO_TAX_CODE, "UK-2022", "0"),
            _relative(
                GROSS_EXPIRED_TAX_CODE,
                "UK-2022-HOSP",
                "0.125",
                [{"StartUtc": "2021-10-01T00:00:00Z", "EndUtc": "2022-04-01T00:00:00Z"}],
            ),
            _relative(NET_STATE_TAX_CODE, "US-NY-S", "0.04"),
            _relative(NET_CITY_TAX_CODE, "US-NYC", "0.045"),
            _relative(NET_TRANSIT_TAX_CODE, "US-MCTD", "0.00375"),
            _relative(NET_HOTEL_TAX_CODE, "US-NYC-HOTEL", "0.05875"),
            _relative("DE-2020-S", "DE-2020", "0.19"),
        ],
    }


CURRENCIES = [
    {"Code": "GBP", "Precision": 2},
    {"Code": "EUR", "Precision": 2},
    {"Code": "USD", "Precision": 2},
    {"Code": "CHF", "Precision": 2},
    {"Code": "JPY", "Precision": 0},
]


def build_records(now: datetime) -> dict[str, Any]:
    """Build every seed record in its Mews JSON shape; times relative to `now` (UTC)."""
    return {
        "enterprises": _enterprises(),
        "services": _services(),
        "accounting_categories": _accounting_categories(),
        "products": _products(),
        "business_segments": _business_segments(),
        "resources": _resources(),
        "customers": _customers(),
        "companies": _companies(),
        "reservations": _reservations(now),
        "bills": _bills(),
        "tax_environments": _tax_environments(),
        "taxations": _taxations(),
        "currencies": [dict(c) for c in CURRENCIES],
    }
