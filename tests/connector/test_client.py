import logging
import sys
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from email.utils import format_datetime

import httpx
import pytest
from django.views.debug import ExceptionReporter

from orderdesk.connector import (
    ConflictError,
    ConnectorError,
    InvalidRequestError,
    InvalidResponseError,
    NotFoundError,
    PaginationLimitError,
    PayloadTooLargeError,
    RateLimitedError,
    RequestTimeoutError,
    RuleViolationError,
    ServerError,
    TransportError,
    UnauthorizedError,
)
from orderdesk.connector import client as client_module
from orderdesk.connector.retry import MAX_ATTEMPTS
from tests.connector.helpers import (
    ACCESS_TOKEN,
    CLIENT_TOKEN,
    Recorder,
    make_client,
    reply,
)

ORDER_BODY = {
    "ServiceId": "svc-1",
    "AccountId": "acc-1",
    "Items": [
        {
            "Name": "Beer",
            "UnitCount": 2,
            "UnitAmount": {"Currency": "GBP", "GrossValue": Decimal("4.50"), "TaxCodes": ["UK-S"]},
        }
    ],
}
ENTERPRISE = {
    "Id": "ent-1",
    "Name": "Hotel",
    "TimeZoneIdentifier": "Europe/London",
    "Pricing": "Gross",
    "TaxEnvironmentCode": "UK-2022",
    "AccountingEditableHistoryInterval": "P0M7DT0H0M0S",
    "OperationalEditableHistoryInterval": "P0M5DT0H0M0S",
    "EditableHistoryInterval": "P0M7DT0H0M0S",
    "Currencies": [
        {"Currency": "GBP", "IsDefault": True, "IsEnabled": True},
        {"Currency": "EUR", "IsDefault": False, "IsEnabled": True},
    ],
}


def services_page(count, cursor):
    services = [
        {
            "Id": f"svc-{cursor}-{i}",
            "Names": {"en-GB": "Bar"},
            "Data": {"Discriminator": "Additional"},
        }
        for i in range(count)
    ]
    return {"Services": services, "Cursor": cursor}


@pytest.mark.parametrize(
    "address",
    [
        "https://api.example.test",
        "https://api.example.test/",
        "https://api.example.test//",
        " https://api.example.test/api/connector/v1 ",
        "https://api.example.test/api/connector/v1/",
        "https://api.example.test/API/Connector/V1/",
    ],
)
def test_client_address_is_exact(address):
    recorder = Recorder(reply(body={"Currencies": []}))
    client = make_client(recorder, platform=address)

    client.get_currencies()

    assert str(recorder.requests[0].url) == (
        "https://api.example.test/api/connector/v1/currencies/getAll"
    )
    assert recorder.requests[0].method == "POST"
    assert recorder.requests[0].headers["Content-Type"] == "application/json"


def test_client_body_carries_tokens_and_client():
    recorder = Recorder(reply(body={"NowUtc": "2026-01-01T10:00:00Z", "Enterprise": ENTERPRISE}))

    make_client(recorder).get_configuration()

    body = recorder.bodies()[0]
    assert body["ClientToken"] == CLIENT_TOKEN
    assert body["AccessToken"] == ACCESS_TOKEN
    assert body["Client"] == "orderdesk/test"
    assert "EnterpriseId" not in body


def test_client_portfolio_sends_enterprise_ids():
    recorder = Recorder(
        reply(body={"OrderId": "order-1"}),
        reply(body=services_page(1, None)),
        reply(body={"NowUtc": "2026-01-01T10:00:00Z", "Enterprise": ENTERPRISE}),
    )
    client = make_client(recorder, enterprise_id="ent-2")

    client.add_order(ORDER_BODY)
    client.get_services()
    client.get_configuration()

    order, services, configuration = recorder.bodies()
    assert order["EnterpriseId"] == "ent-2"
    assert services["EnterpriseIds"] == ["ent-2"]
    assert configuration["EnterpriseId"] == "ent-2"


