"""The sandbox WSGI application: the Connector API protocol over in-memory hotel data.

API requests go to `/api/connector/v1/{resource}/{action}` exactly as on Mews. Control endpoints
for tests and demos live under `/_sandbox/` and never under `/api/`.
"""

import json
import logging
import math
import threading
import time
import uuid
from collections import Counter, defaultdict, deque
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from orderdesk.sandbox import operations, orders, seed
from orderdesk.sandbox.context import Context
from orderdesk.sandbox.state import Faults, SandboxState
from orderdesk.sandbox.validation import SandboxError

logger = logging.getLogger(__name__)

API_PREFIX = "/api/connector/v1/"
CONTROL_PREFIX = "/_sandbox/"
# A response carrying this header is dropped by SandboxTransport or the sandbox server.
DROP_HEADER = "X-Sandbox-Drop-Response"
# The limit Mews documents per AccessToken: 200 requests in a sliding 30-second window.
RATE_LIMIT = 200
RATE_WINDOW = 30.0

OPERATIONS: dict[str, Callable[[Context], dict]] = {
    "configuration/get": operations.get_configuration,
    "enterprises/getAll": operations.get_enterprises,
    "services/getAll": operations.get_services,
    "products/getAll": operations.get_products,
    "accountingCategories/getAll": operations.get_accounting_categories,
    "businessSegments/getAll": operations.get_business_segments,
    "taxEnvironments/getAll": operations.get_tax_environments,
    "taxations/getAll": operations.get_taxations,
    "currencies/getAll": operations.get_currencies,
    "customers/search": operations.search_customers,
    "customers/getAll": operations.get_customers,
    "companies/getAll": operations.get_companies,
    "resources/getAll": operations.get_resources,
    "bills/getAll": operations.get_bills,
    "reservations/getAll/2023-06-06": operations.get_reservations,
    "orders/add": orders.add_order,
    "orderItems/getAll": orders.get_order_items,
}

STATUS_TEXT = {
    200: "OK",
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not Found",
    405: "Method Not Allowed",
    408: "Request Timeout",
    409: "Conflict",
    413: "Content Too Large",
    429: "Too Many Requests",
    500: "Internal Server Error",
    502: "Bad Gateway",
    503: "Service Unavailable",
    504: "Gateway Timeout",
}


def _json_default(value: Any) -> Any:
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    raise TypeError(f"{type(value).__name__} is not JSON serializable")


def to_json(data: Any) -> bytes:
    return json.dumps(data, default=_json_default).encode()


