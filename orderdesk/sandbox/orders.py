"""orders/add and orderItems/getAll of the sandbox.

orders/add checks the request the way https://mews-systems.gitbook.io/connector-api/operations/orders
describes it: structural problems first (400, naming the parameter), then business rules (403,
with a message for hotel staff). Nothing is stored unless every check passes.
"""

import uuid
from dataclasses import dataclass
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from orderdesk.sandbox.context import Context
from orderdesk.sandbox.state import public
from orderdesk.sandbox.validation import (
    format_utc,
    in_interval,
    invalid,
    paginate,
    parse_utc,
    read_bool,
    read_decimal,
    read_integer,
    read_interval,
    read_limitation,
    read_list,
    read_object,
    read_string,
    read_strings,
    rule_violation,
    subtract_duration,
)

CREATOR_PROFILE_ID = "5a00000c-0000-4000-8000-0000000000aa"


@dataclass
class UnitAmount:
    """A parsed UnitAmount parameter, with the path used in error messages."""

    path: str
    currency: str
    tax_codes: list[str]
    gross_value: Decimal | None
    net_value: Decimal | None


@dataclass
class Line:
    """One item or product order of the request, checked for structure."""

    path: str
    name: str
    unit_count: int
    unit_amount: UnitAmount
    accounting_category: dict | None
    external_identifier: str | None
    product: dict | None = None


def _read_unit_amount(value: Any, path: str) -> UnitAmount:
    if not isinstance(value, dict):
        raise invalid(path, "Expected an object.")
    currency = read_string(value, "Currency", required=True, path=f"{path}.")
    tax_codes = read_strings(value, "TaxCodes", path=f"{path}.")
    if tax_codes is None:
        raise invalid(f"{path}.TaxCodes", "The parameter is required.")
    return UnitAmount(
        path=path,
        currency=currency,
        tax_codes=tax_codes,
        gross_value=read_decimal(value, "GrossValue", path=f"{path}."),
        net_value=read_decimal(value, "NetValue", path=f"{path}."),
    )


def _price_amount(product: dict, path: str) -> UnitAmount:
    price = product["Price"]
    return UnitAmount(
        path=path,
        currency=price["Currency"],
        tax_codes=[t["Code"] for t in price["TaxValues"]],
        gross_value=price.get("GrossValue"),
        net_value=price.get("NetValue"),
    )


def _read_lines(ctx: Context, enterprise_id: str, service_id: str) -> list[Line]:
    lines: list[Line] = []
    items = read_list(ctx.body, "Items") or []
    product_orders = read_list(ctx.body, "ProductOrders") or []
    if not items and not product_orders:
        raise invalid("Items", "The order contains no Items and no ProductOrders.")

    for index, item in enumerate(items):
        path = f"Items[{index}]"
        if not isinstance(item, dict):
            raise invalid(path, "Expected an object.")
        name = read_string(item, "Name", required=True, path=f"{path}.")
        unit_count = read_integer(item, "UnitCount", required=True, path=f"{path}.")
        # NOTE: the reference does not state a minimum; the sandbox assumes whole units >= 1.
        if unit_count < 1:
            raise invalid(f"{path}.UnitCount", "UnitCount must be at least 1.")
        if "UnitAmount" not in item or item["UnitAmount"] is None:
            raise invalid(f"{path}.UnitAmount", "The parameter is required.")
        unit_amount = _read_unit_amount(item["UnitAmount"], f"{path}.UnitAmount")
        category = None
        category_id = read_string(item, "AccountingCategoryId", path=f"{path}.")
        if category_id is not None:
            category = ctx.state.accounting_category(category_id, enterprise_id)
            if category is None:
                raise invalid(f"{path}.AccountingCategoryId")
        lines.append(
            Line(
                path=path,
                name=name,
                unit_count=unit_count,
                unit_amount=unit_amount,
                accounting_category=category,
                external_identifier=read_string(item, "ExternalIdentifier", path=f"{path}."),
            )
        )

    for index, product_order in enumerate(product_orders):
        path = f"ProductOrders[{index}]"
        if not isinstance(product_order, dict):
            raise invalid(path, "Expected an object.")
        product_id = read_string(product_order, "ProductId", required=True, path=f"{path}.")
        product = ctx.state.product(product_id, [enterprise_id])
        if product is None or product["ServiceId"] != service_id:
            raise invalid(f"{path}.ProductId")
        count = read_integer(product_order, "Count", path=f"{path}.")
        if count is not None and count < 1:
            raise invalid(f"{path}.Count", "Count must be at least 1.")
        override = product_order.get("UnitAmount")
        unit_amount = (
            _read_unit_amount(override, f"{path}.UnitAmount")
            if override is not None
            else _price_amount(product, f"{path}.UnitAmount")
        )
        category_id = product.get("AccountingCategoryId")
        lines.append(
            Line(
                path=path,
                name=product["Name"],
                unit_count=1 if count is None else count,
                unit_amount=unit_amount,
                accounting_category=(
                    ctx.state.accounting_category(category_id, enterprise_id)
                    if category_id
                    else None
                ),
                external_identifier=read_string(
                    product_order, "ExternalIdentifier", path=f"{path}."
                ),
                product=product,
            )
        )
    return lines


