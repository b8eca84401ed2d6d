import pytest
from django.core.cache import caches
from django.test import override_settings

from orderdesk.connector import RateLimitedError
from orderdesk.connector.ratelimit import SlidingWindowRateLimiter, token_key

LOCMEM = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}


class FakeClock:
    def __init__(self, start=1_000_000.0):
        self.now = start
        self.sleeps = []

    def __call__(self):
        return self.now

    def sleep(self, seconds):
        self.sleeps.append(seconds)
        self.now += seconds


@pytest.fixture
def locmem_cache(settings):
    settings.CACHES = LOCMEM
    caches["default"].clear()
    yield caches["default"]
    caches["default"].clear()


def make_limiter(clock, limit=3, window=10):
    return SlidingWindowRateLimiter(limit=limit, window=window, sleep=clock.sleep, clock=clock)


def test_limiter_allows_up_to_limit(locmem_cache):
    clock = FakeClock()
    limiter = make_limiter(clock)

    waits = [limiter.acquire("token", max_wait=30) for _ in range(3)]

    assert waits == [0.0, 0.0, 0.0]
    assert clock.sleeps == []


def test_limiter_waits_for_oldest_to_leave(locmem_cache):
    clock = FakeClock()
    limiter = make_limiter(clock)
    for _ in range(3):
        limiter.acquire("token", max_wait=30)
        clock.now += 1

    waited = limiter.acquire("token", max_wait=30)

    # Sends at t=0, 1, 2; now t=3, so the first send leaves the window at t=10.
    assert clock.sleeps == [pytest.approx(7.001)]
    assert waited == pytest.approx(7.001)


def test_limiter_raises_when_wait_exceeds_budget(locmem_cache):
    clock = FakeClock()
    limiter = make_limiter(clock)
    for _ in range(3):
        limiter.acquire("token", max_wait=30)

    with pytest.raises(RateLimitedError) as caught:
        limiter.acquire("token", max_wait=5)

    assert caught.value.retry_after == pytest.approx(10.001)
    assert clock.sleeps == []


def test_limiter_counts_tokens_separately(locmem_cache):
    clock = FakeClock()
    limiter = make_limiter(clock)
    for _ in range(3):
        limiter.acquire("token-a", max_wait=0)

    assert limiter.acquire("token-b", max_wait=0) == 0.0


def test_limiter_keys_never_contain_token(locmem_cache):
    clock = FakeClock()
    make_limiter(clock).acquire("very-secret-token", max_wait=0)

    keys = list(locmem_cache._cache)
    assert keys
    assert all("very-secret-token" not in key for key in keys)
    assert any(token_key("very-secret-token") in key for key in keys)


def test_limiter_cache_failure_lets_request_through(settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
        }
    }
    clock = FakeClock()

    assert make_limiter(clock).acquire("token", max_wait=1) == 0.0


def test_limiter_rejects_bad_settings():
    with pytest.raises(ValueError):
        SlidingWindowRateLimiter(limit=0, window=30)


def test_limiter_works_on_database_cache(db):
    clock = FakeClock()
    limiter = make_limiter(clock, limit=2)
    limiter.acquire("db-token", max_wait=0)
    limiter.acquire("db-token", max_wait=0)

    with pytest.raises(RateLimitedError):
        limiter.acquire("db-token", max_wait=0)


def test_token_key_is_keyed_by_secret_key():
    import hashlib

    plain_hash = hashlib.sha256(b"very-secret-token").hexdigest()[:32]

    with override_settings(SECRET_KEY="first-secret-key-for-the-test-0123456789"):
        first = token_key("very-secret-token")
    with override_settings(SECRET_KEY="second-secret-key-for-the-test-012345678"):
        second = token_key("very-secret-token")

    assert first != plain_hash
    assert first != second