class SandboxApp:
    """A WSGI application that behaves like the Connector API for two seeded hotels.

    `state` contains the records and created orders, `faults` the injected failures, and
    `request_counts` the number of API calls per operation.
    """

    def __init__(
        self,
        *,
        clock: Callable[[], datetime] | None = None,
        sleep: Callable[[float], None] = time.sleep,
        monotonic: Callable[[], float] = time.monotonic,
    ):
        self.clock = clock or (lambda: datetime.now(UTC))
        self.sleep = sleep
        self.monotonic = monotonic
        self.rate_limit = RATE_LIMIT
        self.rate_window = RATE_WINDOW
        self.faults = Faults(OPERATIONS)
        self._lock = threading.RLock()
        self.reset()

    def reset(self) -> None:
        """Restore the seed data and forget orders, faults, counts and rate windows."""
        with self._lock:
            self.state = SandboxState(self.clock())
            self.faults.clear()
            self.request_counts: Counter[str] = Counter()
            self._sent: dict[str, deque[float]] = defaultdict(deque)

    # WSGI -------------------------------------------------------------------------------------

    def __call__(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        request_id = str(uuid.uuid4())
        method = environ.get("REQUEST_METHOD", "GET")
        path = environ.get("PATH_INFO", "")
        try:
            if path.startswith(CONTROL_PREFIX):
                status, body, headers = self._control(method, path[len(CONTROL_PREFIX) :], environ)
            else:
                status, body, headers = self._api(method, path, environ, request_id)
        except SandboxError as error:
            status, headers = error.status, error.headers
            body = {"Message": error.message, "RequestId": request_id}
        except Exception:
            logger.exception("Sandbox request %s to %s failed", request_id, path)
            status, headers = 500, {}
            body = {"Message": "The sandbox had an internal error.", "RequestId": request_id}

        content = to_json(body)
        response_headers = [
            ("Content-Type", "application/json; charset=utf-8"),
            ("Content-Length", str(len(content))),
            ("Request-Id", request_id),
            *headers.items(),
        ]
        start_response(f"{status} {STATUS_TEXT.get(status, 'Error')}", response_headers)
        return [content]

    def _api(self, method: str, path: str, environ: dict, request_id: str):
        operation = path[len(API_PREFIX) :] if path.startswith(API_PREFIX) else None
        # Mews matches the address exactly: case, no trailing slash, POST only.
        if operation not in OPERATIONS or method != "POST":
            raise SandboxError(404, "The requested address was not found.")
        with self._lock:
            self.request_counts[operation] += 1

        latency = self.faults.latency(operation)
        if latency:
            self.sleep(latency)
        failure = self.faults.take_failure(operation)
        if failure:
            headers = {"Retry-After": "1"} if failure == 429 else {}
            raise SandboxError(failure, f"Sandbox fault injected for {operation}.", headers)

        body = self._read_json(environ)
        access_token = self._authenticate(body)
        self._count_request(access_token)

        with self._lock:
            context = Context(
                state=self.state, body=body, access_token=access_token, now=self.clock()
            )
            data = OPERATIONS[operation](context)
        headers = {DROP_HEADER: "1"} if self.faults.take_drop(operation) else {}
        return 200, data, headers

    def _read_json(self, environ: dict) -> dict:
        try:
            length = int(environ.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        raw = environ["wsgi.input"].read(length) if length > 0 else b""
        try:
            body = json.loads(raw, parse_float=Decimal)
        except (ValueError, UnicodeDecodeError):
            raise SandboxError(400, "Invalid JSON.") from None
        if not isinstance(body, dict):
            raise SandboxError(400, "Invalid JSON. The body must be a JSON object.")
        return body

    def _authenticate(self, body: dict) -> str:
        client_token = body.get("ClientToken")
        access_token = body.get("AccessToken")
        if client_token != seed.CLIENT_TOKEN or access_token not in seed.TOKEN_SCOPES:
            raise SandboxError(401, "The ClientToken or AccessToken is invalid or has expired.")
        client = body.get("Client")
        if not isinstance(client, str) or not client.strip():
            raise SandboxError(400, "Invalid Client. The parameter is required.")
        return access_token

    def _count_request(self, access_token: str) -> None:
        """Apply the sliding-window request limit per AccessToken, returning 429 beyond it."""
        with self._lock:
            now = self.monotonic()
            sent = self._sent[access_token]
            while sent and sent[0] <= now - self.rate_window:
                sent.popleft()
            if len(sent) >= self.rate_limit:
                wait = max(1, math.ceil(sent[0] + self.rate_window - now))
                raise SandboxError(
                    429,
                    "Too many requests for this AccessToken. Try again later.",
                    {"Retry-After": str(wait)},
                )
            sent.append(now)

    # Control endpoints ------------------------------------------------------------------------

    def _control(self, method: str, action: str, environ: dict):
        if action == "reset" and method == "POST":
            self.reset()
            return 200, {"reset": True}, {}
        if action == "faults" and method == "POST":
            return 200, {"faults": self._set_faults(self._read_json(environ))}, {}
        if action == "faults" and method == "GET":
            return 200, {"faults": self.faults.as_dict()}, {}
        if action == "orders" and method == "GET":
            with self._lock:
                return 200, {"orders": list(self.state.orders)}, {}
        if action == "stats" and method == "GET":
            with self._lock:
                stats = {
                    "request_counts": dict(self.request_counts),
                    "orders": len(self.state.orders),
                    "order_items": len(self.state.order_items),
                }
            return 200, stats, {}
        raise SandboxError(404, "Unknown sandbox control endpoint.")

    def _set_faults(self, body: dict) -> dict:
        if body.get("clear"):
            self.faults.clear()
            return self.faults.as_dict()
        try:
            self.faults.inject(
                str(body.get("operation")),
                latency_ms=int(body.get("latency_ms") or 0),
                fail_status=body.get("fail_status"),
                fail_count=int(body.get("fail_count") or 0),
                commit_then_drop=int(body.get("commit_then_drop") or 0),
            )
        except (TypeError, ValueError) as error:
            raise SandboxError(400, f"Invalid fault: {error}") from None
        return self.faults.as_dict()


def create_app(**kwargs: Any) -> SandboxApp:
    """Build a sandbox with fresh seed data."""
    return SandboxApp(**kwargs)
