"""Values the charge templates show: the totals preview and the lines of a submission."""

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.core.cache import cache

from orderdesk.charges import catalogue as catalogues
from orderdesk.charges.charge import custom_item_amounts, product_line_amounts
from orderdesk.charges.forms import ChargeEntry
from orderdesk.charges.models import Submission
from orderdesk.charges.money import round_half_up
from orderdesk.charges.taxes import CurrencyTotals, UnknownTaxCode, totals_by_currency


def totals_preview(entry: ChargeEntry) -> list[CurrencyTotals]:
    """Net, tax and gross per currency of the entry's complete and valid lines."""
    if not entry.is_bound:
        return []
    entry.is_valid()
    catalogue = entry.catalogue
    amounts = []
    try:
        for form in entry.filled_product_forms():
            amounts.append(product_line_amounts(form.to_line(), catalogue))
        for form in entry.filled_item_forms():
            amounts.append(custom_item_amounts(form.to_item(), catalogue))
    except UnknownTaxCode:
        # The form reports the unknown code; the preview shows the other lines.
        pass
    return list(totals_by_currency(amounts).values())


def lines_left_out(entry: ChargeEntry) -> int:
    """Count the typed lines that the preview leaves out because they have errors."""
    if not entry.is_bound:
        return 0
    entry.is_valid()
    typed = [form for form in entry.products.forms + entry.items.forms if form.has_changed()]
    complete = len(entry.filled_product_forms()) + len(entry.filled_item_forms())
    return max(len(typed) - complete, 0)


@dataclass(frozen=True)
class ShownLine:
    name: str
    count: int
    unit_price: Decimal | None
    currency: str


def _price(value, currency: str, catalogue) -> Decimal | None:
    """Read a stored JSON amount and write it with its currency's decimal places."""
    try:
        amount = Decimal(str(value)) if value is not None else None
    except InvalidOperation:
        return None
    if amount is None:
        return None
    places = catalogue.precision(currency) if catalogue is not None else 2
    return round_half_up(amount, places)


def submission_lines(submission: Submission) -> list[ShownLine]:
    """List the lines of a submission's stored request, named from the catalogue if cached."""
    catalogue = cache.get(catalogues.cache_key(submission.property))
    products = catalogue.products if catalogue is not None else {}
    body = submission.request_body or {}
    lines = []
    for order in body.get("ProductOrders", []):
        product = products.get(order.get("ProductId"))
        amount = order.get("UnitAmount") or {}
        currency = amount.get("Currency") or (product.currency if product else "")
        lines.append(
            ShownLine(
                name=product.name if product else order.get("ProductId", ""),
                count=order.get("Count") or 1,
                unit_price=_price(
                    amount.get("GrossValue", amount.get("NetValue")), currency, catalogue
                ),
                currency=currency,
            )
        )
    for item in body.get("Items", []):
        amount = item.get("UnitAmount") or {}
        currency = amount.get("Currency", "")
        lines.append(
            ShownLine(
                name=item.get("Name", ""),
                count=item.get("UnitCount") or 1,
                unit_price=_price(
                    amount.get("GrossValue", amount.get("NetValue")), currency, catalogue
                ),
                currency=currency,
            )
        )
    return lines