def test_add_order_sends_money_as_numbers():
    recorder = Recorder(reply(body={"OrderId": "order-1"}, request_id="rid-7"))

    result = make_client(recorder).add_order(ORDER_BODY)

    assert result.order_id == "order-1"
    assert result.request_id == "rid-7"
    assert result.duration_ms >= 0
    assert b'"GrossValue": 4.5' in recorder.requests[0].content
    assert recorder.bodies()[0]["Items"][0]["UnitAmount"]["GrossValue"] == Decimal("4.5")


@pytest.mark.parametrize("field", ["ClientToken", "AccessToken", "Client", "EnterpriseId"])
def test_add_order_rejects_reserved_fields(field):
    recorder = Recorder(reply(body={"OrderId": "order-1"}))

    with pytest.raises(ValueError, match=field):
        make_client(recorder).add_order({**ORDER_BODY, field: "x"})
    assert recorder.requests == []


def test_add_order_missing_order_id_is_invalid():
    recorder = Recorder(reply(body={}))

    with pytest.raises(InvalidResponseError):
        make_client(recorder).add_order(ORDER_BODY)


@pytest.mark.parametrize(
    ("status", "error_class", "read_retried"),
    [
        (400, InvalidRequestError, False),
        (401, UnauthorizedError, False),
        (403, RuleViolationError, False),
        (404, NotFoundError, False),
        (408, RequestTimeoutError, True),
        (409, ConflictError, False),
        (413, PayloadTooLargeError, False),
        (418, ConnectorError, False),
        (429, RateLimitedError, True),
        (500, ServerError, True),
        (502, ServerError, True),
        (503, ServerError, True),
    ],
)
def test_client_status_maps_to_error(status, error_class, read_retried):
    recorder = Recorder(reply(status, {"Message": "Mews says no.", "RequestId": "body-rid"}))
    sleeps = []

    with pytest.raises(error_class) as caught:
        make_client(recorder, sleeps=sleeps).get_currencies()

    error = caught.value
    assert type(error) is error_class
    assert error.status == status
    assert error.message == "Mews says no."
    assert error.request_id == "req-1"
    assert error.operation == "currencies/getAll"
    assert len(recorder.requests) == (MAX_ATTEMPTS if read_retried else 1)
    assert len(sleeps) == (MAX_ATTEMPTS - 1 if read_retried else 0)


def test_client_error_request_id_falls_back_to_body():
    recorder = Recorder(
        reply(400, {"Message": "Invalid ServiceId.", "RequestId": "body-rid"}, request_id=None)
    )

    with pytest.raises(InvalidRequestError) as caught:
        make_client(recorder).get_currencies()

    assert caught.value.request_id == "body-rid"


def test_client_error_without_json_body_has_message():
    recorder = Recorder(reply(502, content=b"<html>Bad gateway</html>"))

    with pytest.raises(ServerError) as caught:
        make_client(recorder, sleeps=[]).get_currencies()

    assert caught.value.message == ServerError.default_message
    assert "html" not in str(caught.value)


def test_error_text_never_shows_tokens_or_body():
    recorder = Recorder(reply(403, {"Message": "The bill is closed."}))

    with pytest.raises(RuleViolationError) as caught:
        make_client(recorder).add_order({**ORDER_BODY, "Notes": "secret note"})

    for text in (str(caught.value), repr(caught.value)):
        assert ACCESS_TOKEN not in text
        assert CLIENT_TOKEN not in text
        assert "secret note" not in text
        assert "The bill is closed." in text


def test_read_retries_then_succeeds():
    recorder = Recorder(
        reply(503), reply(500), reply(body={"Currencies": [{"Code": "GBP", "Precision": 2}]})
    )
    sleeps = []

    currencies = make_client(recorder, sleeps=sleeps).get_currencies()

    assert [c.code for c in currencies] == ["GBP"]
    assert currencies.request_id == "req-1"
    assert len(recorder.requests) == 3
    assert len(sleeps) == 2
    assert 0.25 <= sleeps[0] <= 0.5
    assert 0.5 <= sleeps[1] <= 1.0


def _http_date(seconds_from_now):
    return format_datetime(datetime.now(UTC) + timedelta(seconds=seconds_from_now), usegmt=True)


