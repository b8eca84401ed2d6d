"""Typed results of Connector API operations.

Field names are the snake_case of the Mews names. Money is Decimal, times are aware datetimes in
UTC, and Mews enumerations stay as their strings. Each `from_json` reads one Mews object. It
raises KeyError, TypeError or ValueError when a required field is missing or malformed, and the
client turns those into InvalidResponseError.
"""

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

# Mews may send up to seven fractional digits; Python parses at most six.
_FRACTION = re.compile(r"(\.\d{6})\d+")
# Preferred languages when a localized text has several translations.
_NAME_LANGUAGES = ("en-GB", "en-US")


def parse_utc(value: str | None) -> datetime | None:
    """Parse a Mews ISO 8601 timestamp into an aware UTC datetime; None stays None."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise TypeError("A timestamp must be a string.")
    parsed = datetime.fromisoformat(_FRACTION.sub(r"\1", value.strip()))
    if parsed.tzinfo is None:
        # The Connector API sends every timestamp in UTC.
        return parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC)


def parse_decimal(value: Any) -> Decimal | None:
    """Read a JSON number as Decimal; floats are read through their text to keep the digits."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise TypeError("A money value must be a number.")
    if isinstance(value, Decimal):
        return value
    if isinstance(value, int | float):
        return Decimal(str(value))
    raise TypeError("A money value must be a number.")


def localized(texts: Mapping[str, str] | None, fallback: str | None = None) -> str:
    """Pick one translation from a Mews localized text, preferring English."""
    texts = texts or {}
    for language in _NAME_LANGUAGES:
        if texts.get(language):
            return texts[language]
    for text in texts.values():
        if text:
            return text
    return fallback or ""


def _strings(values: Iterable[Any] | None) -> tuple[str, ...]:
    return tuple(str(value) for value in (values or ()))


class Results(tuple):
    """A tuple of results that also carries the Request-Id of every call that produced it."""

    request_ids: tuple[str, ...]

    def __new__(cls, items: Iterable[Any] = (), request_ids: Iterable[str | None] = ()):
        results = super().__new__(cls, items)
        results.request_ids = tuple(rid for rid in request_ids if rid)
        return results

    @property
    def request_id(self) -> str | None:
        """The Request-Id of the last call, or None."""
        return self.request_ids[-1] if self.request_ids else None


@dataclass(frozen=True)
class AcceptedCurrency:
    code: str
    is_default: bool
    is_enabled: bool

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> "AcceptedCurrency":
        return cls(
            code=data["Currency"],
            is_default=bool(data.get("IsDefault", False)),
            is_enabled=bool(data.get("IsEnabled", True)),
        )


@dataclass(frozen=True)
class Enterprise:
    """An enterprise (property). Editable history intervals are the raw ISO 8601 strings."""

    id: str
    name: str
    time_zone_identifier: str
    pricing: str
    currencies: tuple[AcceptedCurrency, ...]
    tax_environment_code: str | None
    legal_environment_code: str | None
    accounting_editable_history_interval: str | None
    operational_editable_history_interval: str | None
    editable_history_interval: str | None
    chain_id: str | None = None
    is_portfolio: bool = False

    @property
    def default_currency(self) -> str | None:
        """The code of the default accounting currency."""
        for currency in self.currencies:
            if currency.is_default:
                return currency.code
        return None

    @property
    def accepted_currency_codes(self) -> tuple[str, ...]:
        return tuple(c.code for c in self.currencies if c.is_enabled)

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> "Enterprise":
        return cls(
            id=data["Id"],
            name=data["Name"],
            time_zone_identifier=data["TimeZoneIdentifier"],
            pricing=data["Pricing"],
            currencies=tuple(AcceptedCurrency.from_json(c) for c in data.get("Currencies") or ()),
            tax_environment_code=data.get("TaxEnvironmentCode"),
            legal_environment_code=data.get("LegalEnvironmentCode"),
            accounting_editable_history_interval=data.get("AccountingEditableHistoryInterval"),
            operational_editable_history_interval=data.get("OperationalEditableHistoryInterval"),
            editable_history_interval=data.get("EditableHistoryInterval"),
            chain_id=data.get("ChainId"),
            is_portfolio=bool(data.get("IsPortfolio", False)),
        )


