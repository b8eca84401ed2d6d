"""Decimal helpers for amounts in a currency with a given precision (count of decimal places)."""

from decimal import ROUND_HALF_UP, Decimal


def round_half_up(amount: Decimal, precision: int) -> Decimal:
    """Round `amount` half up to `precision` decimal places, as totals are shown to staff."""
    return amount.quantize(Decimal(1).scaleb(-precision), rounding=ROUND_HALF_UP)


def decimal_places(amount: Decimal) -> int:
    """Return how many decimal places `amount` is written with, ignoring trailing zeros."""
    exponent = amount.normalize().as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


def to_json_number(amount: Decimal) -> Decimal:
    """Return `amount` without trailing zeros, ready for a JSON encoder that writes Decimals."""
    normalized = amount.normalize()
    # normalize() writes 100 as 1E+2; quantizing to 1 brings back the plain integer.
    if normalized == normalized.to_integral_value():
        return normalized.quantize(Decimal(1))
    return normalized