@pytest.mark.parametrize(
    ("retry_after", "low", "high"),
    [
        ("2", 2.0, 2.0),
        ("1.5", 1.5, 1.5),
        ("0", 0.0, 0.0),
        (None, 0.25, 0.5),
        ("", 0.25, 0.5),
        ("soon", 0.25, 0.5),
        ("-3", 0.25, 0.5),
        ("nan", 0.25, 0.5),
        ("Mon, 32 Foo 2026 99:00:00 GMT", 0.25, 0.5),
    ],
)
def test_read_429_honours_retry_after(retry_after, low, high):
    headers = {"Retry-After": retry_after} if retry_after is not None else {}
    recorder = Recorder(
        reply(429, {"Message": "Slow down."}, headers=headers), reply(body={"Currencies": []})
    )
    sleeps = []

    make_client(recorder, sleeps=sleeps).get_currencies()

    assert len(sleeps) == 1
    assert low <= sleeps[0] <= high


def test_read_429_honours_http_date():
    headers = {"Retry-After": _http_date(10)}
    recorder = Recorder(reply(429, headers=headers), reply(body={"Currencies": []}))
    sleeps = []

    make_client(recorder, sleeps=sleeps).get_currencies()

    assert 8.0 <= sleeps[0] <= 10.0


def test_read_429_long_wait_raises():
    recorder = Recorder(reply(429, {"Message": "Slow down."}, headers={"Retry-After": "120"}))
    sleeps = []

    with pytest.raises(RateLimitedError) as caught:
        make_client(recorder, sleeps=sleeps).get_currencies()

    assert caught.value.retry_after == 120.0
    assert sleeps == []
    assert len(recorder.requests) == 1


@pytest.mark.parametrize(
    ("exception", "may_have_reached"),
    [
        (httpx.ConnectError("refused"), False),
        (httpx.ConnectTimeout("connect"), False),
        (httpx.PoolTimeout("pool"), False),
        (httpx.ReadTimeout("read"), True),
        (httpx.ReadError("reset"), True),
        (httpx.WriteError("broken pipe"), True),
        (httpx.WriteTimeout("write"), True),
        (httpx.RemoteProtocolError("closed"), True),
        (httpx.DecodingError("bad gzip"), True),
    ],
)
def test_read_transport_error_is_retried_and_wrapped(exception, may_have_reached):
    recorder = Recorder(exception)
    sleeps = []

    with pytest.raises(TransportError) as caught:
        make_client(recorder, sleeps=sleeps).get_currencies()

    assert caught.value.may_have_reached_mews is may_have_reached
    assert caught.value.status is None
    assert caught.value.__cause__ is exception
    assert len(recorder.requests) == MAX_ATTEMPTS
    assert len(sleeps) == MAX_ATTEMPTS - 1


def test_read_unsupported_protocol_is_not_retried():
    recorder = Recorder(httpx.UnsupportedProtocol("ftp"))

    with pytest.raises(TransportError) as caught:
        make_client(recorder).get_currencies()

    assert caught.value.may_have_reached_mews is False
    assert len(recorder.requests) == 1


@pytest.mark.parametrize(
    "failure",
    [
        reply(500, {"Message": "Oops."}),
        reply(502),
        reply(503),
        reply(408, {"Message": "Timeout."}),
        httpx.ReadTimeout("read"),
        httpx.ReadError("reset"),
        httpx.WriteError("broken pipe"),
        httpx.WriteTimeout("write"),
        httpx.RemoteProtocolError("closed"),
    ],
    ids=[
        "500",
        "502",
        "503",
        "408",
        "read-timeout",
        "read-error",
        "write-error",
        "write-timeout",
        "remote-protocol",
    ],
)
def test_add_order_never_retries_after_sending(failure):
    recorder = Recorder(failure, reply(body={"OrderId": "order-2"}))
    sleeps = []

    with pytest.raises(ConnectorError) as caught:
        make_client(recorder, sleeps=sleeps).add_order(ORDER_BODY)

    assert len(recorder.requests) == 1
    assert sleeps == []
    if isinstance(caught.value, TransportError):
        assert caught.value.may_have_reached_mews is True


