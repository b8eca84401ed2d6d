from datetime import UTC, datetime
from decimal import Decimal

import pytest

from orderdesk.charges.taxes import (
    GROSS,
    NET,
    TaxRate,
    UnknownTaxCode,
    line_amounts,
    rates_for_codes,
    totals_by_currency,
)

VAT = TaxRate("UK-S", "UK", "Relative", Decimal("0.2"))
STATE = TaxRate("US-S", "US", "Relative", Decimal("0.04"))
CITY = TaxRate("US-C", "US-C", "Relative", Decimal("0.045"))
FLAT = TaxRate("US-F", "US-F", "Flat", Decimal("2"), currency="USD")
ON_TOP = TaxRate("US-D", "US-D", "Dependent", Decimal("0.1"), base_taxation_codes=("US",))


def test_line_amounts_gross_contains_tax():
    amounts = line_amounts(
        unit_value=Decimal("12.00"),
        count=2,
        currency="GBP",
        precision=2,
        pricing=GROSS,
        rates=[VAT],
    )

    assert amounts.gross == Decimal("24.00")
    assert amounts.net == Decimal("20.00")
    assert amounts.tax == Decimal("4.00")


def test_line_amounts_net_adds_combined_taxes():
    amounts = line_amounts(
        unit_value=Decimal("10.00"),
        count=3,
        currency="USD",
        precision=2,
        pricing=NET,
        rates=[STATE, CITY],
    )

    assert amounts.net == Decimal("30.00")
    assert amounts.tax == Decimal("2.55")
    assert amounts.gross == Decimal("32.55")


def test_line_amounts_rounds_half_up():
    # 0.25 * 0.045 = 0.01125 -> 0.01; 0.5 * 0.05 = 0.025 -> 0.03 (half up, not to even).
    five = TaxRate("X", "X", "Relative", Decimal("0.05"))
    amounts = line_amounts(
        unit_value=Decimal("0.50"),
        count=1,
        currency="USD",
        precision=2,
        pricing=NET,
        rates=[five],
    )

    assert amounts.tax == Decimal("0.03")


def test_line_amounts_flat_tax_per_unit():
    amounts = line_amounts(
        unit_value=Decimal("10"), count=2, currency="USD", precision=2, pricing=NET, rates=[FLAT]
    )

    assert amounts.tax == Decimal("4.00")


def test_line_amounts_dependent_taxes_include_base_tax():
    amounts = line_amounts(
        unit_value=Decimal("100"),
        count=1,
        currency="USD",
        precision=2,
        pricing=NET,
        rates=[STATE, ON_TOP],
    )

    # 4.00 state tax, then 10 % of (100 + 4).
    assert amounts.tax == Decimal("14.40")


def test_line_amounts_gross_with_flat_tax():
    amounts = line_amounts(
        unit_value=Decimal("12"),
        count=1,
        currency="USD",
        precision=2,
        pricing=GROSS,
        rates=[FLAT],
    )

    assert amounts.net == Decimal("10.00")
    assert amounts.tax == Decimal("2.00")


def test_line_amounts_zero_precision_currency():
    amounts = line_amounts(
        unit_value=Decimal("1000"),
        count=1,
        currency="JPY",
        precision=0,
        pricing=GROSS,
        rates=[TaxRate("JP", "JP", "Relative", Decimal("0.1"))],
    )

    assert amounts.net == Decimal("909")
    assert amounts.tax == Decimal("91")


def test_line_amounts_negative_rebate():
    amounts = line_amounts(
        unit_value=Decimal("-6.00"),
        count=1,
        currency="GBP",
        precision=2,
        pricing=GROSS,
        rates=[VAT],
    )

    assert amounts.gross == Decimal("-6.00")
    assert amounts.net == Decimal("-5.00")


def test_totals_by_currency_sums_per_currency():
    lines = [
        line_amounts(
            unit_value=Decimal("12"),
            count=1,
            currency="GBP",
            precision=2,
            pricing=GROSS,
            rates=[VAT],
        ),
        line_amounts(
            unit_value=Decimal("6"),
            count=1,
            currency="GBP",
            precision=2,
            pricing=GROSS,
            rates=[VAT],
        ),
        line_amounts(
            unit_value=Decimal("10"), count=1, currency="EUR", precision=2, pricing=GROSS, rates=[]
        ),
    ]

    totals = totals_by_currency(lines)

    assert list(totals) == ["GBP", "EUR"]
    assert totals["GBP"].gross == Decimal("18.00")
    assert totals["GBP"].tax == Decimal("3.00")
    assert totals["EUR"].tax == Decimal("0.00")


def test_rates_for_codes_rejects_unknown_code():
    with pytest.raises(UnknownTaxCode):
        rates_for_codes(["NOPE"], {"UK-S": VAT})


def test_tax_rate_validity_interval():
    old = TaxRate(
        "OLD",
        "UK",
        "Relative",
        Decimal("0.175"),
        validity=((None, datetime(2011, 1, 4, tzinfo=UTC)),),
    )

    assert old.is_valid_at(datetime(2010, 6, 1, tzinfo=UTC))
    assert not old.is_valid_at(datetime(2026, 6, 1, tzinfo=UTC))


@pytest.mark.parametrize(
    ("strategy", "value", "currency", "label"),
    [
        ("Relative", Decimal("0.2"), "", "UK-S · 20%"),
        ("Relative", Decimal("0.0575"), "", "UK-S · 5.75%"),
        ("Relative", Decimal("0"), "", "UK-S · 0%"),
        ("Flat", Decimal("2.50"), "GBP", "UK-S · 2.50 GBP"),
        ("Dependent", Decimal("0.1"), "", "UK-S"),
    ],
)
def test_tax_rate_label(strategy, value, currency, label):
    rate = TaxRate(
        code="UK-S", taxation_code="UK", strategy=strategy, value=value, currency=currency
    )

    assert rate.label == label


def test_line_amounts_net_rounds_per_code():
    rates = [
        TaxRate("US-A", "A", "Relative", Decimal("0.04")),
        TaxRate("US-B", "B", "Relative", Decimal("0.045")),
        TaxRate("US-C", "C", "Relative", Decimal("0.00375")),
        TaxRate("US-D", "D", "Relative", Decimal("0.05875")),
    ]

    line = line_amounts(
        unit_value=Decimal("33.33"),
        count=3,
        currency="USD",
        precision=2,
        pricing="Net",
        rates=rates,
    )

    # 99.99 net: 4.00 + 4.50 + 0.37 + 5.87, where one rounding of the summed rate gives 14.75.
    assert line.net == Decimal("99.99")
    assert line.tax == Decimal("14.74")
    assert line.gross == Decimal("114.73")


def test_line_amounts_net_tiny_taxes_zero():
    rates = [
        TaxRate("US-A", "A", "Relative", Decimal("0.04")),
        TaxRate("US-B", "B", "Relative", Decimal("0.045")),
    ]

    line = line_amounts(
        unit_value=Decimal("0.11"), count=1, currency="USD", precision=2, pricing="Net", rates=rates
    )

    assert line.tax == Decimal("0.00")
    assert line.gross == Decimal("0.11")
