"""The charge form in Chromium: search by room, choose the guest, post once, see the OrderId."""

import os
import shutil

import pytest
from django.urls import reverse

from tests.charges.sandbox_helpers import orders_add_calls
from tests.conftest import PASSWORD

# Serialised rollback restores the roles that a data migration creates, which the flush after
# each live-server test removes.
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def page(live_server):
    chromium = shutil.which("chromium")
    if chromium is None:
        pytest.skip("Chromium is missing: run `make browser`.")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread, which trips Django's guard against
    # ORM calls from async code. The test's own ORM calls are synchronous, so the guard is lifted.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
            page = browser.new_page()
            # Generous, because CI runs the suite on two shared cores.
            page.set_default_timeout(30_000)
            yield page
            browser.close()
    finally:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


@pytest.fixture
def seed():
    from orderdesk.sandbox import seed

    return seed


def log_in(page, live_server, username):
    page.goto(live_server.url + reverse("login"))
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(live_server.url + "/")


def test_charge_form_posts_once_in_browser(
    page, live_server, sandbox, seed, gross_property, front_desk_user
):
    gross_property.users.add(front_desk_user)
    log_in(page, live_server, front_desk_user.username)
    page.goto(live_server.url + reverse("charges:new"))

    page.fill("#account-query", seed.GROSS_IN_HOUSE_ROOM)
    page.select_option("#account-kind", "room")
    page.click("text=Find")
    page.click(f"[data-account-id='{seed.GROSS_IN_HOUSE_CUSTOMER_ID}']")
    page.wait_for_function(
        "id => document.querySelector('#id_linked_reservation_id').value === id",
        arg=seed.GROSS_IN_HOUSE_RESERVATION_ID,
    )
    page.select_option("#id_service_id", seed.GROSS_RESTAURANT_SERVICE_ID)
    # The product selects reload for the chosen service; choose a product after that.
    page.wait_for_load_state("networkidle")
    page.select_option("#id_products-0-product_id", seed.GROSS_SANDWICH_PRODUCT_ID)
    page.fill("#id_items-0-name", "Birthday cake")
    page.fill("#id_items-0-unit_price", "15.00")
    page.select_option("#id_items-0-tax_codes", seed.GROSS_STANDARD_TAX_CODE)
    page.select_option("#id_items-0-accounting_category_id", seed.GROSS_FOOD_ACCOUNTING_CATEGORY_ID)
    page.wait_for_selector("#charge-totals td")
    page.dblclick("text=Post charge")
    page.wait_for_url("**/charges/result/**")

    assert "Charge posted" in page.inner_text("main")
    assert orders_add_calls(sandbox) == 1


def test_cashlist_guest_has_no_charge_button(
    page, live_server, sandbox, seed, gross_property, front_desk_user
):
    gross_property.users.add(front_desk_user)
    log_in(page, live_server, front_desk_user.username)
    page.goto(live_server.url + reverse("charges:new"))

    page.fill("#account-query", seed.GROSS_CASHLIST_ROOM)
    page.select_option("#account-kind", "room")
    page.click("text=Find")
    page.wait_for_selector("text=Cashlist: no post")

    assert page.locator(f"[data-account-id='{seed.GROSS_CASHLIST_CUSTOMER_ID}']").count() == 0
