"""A validated charge, the orders/add body built from it, and its totals preview."""

import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal

from orderdesk.charges.catalogue import Catalogue
from orderdesk.charges.money import to_json_number
from orderdesk.charges.taxes import (
    GROSS,
    NET,
    CurrencyTotals,
    LineAmounts,
    line_amounts,
    rates_for_codes,
    totals_by_currency,
)


@dataclass(frozen=True)
class ProductLine:
    product_id: str
    count: int
    # A price that overrides the catalogue price; None sends no UnitAmount.
    unit_price: Decimal | None = None


@dataclass(frozen=True)
class CustomItem:
    name: str
    unit_count: int
    unit_price: Decimal
    currency: str
    tax_codes: tuple[str, ...]
    accounting_category_id: str


@dataclass(frozen=True)
class Account:
    id: str
    type: str  # "Customer" or "Company"
    name: str = ""


@dataclass
class Charge:
    """Everything staff entered for one orders/add call, checked against the catalogue."""

    key: uuid.UUID
    service_id: str
    account: Account
    product_lines: list[ProductLine] = field(default_factory=list)
    custom_items: list[CustomItem] = field(default_factory=list)
    consumption_utc: datetime | None = None
    bill_id: str = ""
    linked_reservation_id: str = ""
    notes: str = ""
    business_segment_id: str = ""

    @property
    def line_count(self) -> int:
        return len(self.product_lines) + len(self.custom_items)


def external_identifier(key: uuid.UUID, kind: str, index: int) -> str:
    """Return the ExternalIdentifier of one line: the submission key, the line kind and number.

    Reconciliation finds the order by these values in orderItems/getAll, so they must stay
    unique per submission and derivable from the key alone.
    """
    return f"od-{key.hex}-{kind}{index}"


def external_identifier_prefix(key: uuid.UUID) -> str:
    return f"od-{key.hex}-"


def format_utc(moment: datetime) -> str:
    """Format an aware time as the Connector API writes UTC: YYYY-MM-DDThh:mm:ssZ."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _amount(value: Decimal, currency: str, tax_codes, pricing: str) -> dict:
    value_field = "GrossValue" if pricing == GROSS else "NetValue"
    return {
        "Currency": currency,
        "TaxCodes": list(tax_codes),
        value_field: to_json_number(value),
    }


def build_order_body(charge: Charge, catalogue: Catalogue) -> dict:
    """Build the orders/add fields without ClientToken, AccessToken, Client and EnterpriseId."""
    body: dict = {
        "ServiceId": charge.service_id,
        "AccountId": charge.account.id,
    }

    product_orders = []
    for index, line in enumerate(charge.product_lines, start=1):
        product_order: dict = {
            "ProductId": line.product_id,
            "Count": line.count,
            "ExternalIdentifier": external_identifier(charge.key, "p", index),
        }
        if line.unit_price is not None:
            product = catalogue.products[line.product_id]
            product_order["UnitAmount"] = _amount(
                line.unit_price, product.currency, product.tax_codes, catalogue.pricing
            )
        product_orders.append(product_order)
    if product_orders:
        body["ProductOrders"] = product_orders

    items = []
    for index, item in enumerate(charge.custom_items, start=1):
        items.append(
            {
                "Name": item.name,
                "UnitCount": item.unit_count,
                "UnitAmount": _amount(
                    item.unit_price, item.currency, item.tax_codes, catalogue.pricing
                ),
                "AccountingCategoryId": item.accounting_category_id,
                "ExternalIdentifier": external_identifier(charge.key, "i", index),
            }
        )
    if items:
        body["Items"] = items

    if charge.consumption_utc is not None:
        body["ConsumptionUtc"] = format_utc(charge.consumption_utc)
    if charge.notes:
        body["Notes"] = charge.notes
    if charge.business_segment_id:
        body["BusinessSegmentId"] = charge.business_segment_id
    if charge.bill_id:
        body["BillId"] = charge.bill_id
    if charge.linked_reservation_id:
        body["LinkedReservationId"] = charge.linked_reservation_id
    return body


def product_line_amounts(line: ProductLine, catalogue: Catalogue) -> LineAmounts:
    """Amounts of one product line: Mews' own price, or the override taxed like the product."""
    product = catalogue.products[line.product_id]
    precision = catalogue.precision(product.currency)
    rates = rates_for_codes(product.tax_codes, catalogue.tax_rates)
    if line.unit_price is not None:
        unit_value, value_pricing = line.unit_price, catalogue.pricing
    elif product.gross_value is not None and product.net_value is not None:
        net = product.net_value * line.count
        gross = product.gross_value * line.count
        return LineAmounts(currency=product.currency, net=net, tax=gross - net, gross=gross)
    elif product.gross_value is not None:
        unit_value, value_pricing = product.gross_value, GROSS
    else:
        unit_value, value_pricing = product.net_value or Decimal(0), NET

    return line_amounts(
        unit_value=unit_value,
        count=line.count,
        currency=product.currency,
        precision=precision,
        pricing=value_pricing,
        rates=rates,
    )


def custom_item_amounts(item: CustomItem, catalogue: Catalogue) -> LineAmounts:
    rates = rates_for_codes(item.tax_codes, catalogue.tax_rates)
    return line_amounts(
        unit_value=item.unit_price,
        count=item.unit_count,
        currency=item.currency,
        precision=catalogue.precision(item.currency),
        pricing=catalogue.pricing,
        rates=rates,
    )


def charge_totals(
    *,
    product_lines: list[ProductLine],
    custom_items: list[CustomItem],
    catalogue: Catalogue,
) -> dict[str, CurrencyTotals]:
    """Net, tax and gross per currency of every line, rounded half up per line."""
    amounts = [product_line_amounts(line, catalogue) for line in product_lines]
    amounts += [custom_item_amounts(item, catalogue) for item in custom_items]
    return totals_by_currency(amounts)


def totals_as_json(totals: dict[str, CurrencyTotals]) -> dict[str, str]:
    """Gross total per currency as strings, the form Submission.totals stores."""
    return {code: str(entry.gross) for code, entry in totals.items()}