@pytest.mark.parametrize(
    "failure",
    [httpx.ConnectError("refused"), httpx.ConnectTimeout("connect"), httpx.PoolTimeout("pool")],
)
def test_add_order_retries_when_not_sent(failure):
    recorder = Recorder(failure, reply(body={"OrderId": "order-3"}))
    sleeps = []

    result = make_client(recorder, sleeps=sleeps).add_order(ORDER_BODY)

    assert result.order_id == "order-3"
    assert len(recorder.requests) == 2
    assert len(sleeps) == 1


@pytest.mark.parametrize(
    ("retry_after", "expected_sleep"),
    [("1", 1.0), ("0.25", 0.25), ("bogus", None), (None, None)],
)
def test_add_order_retries_429_within_wait(retry_after, expected_sleep):
    headers = {"Retry-After": retry_after} if retry_after is not None else {}
    recorder = Recorder(reply(429, headers=headers), reply(body={"OrderId": "order-4"}))
    sleeps = []

    result = make_client(recorder, sleeps=sleeps).add_order(ORDER_BODY)

    assert result.order_id == "order-4"
    assert len(recorder.requests) == 2
    if expected_sleep is None:
        assert 0.25 <= sleeps[0] <= 0.5
    else:
        assert sleeps == [expected_sleep]


def test_add_order_429_long_wait_raises(settings):
    settings.CONNECTOR_MAX_POST_WAIT = 5.0
    recorder = Recorder(reply(429, {"Message": "Too many."}, headers={"Retry-After": "6"}))
    sleeps = []

    with pytest.raises(RateLimitedError) as caught:
        make_client(recorder, sleeps=sleeps).add_order(ORDER_BODY)

    assert caught.value.retry_after == 6.0
    assert sleeps == []
    assert len(recorder.requests) == 1


def test_add_order_429_stops_at_max_attempts():
    recorder = Recorder(reply(429, headers={"Retry-After": "1"}))
    sleeps = []

    with pytest.raises(RateLimitedError):
        make_client(recorder, sleeps=sleeps).add_order(ORDER_BODY)

    assert len(recorder.requests) == MAX_ATTEMPTS
    assert sleeps == [1.0] * (MAX_ATTEMPTS - 1)


@pytest.mark.parametrize(
    "response",
    [
        reply(content=b"not json"),
        reply(content=b"[1, 2]"),
        reply(content=b'{"Currencies": {"Code": "GBP"}}'),
        reply(content=b'{"Currencies": [{"Precision": 2}]}'),
        reply(content=b'{"Currencies": [{"Code": "GBP", "Precision": "two"}]}'),
    ],
    ids=["not-json", "list", "not-a-list", "missing-field", "bad-type"],
)
def test_client_unreadable_body_raises(response):
    with pytest.raises(InvalidResponseError) as caught:
        make_client(Recorder(response)).get_currencies()

    assert caught.value.request_id == "req-1"
    assert caught.value.status == 200


def test_client_missing_field_is_named():
    with pytest.raises(InvalidResponseError, match="Precision"):
        make_client(Recorder(reply(body={"Currencies": [{"Code": "GBP"}]}))).get_currencies()


def test_pagination_follows_cursor():
    recorder = Recorder(
        reply(body=services_page(1000, "c1"), request_id="r1"),
        reply(body=services_page(1000, "c2"), request_id="r2"),
        reply(body=services_page(5, "c3"), request_id="r3"),
    )

    services = make_client(recorder).get_services()

    assert len(services) == 2005
    assert services.request_ids == ("r1", "r2", "r3")
    limitations = [body["Limitation"] for body in recorder.bodies()]
    assert limitations == [
        {"Count": 1000},
        {"Count": 1000, "Cursor": "c1"},
        {"Count": 1000, "Cursor": "c2"},
    ]


def test_pagination_stops_on_null_cursor():
    recorder = Recorder(
        reply(body=services_page(1000, "c1")), reply(body={"Services": [], "Cursor": None})
    )

    services = make_client(recorder).get_services()

    assert len(services) == 1000
    assert len(recorder.requests) == 2


