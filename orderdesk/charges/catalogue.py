"""Per-property catalogue: the Mews data the charge form needs, cached in the default cache.

The catalogue contains the configuration, services, products, accounting categories, business
segments, tax environments, tax rates and currencies of one property. A cold build costs eight
Connector API calls; a warm form render costs none. Entries live settings.CATALOGUE_CACHE_TTL
seconds and administrators can refresh them at once.
"""

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from orderdesk.charges.durations import Duration, InvalidDuration, parse_duration
from orderdesk.charges.taxes import GROSS, TaxRate
from orderdesk.connections.models import Property
from orderdesk.connections.services import connector_client, remember_time_zone

logger = logging.getLogger(__name__)

# Bump when the cached classes change shape, so old entries are ignored after a deployment.
CACHE_VERSION = 1

ADDITIONAL = "Additional"

# Permission that lets administrators refresh the catalogue of a property.
REFRESH_PERMISSION = "connections.change_property"


@dataclass(frozen=True)
class Service:
    id: str
    name: str
    is_active: bool
    kind: str  # "Additional" or "Bookable", as Mews writes the service data discriminator.

    @property
    def is_postable(self) -> bool:
        return self.is_active and self.kind == ADDITIONAL


@dataclass(frozen=True)
class Product:
    id: str
    service_id: str
    name: str
    is_active: bool
    currency: str
    # Mews may give only the value that matches the property's pricing; the other is None.
    gross_value: Decimal | None
    net_value: Decimal | None
    tax_codes: tuple[str, ...]
    accounting_category_id: str = ""


@dataclass(frozen=True)
class Choice:
    """An accounting category or business segment: an id, a name and whether it is active."""

    id: str
    name: str
    is_active: bool
    service_id: str = ""


@dataclass(frozen=True)
class TaxEnvironment:
    code: str
    start: datetime | None
    end: datetime | None
    taxation_codes: tuple[str, ...]

    def is_valid_at(self, moment: datetime) -> bool:
        return (self.start is None or self.start <= moment) and (
            self.end is None or moment < self.end
        )


@dataclass
class Catalogue:
    """The cached Mews data of one property, in plain values that pickle."""

    enterprise_id: str
    enterprise_name: str
    time_zone: str
    pricing: str
    default_currency: str
    accepted_currencies: tuple[str, ...]
    tax_environment_code: str
    # AccountingEditableHistoryInterval, or the deprecated EditableHistoryInterval without it.
    editable_history_interval: str
    # Mews' NowUtc minus our clock when the configuration was read.
    clock_offset: timedelta
    fetched_at: datetime
    services: dict[str, Service] = field(default_factory=dict)
    products: dict[str, Product] = field(default_factory=dict)
    accounting_categories: dict[str, Choice] = field(default_factory=dict)
    business_segments: dict[str, Choice] = field(default_factory=dict)
    tax_environments: tuple[TaxEnvironment, ...] = ()
    tax_rates: dict[str, TaxRate] = field(default_factory=dict)
    currency_precision: dict[str, int] = field(default_factory=dict)

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.time_zone)

    def mews_now(self) -> datetime:
        """Estimate Mews' current time from our clock and the offset seen at the last read."""
        return timezone.now() + self.clock_offset

    def editable_history(self) -> Duration | None:
        try:
            return parse_duration(self.editable_history_interval)
        except InvalidDuration:
            logger.warning(
                "Editable history interval %r of enterprise %s is not a duration",
                self.editable_history_interval,
                self.enterprise_id,
            )
            return None

    def earliest_consumption(self) -> datetime | None:
        """Return the earliest ConsumptionUtc that Mews still accepts, or None without a limit."""
        interval = self.editable_history()
        if interval is None:
            return None
        return interval.before(self.mews_now())

    def postable_services(self) -> list[Service]:
        return [service for service in self.services.values() if service.is_postable]

    def active_products(self, service_id: str | None = None) -> list[Product]:
        return [
            product
            for product in self.products.values()
            if product.is_active and (service_id is None or product.service_id == service_id)
        ]

    def active_accounting_categories(self) -> list[Choice]:
        return [c for c in self.accounting_categories.values() if c.is_active]

    def active_business_segments(self, service_id: str | None = None) -> list[Choice]:
        return [
            segment
            for segment in self.business_segments.values()
            if segment.is_active
            and (not service_id or not segment.service_id or segment.service_id == service_id)
        ]

    def shown_price(self, product: Product) -> Decimal | None:
        """Return the product's unit price in the property's pricing (gross or net)."""
        if self.pricing == GROSS:
            return product.gross_value if product.gross_value is not None else product.net_value
        return product.net_value if product.net_value is not None else product.gross_value

    def precision(self, currency: str) -> int:
        return self.currency_precision.get(currency, 2)

    def tax_rates_at(self, moment: datetime) -> list[TaxRate]:
        """Return the tax rates of the property's tax environment valid at `moment` (UTC)."""
        taxation_codes: set[str] = set()
        for environment in self.tax_environments:
            if environment.code == self.tax_environment_code and environment.is_valid_at(moment):
                taxation_codes.update(environment.taxation_codes)
        return [
            rate
            for rate in self.tax_rates.values()
            if rate.taxation_code in taxation_codes and rate.is_valid_at(moment)
        ]