@dataclass(frozen=True)
class Configuration:
    now_utc: datetime
    enterprise: Enterprise
    request_id: str | None = None

    @classmethod
    def from_json(cls, data: Mapping[str, Any], request_id: str | None = None) -> "Configuration":
        return cls(
            now_utc=parse_utc(data["NowUtc"]),
            enterprise=Enterprise.from_json(data["Enterprise"]),
            request_id=request_id,
        )


@dataclass(frozen=True)
class Service:
    """A service; `type` is the Data discriminator, "Additional" or "Bookable"."""

    id: str
    enterprise_id: str | None
    name: str
    is_active: bool
    type: str | None
    ordering: int = 0
    external_identifier: str | None = None

    @property
    def is_bookable(self) -> bool:
        return self.type == "Bookable"

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> "Service":
        service_data = data.get("Data") or {}
        return cls(
            id=data["Id"],
            enterprise_id=data.get("EnterpriseId"),
            name=localized(data.get("Names"), data.get("Name")),
            is_active=bool(data.get("IsActive", True)),
            type=service_data.get("Discriminator"),
            ordering=int(data.get("Ordering") or 0),
            external_identifier=data.get("ExternalIdentifier"),
        )


@dataclass(frozen=True)
class TaxValue:
    code: str | None
    value: Decimal | None

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> "TaxValue":
        return cls(code=data.get("Code"), value=parse_decimal(data.get("Value")))


@dataclass(frozen=True)
class Amount:
    """An amount; on a product price only the value matching the pricing may be set."""

    currency: str
    net_value: Decimal | None
    gross_value: Decimal | None
    tax_values: tuple[TaxValue, ...] = ()

    @property
    def tax_codes(self) -> tuple[str, ...]:
        return tuple(t.code for t in self.tax_values if t.code)

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> "Amount":
        return cls(
            currency=data["Currency"],
            net_value=parse_decimal(data.get("NetValue")),
            gross_value=parse_decimal(data.get("GrossValue")),
            tax_values=tuple(TaxValue.from_json(t) for t in data.get("TaxValues") or ()),
        )


@dataclass(frozen=True)
class Product:
    id: str
    service_id: str
    name: str
    short_name: str
    is_active: bool
    accounting_category_id: str | None
    category_id: str | None
    price: Amount | None
    charging_mode: str | None = None
    ordering: int = 0
    external_identifier: str | None = None

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> "Product":
        price = data.get("Price")
        return cls(
            id=data["Id"],
            service_id=data["ServiceId"],
            name=localized(data.get("Names"), data.get("Name")),
            short_name=localized(data.get("ShortNames"), data.get("ShortName")),
            is_active=bool(data.get("IsActive", True)),
            accounting_category_id=data.get("AccountingCategoryId"),
            category_id=data.get("CategoryId"),
            price=Amount.from_json(price) if price else None,
            charging_mode=data.get("ChargingMode"),
            ordering=int(data.get("Ordering") or 0),
            external_identifier=data.get("ExternalIdentifier"),
        )


@dataclass(frozen=True)
class AccountingCategory:
    id: str
    enterprise_id: str | None
    name: str
    is_active: bool
    code: str | None = None
    external_code: str | None = None
    classification: str | None = None

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> "AccountingCategory":
        return cls(
            id=data["Id"],
            enterprise_id=data.get("EnterpriseId"),
            name=data["Name"],
            is_active=bool(data.get("IsActive", True)),
            code=data.get("Code"),
            external_code=data.get("ExternalCode"),
            classification=data.get("Classification"),
        )