def _check_amount(ctx: Context, enterprise: dict, amount: UnitAmount, moment: datetime) -> None:
    """Apply the pricing, currency and tax rules to one unit amount."""
    gross_pricing = enterprise["Pricing"] == "Gross"
    if gross_pricing and amount.net_value is not None:
        raise rule_violation(
            "This property uses gross pricing: send the price including tax as GrossValue, "
            "not NetValue."
        )
    if not gross_pricing and amount.gross_value is not None:
        raise rule_violation(
            "This property uses net pricing: send the price before tax as NetValue, not GrossValue."
        )
    if gross_pricing and amount.gross_value is None:
        raise invalid(f"{amount.path}.GrossValue", "It is required on a gross-pricing property.")
    if not gross_pricing and amount.net_value is None:
        raise invalid(f"{amount.path}.NetValue", "It is required on a net-pricing property.")
    if amount.gross_value is not None and len(amount.tax_codes) > 1:
        raise rule_violation(
            "A price including tax can carry only one tax code. "
            "Use one tax code, or send the price before tax for several taxes."
        )

    accepted = {c["Currency"] for c in enterprise["Currencies"] if c["IsEnabled"]}
    if amount.currency not in accepted:
        raise rule_violation(
            f"The currency {amount.currency} is not accepted by this property. "
            f"Accepted currencies: {', '.join(sorted(accepted))}."
        )

    environment = ctx.state.tax_environment(enterprise["TaxEnvironmentCode"])
    taxation_codes = set(environment["TaxationCodes"]) if environment else set()
    for code in amount.tax_codes:
        rate = ctx.state.tax_rate(code)
        if rate is None or rate["TaxationCode"] not in taxation_codes:
            raise rule_violation(
                f"The tax code {code} does not exist in this property's tax environment."
            )
        if not _rate_valid_at(rate, moment):
            raise rule_violation(
                f"The tax code {code} is not valid on {moment:%Y-%m-%d} "
                "in this property's tax environment."
            )


def _rate_valid_at(rate: dict, moment: datetime) -> bool:
    intervals = rate.get("ValidityInvervalsUtc")
    if not intervals:
        return True
    for interval in intervals:
        start = interval.get("StartUtc")
        end = interval.get("EndUtc")
        after_start = start is None or moment >= parse_utc(start, "StartUtc")
        before_end = end is None or moment < parse_utc(end, "EndUtc")
        if after_start and before_end:
            return True
    return False


def _round(value: Decimal, precision: int) -> Decimal:
    return value.quantize(Decimal(1).scaleb(-precision), rounding=ROUND_HALF_UP)


def _amount_json(ctx: Context, amount: UnitAmount, multiplier: int) -> dict:
    """Compute the Mews Amount object for `multiplier` units of a unit amount."""
    precision = ctx.state.currency_precision(amount.currency)
    rates = [ctx.state.tax_rate(code) for code in amount.tax_codes]
    breakdown = []
    if amount.gross_value is not None:
        gross = amount.gross_value * multiplier
        rate = Decimal(rates[0]["Value"]) if rates else Decimal(0)
        net = _round(gross / (1 + rate), precision)
        taxes = [(rates[0]["Code"], gross - net)] if rates else []
    else:
        net = amount.net_value * multiplier
        taxes = []
        for rate in rates:
            strategy = rate["Strategy"]
            if strategy["Discriminator"] == "Flat":
                tax = Decimal(strategy["Value"]["Value"]) * multiplier
            else:
                tax = _round(net * Decimal(strategy["Value"]["Value"]), precision)
            taxes.append((rate["Code"], tax))
        gross = net + sum((tax for _, tax in taxes), Decimal(0))
    for code, tax in taxes:
        breakdown.append({"TaxRateCode": code, "NetValue": net, "TaxValue": tax})
    if not taxes:
        breakdown.append({"TaxRateCode": None, "NetValue": net, "TaxValue": Decimal(0)})
    return {
        "Currency": amount.currency,
        "NetValue": net,
        "GrossValue": gross,
        "TaxValues": [{"Code": code, "Value": tax} for code, tax in taxes],
        "Breakdown": {"Items": breakdown},
    }


