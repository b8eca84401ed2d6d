"""Request checks of the sandbox, phrased the way the Connector API reports them.

A missing or malformed parameter gives 400 "Invalid {Parameter}"; a business rule gives 403 with a
sentence meant for hotel staff (https://mews-systems.gitbook.io/connector-api/guidelines/responses).
"""

import calendar
import re
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

MAX_FILTER_ITEMS = 1000
_DURATION = re.compile(
    r"^P(?:(?P<years>\d+)Y)?(?:(?P<months>\d+)M)?(?:(?P<days>\d+)D)?"
    r"(?:T(?:(?P<hours>\d+)H)?(?:(?P<minutes>\d+)M)?(?:(?P<seconds>\d+(?:\.\d+)?)S)?)?$"
)
_FRACTION = re.compile(r"(\.\d{6})\d+")


class SandboxError(Exception):
    """An error response: HTTP status, Mews-style message and optional extra headers."""

    def __init__(self, status: int, message: str, headers: Mapping[str, str] | None = None):
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = dict(headers or {})


def invalid(parameter: str, detail: str | None = None) -> SandboxError:
    """Return the 400 error that names an invalid parameter."""
    message = f"Invalid {parameter}."
    if detail:
        message = f"{message} {detail}"
    return SandboxError(400, message)


def rule_violation(message: str) -> SandboxError:
    """Return the 403 error for a business rule, with a message for hotel staff."""
    return SandboxError(403, message)


def format_utc(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_utc(value: Any, parameter: str) -> datetime:
    if not isinstance(value, str):
        raise invalid(parameter, "Expected an ISO 8601 date and time in UTC.")
    try:
        moment = datetime.fromisoformat(_FRACTION.sub(r"\1", value.strip()))
    except ValueError:
        raise invalid(parameter, "Expected an ISO 8601 date and time in UTC.") from None
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def read_string(body: Mapping[str, Any], name: str, *, required: bool = False, path: str = ""):
    value = body.get(name)
    if value is None:
        if required:
            raise invalid(f"{path}{name}", "The parameter is required.")
        return None
    if not isinstance(value, str) or (required and not value.strip()):
        raise invalid(f"{path}{name}", "Expected a non-empty string.")
    return value


def read_integer(body: Mapping[str, Any], name: str, *, required: bool = False, path: str = ""):
    value = body.get(name)
    if value is None:
        if required:
            raise invalid(f"{path}{name}", "The parameter is required.")
        return None
    if isinstance(value, bool) or not isinstance(value, int | Decimal):
        raise invalid(f"{path}{name}", "Expected a whole number.")
    if isinstance(value, Decimal):
        if value != value.to_integral_value():
            raise invalid(f"{path}{name}", "Expected a whole number.")
        value = int(value)
    return value


def read_decimal(body: Mapping[str, Any], name: str, *, path: str = "") -> Decimal | None:
    value = body.get(name)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | Decimal):
        raise invalid(f"{path}{name}", "Expected a number.")
    return Decimal(value)


def read_bool(body: Mapping[str, Any], name: str, *, path: str = "") -> bool | None:
    value = body.get(name)
    if value is None:
        return None
    if not isinstance(value, bool):
        raise invalid(f"{path}{name}", "Expected true or false.")
    return value


def read_object(body: Mapping[str, Any], name: str, *, required: bool = False, path: str = ""):
    value = body.get(name)
    if value is None:
        if required:
            raise invalid(f"{path}{name}", "The parameter is required.")
        return None
    if not isinstance(value, dict):
        raise invalid(f"{path}{name}", "Expected an object.")
    return value


def read_list(body: Mapping[str, Any], name: str, *, path: str = "") -> list | None:
    value = body.get(name)
    if value is None:
        return None
    if not isinstance(value, list):
        raise invalid(f"{path}{name}", "Expected an array.")
    return value


def read_strings(
    body: Mapping[str, Any], name: str, *, max_items: int = MAX_FILTER_ITEMS, path: str = ""
) -> list[str] | None:
    values = read_list(body, name, path=path)
    if values is None:
        return None
    if not all(isinstance(v, str) for v in values):
        raise invalid(f"{path}{name}", "Expected an array of strings.")
    if len(values) > max_items:
        raise invalid(f"{path}{name}", f"At most {max_items} items are allowed.")
    return values


def add_months(moment: datetime, months: int) -> datetime:
    """Move a datetime by whole calendar months, clamping the day to the month's length."""
    month_index = moment.month - 1 + months
    year = moment.year + month_index // 12
    month = month_index % 12 + 1
    day = min(moment.day, calendar.monthrange(year, month)[1])
    return moment.replace(year=year, month=month, day=day)


def read_interval(
    body: Mapping[str, Any], name: str, *, max_months: int = 3
) -> tuple[datetime, datetime] | None:
    """Read a time interval filter, at most `max_months` calendar months long."""
    value = read_object(body, name)
    if value is None:
        return None
    start = parse_utc(value.get("StartUtc"), f"{name}.StartUtc")
    end = parse_utc(value.get("EndUtc"), f"{name}.EndUtc")
    if end < start:
        raise invalid(name, "EndUtc must not be before StartUtc.")
    if end > add_months(start, max_months):
        raise invalid(name, f"The interval must not be longer than {max_months} months.")
    return start, end


def in_interval(value: str | None, interval: tuple[datetime, datetime] | None) -> bool:
    """Match a filter: the exact instant when start equals end, else start <= value < end."""
    if interval is None:
        return True
    if value is None:
        return False
    moment = parse_utc(value, "value")
    start, end = interval
    if start == end:
        return moment == start
    return start <= moment < end


def read_limitation(body: Mapping[str, Any]) -> tuple[int, str | None]:
    limitation = read_object(body, "Limitation", required=True)
    count = read_integer(limitation, "Count", required=True, path="Limitation.")
    if not 1 <= count <= 1000:
        raise invalid("Limitation.Count", "Count must be between 1 and 1000.")
    cursor = read_string(limitation, "Cursor", path="Limitation.")
    return count, cursor


def paginate(records: Sequence[dict], count: int, cursor: str | None) -> tuple[list, str | None]:
    """Return the page after `cursor` and the Cursor of its last record (None when empty)."""
    start = 0
    if cursor is not None:
        ids = [record["Id"] for record in records]
        if cursor not in ids:
            raise invalid("Limitation.Cursor")
        start = ids.index(cursor) + 1
    page = list(records[start : start + count])
    return page, (page[-1]["Id"] if page else None)


def parse_duration(value: str) -> tuple[int, timedelta]:
    """Split a Mews ISO 8601 duration such as "P0M7DT0H0M0S" into months and the rest."""
    match = _DURATION.match(value or "")
    if not match:
        raise ValueError(f"Unreadable duration {value!r}.")
    parts = {key: float(number) if number else 0.0 for key, number in match.groupdict().items()}
    months = int(parts["years"]) * 12 + int(parts["months"])
    rest = timedelta(
        days=parts["days"], hours=parts["hours"], minutes=parts["minutes"], seconds=parts["seconds"]
    )
    return months, rest


def subtract_duration(moment: datetime, value: str) -> datetime:
    months, rest = parse_duration(value)
    return add_months(moment, -months) - rest