@dataclass(frozen=True)
class BusinessSegment:
    id: str
    service_id: str
    name: str
    is_active: bool

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> "BusinessSegment":
        return cls(
            id=data["Id"],
            service_id=data["ServiceId"],
            name=data["Name"],
            is_active=bool(data.get("IsActive", True)),
        )


@dataclass(frozen=True)
class TimeInterval:
    """A validity interval; a missing end means open-ended."""

    start_utc: datetime | None
    end_utc: datetime | None

    def contains(self, moment: datetime) -> bool:
        if self.start_utc is not None and moment < self.start_utc:
            return False
        return self.end_utc is None or moment < self.end_utc

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> "TimeInterval":
        return cls(
            start_utc=parse_utc(data.get("StartUtc")),
            end_utc=parse_utc(data.get("EndUtc")),
        )


@dataclass(frozen=True)
class TaxEnvironment:
    code: str
    country_code: str | None
    validity_start_utc: datetime | None
    validity_end_utc: datetime | None
    taxation_codes: tuple[str, ...]

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> "TaxEnvironment":
        return cls(
            code=data["Code"],
            country_code=data.get("CountryCode"),
            validity_start_utc=parse_utc(data.get("ValidityStartUtc")),
            validity_end_utc=parse_utc(data.get("ValidityEndUtc")),
            taxation_codes=_strings(data.get("TaxationCodes")),
        )


@dataclass(frozen=True)
class Taxation:
    code: str
    name: str
    local_name: str | None = None

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> "Taxation":
        return cls(code=data["Code"], name=data["Name"], local_name=data.get("LocalName"))


@dataclass(frozen=True)
class TaxRate:
    """A tax rate. `value` is the rate (0.2 for 20 %) or, for a Flat strategy, the amount."""

    code: str
    taxation_code: str
    value: Decimal
    strategy: str | None
    validity_intervals: tuple[TimeInterval, ...] = ()
    flat_currency_code: str | None = None
    base_taxation_codes: tuple[str, ...] = ()

    def is_valid_at(self, moment: datetime) -> bool:
        """Return whether the rate applies at `moment`; a rate without intervals always does."""
        if not self.validity_intervals:
            return True
        return any(interval.contains(moment) for interval in self.validity_intervals)

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> "TaxRate":
        strategy = data.get("Strategy") or {}
        strategy_value = strategy.get("Value") or {}
        value = parse_decimal(strategy_value.get("Value"))
        if value is None:
            value = parse_decimal(data["Value"])
        # Mews spells this field "ValidityInvervalsUtc"; the correct spelling is accepted too.
        intervals = data.get("ValidityInvervalsUtc") or data.get("ValidityIntervalsUtc") or ()
        return cls(
            code=data["Code"],
            taxation_code=data["TaxationCode"],
            value=value,
            strategy=strategy.get("Discriminator"),
            validity_intervals=tuple(TimeInterval.from_json(i) for i in intervals),
            flat_currency_code=strategy_value.get("CurrencyCode"),
            base_taxation_codes=_strings(strategy_value.get("BaseTaxationCodes")),
        )


@dataclass(frozen=True)
class Taxations:
    taxations: tuple[Taxation, ...]
    tax_rates: tuple[TaxRate, ...]
    request_id: str | None = None

    def rates_for(self, taxation_codes: Iterable[str]) -> tuple[TaxRate, ...]:
        """Return the tax rates of the given taxations, such as a tax environment's."""
        requested = set(taxation_codes)
        return tuple(rate for rate in self.tax_rates if rate.taxation_code in requested)

    @classmethod
    def from_json(cls, data: Mapping[str, Any], request_id: str | None = None) -> "Taxations":
        return cls(
            taxations=tuple(Taxation.from_json(t) for t in data["Taxations"]),
            tax_rates=tuple(TaxRate.from_json(r) for r in data["TaxRates"]),
            request_id=request_id,
        )


@dataclass(frozen=True)
class Currency:
    code: str
    precision: int

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> "Currency":
        return cls(code=data["Code"], precision=int(data["Precision"]))