@dataclass
class OrderRequest:
    """An orders/add request whose structure and identifiers have been checked."""

    enterprise: dict
    service: dict
    account: dict
    account_type: str
    bill: dict | None
    reservation_id: str | None
    segment: dict | None
    consumption: datetime | None
    notes: str | None
    lines: list[Line]


def add_order(ctx: Context) -> dict:
    order = _read_order(ctx)
    _check_rules(ctx, order)
    return {"OrderId": _store_order(ctx, order)}


def _read_order(ctx: Context) -> OrderRequest:
    """Check the request's structure and identifiers; each problem is a 400."""
    state = ctx.state
    enterprise_id = ctx.write_enterprise_id()

    service_id = read_string(ctx.body, "ServiceId", required=True)
    service = state.service(service_id, [enterprise_id])
    if service is None:
        raise invalid("ServiceId")
    account_id = read_string(ctx.body, "AccountId", required=True)
    found = state.account(account_id, state.chain_ids([enterprise_id]))
    if found is None:
        raise invalid("AccountId")

    consumption_text = read_string(ctx.body, "ConsumptionUtc")
    consumption = parse_utc(consumption_text, "ConsumptionUtc") if consumption_text else None
    options = read_object(ctx.body, "Options") or {}
    read_bool(options, "DisableItemGrouping", path="Options.")

    bill = None
    bill_id = read_string(ctx.body, "BillId")
    if bill_id is not None:
        bill = state.bill(bill_id, enterprise_id)
        if bill is None:
            raise invalid("BillId")
    reservation_id = read_string(ctx.body, "LinkedReservationId")
    if reservation_id is not None and state.reservation(reservation_id, enterprise_id) is None:
        raise invalid("LinkedReservationId")
    segment = None
    segment_id = read_string(ctx.body, "BusinessSegmentId")
    if segment_id is not None:
        segment = state.business_segment(segment_id, enterprise_id)
        if segment is None:
            raise invalid("BusinessSegmentId")

    return OrderRequest(
        enterprise=state.enterprises[enterprise_id],
        service=service,
        account=found[0],
        account_type=found[1],
        bill=bill,
        reservation_id=reservation_id,
        segment=segment,
        consumption=consumption,
        notes=read_string(ctx.body, "Notes"),
        lines=_read_lines(ctx, enterprise_id, service_id),
    )


def _check_rules(ctx: Context, order: OrderRequest) -> None:
    """Apply the business rules; each violation is a 403 with a message for hotel staff."""
    service = order.service
    if not service["IsActive"]:
        raise rule_violation(f"The service {service['Name']} is no longer active.")
    if service["Data"]["Discriminator"] == "Bookable":
        raise rule_violation(
            f"{service['Name']} is a bookable service. "
            "Charges can be posted only to additional services such as a restaurant or bar."
        )
    if order.segment is not None and not order.segment["IsActive"]:
        raise rule_violation(f"The business segment {order.segment['Name']} is no longer active.")

    if order.consumption is not None:
        interval = order.enterprise["AccountingEditableHistoryInterval"]
        earliest = subtract_duration(ctx.now, interval)
        if order.consumption < earliest:
            raise rule_violation(
                f"The consumption time {order.consumption:%Y-%m-%d %H:%M} UTC is too far in the "
                f"past. This property allows changes back to {earliest:%Y-%m-%d %H:%M} UTC."
            )

    if order.bill is not None:
        if order.bill["AccountId"] != order.account["Id"]:
            raise rule_violation(
                "The bill belongs to another account. Choose a bill of this guest."
            )
        if order.bill["State"] != "Open":
            raise rule_violation("The bill is closed. Choose an open bill or post without a bill.")

    moment = order.consumption or ctx.now
    for line in order.lines:
        if line.product is not None and not line.product["IsActive"]:
            raise rule_violation(f"The product {line.product['Name']} is no longer active.")
        category = line.accounting_category
        if category is not None and not category["IsActive"]:
            raise rule_violation(f"The accounting category {category['Name']} is no longer active.")
        _check_amount(ctx, order.enterprise, line.unit_amount, moment)


