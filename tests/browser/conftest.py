"""Browser tests: Debian's Chromium drives the app on a live server against a sandbox process.

One Chromium runs for the whole package and every test gets a new browser context. The app
runs on pytest-django's live server and reaches the Connector API sandbox, a `manage.py
runsandbox` process on a free loopback port, over real HTTP. Each test starts from the seed
data: the sandbox is reset and the database is rolled back to its migrated state.
"""

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from django.apps import apps
from django.contrib.auth.models import Group, Permission
from django.core.cache import cache
from django.core.servers.basehttp import WSGIServer
from django.test.testcases import LiveServerThread, QuietWSGIRequestHandler
from pytest_django.live_server_helper import LiveServer

from orderdesk.connections.models import Connection, Property
from orderdesk.core.roles import ROLE_PERMISSIONS
from tests.browser import pages

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# Generous, because CI runs the suite on two shared cores.
TIMEOUT_MS = 15_000
SANDBOX_START_TIMEOUT = 30.0
MANAGE_PY = Path(__file__).resolve().parents[2] / "manage.py"
ARTIFACTS = Path("test-results") / "browser"

# Naming every app as available makes the flush after each test skip post_migrate, so it
# leaves the tables empty as serialised-rollback tests that run later expect. Content types and
# permissions are recreated before each test instead.
BROWSER_MARKS = [
    pytest.mark.browser,
    pytest.mark.django_db(
        transaction=True, available_apps=[app.name for app in apps.get_app_configs()]
    ),
]


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    """Keep each phase's report on the test item, so fixtures can tell that the test failed."""
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_for_sandbox(process: subprocess.Popen, address: str) -> None:
    deadline = time.monotonic() + SANDBOX_START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            output = process.stdout.read() if process.stdout else ""
            raise RuntimeError(f"The sandbox process exited with {process.returncode}: {output}")
        try:
            httpx.get(f"{address}/_sandbox/stats", timeout=1.0).raise_for_status()
            return
        except httpx.TransportError:
            time.sleep(0.1)
    raise RuntimeError(f"The sandbox did not respond at {address} in {SANDBOX_START_TIMEOUT} s.")


class SerialLiveServerThread(LiveServerThread):
    """A live server thread that handles one request at a time.

    With in-memory SQLite, every request thread of Django's threaded live server uses the same
    connection, so two htmx requests at once break each other's transactions.
    """

    def _create_server(self, connections_override=None):
        return WSGIServer(
            (self.host, self.port), QuietWSGIRequestHandler, allow_reuse_address=False
        )


@pytest.fixture(scope="package")
def live_server(chromium):
    """The app on a live server for the browser tests, started after Chromium.

    Replaces pytest-django's threaded server of the same name.
    """
    server = LiveServer("localhost", start=False)
    unstarted = server.thread
    server.thread = SerialLiveServerThread(
        unstarted.host,
        static_handler=unstarted.static_handler,
        connections_override=unstarted.connections_override,
    )
    server.thread.daemon = True
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="package")
def sandbox_address():
    """Start `manage.py runsandbox` on a free loopback port and return its address."""
    port = _free_port()
    address = f"http://127.0.0.1:{port}"
    process = subprocess.Popen(
        [sys.executable, str(MANAGE_PY), "runsandbox", "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        _wait_for_sandbox(process, address)
        yield address
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        if process.stdout:
            process.stdout.close()


@pytest.fixture(autouse=True)
def role_groups(transactional_db):
    """Create the role groups that a data migration made and the last test's flush removed.

    Serialised rollback cannot restore them here: while Playwright's event loop runs, the test
    gets a new database connection object, which lacks the serialised contents.
    """
    for group_name, permissions in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=group_name)
        for app_label, codename in permissions:
            group.permissions.add(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )


@pytest.fixture
def sandbox_server(sandbox_address):
    """An HTTP client for the sandbox process, whose seed data is restored for this test."""
    with httpx.Client(base_url=sandbox_address, timeout=10.0) as control:
        control.post("/_sandbox/reset").raise_for_status()
        yield control


@pytest.fixture
def seed():
    from orderdesk.sandbox import seed

    return seed


@pytest.fixture
def server_connection(transactional_db, sandbox_server, seed):
    cache.clear()
    return Connection.objects.create(
        name="Sandbox",
        platform_address=str(sandbox_server.base_url).rstrip("/"),
        client_token=seed.CLIENT_TOKEN,
    )


@pytest.fixture
def london(server_connection, seed, front_desk_user, manager_user):
    """The gross-pricing London hotel on the sandbox process, for the front desk and manager."""
    property = Property.objects.create(
        name="Sandbox London",
        connection=server_connection,
        access_token=seed.GROSS_ACCESS_TOKEN,
    )
    property.users.add(front_desk_user, manager_user)
    return property


@pytest.fixture(scope="package")
def chromium_path() -> str:
    if not CHROMIUM.is_file():
        pytest.fail(
            f"Chromium is missing at {CHROMIUM}. The browser tests need Debian's 'chromium' "
            "package: run `make browser` or `apt-get install chromium`.",
            pytrace=False,
        )
    return str(CHROMIUM)


@pytest.fixture(scope="package")
def chromium(chromium_path):
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop in this thread, which trips Django's guard
    # against ORM calls from async code. The tests' own ORM calls are synchronous, so the guard
    # is lifted while the browser runs and restored after the last browser test.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=chromium_path, headless=True, args=CHROMIUM_ARGS
            )
            yield browser
            browser.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def context_options() -> dict:
    """Options of the test's browser context. A test module may override this fixture."""
    return {}


@pytest.fixture
def page(request, chromium, live_server, context_options):
    """A page in a new browser context, saved under test-results/browser/ when the test fails.

    Uncaught JavaScript errors and Content-Security-Policy violations fail the test.
    """
    context = chromium.new_context(
        base_url=live_server.url, accept_downloads=True, **context_options
    )
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    script_errors: list[str] = []
    page.on("pageerror", lambda error: script_errors.append(str(error)))
    page.on(
        "console",
        lambda message: (
            script_errors.append(message.text)
            if message.type == "error" and "Content Security Policy" in message.text
            else None
        ),
    )
    yield page

    report = getattr(request.node, "report_call", None)
    if report is not None and report.failed:
        _save_artifacts(request, page)
    context.close()
    assert not script_errors, "The page reported script errors:\n" + "\n".join(script_errors)


def _save_artifacts(request, page) -> None:
    folder = request.config.rootpath / ARTIFACTS / pages.safe_name(request.node.name)
    folder.mkdir(parents=True, exist_ok=True)
    try:
        page.screenshot(path=str(folder / "screenshot.png"), full_page=True)
        (folder / "page.html").write_text(page.content(), encoding="utf-8")
    except Exception as error:  # noqa: BLE001 - a closed page must not hide the test's failure
        (folder / "error.txt").write_text(f"Could not save the page: {error}\n", encoding="utf-8")
