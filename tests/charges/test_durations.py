from datetime import UTC, datetime, timedelta

import pytest

from orderdesk.charges.durations import InvalidDuration, add_months, parse_duration


@pytest.mark.parametrize(
    ("text", "years", "months", "span"),
    [
        ("P0M7DT0H0M0S", 0, 0, timedelta(days=7)),
        ("P1M0DT0H0M0S", 0, 1, timedelta(0)),
        ("P1Y2M10DT2H30M", 1, 2, timedelta(days=10, hours=2, minutes=30)),
        ("PT36H", 0, 0, timedelta(hours=36)),
        ("P2W", 0, 0, timedelta(days=14)),
        ("P0M0DT0H0M1.5S", 0, 0, timedelta(seconds=1.5)),
        ("P0M0DT0H0M1,5S", 0, 0, timedelta(seconds=1.5)),
    ],
)
def test_parse_duration_reads_mews_format(text, years, months, span):
    duration = parse_duration(text)

    assert duration.years == years
    assert duration.months == months
    assert duration.span == span


@pytest.mark.parametrize("text", ["", "P", "PT", "7 days", "P1H", "P-1D", "P1DT", None])
def test_parse_duration_rejects_malformed(text):
    with pytest.raises(InvalidDuration):
        parse_duration(text)


def test_duration_before_uses_calendar_months():
    moment = datetime(2026, 3, 31, 12, 0, tzinfo=UTC)

    assert parse_duration("P1M0DT0H0M0S").before(moment) == datetime(2026, 2, 28, 12, tzinfo=UTC)
    assert parse_duration("P0M7DT0H0M0S").before(moment) == datetime(2026, 3, 24, 12, tzinfo=UTC)


def test_duration_before_combines_months_and_days():
    moment = datetime(2026, 1, 15, tzinfo=UTC)

    assert parse_duration("P1Y1M1DT1H").before(moment) == datetime(2024, 12, 13, 23, tzinfo=UTC)


def test_duration_after_is_inverse_for_days():
    moment = datetime(2026, 1, 15, tzinfo=UTC)

    assert parse_duration("P0M2DT0H0M0S").after(moment) == datetime(2026, 1, 17, tzinfo=UTC)


def test_add_months_crosses_years():
    assert add_months(datetime(2026, 1, 31), -2) == datetime(2025, 11, 30)
    assert add_months(datetime(2024, 1, 31), 1) == datetime(2024, 2, 29)
    assert add_months(datetime(2026, 12, 5), 1) == datetime(2027, 1, 5)
