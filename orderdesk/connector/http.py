"""Pooled httpx clients, one per process and platform address, and operation addresses.

Tests and the demo reach the in-process sandbox by registering a transport for a platform
address: `get_http_client` then builds the pooled client on that transport.
"""

import logging
import os
import threading

import httpx
from django.conf import settings

import orderdesk

logger = logging.getLogger(__name__)

API_PATH = "/api/connector/v1"

_lock = threading.Lock()
_clients: dict[str, httpx.Client] = {}
_transports: dict[str, httpx.BaseTransport] = {}
_owner_pid = os.getpid()


def normalize_platform_address(platform_address: str) -> str:
    """Return the platform address without trailing slashes or a pasted /api/connector/v1."""
    address = platform_address.strip().rstrip("/")
    while address.lower().endswith(API_PATH):
        address = address[: -len(API_PATH)].rstrip("/")
    if not address:
        raise ValueError("The platform address is empty.")
    return address


def build_operation_url(platform_address: str, operation: str) -> str:
    """Build `{PlatformAddress}/api/connector/v1/{resource}/{action}` exactly.

    Mews returns 404 for any other case or to a trailing slash, so `operation` is used as given.
    """
    return f"{normalize_platform_address(platform_address)}{API_PATH}/{operation.strip('/')}"


def connector_timeout() -> httpx.Timeout:
    """Return the timeouts: a short connect and pool wait, a long read for slow operations."""
    connect = float(settings.CONNECTOR_CONNECT_TIMEOUT)
    read = float(settings.CONNECTOR_READ_TIMEOUT)
    return httpx.Timeout(connect=connect, read=read, write=read, pool=connect)


def _reset_after_fork() -> None:
    # A pooled connection inherited through fork would be shared by two processes.
    global _owner_pid
    if os.getpid() != _owner_pid:
        _clients.clear()
        _owner_pid = os.getpid()


def get_http_client(platform_address: str) -> httpx.Client:
    """Return this process's pooled httpx client for a platform address, creating it once."""
    key = normalize_platform_address(platform_address)
    with _lock:
        _reset_after_fork()
        client = _clients.get(key)
        if client is None:
            client = httpx.Client(
                transport=_transports.get(key),
                timeout=connector_timeout(),
                headers={
                    "Content-Type": "application/json",
                    "Accept": "application/json",
                    "User-Agent": f"orderdesk/{orderdesk.__version__}",
                },
                follow_redirects=False,
            )
            _clients[key] = client
        return client


def register_transport(platform_address: str, transport: httpx.BaseTransport) -> None:
    """Make the pooled client for `platform_address` send through `transport` from now on."""
    key = normalize_platform_address(platform_address)
    with _lock:
        _transports[key] = transport
        _close_client(key)


def unregister_transport(platform_address: str) -> None:
    """Undo `register_transport`: the address goes back to the network transport."""
    key = normalize_platform_address(platform_address)
    with _lock:
        _transports.pop(key, None)
        _close_client(key)


def close_http_clients() -> None:
    """Close every pooled client of this process."""
    with _lock:
        for key in list(_clients):
            _close_client(key)


def _close_client(key: str) -> None:
    client = _clients.pop(key, None)
    if client is not None:
        client.close()