def cache_key(property: Property) -> str:
    return f"charges:catalogue:v{CACHE_VERSION}:{property.pk}:{property.enterprise_id}"


def get_catalogue(property: Property) -> Catalogue:
    """Return the property's catalogue from the cache, building it from Mews when missing."""
    catalogue = cache.get(cache_key(property))
    if catalogue is None:
        catalogue = build_catalogue(property)
        cache.set(cache_key(property), catalogue, settings.CATALOGUE_CACHE_TTL)
    return catalogue


def refresh_catalogue(*, user, property: Property) -> Catalogue:
    """Rebuild the property's catalogue from Mews now; only administrators may."""
    if not user.has_perm(REFRESH_PERMISSION):
        raise PermissionDenied
    catalogue = build_catalogue(property)
    cache.set(cache_key(property), catalogue, settings.CATALOGUE_CACHE_TTL)
    logger.info("Catalogue of property %s refreshed by user %s", property.pk, user.pk)
    return catalogue


def build_catalogue(property: Property) -> Catalogue:
    """Read the catalogue of one property from the Connector API (eight calls)."""
    from orderdesk.charges import mews_data

    client = connector_client(property)
    configuration = client.get_configuration()
    fetched_at = timezone.now()
    catalogue = mews_data.catalogue_from_configuration(configuration, fetched_at=fetched_at)
    remember_time_zone(property, configuration.enterprise.time_zone_identifier)

    services = [mews_data.service(item) for item in client.get_services()]
    catalogue.services = {service.id: service for service in services}
    service_ids = [service.id for service in services]

    if service_ids:
        products = client.get_products(service_ids=service_ids)
        catalogue.products = {p.id: p for p in map(mews_data.product, products)}
        segments = client.get_business_segments(service_ids=service_ids)
        catalogue.business_segments = {s.id: s for s in map(mews_data.business_segment, segments)}

    categories = client.get_accounting_categories()
    catalogue.accounting_categories = {
        c.id: c for c in map(mews_data.accounting_category, categories)
    }
    catalogue.tax_environments = tuple(
        map(mews_data.tax_environment, client.get_tax_environments())
    )
    # Keep the rates of the property's own tax environment, in every validity period.
    environment_taxations = {
        code
        for environment in catalogue.tax_environments
        if environment.code == catalogue.tax_environment_code
        for code in environment.taxation_codes
    }
    rates = mews_data.tax_rates(client.get_taxations())
    catalogue.tax_rates = {
        rate.code: rate for rate in rates if rate.taxation_code in environment_taxations
    }
    catalogue.currency_precision = {
        code: precision for code, precision in map(mews_data.currency, client.get_currencies())
    }
    logger.info(
        "Catalogue of property %s read: %s services, %s products",
        property.pk,
        len(catalogue.services),
        len(catalogue.products),
    )
    return catalogue
