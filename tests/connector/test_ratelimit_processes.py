"""Several processes share one limiter through the cache and stay under the limit together."""

import multiprocessing
import uuid

import psycopg
import pytest
import redis

from tests.connector import limiter_worker

LIMIT = 5
WINDOW = 1.5
# A worker records its time just after the limiter records its own. On two busy cores that gap
# reaches tenths of a second, so the check counts sends in a window this much shorter.
SCHEDULING_ALLOWANCE = 0.3
WORKERS = 3
PER_WORKER = 4
BASE_ENVIRONMENT = {
    "SECRET_KEY": "test-secret-key-not-for-production",
    "ORDERDESK_FERNET_KEYS": "5Gm2hQ0G8C6n6fZ7yV6p3bV5rQpKx0bqg1z3w9l2m4E=",
    "CACHE_URL": "",
    "REDIS_URL": "",
    "LOG_LEVEL": "WARNING",
}


def _max_in_window(times, window):
    times = sorted(times)
    best = 0
    start = 0
    for end, moment in enumerate(times):
        while moment - times[start] >= window:
            start += 1
        best = max(best, end - start + 1)
    return best


def _run_workers(environment, *, create_cache_table=False):
    context = multiprocessing.get_context("spawn")
    with context.Pool(WORKERS) as pool:
        if create_cache_table:
            pool.apply(limiter_worker.create_cache_table, (environment,))
        results = [
            pool.apply_async(limiter_worker.acquire_many, (environment, LIMIT, WINDOW, PER_WORKER))
            for _ in range(WORKERS)
        ]
        return [moment for result in results for moment in result.get(timeout=60)]


@pytest.fixture
def redis_environment():
    database = 14
    client = redis.Redis(host="127.0.0.1", port=6379, db=database)
    try:
        client.ping()
    except redis.ConnectionError:
        pytest.skip("Redis at 127.0.0.1:6379 is not reachable.")
    client.flushdb()
    yield {**BASE_ENVIRONMENT, "CACHE_URL": f"redis://127.0.0.1:6379/{database}"}
    client.flushdb()


@pytest.fixture
def postgres_environment():
    name = f"orderdesk_limiter_{uuid.uuid4().hex[:8]}"
    try:
        admin = psycopg.connect("host=127.0.0.1 user=postgres dbname=postgres", autocommit=True)
    except psycopg.OperationalError:
        pytest.skip("PostgreSQL at 127.0.0.1:5432 is not reachable.")
    admin.execute(f'CREATE DATABASE "{name}"')
    environment = {
        **BASE_ENVIRONMENT,
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{name}",
    }
    yield environment
    admin.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
    admin.close()


@pytest.mark.redis
def test_limiter_processes_share_redis(redis_environment):
    times = _run_workers(redis_environment)

    assert len(times) == WORKERS * PER_WORKER
    assert _max_in_window(times, WINDOW - SCHEDULING_ALLOWANCE) <= LIMIT


@pytest.mark.postgres
def test_limiter_processes_share_database_cache(postgres_environment):
    times = _run_workers(postgres_environment, create_cache_table=True)

    assert len(times) == WORKERS * PER_WORKER
    assert _max_in_window(times, WINDOW - SCHEDULING_ALLOWANCE) <= LIMIT
