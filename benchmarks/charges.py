"""Measure the charge form and posting against the in-process Connector API sandbox.

Run with `python benchmarks/charges.py`. It prints:
- Connector API calls per warm form render and per posted charge, counted by the sandbox;
- the median time of a whole post through the app (Django test Client, form to result
  redirect) next to the median of a direct orders/add call on the same sandbox;
- the median time of a warm form render.
Targets: 0 calls per warm render, 1 call per posted charge, app overhead under 25 ms per post,
warm render under 50 ms. The database is a temporary SQLite file and the cache is in memory, so
the figures leave out network and database server latency.
"""

import os
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROUNDS = 30
WARM_UP = 3

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
_database = Path(tempfile.mkdtemp(prefix="orderdesk-bench-")) / "bench.sqlite3"
os.environ["DJANGO_SETTINGS_MODULE"] = "orderdesk.settings"
# Production-like: DEBUG off, so templates are cached and no query log grows. Demo mode derives
# the token key, and the production static storage reads files collected into a temporary folder.
os.environ["DEBUG"] = "0"
os.environ["ORDERDESK_DEMO"] = "1"
os.environ.setdefault("SECURE_HTTPS", "0")
os.environ["STATIC_ROOT"] = str(Path(tempfile.mkdtemp(prefix="orderdesk-bench-static-")))
os.environ.setdefault("SECRET_KEY", "benchmark-only-secret-key")
os.environ["DATABASE_URL"] = f"sqlite:///{_database}"
os.environ["CACHE_URL"] = "locmemcache://"
os.environ["ALLOWED_HOSTS"] = "testserver"
os.environ.setdefault("LOG_LEVEL", "WARNING")

import django  # noqa: E402

django.setup()

from django.contrib.auth.models import Group, User  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import override_settings  # noqa: E402
from django.urls import reverse  # noqa: E402

from orderdesk.charges import accounts  # noqa: E402
from orderdesk.charges.catalogue import get_catalogue  # noqa: E402
from orderdesk.connections.models import Connection, Property  # noqa: E402
from orderdesk.connections.services import connector_client  # noqa: E402
from orderdesk.connector.http import register_transport  # noqa: E402
from orderdesk.core.roles import FRONT_DESK  # noqa: E402
from orderdesk.sandbox import SandboxTransport, create_app, seed  # noqa: E402

SANDBOX_ADDRESS = "http://sandbox.bench"


def total_calls(sandbox) -> int:
    return sum(sandbox.request_counts.values())


def median_ms(samples: list[float]) -> float:
    return statistics.median(samples) * 1000


def set_up():
    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    sandbox = create_app()
    register_transport(SANDBOX_ADDRESS, SandboxTransport(sandbox))
    connection = Connection.objects.create(
        name="Sandbox", platform_address=SANDBOX_ADDRESS, client_token=seed.CLIENT_TOKEN
    )
    property = Property.objects.create(
        name="Sandbox London", connection=connection, access_token=seed.GROSS_ACCESS_TOKEN
    )
    user = User.objects.create_user("bench-front-desk")
    user.groups.add(Group.objects.get(name=FRONT_DESK))
    property.users.add(user)
    client = Client()
    client.force_login(user)
    return sandbox, property, user, client


def charge_data(property, account) -> dict:
    return {
        "property": str(property.pk),
        "submission_key": str(uuid.uuid4()),
        "service_id": seed.GROSS_RESTAURANT_SERVICE_ID,
        "account_id": account.id,
        "account_type": account.type,
        "account_name": account.name,
        "products-TOTAL_FORMS": "1",
        "products-INITIAL_FORMS": "0",
        "products-0-product_id": seed.GROSS_SANDWICH_PRODUCT_ID,
        "products-0-count": "1",
        "items-TOTAL_FORMS": "1",
        "items-INITIAL_FORMS": "0",
        "items-0-name": "Flowers",
        "items-0-unit_count": "1",
        "items-0-unit_price": "12.50",
        "items-0-currency": "GBP",
        "items-0-tax_codes": seed.GROSS_STANDARD_TAX_CODE,
        "items-0-accounting_category_id": seed.GROSS_FOOD_ACCOUNTING_CATEGORY_ID,
    }


def direct_body(account) -> dict:
    return {
        "ServiceId": seed.GROSS_RESTAURANT_SERVICE_ID,
        "AccountId": account.id,
        "ProductOrders": [
            {
                "ProductId": seed.GROSS_SANDWICH_PRODUCT_ID,
                "Count": 1,
                "ExternalIdentifier": f"bench-{uuid.uuid4().hex}",
            }
        ],
    }


def main() -> None:
    sandbox, property, user, client = set_up()
    new_url = reverse("charges:new")

    # Warm the catalogue and the account look-up as staff would: render once, then search.
    client.get(new_url)
    catalogue = get_catalogue(property)
    found = accounts.search_accounts(
        property=property, query=seed.GROSS_IN_HOUSE_ROOM, kind=accounts.SEARCH_BY_ROOM
    )
    account = next(a for a in found if not a.is_cashlist)

    render_times = []
    before = total_calls(sandbox)
    for _ in range(ROUNDS):
        started = time.perf_counter()
        response = client.get(new_url)
        render_times.append(time.perf_counter() - started)
        assert response.status_code == 200, response.status_code
    calls_per_render = (total_calls(sandbox) - before) / ROUNDS

    post_times = []
    post_calls = []
    for round_number in range(ROUNDS + WARM_UP):
        data = charge_data(property, account)
        before = total_calls(sandbox)
        started = time.perf_counter()
        response = client.post(new_url, data)
        elapsed = time.perf_counter() - started
        assert response.status_code == 303, response.content.decode()[:2000]
        if round_number >= WARM_UP:
            post_times.append(elapsed)
            post_calls.append(total_calls(sandbox) - before)

    mews = connector_client(property)
    direct_times = []
    for round_number in range(ROUNDS + WARM_UP):
        started = time.perf_counter()
        mews.add_order(direct_body(account))
        if round_number >= WARM_UP:
            direct_times.append(time.perf_counter() - started)

    app_post = median_ms(post_times)
    direct_post = median_ms(direct_times)
    print(f"Catalogue: {len(catalogue.products)} products, pricing {catalogue.pricing}")
    print(f"Rounds per figure:                {ROUNDS}")
    print(f"Connector API calls, warm render: {calls_per_render:.2f}  (target 0)")
    print(f"Connector API calls per post:     {statistics.mean(post_calls):.2f}  (target 1)")
    print(f"Median post through the app:      {app_post:.1f} ms")
    print(f"Median direct orders/add:         {direct_post:.1f} ms")
    print(f"App overhead per post:            {app_post - direct_post:.1f} ms  (target < 25)")
    print(f"Median warm form render:          {median_ms(render_times):.1f} ms  (target < 50)")


if __name__ == "__main__":
    with override_settings(
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
        SECURE_SSL_REDIRECT=False,
    ):
        main()