def test_pagination_cap_raises(monkeypatch):
    monkeypatch.setattr(client_module, "MAX_PAGES", 3)
    pages = iter(range(100))
    recorder = Recorder(lambda request: reply(body=services_page(1000, f"c{next(pages)}")))

    with pytest.raises(PaginationLimitError):
        make_client(recorder).get_services()

    assert len(recorder.requests) == 3


def test_pagination_repeated_cursor_raises():
    recorder = Recorder(reply(body=services_page(1000, "same")))

    with pytest.raises(InvalidResponseError, match="Cursor"):
        make_client(recorder).get_services()


def test_configuration_is_typed():
    recorder = Recorder(
        reply(body={"NowUtc": "2026-03-01T10:00:00.1234567Z", "Enterprise": ENTERPRISE})
    )

    configuration = make_client(recorder).get_configuration()

    assert configuration.now_utc == datetime(2026, 3, 1, 10, 0, 0, 123456, tzinfo=UTC)
    assert configuration.request_id == "req-1"
    enterprise = configuration.enterprise
    assert enterprise.pricing == "Gross"
    assert enterprise.default_currency == "GBP"
    assert enterprise.accepted_currency_codes == ("GBP", "EUR")
    assert enterprise.accounting_editable_history_interval == "P0M7DT0H0M0S"
    assert enterprise.operational_editable_history_interval == "P0M5DT0H0M0S"
    assert enterprise.editable_history_interval == "P0M7DT0H0M0S"
    assert enterprise.tax_environment_code == "UK-2022"


def test_taxations_are_typed():
    body = {
        "Taxations": [{"Code": "UK", "Name": "VAT", "LocalName": "VAT"}],
        "TaxRates": [
            {
                "Code": "UK-S",
                "TaxationCode": "UK",
                "Value": 0.2,
                "ValidityInvervalsUtc": [{"StartUtc": "2011-01-04T00:00:00Z", "EndUtc": None}],
                "Strategy": {"Discriminator": "Relative", "Value": {"Value": 0.2}},
            },
            {
                "Code": "UK-OLD",
                "TaxationCode": "UK",
                "Value": 0.175,
                "ValidityInvervalsUtc": [{"StartUtc": None, "EndUtc": "2011-01-04T00:00:00Z"}],
                "Strategy": {"Discriminator": "Relative", "Value": {"Value": 0.175}},
            },
        ],
    }

    taxations = make_client(Recorder(reply(body=body))).get_taxations()

    standard, old = taxations.tax_rates
    assert standard.value == Decimal("0.2")
    assert old.value == Decimal("0.175")
    now = datetime(2026, 1, 1, tzinfo=UTC)
    assert standard.is_valid_at(now)
    assert not old.is_valid_at(now)
    assert old.is_valid_at(datetime(2010, 1, 1, tzinfo=UTC))
    assert taxations.rates_for(["UK"]) == (standard, old)


def test_order_items_filters_and_chunks():
    recorder = Recorder(lambda request: reply(body={"OrderItems": [], "Cursor": None}))
    account_ids = [f"acc-{i}" for i in range(150)]
    start = datetime(2026, 1, 1, tzinfo=UTC)

    make_client(recorder).get_order_items(
        account_ids=account_ids,
        created_start=start,
        created_end=start + timedelta(hours=1, microseconds=5),
        service_ids=["svc-1"],
    )

    first, second = recorder.bodies()
    assert len(first["AccountIds"]) == 100
    assert len(second["AccountIds"]) == 50
    assert first["ServiceIds"] == ["svc-1"]
    assert first["CreatedUtc"] == {
        "StartUtc": "2026-01-01T00:00:00Z",
        "EndUtc": "2026-01-01T01:00:01Z",
    }


