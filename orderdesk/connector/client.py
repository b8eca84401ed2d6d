"""The Connector API client: the only code in orderdesk that sends requests to Mews.

Request rules: https://mews-systems.gitbook.io/connector-api/guidelines/requests
"""

import json
import logging
import math
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any, TypeVar

import httpx
from django.conf import settings
from django.utils.decorators import method_decorator
from django.views.decorators.debug import sensitive_variables

from orderdesk.connector import errors
from orderdesk.connector.http import build_operation_url, get_http_client
from orderdesk.connector.models import (
    AccountingCategory,
    AddOrderResult,
    Bill,
    BusinessSegment,
    CallResult,
    Company,
    Configuration,
    Currency,
    Customer,
    CustomerSearchResult,
    Enterprise,
    OrderItem,
    Product,
    Reservation,
    Resource,
    Results,
    Service,
    Taxations,
    TaxEnvironment,
)
from orderdesk.connector.ratelimit import RateLimiter, SlidingWindowRateLimiter
from orderdesk.connector.retry import (
    MAX_ATTEMPTS,
    MAX_READ_RETRY_WAIT,
    backoff_delay,
    parse_retry_after,
)

logger = logging.getLogger(__name__)

T = TypeVar("T")

# Largest Limitation.Count Mews accepts.
PAGE_SIZE = 1000
# A paginated read stops with PaginationLimitError after this many pages (100 000 records).
MAX_PAGES = 100
# Longest CreatedUtc interval per orderItems/getAll request; Mews allows 3 months.
MAX_FILTER_INTERVAL = timedelta(days=89)
# Fields the client sets itself; a caller's body must not carry them.
RESERVED_FIELDS = frozenset({"ClientToken", "AccessToken", "Client", "EnterpriseId"})

# httpx errors raised before any byte of the request left this process.
_NOT_SENT_RETRYABLE = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)
# Also never sent, but a retry cannot help: the address or the request itself is wrong.
_NOT_SENT_FINAL = (httpx.UnsupportedProtocol, httpx.LocalProtocolError)
_RETRYABLE_READ_STATUSES = frozenset({408, 429})
_HEADERS = {"Content-Type": "application/json", "Accept": "application/json"}


