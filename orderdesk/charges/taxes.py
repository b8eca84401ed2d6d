"""Tax rates valid at a time, and net, tax and gross of charge lines per currency.

Mews has three tax rate strategies (taxations/getAll): Relative (a share of the net value),
Flat (a fixed amount per unit in one currency) and Dependent (a share of the net value plus the
taxes of its base taxations). Every strategy is linear in the net value, so the tax of a line is
`a * net + b`. A net-pricing property adds that tax on top of the entered price; a
gross-pricing property contains it, so the net value is `(gross - b) / (1 + a)`.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from orderdesk.charges.money import round_half_up

GROSS = "Gross"
NET = "Net"

RELATIVE = "Relative"
FLAT = "Flat"
DEPENDENT = "Dependent"


@dataclass(frozen=True)
class TaxRate:
    """One tax rate of Mews, with its strategy and validity intervals in UTC."""

    code: str
    taxation_code: str
    strategy: str
    value: Decimal
    # For Flat rates: the currency of the fixed amount.
    currency: str = ""
    # For Dependent rates: the taxations whose taxes are part of the base.
    base_taxation_codes: tuple[str, ...] = ()
    # (start, end) pairs; None is open. No intervals means always valid.
    validity: tuple[tuple[datetime | None, datetime | None], ...] = ()

    @property
    def label(self) -> str:
        """Return the code with its rate as staff read it, for example "UK-S · 20%"."""
        if self.strategy == RELATIVE:
            percent = (self.value * 100).normalize()
            return f"{self.code} · {percent:f}%"
        if self.strategy == FLAT:
            return f"{self.code} · {self.value:f} {self.currency}".rstrip()
        return self.code

    def is_valid_at(self, moment: datetime) -> bool:
        if not self.validity:
            return True
        return any(
            (start is None or start <= moment) and (end is None or moment < end)
            for start, end in self.validity
        )


@dataclass(frozen=True)
class LineAmounts:
    """Net, tax and gross of one charge line, rounded to its currency's precision."""

    currency: str
    net: Decimal
    tax: Decimal
    gross: Decimal


@dataclass
class CurrencyTotals:
    """Summed net, tax and gross of all lines in one currency."""

    currency: str
    net: Decimal = Decimal(0)
    tax: Decimal = Decimal(0)
    gross: Decimal = Decimal(0)
    lines: list[LineAmounts] = field(default_factory=list)


class UnknownTaxCode(ValueError):
    """Raised for a tax code that the property's tax environment does not know."""


def _linear_tax(rates: list[TaxRate], currency: str, count: int) -> tuple[Decimal, Decimal]:
    """Return (a, b) such that the total tax on a net value `net` is `a * net + b`."""
    relative_by_taxation: dict[str, Decimal] = {}
    flat_by_taxation: dict[str, Decimal] = defaultdict(Decimal)
    share = Decimal(0)
    fixed = Decimal(0)

    for rate in rates:
        if rate.strategy == FLAT:
            # NOTE: a flat rate in another currency than the line is left out of the preview;
            # Mews converts it when the order is posted.
            if rate.currency in ("", currency):
                amount = rate.value * count
                fixed += amount
                flat_by_taxation[rate.taxation_code] += amount
        elif rate.strategy != DEPENDENT:
            share += rate.value
            relative_by_taxation[rate.taxation_code] = (
                relative_by_taxation.get(rate.taxation_code, Decimal(0)) + rate.value
            )

    for rate in rates:
        if rate.strategy != DEPENDENT:
            continue
        base_share = sum(
            (relative_by_taxation.get(code, Decimal(0)) for code in rate.base_taxation_codes),
            Decimal(0),
        )
        base_fixed = sum(
            (flat_by_taxation.get(code, Decimal(0)) for code in rate.base_taxation_codes),
            Decimal(0),
        )
        share += rate.value * (1 + base_share)
        fixed += rate.value * base_fixed

    return share, fixed


def line_amounts(
    *,
    unit_value: Decimal,
    count: int,
    currency: str,
    precision: int,
    pricing: str,
    rates: list[TaxRate],
) -> LineAmounts:
    """Compute one line's net, tax and gross; `unit_value` is gross or net per `pricing`."""
    entered = unit_value * count
    share, fixed = _linear_tax(rates, currency, count)

    if pricing == GROSS:
        gross = round_half_up(entered, precision)
        net = round_half_up((entered - fixed) / (1 + share), precision)
        tax = gross - net
    else:
        net = round_half_up(entered, precision)
        tax = sum(_net_taxes(rates, entered, currency, count, precision).values(), Decimal(0))
        gross = net + tax
    return LineAmounts(currency=currency, net=net, tax=tax, gross=gross)


def _net_taxes(
    rates: list[TaxRate], net: Decimal, currency: str, count: int, precision: int
) -> dict[str, Decimal]:
    """Return each tax code's amount on a net value, each rounded half-up on its own.

    Mews reports a line's tax as one value per tax code (TaxValues), so the line's tax is the
    sum of rounded values, which can differ by a cent from rounding the summed rate once.
    """
    taxes: dict[str, Decimal] = {}
    by_taxation: dict[str, Decimal] = defaultdict(Decimal)
    for rate in rates:
        if rate.strategy == FLAT:
            # NOTE: a flat rate in another currency than the line is left out of the preview;
            # Mews converts it when the order is posted.
            if rate.currency not in ("", currency):
                continue
            amount = round_half_up(rate.value * count, precision)
        elif rate.strategy == DEPENDENT:
            continue
        else:
            amount = round_half_up(net * rate.value, precision)
        taxes[rate.code] = amount
        by_taxation[rate.taxation_code] += amount

    for rate in rates:
        if rate.strategy == DEPENDENT:
            base = net + sum((by_taxation[code] for code in rate.base_taxation_codes), Decimal(0))
            taxes[rate.code] = round_half_up(base * rate.value, precision)
    return taxes


def rates_for_codes(codes: Iterable[str], rates_by_code: dict[str, TaxRate]) -> list[TaxRate]:
    """Look up tax rates by code; raise UnknownTaxCode naming the first unknown code."""
    found = []
    for code in codes:
        if code not in rates_by_code:
            raise UnknownTaxCode(code)
        found.append(rates_by_code[code])
    return found


def totals_by_currency(lines: Iterable[LineAmounts]) -> dict[str, CurrencyTotals]:
    """Sum line amounts per currency, keeping the currencies in first-seen order."""
    totals: dict[str, CurrencyTotals] = {}
    for line in lines:
        entry = totals.setdefault(line.currency, CurrencyTotals(currency=line.currency))
        entry.net += line.net
        entry.tax += line.tax
        entry.gross += line.gross
        entry.lines.append(line)
    return totals
