"""A worker process for the multi-process rate limiter test (started with `spawn`)."""

import os
import time


def acquire_many(environment, limit, window, count):
    """Set up Django with the given environment, take `count` slots and return their times."""
    os.environ.update(environment)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "orderdesk.settings")
    import django

    django.setup()
    from orderdesk.connector.ratelimit import SlidingWindowRateLimiter

    limiter = SlidingWindowRateLimiter(limit=limit, window=window)
    times = []
    for _ in range(count):
        limiter.acquire("token-shared-by-workers", max_wait=window * 20)
        times.append(time.time())
    return times


def create_cache_table(environment):
    os.environ.update(environment)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "orderdesk.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("createcachetable", verbosity=0)