@dataclass(frozen=True)
class Customer:
    id: str
    last_name: str
    first_name: str | None
    number: str | None = None
    title: str | None = None
    email: str | None = None
    classifications: tuple[str, ...] = ()
    company_id: str | None = None
    chain_id: str | None = None
    is_active: bool = True

    @property
    def full_name(self) -> str:
        return " ".join(part for part in (self.first_name, self.last_name) if part)

    @property
    def is_cashlist(self) -> bool:
        """Classified Cashlist ("no post"): the property wants no charges on this account."""
        return "Cashlist" in self.classifications

    @property
    def is_paymaster(self) -> bool:
        return "PaymasterAccount" in self.classifications

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> "Customer":
        number = data.get("Number")
        return cls(
            id=data["Id"],
            last_name=data["LastName"],
            first_name=data.get("FirstName"),
            number=str(number) if number is not None else None,
            title=data.get("Title"),
            email=data.get("Email"),
            classifications=_strings(data.get("Classifications")),
            company_id=data.get("CompanyId"),
            chain_id=data.get("ChainId"),
            is_active=bool(data.get("IsActive", True)),
        )


@dataclass(frozen=True)
class SearchReservation:
    """The current stay returned by customers/search (reservation version 2017-04-12)."""

    id: str
    service_id: str | None
    number: str | None
    state: str | None
    start_utc: datetime | None
    end_utc: datetime | None
    assigned_resource_id: str | None
    owner_id: str | None
    group_id: str | None = None

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> "SearchReservation":
        return cls(
            id=data["Id"],
            service_id=data.get("ServiceId"),
            number=data.get("Number"),
            state=data.get("State"),
            start_utc=parse_utc(data.get("StartUtc")),
            end_utc=parse_utc(data.get("EndUtc")),
            assigned_resource_id=data.get("AssignedResourceId") or data.get("AssignedSpaceId"),
            owner_id=data.get("OwnerId") or data.get("CustomerId"),
            group_id=data.get("GroupId"),
        )


@dataclass(frozen=True)
class CustomerSearchResult:
    customer: Customer
    reservation: SearchReservation | None

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> "CustomerSearchResult":
        reservation = data.get("Reservation")
        return cls(
            customer=Customer.from_json(data["Customer"]),
            reservation=SearchReservation.from_json(reservation) if reservation else None,
        )


@dataclass(frozen=True)
class Company:
    id: str
    name: str
    is_active: bool
    number: int | None = None
    chain_id: str | None = None
    accounting_code: str | None = None
    external_identifier: str | None = None
    is_invoiceable: bool = False

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> "Company":
        number = data.get("Number")
        options = data.get("Options") or {}
        return cls(
            id=data["Id"],
            name=data["Name"],
            is_active=bool(data.get("IsActive", True)),
            number=int(number) if number is not None else None,
            chain_id=data.get("ChainId"),
            accounting_code=data.get("AccountingCode"),
            external_identifier=data.get("ExternalIdentifier"),
            is_invoiceable=bool(options.get("Invoiceable", False)),
        )


@dataclass(frozen=True)
class Resource:
    """A bookable resource such as a room; `name` is the room number, not always digits."""

    id: str
    enterprise_id: str | None
    name: str
    is_active: bool
    state: str | None = None
    parent_resource_id: str | None = None
    floor_number: str | None = None

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> "Resource":
        resource_data = data.get("Data") or {}
        value = resource_data.get("Value") or {}
        return cls(
            id=data["Id"],
            enterprise_id=data.get("EnterpriseId"),
            name=data["Name"],
            is_active=bool(data.get("IsActive", True)),
            state=data.get("State"),
            parent_resource_id=data.get("ParentResourceId"),
            floor_number=value.get("FloorNumber") if isinstance(value, Mapping) else None,
        )


