"""Errors raised by the Connector API client.

Every error carries the HTTP status (None when no response arrived), the Mews `Message` and the
Mews `Request-Id`. None of them ever contains a request body or a token, so they are safe to log
and to show. Status meanings: https://mews-systems.gitbook.io/connector-api/guidelines/responses
"""


class ConnectorError(Exception):
    """A Connector API call failed; the base of every client error."""

    default_message = "The Connector API call failed."

    def __init__(
        self,
        message: str | None = None,
        *,
        status: int | None = None,
        request_id: str | None = None,
        operation: str | None = None,
    ):
        self.message = message or self.default_message
        self.status = status
        self.request_id = request_id
        self.operation = operation
        super().__init__(self.message)

    def __str__(self) -> str:
        details = []
        if self.operation:
            details.append(self.operation)
        if self.status is not None:
            details.append(f"status {self.status}")
        if self.request_id:
            details.append(f"Request-Id {self.request_id}")
        if not details:
            return self.message
        return f"{self.message} ({', '.join(details)})"

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(status={self.status!r}, message={self.message!r}, "
            f"request_id={self.request_id!r}, operation={self.operation!r})"
        )


class InvalidRequestError(ConnectorError):
    """400: Mews rejected the request as malformed, which is a bug in orderdesk."""

    default_message = "Mews rejected the request as invalid."


class UnauthorizedError(ConnectorError):
    """401: the ClientToken or AccessToken is invalid, expired or lacks the permission."""

    default_message = "Mews did not accept the connection's tokens."


class RuleViolationError(ConnectorError):
    """403: a Mews business rule rejected the request; the message is meant for the user."""

    default_message = "Mews rejected the request because of a business rule."


class NotFoundError(ConnectorError):
    """404: the operation address does not exist, usually a wrong platform address."""

    default_message = "The Connector API address was not found."


class RequestTimeoutError(ConnectorError):
    """408: Mews gave up preparing the response because the request was too heavy."""

    default_message = "Mews timed out while processing the request."


class ConflictError(ConnectorError):
    """409: the data changed in Mews while the request was processed."""

    default_message = "The data changed in Mews; reload it and try again."


class PayloadTooLargeError(ConnectorError):
    """413: the request body is too large."""

    default_message = "The request sent to Mews was too large."


class RateLimitedError(ConnectorError):
    """429, or orderdesk's own limiter is full: too many requests for one AccessToken.

    `retry_after` is the wait in seconds that Mews asked for, or None when unknown.
    """

    default_message = "Too many requests were sent to Mews for this property."

    def __init__(self, message: str | None = None, *, retry_after: float | None = None, **kw):
        super().__init__(message, **kw)
        self.retry_after = retry_after

    def __repr__(self) -> str:
        return f"{super().__repr__()[:-1]}, retry_after={self.retry_after!r})"


class ServerError(ConnectorError):
    """5xx: an unexpected error inside Mews."""

    default_message = "Mews had an internal error."


class InvalidResponseError(ConnectorError):
    """Mews returned a body that is not the JSON the operation documents."""

    default_message = "Mews returned a response that orderdesk cannot read."


class PaginationLimitError(ConnectorError):
    """A paginated read went past the client's page cap; no partial result is returned."""

    default_message = "Mews returned more pages than orderdesk reads in one call."


class TransportError(ConnectorError):
    """No HTTP response arrived: the connection failed, timed out or was cut.

    `may_have_reached_mews` is False only when the request provably never left orderdesk
    (connection refused, connect or pool timeout). When it is True, a write such as
    orders/add may have been carried out, and its outcome must be read back.
    """

    default_message = "The connection to Mews failed."

    def __init__(self, message: str | None = None, *, may_have_reached_mews: bool, **kw):
        super().__init__(message, **kw)
        self.may_have_reached_mews = may_have_reached_mews

    def __repr__(self) -> str:
        return f"{super().__repr__()[:-1]}, may_have_reached_mews={self.may_have_reached_mews!r})"


ERRORS_BY_STATUS: dict[int, type[ConnectorError]] = {
    400: InvalidRequestError,
    401: UnauthorizedError,
    403: RuleViolationError,
    404: NotFoundError,
    408: RequestTimeoutError,
    409: ConflictError,
    413: PayloadTooLargeError,
    429: RateLimitedError,
}


def error_class_for_status(status: int) -> type[ConnectorError]:
    """Return the error class for an HTTP error status; unknown 4xx map to ConnectorError."""
    if status >= 500:
        return ServerError
    return ERRORS_BY_STATUS.get(status, ConnectorError)
