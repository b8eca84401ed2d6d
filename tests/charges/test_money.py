from decimal import Decimal

import pytest

from orderdesk.charges.money import decimal_places, round_half_up, to_json_number


@pytest.mark.parametrize(
    ("amount", "precision", "expected"),
    [
        ("2.345", 2, "2.35"),
        ("2.344", 2, "2.34"),
        ("-2.345", 2, "-2.35"),
        ("10.5", 0, "11"),
        ("1.0005", 3, "1.001"),
    ],
)
def test_round_half_up_rounds_half_away(amount, precision, expected):
    assert round_half_up(Decimal(amount), precision) == Decimal(expected)


@pytest.mark.parametrize(
    ("amount", "places"), [("12", 0), ("12.50", 1), ("12.345", 3), ("100", 0), ("0.10", 1)]
)
def test_decimal_places_ignores_trailing_zeros(amount, places):
    assert decimal_places(Decimal(amount)) == places


def test_to_json_number_keeps_plain_integers():
    assert str(to_json_number(Decimal("100.00"))) == "100"
    assert str(to_json_number(Decimal("12.50"))) == "12.5"
