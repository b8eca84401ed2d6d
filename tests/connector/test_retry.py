from datetime import UTC, datetime

import pytest

from orderdesk.connector.retry import BACKOFF_CAP, backoff_delay, parse_retry_after

NOW = datetime(2026, 12, 4, 12, 0, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("3", 3.0),
        ("0", 0.0),
        ("2.75", 2.75),
        (" 4 ", 4.0),
        ("Fri, 04 Dec 2026 12:00:05 GMT", 5.0),
        ("Fri, 04 Dec 2026 11:59:00 GMT", 0.0),
        (None, None),
        ("", None),
        ("   ", None),
        ("later", None),
        ("-1", None),
        ("inf", None),
        ("nan", None),
        ("Fri, 99 Dec 2026 12:00:05 GMT", None),
    ],
)
def test_parse_retry_after_forms(value, expected):
    assert parse_retry_after(value, now=NOW) == expected


@pytest.mark.parametrize(
    ("attempt", "low", "high"),
    [(1, 0.25, 0.5), (2, 0.5, 1.0), (3, 1.0, 2.0), (10, BACKOFF_CAP / 2, BACKOFF_CAP)],
)
def test_backoff_delay_doubles_with_cap(attempt, low, high):
    assert backoff_delay(attempt, rng=lambda: 0.0) == low
    assert backoff_delay(attempt, rng=lambda: 1.0) == high
