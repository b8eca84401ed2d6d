"""A sliding-window request limiter per AccessToken, shared by all processes through the cache.

Mews allows about 200 requests per AccessToken in a sliding 30-second window and returns 429
beyond it (https://mews-systems.gitbook.io/connector-api/guidelines/requests#request-limits).
orderdesk keeps its own, lower limit (settings.CONNECTOR_RATE_LIMIT per
settings.CONNECTOR_RATE_WINDOW seconds) so that several workers never cause a storm of 429s.

The window is an exact log of send times kept in one cache entry per AccessToken. A short lock
taken with `cache.add` serialises the read-modify-write. `add` is atomic on every shared backend
orderdesk supports: Redis uses SET NX, and the database cache relies on the primary key of its
table, so a second INSERT of the same lock key fails.
"""

import hashlib
import hmac
import logging
import math
import time
import uuid
from collections.abc import Callable
from typing import Protocol

from django.conf import settings
from django.core.cache import caches

from orderdesk.connector.errors import RateLimitedError

logger = logging.getLogger(__name__)

KEY_PREFIX = "connector-rate"
# The critical section is a get and a set; a holder that dies frees the lock after this long.
# NOTE: on the database cache, two waiters may both take over an expired lock, so one send can
# go unrecorded after a worker died while holding it.
LOCK_TIMEOUT = 5
LOCK_POLL_INTERVAL = 0.005


def token_key(access_token: str) -> str:
    """Return the cache key part for an AccessToken: a keyed hash, never the token itself.

    The key is SECRET_KEY, so someone who reads the cache cannot test guessed tokens
    (published demo tokens, for example) against the stored names.
    """
    digest = hmac.new(
        settings.SECRET_KEY.encode(), access_token.encode(), hashlib.sha256
    ).hexdigest()
    return digest[:32]


class RateLimiter(Protocol):
    def acquire(self, access_token: str, *, max_wait: float) -> float:
        """Wait for a send slot for the token, at most `max_wait` seconds; return the wait."""


class NoRateLimiter:
    """A limiter that never waits, for tests that count calls against a fake transport."""

    def acquire(self, access_token: str, *, max_wait: float) -> float:
        return 0.0


class SlidingWindowRateLimiter:
    """Allow at most `limit` sends per AccessToken in any `window` seconds, across processes."""

    def __init__(
        self,
        *,
        limit: int | None = None,
        window: float | None = None,
        cache_alias: str = "default",
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.time,
    ):
        self.limit = int(limit if limit is not None else settings.CONNECTOR_RATE_LIMIT)
        self.window = float(window if window is not None else settings.CONNECTOR_RATE_WINDOW)
        if self.limit <= 0 or self.window <= 0:
            raise ValueError("The rate limit and its window must be positive.")
        self.cache_alias = cache_alias
        self.sleep = sleep
        self.clock = clock

    @property
    def cache(self):
        return caches[self.cache_alias]

    def acquire(self, access_token: str, *, max_wait: float) -> float:
        """Take one send slot for the token, waiting up to `max_wait` seconds for one.

        Returns the seconds waited. Raises RateLimitedError, without waiting, when the next
        free slot is further away than the remaining budget. A cache that fails is logged and
        lets the request through: Mews' own 429 then still protects the account.
        """
        key = token_key(access_token)
        started = self.clock()
        while True:
            try:
                wait = self._try_acquire(key, deadline=started + max_wait)
            except RateLimitedError:
                raise
            except Exception as error:
                # Cache backends raise their own error types (database, Redis, socket).
                logger.warning(
                    "Request limiter cache failed (%s: %s); sending without a local limit",
                    type(error).__name__,
                    error,
                )
                return self.clock() - started
            if wait <= 0:
                return self.clock() - started
            remaining = started + max_wait - self.clock()
            if wait > remaining:
                logger.warning(
                    "Request limit for an AccessToken reached; the next slot is %.1f s away", wait
                )
                raise RateLimitedError(
                    "orderdesk's own request limit for this property is reached.",
                    status=429,
                    retry_after=wait,
                )
            self.sleep(wait)

    def _try_acquire(self, key: str, *, deadline: float) -> float:
        """Record a send now if the window has room and return 0, else return the wait."""
        lock_key = f"{KEY_PREFIX}:{key}:lock"
        log_key = f"{KEY_PREFIX}:{key}:log"
        owner = uuid.uuid4().hex
        cache = self.cache

        while not cache.add(lock_key, owner, timeout=LOCK_TIMEOUT):
            if self.clock() > deadline:
                raise RateLimitedError(
                    "orderdesk's request limiter is busy for this property.", status=429
                )
            # A real pause even when `sleep` is faked: another process holds the lock briefly.
            time.sleep(LOCK_POLL_INTERVAL)
        try:
            now = self.clock()
            sent = [t for t in cache.get(log_key, []) if t > now - self.window]
            if len(sent) >= self.limit:
                # The oldest send inside the window frees the next slot when it leaves it.
                oldest = sorted(sent)[len(sent) - self.limit]
                return oldest + self.window - now + 0.001
            sent.append(now)
            # Whole seconds and a margin: the database cache truncates expiry times to seconds.
            cache.set(log_key, sent, timeout=math.ceil(self.window) + 2)
            return 0.0
        finally:
            if cache.get(lock_key) == owner:
                cache.delete(lock_key)
