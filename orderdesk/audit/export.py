"""CSV export of submissions: one row per submission, UTF-8 with a byte order mark.

The byte order mark makes Excel read the file as UTF-8, so names such as "Zoë Müller" keep
their characters. Rows are read through a database cursor in chunks and written out as they
come, so memory stays constant whatever the number of rows.
"""

import csv
import io
from collections.abc import Iterable, Iterator
from datetime import datetime
from decimal import Decimal

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from orderdesk.charges.models import AccountType, Submission, SubmissionStatus

BOM = "\ufeff"
# Spreadsheets treat a cell that starts with one of these as a formula (tab and carriage
# return can hide the start of one), so such a text cell is prefixed with an apostrophe.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
# Rows fetched from the database per round trip, and rows written per chunk of the response.
FETCH_SIZE = 2000
ROWS_PER_CHUNK = 500

# Submission fields read per row, in the order of the columns in header().
EXPORT_FIELDS = (
    "id",
    "created_at",
    "user__username",
    "property__name",
    "service_name",
    "account_type",
    "account_id",
    "account_name",
    "line_count",
    "totals",
    "total_amount",
    "currency",
    "status",
    "order_id",
    "request_id",
    "http_status",
    "error_message",
    "sent_at",
    "completed_at",
    "duration_ms",
)


def header() -> list[str]:
    return [
        _("Submission"),
        _("Created (UTC)"),
        _("User"),
        _("Property"),
        _("Service"),
        _("Account type"),
        _("AccountId"),
        _("Account"),
        _("Lines"),
        _("Totals"),
        _("Total"),
        _("Currency"),
        _("Status"),
        _("OrderId"),
        _("Request-Id"),
        _("HTTP status"),
        _("Error"),
        _("Sent (UTC)"),
        _("Completed (UTC)"),
        _("Duration (ms)"),
    ]


def neutralise(value: str) -> str:
    """Return `value` with an apostrophe in front if a spreadsheet would read it as a formula."""
    if value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def _time(value: datetime | None) -> str:
    # Exported times are UTC: the database returns aware datetimes in UTC when USE_TZ is on.
    return value.strftime("%Y-%m-%d %H:%M:%S") if value is not None else ""


def _number(value: int | Decimal | None) -> str:
    # Numbers are formatted here from int or Decimal, so they are never a formula and a
    # negative total (a rebate) stays a number in the spreadsheet.
    return "" if value is None else str(value)


def _totals(totals: dict) -> str:
    return "; ".join(f"{currency} {amount}" for currency, amount in sorted(totals.items()))


def export_rows(rows: Iterable[tuple]) -> Iterator[list[str]]:
    """Convert rows of EXPORT_FIELDS values to CSV cells, neutralising every text cell."""
    status_labels = {value: str(label) for value, label in SubmissionStatus.choices}
    account_labels = {value: str(label) for value, label in AccountType.choices}
    for (
        pk,
        created_at,
        username,
        property_name,
        service_name,
        account_type,
        account_id,
        account_name,
        line_count,
        totals,
        total_amount,
        currency,
        status,
        order_id,
        request_id,
        http_status,
        error_message,
        sent_at,
        completed_at,
        duration_ms,
    ) in rows:
        yield [
            str(pk),
            _time(created_at),
            neutralise(username),
            neutralise(property_name),
            neutralise(service_name),
            account_labels.get(account_type, account_type),
            neutralise(account_id),
            neutralise(account_name),
            str(line_count),
            neutralise(_totals(totals or {})),
            _number(total_amount),
            neutralise(currency),
            status_labels.get(status, status),
            neutralise(order_id),
            neutralise(request_id),
            _number(http_status),
            neutralise(error_message),
            _time(sent_at),
            _time(completed_at),
            _number(duration_ms),
        ]


def stream_csv(queryset: QuerySet[Submission]) -> Iterator[bytes]:
    """Yield the CSV file of `queryset`, newest first, in chunks of encoded bytes."""
    rows = queryset.order_by("-created_at", "-id").values_list(*EXPORT_FIELDS)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    buffer.write(BOM)
    writer.writerow(header())
    pending = 0
    for cells in export_rows(rows.iterator(chunk_size=FETCH_SIZE)):
        writer.writerow(cells)
        pending += 1
        if pending == ROWS_PER_CHUNK:
            yield buffer.getvalue().encode("utf-8")
            buffer.seek(0)
            buffer.truncate()
            pending = 0
    yield buffer.getvalue().encode("utf-8")