def format_utc(moment: datetime) -> str:
    """Format an aware datetime as the Connector API expects: UTC, `YYYY-MM-DDThh:mm:ssZ`."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("Connector API times must be timezone-aware.")
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _ceil_second(moment: datetime) -> datetime:
    if moment.microsecond:
        return moment.replace(microsecond=0) + timedelta(seconds=1)
    return moment


def _json_default(value: Any) -> Any:
    if isinstance(value, Decimal):
        # JSON has no decimal type; a float is exact for money with up to 15 significant digits.
        as_float = float(value)
        if not math.isfinite(as_float) or Decimal(repr(as_float)) != value:
            raise ValueError("A money value has more digits than JSON can carry exactly.")
        return as_float
    if isinstance(value, datetime):
        return format_utc(value)
    raise TypeError(f"{type(value).__name__} cannot be sent to the Connector API.")


def _chunks(values: Sequence[T], size: int) -> Iterator[list[T]]:
    for start in range(0, len(values), size):
        yield list(values[start : start + size])


def _unique(values: Iterable[str] | None) -> list[str]:
    return list(dict.fromkeys(values or ()))


class ConnectorClient:
    """Call Connector API operations for one AccessToken and return typed results.

    Reads are retried on 408, 429, 5xx and transport errors with capped, jittered backoff that
    honours Retry-After. `add_order` has no idempotency key in Mews, so it is retried only on
    429 and on failures that provably happened before the request was sent.
    """

    def __init__(
        self,
        *,
        platform_address: str,
        client_token: str,
        access_token: str,
        client_name: str,
        enterprise_id: str | None = None,
        http_client: httpx.Client | None = None,
        rate_limiter: RateLimiter | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ):
        self.platform_address = platform_address
        self._client_token = client_token
        self._access_token = access_token
        self.client_name = client_name
        self.enterprise_id = enterprise_id or None
        self._http_client = http_client
        self.sleep = sleep
        self.rate_limiter = rate_limiter or SlidingWindowRateLimiter(sleep=sleep)

    def __repr__(self) -> str:
        return (
            f"ConnectorClient(platform_address={self.platform_address!r}, "
            f"enterprise_id={self.enterprise_id!r})"
        )

    @property
    def http_client(self) -> httpx.Client:
        if self._http_client is None:
            self._http_client = get_http_client(self.platform_address)
        return self._http_client

    # Operations -------------------------------------------------------------------------------

    def get_configuration(self) -> Configuration:
        """Read configuration/get: the enterprise's settings and Mews' current time."""
        payload = {"EnterpriseId": self.enterprise_id} if self.enterprise_id else {}
        result = self._call("configuration/get", payload)
        return self._parse("configuration/get", Configuration.from_json, result.data, result)

    def get_enterprises(self) -> Results:
        """Read enterprises/getAll: the enterprises this AccessToken reaches."""
        return self._get_all("enterprises/getAll", {}, "Enterprises", Enterprise.from_json)

    def get_services(self) -> Results:
        """Read services/getAll: additional and bookable services."""
        return self._get_all(
            "services/getAll", self._enterprise_filter(), "Services", Service.from_json
        )

    def get_products(self, *, service_ids: Iterable[str]) -> Results:
        """Read products/getAll for the given services, active and inactive."""
        return self._get_all_by_ids(
            "products/getAll",
            self._enterprise_filter(),
            "ServiceIds",
            service_ids,
            "Products",
            Product.from_json,
        )

    def get_accounting_categories(self) -> Results:
        """Read accountingCategories/getAll, active and inactive."""
        return self._get_all(
            "accountingCategories/getAll",
            self._enterprise_filter(),
            "AccountingCategories",
            AccountingCategory.from_json,
        )

    def get_business_segments(self, *, service_ids: Iterable[str]) -> Results:
        """Read businessSegments/getAll for the given services."""
        return self._get_all_by_ids(
            "businessSegments/getAll",
            self._enterprise_filter(),
            "ServiceIds",
            service_ids,
            "BusinessSegments",
            BusinessSegment.from_json,
        )

    def get_tax_environments(self) -> Results:
        """Read taxEnvironments/getAll: every tax environment Mews supports."""
        result = self._call("taxEnvironments/getAll", {})
        return self._parse_list(
            result, "taxEnvironments/getAll", "TaxEnvironments", TaxEnvironment.from_json
        )

    def get_taxations(self) -> Taxations:
        """Read taxations/getAll: taxations and their tax rates with validity intervals."""
        result = self._call("taxations/getAll", {})
        return self._parse("taxations/getAll", Taxations.from_json, result.data, result)

    def get_currencies(self) -> Results:
        """Read currencies/getAll: currency codes and their precision."""
        result = self._call("currencies/getAll", {})
        return self._parse_list(result, "currencies/getAll", "Currencies", Currency.from_json)

    def search_customers(
        self, *, name: str | None = None, resource_id: str | None = None
    ) -> Results:
        """Call customers/search: in-house guests and paymasters, with their current stay."""
        if not name and not resource_id:
            raise ValueError("Search customers by a name or a resource.")
        payload: dict[str, Any] = {"Extent": {"Customers": True, "Addresses": False}}
        if name:
            payload["Name"] = name
        if resource_id:
            payload["ResourceId"] = resource_id
        if self.enterprise_id:
            payload["EnterpriseId"] = self.enterprise_id
        result = self._call("customers/search", payload)
        return self._parse_list(
            result, "customers/search", "Customers", CustomerSearchResult.from_json
        )

    def get_customers(self, *, customer_ids: Iterable[str]) -> Results:
        """Read customers/getAll by customer ids."""
        return self._get_all_by_ids(
            "customers/getAll",
            {"Extent": {"Customers": True, "Addresses": False}},
            "CustomerIds",
            customer_ids,
            "Customers",
            Customer.from_json,
        )

    def get_companies(
        self, *, name: str | None = None, company_ids: Iterable[str] | None = None
    ) -> Results:
        """Read companies/getAll by exact name, by ids, or all companies when neither is given."""
        payload: dict[str, Any] = {}
        if name:
            payload["Names"] = [name]
        if company_ids is not None:
            return self._get_all_by_ids(
                "companies/getAll", payload, "Ids", company_ids, "Companies", Company.from_json
            )
        return self._get_all("companies/getAll", payload, "Companies", Company.from_json)

    def get_resources(self) -> Results:
        """Read resources/getAll: rooms and other resources, inactive ones included."""
        payload = {**self._enterprise_filter(), "Extent": {"Resources": True, "Inactive": True}}
        return self._get_all("resources/getAll", payload, "Resources", Resource.from_json)

    def get_bills(self, *, account_ids: Iterable[str], state: str | None = "Open") -> Results:
        """Read bills/getAll for accounts; `state` None returns open and closed bills.

        NOTE: bills/getAll documents only a CustomerIds filter, so company accounts are sent
        there too and the result is filtered on AccountId.
        """
        ids = _unique(account_ids)
        payload: dict[str, Any] = self._enterprise_filter()
        if state:
            payload["State"] = state
        bills = self._get_all_by_ids(
            "bills/getAll", payload, "CustomerIds", ids, "Bills", Bill.from_json
        )
        requested = set(ids)
        return Results((b for b in bills if b.account_id in requested), bills.request_ids)

    def get_reservations(
        self,
        *,
        account_ids: Iterable[str] | None = None,
        reservation_ids: Iterable[str] | None = None,
        states: Iterable[str] | None = None,
    ) -> Results:
        """Read reservations/getAll/2023-06-06 by accounts and/or reservation ids."""
        if account_ids is None and reservation_ids is None:
            raise ValueError("Filter reservations by accounts or by reservation ids.")
        payload: dict[str, Any] = self._enterprise_filter()
        if states:
            payload["States"] = list(states)
        operation = "reservations/getAll/2023-06-06"
        if reservation_ids is not None:
            payload["ReservationIds"] = _unique(reservation_ids)
            if not payload["ReservationIds"]:
                return Results()
        if account_ids is None:
            return self._get_all_by_ids(
                operation,
                {k: v for k, v in payload.items() if k != "ReservationIds"},
                "ReservationIds",
                payload["ReservationIds"],
                "Reservations",
                Reservation.from_json,
            )
        return self._get_all_by_ids(
            operation, payload, "AccountIds", account_ids, "Reservations", Reservation.from_json
        )

    def get_order_items(
        self,
        *,
        account_ids: Iterable[str],
        created_start: datetime,
        created_end: datetime,
        service_ids: Iterable[str] | None = None,
    ) -> Results:
        """Read orderItems/getAll for accounts, created in [created_start, created_end).

        Long intervals are split into pieces that Mews accepts and account ids are sent at most
        100 per request, as orderItems/getAll allows.
        """
        if created_end <= created_start:
            raise ValueError("created_end must be later than created_start.")
        account_ids = _unique(account_ids)
        base: dict[str, Any] = self._enterprise_filter()
        if service_ids is not None:
            base["ServiceIds"] = _unique(service_ids)
        items: list[OrderItem] = []
        request_ids: list[str] = []
        piece_start = created_start
        while piece_start < created_end:
            piece_end = min(piece_start + MAX_FILTER_INTERVAL, created_end)
            payload = {
                **base,
                "CreatedUtc": {
                    "StartUtc": format_utc(piece_start),
                    "EndUtc": format_utc(_ceil_second(piece_end)),
                },
            }
            found = self._get_all_by_ids(
                "orderItems/getAll",
                payload,
                "AccountIds",
                account_ids,
                "OrderItems",
                OrderItem.from_json,
                chunk_size=100,
            )
            items.extend(found)
            request_ids.extend(found.request_ids)
            piece_start = piece_end
        unique = {item.id: item for item in items}
        return Results(unique.values(), request_ids)

    def add_order(self, body: Mapping[str, Any]) -> AddOrderResult:
        """Call orders/add with `body` (the order fields only) and return the new OrderId.

        Raises TransportError with may_have_reached_mews=True when the order may exist although
        no response arrived, so the caller must read it back with get_order_items.
        """
        reserved = RESERVED_FIELDS.intersection(body)
        if reserved:
            raise ValueError(f"The order body must not contain {', '.join(sorted(reserved))}.")
        payload = dict(body)
        if self.enterprise_id:
            payload["EnterpriseId"] = self.enterprise_id
        result = self._call("orders/add", payload, write=True)
        order_id = result.data.get("OrderId")
        if not isinstance(order_id, str) or not order_id:
            raise errors.InvalidResponseError(
                "Mews accepted the order but returned no OrderId.",
                status=result.status,
                request_id=result.request_id,
                operation="orders/add",
            )
        return AddOrderResult(
            order_id=order_id, request_id=result.request_id, duration_ms=result.duration_ms
        )

    # Request helpers --------------------------------------------------------------------------

    def _enterprise_filter(self) -> dict[str, Any]:
        return {"EnterpriseIds": [self.enterprise_id]} if self.enterprise_id else {}

    def _get_all_by_ids(
        self,
        operation: str,
        payload: Mapping[str, Any],
        id_field: str,
        ids: Iterable[str],
        key: str,
        parse: Callable[[Mapping[str, Any]], T],
        *,
        chunk_size: int = 1000,
    ) -> Results:
        unique_ids = _unique(ids)
        items: list[T] = []
        request_ids: list[str] = []
        for chunk in _chunks(unique_ids, chunk_size):
            found = self._get_all(operation, {**payload, id_field: chunk}, key, parse)
            items.extend(found)
            request_ids.extend(found.request_ids)
        return Results(items, request_ids)

    def _get_all(
        self,
        operation: str,
        payload: Mapping[str, Any],
        key: str,
        parse: Callable[[Mapping[str, Any]], T],
    ) -> Results:
        """Follow the Cursor to the last page and return every record, or raise."""
        items: list[T] = []
        request_ids: list[str] = []
        cursor: str | None = None
        for _page in range(MAX_PAGES):
            limitation: dict[str, Any] = {"Count": PAGE_SIZE}
            if cursor:
                limitation["Cursor"] = cursor
            result = self._call(operation, {**payload, "Limitation": limitation})
            if result.request_id:
                request_ids.append(result.request_id)
            page = self._parse_list(result, operation, key, parse)
            items.extend(page)
            next_cursor = result.data.get("Cursor")
            if not next_cursor or len(page) < PAGE_SIZE:
                return Results(items, request_ids)
            if next_cursor == cursor:
                raise errors.InvalidResponseError(
                    "Mews returned the same Cursor twice.",
                    status=result.status,
                    request_id=result.request_id,
                    operation=operation,
                )
            cursor = next_cursor
        raise errors.PaginationLimitError(
            f"More than {MAX_PAGES * PAGE_SIZE} records; no partial result is returned.",
            request_id=request_ids[-1] if request_ids else None,
            operation=operation,
        )

    def _parse_list(
        self,
        result: CallResult,
        operation: str,
        key: str,
        parse: Callable[[Mapping[str, Any]], T],
    ) -> Results:
        records = result.data.get(key)
        if not isinstance(records, list):
            raise errors.InvalidResponseError(
                f"The response has no {key} list.",
                status=result.status,
                request_id=result.request_id,
                operation=operation,
            )
        return Results(
            (self._parse(operation, parse, record, result) for record in records),
            [result.request_id],
        )

    def _parse(self, operation: str, parse: Callable[..., T], data: Any, result: CallResult) -> T:
        try:
            if not isinstance(data, Mapping):
                raise TypeError("not a JSON object")
            if parse in (Configuration.from_json, Taxations.from_json):
                return parse(data, request_id=result.request_id)
            return parse(data)
        except KeyError as error:
            message = f"The response misses the field {error.args[0]}."
        except (TypeError, ValueError, ArithmeticError) as error:
            message = f"The response has a malformed value ({type(error).__name__})."
        raise errors.InvalidResponseError(
            message, status=result.status, request_id=result.request_id, operation=operation
        )

    # The body carries both tokens; Django's error reports must not show it.
    @method_decorator(sensitive_variables("body", "content"))
    def _call(
        self, operation: str, payload: Mapping[str, Any], *, write: bool = False
    ) -> CallResult:
        """Send one operation with retries and return the decoded JSON object."""
        url = build_operation_url(self.platform_address, operation)
        body = {
            "ClientToken": self._client_token,
            "AccessToken": self._access_token,
            "Client": self.client_name,
            **payload,
        }
        content = json.dumps(body, default=_json_default).encode()
        limiter_wait = float(settings.CONNECTOR_MAX_POST_WAIT) if write else MAX_READ_RETRY_WAIT

        for attempt in range(1, MAX_ATTEMPTS + 1):
            last_attempt = attempt == MAX_ATTEMPTS
            self.rate_limiter.acquire(self._access_token, max_wait=limiter_wait)
            started = time.monotonic()
            try:
                response = self.http_client.post(url, content=content, headers=_HEADERS)
            except httpx.InvalidURL as error:
                raise errors.TransportError(
                    "The platform address is not a valid URL.",
                    may_have_reached_mews=False,
                    operation=operation,
                ) from error
            except httpx.RequestError as error:
                duration_ms = round((time.monotonic() - started) * 1000)
                wrapped = self._transport_error(operation, error)
                logger.warning(
                    "Connector API %s failed without a response after %d ms (%s, attempt %d)",
                    operation,
                    duration_ms,
                    type(error).__name__,
                    attempt,
                )
                # A write may only be repeated when Mews provably never saw it.
                retryable = isinstance(error, _NOT_SENT_RETRYABLE) or (
                    not write and not isinstance(error, _NOT_SENT_FINAL)
                )
                if retryable and not last_attempt:
                    self._sleep_before_retry(operation, backoff_delay(attempt), attempt)
                    continue
                raise wrapped from error

            duration_ms = round((time.monotonic() - started) * 1000)
            request_id = response.headers.get("Request-Id")
            log = logger.info if write or response.status_code >= 400 else logger.debug
            log(
                "Connector API %s returned %s in %d ms (Request-Id %s, attempt %d)",
                operation,
                response.status_code,
                duration_ms,
                request_id,
                attempt,
            )
            if response.status_code < 300:
                data = self._decode(operation, response, request_id)
                return CallResult(data, response.status_code, request_id, duration_ms, attempt)

            error = self._status_error(operation, response, request_id)
            wait = self._retry_wait(error, attempt, write=write)
            if wait is None or last_attempt:
                raise error
            self._sleep_before_retry(operation, wait, attempt)

        raise AssertionError("unreachable: the last attempt returns or raises")

    def _sleep_before_retry(self, operation: str, wait: float, attempt: int) -> None:
        logger.info(
            "Retrying Connector API %s in %.2f s (attempt %d of %d)",
            operation,
            wait,
            attempt + 1,
            MAX_ATTEMPTS,
        )
        self.sleep(wait)

    def _retry_wait(
        self, error: errors.ConnectorError, attempt: int, *, write: bool
    ) -> float | None:
        """Return how long to wait before retrying after an HTTP error, or None to raise it."""
        status = error.status or 0
        retry_after = getattr(error, "retry_after", None)
        if write:
            # orders/add is retried on 429 only: Mews did not process a rate-limited request.
            if status != 429:
                return None
            wait = retry_after if retry_after is not None else backoff_delay(attempt)
            return wait if wait <= float(settings.CONNECTOR_MAX_POST_WAIT) else None
        if status not in _RETRYABLE_READ_STATUSES and status < 500:
            return None
        wait = retry_after if retry_after is not None else backoff_delay(attempt)
        return wait if wait <= MAX_READ_RETRY_WAIT else None

    def _decode(self, operation: str, response: httpx.Response, request_id: str | None) -> dict:
        if response.status_code == 204 or not response.content:
            return {}
        try:
            data = json.loads(response.content, parse_float=Decimal)
        except ValueError:
            data = None
        if not isinstance(data, dict):
            raise errors.InvalidResponseError(
                "Mews returned a body that is not a JSON object.",
                status=response.status_code,
                request_id=request_id,
                operation=operation,
            )
        return data

    def _status_error(
        self, operation: str, response: httpx.Response, request_id: str | None
    ) -> errors.ConnectorError:
        status = response.status_code
        message = None
        try:
            data = json.loads(response.content) if response.content else None
        except ValueError:
            data = None
        if isinstance(data, dict):
            if isinstance(data.get("Message"), str):
                message = data["Message"]
            if not request_id and isinstance(data.get("RequestId"), str):
                request_id = data["RequestId"]
        error_class = errors.error_class_for_status(status)
        if error_class is errors.ConnectorError and not message:
            message = f"Mews returned HTTP status {status}."
        kwargs: dict[str, Any] = {
            "status": status,
            "request_id": request_id,
            "operation": operation,
        }
        if error_class is errors.RateLimitedError:
            kwargs["retry_after"] = parse_retry_after(response.headers.get("Retry-After"))
        return error_class(message, **kwargs)

    def _transport_error(self, operation: str, error: httpx.RequestError) -> errors.TransportError:
        not_sent = isinstance(error, _NOT_SENT_RETRYABLE + _NOT_SENT_FINAL)
        if isinstance(error, httpx.TimeoutException):
            message = "The connection to Mews timed out."
        elif isinstance(error, httpx.DecodingError):
            # The response arrived but could not be decompressed.
            message = "The response from Mews could not be decoded."
        else:
            message = "The connection to Mews failed."
        return errors.TransportError(
            message, may_have_reached_mews=not not_sent, operation=operation
        )
