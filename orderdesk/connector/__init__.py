"""Connector API client: the only package in orderdesk that speaks HTTP to Mews."""

from orderdesk.connector.client import ConnectorClient
from orderdesk.connector.errors import (
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

__all__ = [
    "ConflictError",
    "ConnectorClient",
    "ConnectorError",
    "InvalidRequestError",
    "InvalidResponseError",
    "NotFoundError",
    "PaginationLimitError",
    "PayloadTooLargeError",
    "RateLimitedError",
    "RequestTimeoutError",
    "RuleViolationError",
    "ServerError",
    "TransportError",
    "UnauthorizedError",
]
