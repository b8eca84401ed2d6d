"""Backoff delays and Retry-After parsing for Connector API retries."""

import math
import random
from collections.abc import Callable
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

# Attempts per call, the first one included.
MAX_ATTEMPTS = 4
BACKOFF_BASE = 0.5
BACKOFF_CAP = 8.0
# A read waits at most this long for one retry; a longer Retry-After raises RateLimitedError.
MAX_READ_RETRY_WAIT = 30.0


def backoff_delay(attempt: int, *, rng: Callable[[], float] = random.random) -> float:
    """Return the wait before retry number `attempt` (1-based): capped, doubling, with jitter.

    The wait is between half and all of min(BACKOFF_CAP, BACKOFF_BASE * 2 ** (attempt - 1)),
    so workers that failed together do not retry together.
    """
    ceiling = min(BACKOFF_CAP, BACKOFF_BASE * 2 ** max(attempt - 1, 0))
    return ceiling / 2 + rng() * ceiling / 2


def parse_retry_after(value: str | None, *, now: datetime | None = None) -> float | None:
    """Read a Retry-After header: seconds (fractions allowed) or an HTTP date.

    Returns the wait in seconds, 0 for a date in the past, and None for a missing or unreadable
    value, so that the caller falls back to backoff. It never raises.
    """
    if value is None:
        return None
    text = value.strip()
    if not text:
        return None
    try:
        seconds = float(text)
    except ValueError:
        pass
    else:
        if math.isfinite(seconds) and seconds >= 0:
            return seconds
        return None
    try:
        moment = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if moment is None:
        return None
    if moment.tzinfo is None:
        # RFC 9110 dates are in GMT.
        moment = moment.replace(tzinfo=UTC)
    reference = now or datetime.now(UTC)
    return max(0.0, (moment - reference).total_seconds())