@dataclass(frozen=True)
class Bill:
    id: str
    account_id: str
    state: str
    enterprise_id: str | None = None
    account_type: str | None = None
    type: str | None = None
    name: str | None = None
    number: str | None = None
    created_utc: datetime | None = None
    issued_utc: datetime | None = None
    associated_account_ids: tuple[str, ...] = ()

    @property
    def is_open(self) -> bool:
        return self.state == "Open"

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> "Bill":
        return cls(
            id=data["Id"],
            account_id=data.get("AccountId") or data["CustomerId"],
            state=data["State"],
            enterprise_id=data.get("EnterpriseId"),
            account_type=data.get("AccountType"),
            type=data.get("Type"),
            name=data.get("Name"),
            number=data.get("Number"),
            created_utc=parse_utc(data.get("CreatedUtc")),
            issued_utc=parse_utc(data.get("IssuedUtc")),
            associated_account_ids=_strings(data.get("AssociatedAccountIds")),
        )


@dataclass(frozen=True)
class Reservation:
    """A reservation (version 2023-06-06)."""

    id: str
    service_id: str
    account_id: str
    state: str
    number: str | None = None
    account_type: str | None = None
    scheduled_start_utc: datetime | None = None
    scheduled_end_utc: datetime | None = None
    actual_start_utc: datetime | None = None
    actual_end_utc: datetime | None = None
    assigned_resource_id: str | None = None
    group_id: str | None = None
    business_segment_id: str | None = None
    partner_company_id: str | None = None

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> "Reservation":
        return cls(
            id=data["Id"],
            service_id=data["ServiceId"],
            account_id=data["AccountId"],
            state=data["State"],
            number=data.get("Number"),
            account_type=data.get("AccountType"),
            scheduled_start_utc=parse_utc(data.get("ScheduledStartUtc")),
            scheduled_end_utc=parse_utc(data.get("ScheduledEndUtc")),
            actual_start_utc=parse_utc(data.get("ActualStartUtc")),
            actual_end_utc=parse_utc(data.get("ActualEndUtc")),
            assigned_resource_id=data.get("AssignedResourceId"),
            group_id=data.get("GroupId"),
            business_segment_id=data.get("BusinessSegmentId"),
            partner_company_id=data.get("PartnerCompanyId"),
        )


@dataclass(frozen=True)
class OrderItem:
    id: str
    service_id: str
    unit_count: int
    unit_amount: Amount
    amount: Amount
    created_utc: datetime
    enterprise_id: str | None = None
    account_id: str | None = None
    account_type: str | None = None
    service_order_id: str | None = None
    bill_id: str | None = None
    accounting_category_id: str | None = None
    external_identifier: str | None = None
    billing_name: str | None = None
    notes: str | None = None
    consumed_utc: datetime | None = None
    canceled_utc: datetime | None = None
    accounting_state: str | None = None
    type: str | None = None

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> "OrderItem":
        return cls(
            id=data["Id"],
            service_id=data["ServiceId"],
            unit_count=int(data["UnitCount"]),
            unit_amount=Amount.from_json(data["UnitAmount"]),
            amount=Amount.from_json(data["Amount"]),
            created_utc=parse_utc(data["CreatedUtc"]),
            enterprise_id=data.get("EnterpriseId"),
            account_id=data.get("AccountId"),
            account_type=data.get("AccountType"),
            service_order_id=data.get("ServiceOrderId"),
            bill_id=data.get("BillId"),
            accounting_category_id=data.get("AccountingCategoryId"),
            external_identifier=data.get("ExternalIdentifier"),
            billing_name=data.get("BillingName"),
            notes=data.get("Notes"),
            consumed_utc=parse_utc(data.get("ConsumedUtc")),
            canceled_utc=parse_utc(data.get("CanceledUtc")),
            accounting_state=data.get("AccountingState"),
            type=data.get("Type"),
        )


@dataclass(frozen=True)
class AddOrderResult:
    order_id: str
    request_id: str | None
    duration_ms: int


@dataclass(frozen=True)
class CallResult:
    """One successful HTTP exchange: the decoded JSON object and its metadata."""

    data: Mapping[str, Any]
    status: int
    request_id: str | None
    duration_ms: int
    attempts: int = field(default=1)