def test_order_items_long_interval_is_split():
    recorder = Recorder(lambda request: reply(body={"OrderItems": [], "Cursor": None}))
    start = datetime(2026, 1, 1, tzinfo=UTC)

    make_client(recorder).get_order_items(
        account_ids=(account for account in ["acc-1"]),
        created_start=start,
        created_end=start + timedelta(days=200),
    )

    intervals = [body["CreatedUtc"] for body in recorder.bodies()]
    assert all(body["AccountIds"] == ["acc-1"] for body in recorder.bodies())
    assert len(intervals) == 3
    assert intervals[0]["StartUtc"] == "2026-01-01T00:00:00Z"
    assert intervals[1]["StartUtc"] == intervals[0]["EndUtc"]
    assert intervals[-1]["EndUtc"] == "2026-07-20T00:00:00Z"


def test_order_items_naive_time_rejected():
    with pytest.raises(ValueError, match="timezone-aware"):
        make_client(Recorder(reply())).get_order_items(
            account_ids=["acc-1"],
            created_start=datetime(2026, 1, 1),
            created_end=datetime(2026, 1, 2),
        )


def test_bills_are_filtered_by_account():
    body = {
        "Bills": [
            {"Id": "b1", "AccountId": "acc-1", "State": "Open"},
            {"Id": "b2", "AccountId": "acc-other", "State": "Open"},
        ],
        "Cursor": None,
    }
    recorder = Recorder(reply(body=body))

    bills = make_client(recorder).get_bills(account_ids=["acc-1"])

    assert [b.id for b in bills] == ["b1"]
    assert recorder.bodies()[0]["CustomerIds"] == ["acc-1"]
    assert recorder.bodies()[0]["State"] == "Open"


def test_search_customers_returns_stay():
    body = {
        "Customers": [
            {
                "Customer": {
                    "Id": "c1",
                    "LastName": "Smith",
                    "FirstName": "Ann",
                    "Classifications": ["Cashlist"],
                },
                "Reservation": {"Id": "r1", "AssignedResourceId": "room-1", "State": "Started"},
            }
        ]
    }

    results = make_client(Recorder(reply(body=body))).search_customers(name="Smith")

    assert results[0].customer.full_name == "Ann Smith"
    assert results[0].customer.is_cashlist
    assert results[0].reservation.assigned_resource_id == "room-1"


def test_search_customers_needs_a_filter():
    with pytest.raises(ValueError):
        make_client(Recorder(reply())).search_customers()


def test_client_logs_one_line_without_secrets(caplog):
    caplog.set_level(logging.DEBUG, logger="orderdesk.connector")
    recorder = Recorder(reply(body={"OrderId": "order-1"}, request_id="rid-42"))

    make_client(recorder).add_order({**ORDER_BODY, "Notes": "secret note"})

    lines = [r.getMessage() for r in caplog.records if r.name.startswith("orderdesk.connector")]
    assert len(lines) == 1
    assert "orders/add" in lines[0]
    assert "200" in lines[0]
    assert "rid-42" in lines[0]
    assert ACCESS_TOKEN not in caplog.text
    assert CLIENT_TOKEN not in caplog.text
    assert "secret note" not in caplog.text


def test_client_repr_hides_tokens():
    client = make_client(Recorder(reply()))

    assert ACCESS_TOKEN not in repr(client)
    assert CLIENT_TOKEN not in repr(client)


def test_client_invalid_address_is_transport_error():
    recorder = Recorder(reply())

    with pytest.raises(TransportError) as caught:
        make_client(recorder, platform="http://exa\x00mple.test").get_currencies()

    assert caught.value.may_have_reached_mews is False
    assert recorder.requests == []


def _error_report_of_failed_call() -> str:
    """Return Django's HTML error report of a call that fails inside the client."""
    client = make_client(Recorder(RuntimeError("transport bug")))
    try:
        client.get_configuration()
    except RuntimeError:
        return ExceptionReporter(None, *sys.exc_info()).get_traceback_html()
    raise AssertionError("the call did not fail")


def test_client_error_report_hides_request_body():
    """Django's error report (the DEBUG page, the admin e-mails) never shows the tokens."""
    report = _error_report_of_failed_call()

    assert "transport bug" in report
    assert ACCESS_TOKEN not in report
    assert CLIENT_TOKEN not in report
