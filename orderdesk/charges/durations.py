"""ISO 8601 durations as Mews writes them, for example "P0M7DT0H0M0S" or "P1Y2M10DT2H30M".

Mews returns its editable-history intervals in this form, always with a months part, so a
`datetime.timedelta` cannot hold them: a month has no fixed length. Subtracting a duration from
a time therefore goes through the calendar.
"""

import calendar
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

_DURATION = re.compile(
    r"""
    ^(?P<sign>-)?P
    (?:(?P<years>\d+)Y)?
    (?:(?P<months>\d+)M)?
    (?:(?P<weeks>\d+)W)?
    (?:(?P<days>\d+)D)?
    (?:T
        (?:(?P<hours>\d+)H)?
        (?:(?P<minutes>\d+)M)?
        (?:(?P<seconds>\d+(?:[.,]\d+)?)S)?
    )?$
    """,
    re.VERBOSE,
)


class InvalidDuration(ValueError):
    """Raised for a text that is not an ISO 8601 duration."""


@dataclass(frozen=True)
class Duration:
    """A calendar duration: whole years and months plus an exact time span."""

    years: int = 0
    months: int = 0
    span: timedelta = timedelta(0)
    negative: bool = False

    def before(self, moment: datetime) -> datetime:
        """Return the moment this duration before `moment`, moving by calendar months first."""
        sign = 1 if self.negative else -1
        shifted = add_months(moment, sign * (self.years * 12 + self.months))
        return shifted + sign * self.span

    def after(self, moment: datetime) -> datetime:
        """Return the moment this duration after `moment`."""
        sign = -1 if self.negative else 1
        shifted = add_months(moment, sign * (self.years * 12 + self.months))
        return shifted + sign * self.span


def parse_duration(text: str) -> Duration:
    """Parse an ISO 8601 duration such as "P0M7DT0H0M0S"; raise InvalidDuration otherwise."""
    match = _DURATION.match((text or "").strip())
    if match is None or text.strip() in {"P", "-P"} or text.strip().endswith("T"):
        raise InvalidDuration(f"{text!r} is not an ISO 8601 duration such as P0M7DT0H0M0S.")

    parts = match.groupdict()
    seconds = Decimal((parts["seconds"] or "0").replace(",", "."))
    span = timedelta(
        weeks=int(parts["weeks"] or 0),
        days=int(parts["days"] or 0),
        hours=int(parts["hours"] or 0),
        minutes=int(parts["minutes"] or 0),
        seconds=float(seconds),
    )
    return Duration(
        years=int(parts["years"] or 0),
        months=int(parts["months"] or 0),
        span=span,
        negative=parts["sign"] == "-",
    )


def add_months(moment: datetime, months: int) -> datetime:
    """Move `moment` by whole calendar months, keeping the day or using the month's last day."""
    if months == 0:
        return moment
    month_index = moment.year * 12 + (moment.month - 1) + months
    year, month = divmod(month_index, 12)
    month += 1
    day = min(moment.day, calendar.monthrange(year, month)[1])
    return moment.replace(year=year, month=month, day=day)
