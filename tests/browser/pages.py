"""Steps that several browser journeys share: logging in, choosing an account, keyboard moves."""

import re

from django.urls import reverse
from playwright.sync_api import Page, expect

from tests.conftest import PASSWORD

# Enough Tab presses to cross the longest page (the charge form) once.
MAX_TABS = 120


def safe_name(test_name: str) -> str:
    """Turn a test id such as test_a[b-c] into a folder name."""
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", test_name).strip("_")


def log_in(page: Page, username: str) -> None:
    page.goto(reverse("login"))
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Welcome")


def find_account(page: Page, query: str, kind: str) -> None:
    """Search the charge form's account panel, for kind "name", "room" or "company"."""
    page.get_by_label("Guest name, room number or company").fill(query)
    page.locator("#account-kind").select_option(kind)
    page.get_by_role("button", name="Find").click()


def choose_account(page: Page, account_id: str, reservation_id: str = "") -> None:
    page.locator(f"[data-account-id='{account_id}']").click()
    if reservation_id:
        # The reservation select reloads for the chosen account and preselects its stay.
        expect(page.locator("#id_linked_reservation_id")).to_have_value(reservation_id)


def choose_service(page: Page, service_id: str) -> None:
    """Choose the service and wait until the product selects have reloaded for it."""
    with page.expect_response(lambda response: "/charges/products/" in response.url):
        page.locator("#id_service_id").select_option(service_id)
    wait_for_htmx(page)


def totals_text(page: Page) -> str:
    return page.locator("#charge-totals").inner_text()


def order_id_on_result(page: Page) -> str:
    """Return the OrderId shown on a charge's result page."""
    return page.locator("dt:text-is('OrderId') + dd code").inner_text().strip()


def focused_matches(page: Page, selector: str) -> bool:
    return page.evaluate(
        "selector => !!document.activeElement && document.activeElement.matches(selector)",
        selector,
    )


def tab_to(page: Page, selector: str) -> None:
    """Press Tab until the focused element matches the CSS selector."""
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        if focused_matches(page, selector):
            return
    raise AssertionError(f"Tab never reached {selector!r} within {MAX_TABS} presses.")


def arrow_to_option(page: Page, value: str) -> None:
    """Press ArrowDown on the focused select until the option with this value is chosen.

    Starts from the first option with Home, so the same keys work wherever the select was.
    """
    page.keyboard.press("Home")
    for _ in range(50):
        if page.evaluate("() => document.activeElement.value") == value:
            return
        page.keyboard.press("ArrowDown")
    raise AssertionError(f"ArrowDown never reached the option {value!r}.")


def wait_for_htmx(page: Page) -> None:
    """Wait until no htmx request, swap or settle is in progress on the page."""
    page.wait_for_function(
        "() => !document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling')"
    )


IS_INVALID = re.compile(r"\bis-invalid\b")
