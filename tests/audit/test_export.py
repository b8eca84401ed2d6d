import csv
import io
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.http import StreamingHttpResponse
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from orderdesk.audit import export
from orderdesk.audit.views import INVALID_FILTER_MESSAGE
from orderdesk.charges.models import Submission, SubmissionStatus

EXPORT_URL = reverse("audit:export")


def read_csv(response):
    content = b"".join(response.streaming_content)
    assert content.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"), newline="")))


def column(rows, name):
    index = rows[0].index(name)
    return [row[index] for row in rows[1:]]


def test_export_anonymous_redirects_to_login(client, db):
    response = client.get(EXPORT_URL)

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


@pytest.mark.parametrize(
    "client_fixture", ["front_desk_client", "administrator_client", "outsider_client"]
)
def test_export_without_permission_forbidden(db, request, client_fixture):
    client = request.getfixturevalue(client_fixture)

    assert client.get(EXPORT_URL).status_code == 403


def test_export_manager_streams_csv(manager_client, make_submission, manager_user):
    make_submission(user=manager_user)

    response = manager_client.get(EXPORT_URL)

    assert response.status_code == 200
    assert isinstance(response, StreamingHttpResponse)
    assert response["Content-Type"] == "text/csv"
    assert response["Content-Disposition"].startswith('attachment; filename="submissions-')


@pytest.mark.parametrize("debug", [False, True])
def test_export_filtered_with_query_logging(manager_client, make_submission, manager_user, debug):
    """A filtered export works with DEBUG on, when Django logs every query with its values."""
    created = datetime(2026, 11, 9, 12, 30, 5, tzinfo=UTC)
    make_submission(user=manager_user, created_at=created)

    with override_settings(DEBUG=debug), CaptureQueriesContext(connection):
        response = manager_client.get(EXPORT_URL, {"status": "posted", "user": manager_user.pk})
        body = b"".join(response.streaming_content).decode("utf-8-sig")

    assert response.status_code == 200
    assert "2026-11-09 12:30:05" in body


def test_export_one_row_per_submission(
    manager_client, make_submission, manager_user, front_desk_user
):
    start = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
    older = make_submission(user=front_desk_user, created_at=start, line_count=3)
    newer = make_submission(
        user=manager_user,
        created_at=start + timedelta(minutes=1),
        sent_at=start + timedelta(minutes=1, seconds=1),
        completed_at=start + timedelta(minutes=1, seconds=2),
        duration_ms=812,
    )

    rows = read_csv(manager_client.get(EXPORT_URL))

    assert rows[0] == export.header()
    assert column(rows, "Submission") == [str(newer.pk), str(older.pk)]
    assert column(rows, "Created (UTC)") == ["2026-11-20 12:01:00", "2026-11-20 12:00:00"]
    assert column(rows, "Sent (UTC)") == ["2026-11-20 12:01:01", ""]
    assert column(rows, "Completed (UTC)") == ["2026-11-20 12:01:02", ""]
    assert column(rows, "Duration (ms)") == ["812", ""]
    assert column(rows, "Lines") == ["1", "3"]
    assert column(rows, "User") == ["manager", "frontdesk"]
    assert column(rows, "Status") == ["Posted", "Posted"]
    assert column(rows, "Account type") == ["Guest", "Guest"]
    assert column(rows, "OrderId") == [newer.order_id, older.order_id]


def test_export_totals_and_amounts(manager_client, make_submission, manager_user):
    make_submission(
        user=manager_user,
        totals={"GBP": "12.50", "EUR": "3.00"},
        total=Decimal("12.50"),
        currency="GBP",
    )

    rows = read_csv(manager_client.get(EXPORT_URL))

    assert column(rows, "Totals") == ["EUR 3.00; GBP 12.50"]
    # The amount as charged, with the currency's decimal places.
    assert column(rows, "Total") == ["12.50"]
    assert column(rows, "Currency") == ["GBP"]


def test_export_negative_total_stays_number(manager_client, make_submission, manager_user):
    make_submission(user=manager_user, total=Decimal("-5.00"))

    rows = read_csv(manager_client.get(EXPORT_URL))

    assert Decimal(column(rows, "Total")[0]) == Decimal("-5.00")


def test_export_keeps_characters(manager_client, make_submission, manager_user):
    make_submission(user=manager_user, account_name='Zoë "Zo" Müller, 李, Иванова')

    rows = read_csv(manager_client.get(EXPORT_URL))

    assert column(rows, "Account") == ['Zoë "Zo" Müller, 李, Иванова']


@pytest.mark.parametrize(
    "name",
    ['=HYPERLINK("http://x")', "+1+1", "-2+3", "@SUM(A1)", "\t=1+1", "\r=1+1"],
)
def test_export_neutralises_formula(manager_client, make_submission, manager_user, name):
    make_submission(user=manager_user, account_name=name, error_message=name)

    rows = read_csv(manager_client.get(EXPORT_URL))

    assert column(rows, "Account") == ["'" + name]
    assert column(rows, "Error") == ["'" + name]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("@A1", "'@A1"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("a=1", "a=1"),
        ("", ""),
        ("Zoë", "Zoë"),
    ],
)
def test_neutralise_prefixes_formula_starts(value, expected):
    assert export.neutralise(value) == expected


def test_export_applies_filters(manager_client, make_submission, manager_user):
    make_submission(user=manager_user, status=SubmissionStatus.POSTED)
    unknown = make_submission(user=manager_user, status=SubmissionStatus.UNKNOWN)

    rows = read_csv(manager_client.get(EXPORT_URL, {"status": "unknown"}))

    assert column(rows, "Submission") == [str(unknown.pk)]


def test_export_invalid_filter_redirects_to_list(manager_client, db):
    response = manager_client.get(EXPORT_URL, {"total_min": "ten"}, follow=True)

    assert response.redirect_chain[-1][0] == f"{reverse('audit:list')}?total_min=ten"
    assert response.content.decode().count(str(INVALID_FILTER_MESSAGE)) == 1


def test_stream_csv_yields_chunks(make_submission, manager_user):
    for _ in range(5):
        make_submission(user=manager_user)

    chunks = list(export.stream_csv(Submission.objects.all(), rows_per_chunk=2))

    # Header with the first two rows, then two rows, then the last row.
    assert len(chunks) == 3
    assert chunks[0].startswith(b"\xef\xbb\xbf")
    assert sum(chunk.count(b"\r\n") for chunk in chunks) == 6


def test_export_empty_has_header(manager_client, db):
    rows = read_csv(manager_client.get(EXPORT_URL))

    assert rows == [export.header()]


def test_export_post_not_allowed(manager_client):
    assert manager_client.post(EXPORT_URL).status_code == 405


def test_export_very_long_invalid_filter_redirects_to_list(manager_client):
    response = manager_client.get(EXPORT_URL, {"account": "x" * 20000})

    assert response.status_code == 302
    assert response["Location"] == reverse("audit:list")