def _store_order(ctx: Context, order: OrderRequest) -> str:
    order_id = str(uuid.uuid4())
    created = format_utc(ctx.now)
    consumed = format_utc(order.consumption or ctx.now)
    bill_id = order.bill["Id"] if order.bill else None
    common = {
        "EnterpriseId": order.enterprise["Id"],
        "AccountId": order.account["Id"],
        "AccountType": order.account_type,
        "ServiceId": order.service["Id"],
        "ServiceOrderId": order_id,
        "Notes": order.notes,
        "BillId": bill_id,
    }
    items = [_order_item(ctx, line, common, created, consumed) for line in order.lines]
    ctx.state.order_items.extend(items)
    ctx.state.orders.append(
        {
            "OrderId": order_id,
            "EnterpriseId": order.enterprise["Id"],
            "ServiceId": order.service["Id"],
            "AccountId": order.account["Id"],
            "BillId": bill_id,
            "LinkedReservationId": order.reservation_id,
            "BusinessSegmentId": order.segment["Id"] if order.segment else None,
            "ConsumptionUtc": consumed,
            "CreatedUtc": created,
            "Notes": order.notes,
            "OrderItems": [public(item) for item in items],
        }
    )
    return order_id


def _order_item(ctx: Context, line: Line, common: dict, created: str, consumed: str) -> dict:
    category = line.accounting_category
    product_data = None
    if line.product:
        product_data = {
            "Discriminator": "Product",
            "Product": {"ProductId": line.product["Id"], "AgeCategoryId": None},
        }
    return {
        "Id": str(uuid.uuid4()),
        **common,
        "AccountingCategoryId": category["Id"] if category else None,
        "BillingName": line.name,
        "ExternalIdentifier": line.external_identifier,
        "UnitCount": line.unit_count,
        "UnitAmount": _amount_json(ctx, line.unit_amount, 1),
        "Amount": _amount_json(ctx, line.unit_amount, line.unit_count),
        "OriginalAmount": _amount_json(ctx, line.unit_amount, line.unit_count),
        "RevenueType": "Product" if line.product else "Additional",
        "CreatorProfileId": CREATOR_PROFILE_ID,
        "UpdaterProfileId": CREATOR_PROFILE_ID,
        "CreatedUtc": created,
        "UpdatedUtc": created,
        "ConsumedUtc": consumed,
        "CanceledUtc": None,
        "ClosedUtc": None,
        "StartUtc": consumed,
        "ClaimedUtc": None,
        "AccountingState": "Open",
        "Type": "ProductOrder" if line.product else "CustomItem",
        "Options": {"CanceledWithReservation": False},
        "Data": product_data,
    }


ORDER_ITEM_FILTERS = (
    "OrderItemIds",
    "AccountIds",
    "ServiceOrderIds",
    "ServiceIds",
    "BillIds",
    "CreatedUtc",
    "UpdatedUtc",
    "ConsumedUtc",
    "CanceledUtc",
    "ClosedUtc",
)


def get_order_items(ctx: Context) -> dict:
    enterprise_ids = set(ctx.read_enterprise_ids())
    id_filters = {
        "Id": read_strings(ctx.body, "OrderItemIds"),
        "AccountId": read_strings(ctx.body, "AccountIds", max_items=100),
        "ServiceOrderId": read_strings(ctx.body, "ServiceOrderIds"),
        "ServiceId": read_strings(ctx.body, "ServiceIds"),
        "BillId": read_strings(ctx.body, "BillIds"),
        "AccountingState": read_strings(ctx.body, "AccountingStates"),
        "Type": read_strings(ctx.body, "Types"),
    }
    intervals = {
        name: read_interval(ctx.body, name)
        for name in ("CreatedUtc", "UpdatedUtc", "ConsumedUtc", "CanceledUtc", "ClosedUtc")
    }
    if all(ctx.body.get(name) is None for name in ORDER_ITEM_FILTERS):
        raise invalid("OrderItemIds", f"Specify at least one of {', '.join(ORDER_ITEM_FILTERS)}.")
    records = [
        item
        for item in ctx.state.order_items
        if item["EnterpriseId"] in enterprise_ids
        and all(wanted is None or item[f] in wanted for f, wanted in id_filters.items())
        and all(in_interval(item[name], interval) for name, interval in intervals.items())
    ]
    count, cursor = read_limitation(ctx.body)
    page, next_cursor = paginate(records, count, cursor)
    return {"OrderItems": [public(item) for item in page], "Cursor": next_cursor}
