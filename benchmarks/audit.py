"""Benchmark the audit history on PostgreSQL with a million generated submissions.

Run as `python benchmarks/audit.py`. DATABASE_URL selects the database; by default it is
`orderdesk_bench` on 127.0.0.1, which is created and migrated when missing. Submissions are
generated only up to --count, so a second run reuses the rows of the first.

Measures the list page (median and 95th percentile over --repeat requests per filter) and a
full CSV export (rows per second and peak resident memory of a process that does only that).
"""

import argparse
import json
import os
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode, urlsplit

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/orderdesk_bench"
BENCH_MANAGER = "bench-manager"

# Settings of a production-like process: DEBUG off, so no query log grows in memory. Demo mode
# lets generate_submissions run, and nothing here talks to the Connector API.
os.environ.setdefault("DATABASE_URL", DEFAULT_DATABASE_URL)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "orderdesk.settings")
os.environ.setdefault("SECRET_KEY", "benchmark-only-secret-key")
os.environ.setdefault("ALLOWED_HOSTS", "testserver")
os.environ.setdefault("SECURE_HTTPS", "0")
os.environ.setdefault("LOG_LEVEL", "WARNING")
# The production static storage needs collected files with a manifest, which go here.
os.environ.setdefault("STATIC_ROOT", str(Path(tempfile.gettempdir()) / "orderdesk-bench-static"))
os.environ["DEBUG"] = "0"
os.environ["ORDERDESK_DEMO"] = "1"
sys.path.insert(0, str(ROOT))


def create_database(url: str) -> None:
    """Create the database named in `url` on its server when it does not exist yet."""
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    server = parts._replace(path="/postgres").geturl()
    with psycopg.connect(server, autocommit=True) as connection:
        exists = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [name]
        ).fetchone()
        if not exists:
            print(f"Creating database {name}")
            connection.execute(f'CREATE DATABASE "{name}"')


def prepare(count: int) -> None:
    from django.core.management import call_command
    from django.db import connection

    from orderdesk.audit.generation import generate_submissions
    from orderdesk.charges.models import Submission

    call_command("migrate", verbosity=0)
    call_command("collectstatic", verbosity=0, interactive=False)
    existing = Submission.objects.count()
    if existing < count:
        missing = count - existing
        print(f"Generating {missing} submissions ({existing} exist)")
        started = time.perf_counter()
        generate_submissions(count=missing, seed=existing + 1)
        elapsed = time.perf_counter() - started
        print(f"Generated {missing} in {elapsed:.0f} s ({missing / elapsed:,.0f} per second)")
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE charges_submission")
            cursor.execute("VACUUM ANALYZE charges_submissionevent")
    else:
        print(f"Reusing {existing} submissions")


def manager_client():
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.test import Client

    from orderdesk.core.roles import MANAGER

    user, _ = get_user_model().objects.get_or_create(username=BENCH_MANAGER)
    user.groups.add(Group.objects.get(name=MANAGER))
    client = Client()
    client.force_login(user)
    return client


def list_scenarios() -> dict[str, dict[str, str]]:
    from datetime import timedelta

    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from orderdesk.audit.generation import STAFF_USERNAME_PREFIX
    from orderdesk.charges.models import Submission, SubmissionStatus

    staff = get_user_model().objects.get(username=f"{STAFF_USERNAME_PREFIX}007")
    middle = Submission.objects.filter(status=SubmissionStatus.POSTED).order_by("id")
    order_id = middle.filter(id__gte=Submission.objects.count() // 2).first().order_id
    week_ago = (timezone.now() - timedelta(days=7)).date().isoformat()
    return {
        "newest, no filter": {},
        "last 7 days": {"created_after": week_ago},
        "one user": {"user": str(staff.pk)},
        "one status (unknown)": {"status": SubmissionStatus.UNKNOWN},
        "one OrderId": {"reference": order_id},
        "account name contains": {"account": "dvořák"},
        "one user, page 2": {"user": str(staff.pk), "page": "2"},
    }


def count_rows(html: str) -> int:
    return len(re.findall(r'<td><a href="/audit/\d+/">', html))


def time_list(client, params: dict[str, str], repeat: int) -> list[float]:
    params = dict(params)
    if params.pop("page", None):
        # Follow the "Older" link of the first page, as a person paging would.
        first = client.get("/audit/", params).content.decode()
        params["after"] = re.search(r'rel="next" href="[^"]*after=([^"&]+)', first).group(1)
    url = "/audit/?" + urlencode(params)
    for _ in range(3):
        assert client.get(url).status_code == 200
    timings = []
    for _ in range(repeat):
        started = time.perf_counter()
        response = client.get(url)
        timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200
    return timings


def measure_export() -> dict[str, float]:
    """Export every submission through the view and report rows/s and peak RSS."""
    client = manager_client()
    started = time.perf_counter()
    response = client.get("/audit/export/")
    assert response.status_code == 200
    size = 0
    lines = 0
    for chunk in response.streaming_content:
        size += len(chunk)
        lines += chunk.count(b"\n")
    elapsed = time.perf_counter() - started
    rows = lines - 1
    # ru_maxrss is in kilobytes on Linux.
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {
        "rows": rows,
        "seconds": elapsed,
        "rows_per_second": rows / elapsed,
        "megabytes": size / 1e6,
        "peak_rss_mb": peak_mb,
    }


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--count",
        type=int,
        default=1_000_000,
        help="Submissions the database must hold; missing ones are generated.",
    )
    parser.add_argument("--repeat", type=int, default=50, help="Requests per list filter.")
    parser.add_argument("--skip-export", action="store_true", help="Measure the list only.")
    parser.add_argument("--export-only", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()

    import django

    if args.export_only:
        django.setup()
        print(json.dumps(measure_export()))
        return

    create_database(os.environ["DATABASE_URL"])
    django.setup()
    prepare(args.count)

    client = manager_client()
    print(f"\nList page, {args.repeat} requests each (ms)")
    print(f"{'filter':<26}{'median':>10}{'p95':>10}{'rows':>8}")
    for name, params in list_scenarios().items():
        timings = time_list(client, params, args.repeat)
        row_count = count_rows(client.get("/audit/", params).content.decode())
        median = statistics.median(timings)
        p95 = percentile(timings, 0.95)
        print(f"{name:<26}{median:>10.1f}{p95:>10.1f}{row_count:>8}")

    if args.skip_export:
        return
    # A separate process, so its peak memory is that of the export alone.
    output = subprocess.run(
        [sys.executable, __file__, "--export-only"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    result = json.loads(output.strip().splitlines()[-1])
    print("\nFull CSV export")
    print(
        f"{result['rows']:,} rows in {result['seconds']:.1f} s: "
        f"{result['rows_per_second']:,.0f} rows/s, {result['megabytes']:.0f} MB, "
        f"peak RSS {result['peak_rss_mb']:.0f} MB"
    )


if __name__ == "__main__":
    main()
