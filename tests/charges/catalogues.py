"""Catalogues built in memory, for tests of forms and taxes that need no Connector API."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal

from orderdesk.charges.catalogue import Catalogue, Choice, Product, Service, TaxEnvironment
from orderdesk.charges.taxes import TaxRate

RESTAURANT = "svc-restaurant"
BAR = "svc-bar"
ROOMS = "svc-rooms"
INACTIVE_SERVICE = "svc-closed"
BURGER = "prd-burger"
WINE = "prd-wine"
INACTIVE_PRODUCT = "prd-old"
ROOM_NIGHT = "prd-night"
FOOD = "cat-food"
INACTIVE_CATEGORY = "cat-old"
SEGMENT = "seg-leisure"
BAR_SEGMENT = "seg-bar"
PAST = datetime(2020, 1, 1, tzinfo=UTC)
# A rate that starts to apply in two days, for tests of the consumption time.
NEXT_RATE_START = datetime.now(UTC).replace(microsecond=0) + timedelta(days=2)


def make_catalogue(*, pricing: str = "Gross", time_zone: str = "Europe/London") -> Catalogue:
    gross = pricing == "Gross"
    catalogue = Catalogue(
        enterprise_id="ent-1",
        enterprise_name="Test hotel",
        time_zone=time_zone,
        pricing=pricing,
        default_currency="GBP" if gross else "USD",
        accepted_currencies=("GBP", "EUR", "JPY") if gross else ("USD",),
        tax_environment_code="UK" if gross else "US-NY",
        editable_history_interval="P0M7DT0H0M0S",
        clock_offset=timedelta(0),
        fetched_at=datetime.now(UTC),
    )
    catalogue.services = {
        RESTAURANT: Service(RESTAURANT, "Restaurant", True, "Additional"),
        BAR: Service(BAR, "Bar", True, "Additional"),
        ROOMS: Service(ROOMS, "Accommodation", True, "Bookable"),
        INACTIVE_SERVICE: Service(INACTIVE_SERVICE, "Closed bar", False, "Additional"),
    }
    currency = "GBP" if gross else "USD"
    codes = ("UK-S",) if gross else ("US-NY-S", "US-NYC")
    catalogue.products = {
        BURGER: Product(
            BURGER, RESTAURANT, "Burger", True, currency, Decimal("12.00"), Decimal("10.00"), codes
        ),
        WINE: Product(WINE, BAR, "Wine", True, currency, Decimal("6.00"), Decimal("5.00"), codes),
        INACTIVE_PRODUCT: Product(
            INACTIVE_PRODUCT, RESTAURANT, "Old dish", False, currency, Decimal(1), Decimal(1), codes
        ),
        ROOM_NIGHT: Product(
            ROOM_NIGHT, ROOMS, "Night", True, currency, Decimal(100), Decimal(100), codes
        ),
    }
    catalogue.accounting_categories = {
        FOOD: Choice(FOOD, "Food", True),
        INACTIVE_CATEGORY: Choice(INACTIVE_CATEGORY, "Old", False),
    }
    catalogue.business_segments = {
        SEGMENT: Choice(SEGMENT, "Leisure", True),
        BAR_SEGMENT: Choice(BAR_SEGMENT, "Happy hour", True, service_id=BAR),
    }
    catalogue.currency_precision = {"GBP": 2, "EUR": 2, "USD": 2, "JPY": 0}
    if gross:
        catalogue.tax_environments = (TaxEnvironment("UK", None, None, ("UK",)),)
        catalogue.tax_rates = {
            "UK-S": TaxRate("UK-S", "UK", "Relative", Decimal("0.2")),
            "UK-R": TaxRate("UK-R", "UK", "Relative", Decimal("0.05")),
            "UK-Z": TaxRate("UK-Z", "UK", "Relative", Decimal("0")),
            "UK-NEXT": TaxRate(
                "UK-NEXT", "UK", "Relative", Decimal("0.22"), validity=((NEXT_RATE_START, None),)
            ),
            "UK-OLD": TaxRate(
                "UK-OLD", "UK", "Relative", Decimal("0.175"), validity=((None, PAST),)
            ),
        }
    else:
        catalogue.tax_environments = (TaxEnvironment("US-NY", None, None, ("US-NY", "US-NYC")),)
        catalogue.tax_rates = {
            "US-NY-S": TaxRate("US-NY-S", "US-NY", "Relative", Decimal("0.04")),
            "US-NYC": TaxRate("US-NYC", "US-NYC", "Relative", Decimal("0.045")),
            "US-NYC-FLAT": TaxRate("US-NYC-FLAT", "US-NYC", "Flat", Decimal("2"), currency="USD"),
        }
    return catalogue
