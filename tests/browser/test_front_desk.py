"""Front desk journeys on the charge form: post, Cashlist, double click, errors, keyboard only."""

from django.urls import reverse
from playwright.sync_api import expect

from tests.browser import pages
from tests.browser.conftest import BROWSER_MARKS

pytestmark = BROWSER_MARKS


def sandbox_orders(sandbox_server) -> list[dict]:
    response = sandbox_server.get("/_sandbox/orders")
    response.raise_for_status()
    return response.json()["orders"]


def sandbox_stats(sandbox_server) -> dict:
    response = sandbox_server.get("/_sandbox/stats")
    response.raise_for_status()
    return response.json()


def open_charge_form_for_in_house_guest(page, seed) -> None:
    page.goto(reverse("charges:new"))
    pages.find_account(page, seed.GROSS_IN_HOUSE_ROOM, "room")
    pages.choose_account(
        page, seed.GROSS_IN_HOUSE_CUSTOMER_ID, reservation_id=seed.GROSS_IN_HOUSE_RESERVATION_ID
    )
    pages.choose_service(page, seed.GROSS_RESTAURANT_SERVICE_ID)


def add_custom_item(page, seed, *, name: str, unit_price: str) -> None:
    page.locator("#id_items-0-name").fill(name)
    page.locator("#id_items-0-unit_price").fill(unit_price)
    page.locator("#id_items-0-tax_codes").select_option(seed.GROSS_STANDARD_TAX_CODE)
    page.locator("#id_items-0-accounting_category_id").select_option(
        seed.GROSS_FOOD_ACCOUNTING_CATEGORY_ID
    )


def test_front_desk_posts_charge(page, sandbox_server, seed, london, front_desk_user):
    pages.log_in(page, front_desk_user.username)
    open_charge_form_for_in_house_guest(page, seed)
    expect(page.locator("#chosen-account")).to_contain_text(seed.GROSS_IN_HOUSE_CUSTOMER_NAME)

    page.locator("#id_products-0-product_id").select_option(seed.GROSS_SANDWICH_PRODUCT_ID)
    totals = page.locator("#charge-totals")
    expect(totals.locator("table")).to_be_visible()
    totals_with_product = pages.totals_text(page)
    add_custom_item(page, seed, name="Birthday cake", unit_price="15.00")
    expect(totals).not_to_have_text(totals_with_product)
    expect(totals).to_contain_text("GBP")

    page.get_by_role("button", name="Post charge").click()
    page.wait_for_url("**/charges/result/**")
    expect(page.get_by_role("heading", level=1)).to_have_text("Charge posted")
    order_id = pages.order_id_on_result(page)

    orders = sandbox_orders(sandbox_server)
    assert [order["OrderId"] for order in orders] == [order_id]
    assert orders[0]["AccountId"] == seed.GROSS_IN_HOUSE_CUSTOMER_ID
    assert orders[0]["ServiceId"] == seed.GROSS_RESTAURANT_SERVICE_ID
    assert len(orders[0]["OrderItems"]) == 2


def option_values(select) -> list[str]:
    return [option.get_attribute("value") for option in select.locator("option").all()]


def test_front_desk_added_row_offers_service_products(
    page, sandbox_server, seed, london, front_desk_user
):
    pages.log_in(page, front_desk_user.username)
    open_charge_form_for_in_house_guest(page, seed)
    restaurant_products = option_values(page.locator("#id_products-0-product_id"))
    assert seed.GROSS_SANDWICH_PRODUCT_ID in restaurant_products
    assert seed.GROSS_ALE_PRODUCT_ID not in restaurant_products

    page.get_by_role("button", name="Add a product line").click()

    index = int(page.locator("#id_products-TOTAL_FORMS").input_value()) - 1
    added = page.locator(f"#id_products-{index}-product_id")
    expect(added).to_be_focused()
    expect(added).to_have_value("")
    assert option_values(added) == restaurant_products

    added.select_option(seed.GROSS_SANDWICH_PRODUCT_ID)
    expect(page.locator("#charge-totals table")).to_be_visible()
    page.get_by_role("button", name="Post charge").click()
    page.wait_for_url("**/charges/result/**")
    [order] = sandbox_orders(sandbox_server)
    assert len(order["OrderItems"]) == 1


def test_front_desk_cashlist_guest_refused(page, sandbox_server, seed, london, front_desk_user):
    pages.log_in(page, front_desk_user.username)
    page.goto(reverse("charges:new"))

    pages.find_account(page, seed.GROSS_CASHLIST_ROOM, "room")

    results = page.locator("#account-results")
    expect(results).to_contain_text(seed.GROSS_CASHLIST_CUSTOMER_NAME)
    expect(results).to_contain_text("Cashlist: no post")
    expect(results).to_contain_text("Charges are not allowed")
    expect(page.locator(f"[data-account-id='{seed.GROSS_CASHLIST_CUSTOMER_ID}']")).to_have_count(0)
    expect(results.get_by_role("button", name="Charge this account")).to_have_count(0)


def test_front_desk_double_click_posts_once(page, sandbox_server, seed, london, front_desk_user):
    pages.log_in(page, front_desk_user.username)
    open_charge_form_for_in_house_guest(page, seed)
    page.locator("#id_products-0-product_id").select_option(seed.GROSS_SANDWICH_PRODUCT_ID)
    expect(page.locator("#charge-totals table")).to_be_visible()

    page.get_by_role("button", name="Post charge").dblclick()
    page.wait_for_url("**/charges/result/**")
    expect(page.get_by_role("heading", level=1)).to_have_text("Charge posted")

    stats = sandbox_stats(sandbox_server)
    assert stats["request_counts"].get("orders/add") == 1
    assert stats["orders"] == 1


def test_front_desk_invalid_price_keeps_input(page, sandbox_server, seed, london, front_desk_user):
    pages.log_in(page, front_desk_user.username)
    open_charge_form_for_in_house_guest(page, seed)
    page.locator("#id_products-0-product_id").select_option(seed.GROSS_SANDWICH_PRODUCT_ID)
    page.locator("#id_products-0-count").fill("3")
    add_custom_item(page, seed, name="Birthday cake", unit_price="fifteen")
    page.locator("#id_notes").fill("Table 7, candles")

    page.get_by_role("button", name="Post charge").click()
    page.wait_for_load_state("domcontentloaded")

    price = page.locator("#id_items-0-unit_price")
    expect(price).to_have_class(pages.IS_INVALID)
    expect(price).to_have_attribute("aria-invalid", "true")
    # The message sits in the field's own group, right after the input.
    error = page.locator("#id_items-0-unit_price ~ .invalid-feedback")
    expect(error).to_be_visible()
    expect(error).to_contain_text("Enter the amount as a plain number")

    expect(price).to_have_value("fifteen")
    expect(page.locator("#id_items-0-name")).to_have_value("Birthday cake")
    expect(page.locator("#id_items-0-tax_codes")).to_have_values([seed.GROSS_STANDARD_TAX_CODE])
    expect(page.locator("#id_items-0-accounting_category_id")).to_have_value(
        seed.GROSS_FOOD_ACCOUNTING_CATEGORY_ID
    )
    expect(page.locator("#id_products-0-product_id")).to_have_value(seed.GROSS_SANDWICH_PRODUCT_ID)
    expect(page.locator("#id_products-0-count")).to_have_value("3")
    expect(page.locator("#id_notes")).to_have_value("Table 7, candles")
    expect(page.locator("#id_service_id")).to_have_value(seed.GROSS_RESTAURANT_SERVICE_ID)
    expect(page.locator("#chosen-account")).to_contain_text(seed.GROSS_IN_HOUSE_CUSTOMER_NAME)
    assert sandbox_stats(sandbox_server)["orders"] == 0


def test_front_desk_enter_in_field_does_not_post(
    page, sandbox_server, seed, london, front_desk_user
):
    pages.log_in(page, front_desk_user.username)
    page.goto(reverse("charges:new"))
    # A mark on this document: a submitted form would load a new one without it.
    page.evaluate("window.enterTestMark = true")

    page.fill("#id_items-0-name", "Fruit basket")
    page.press("#id_items-0-name", "Enter")
    page.fill("#id_items-0-unit_price", "9.50")
    page.press("#id_items-0-unit_price", "Enter")
    page.wait_for_timeout(500)

    assert page.evaluate("window.enterTestMark === true")
    expect(page.locator("#id_items-0-name")).to_have_value("Fruit basket")
    assert sandbox_stats(sandbox_server)["orders"] == 0


def test_front_desk_posts_with_keyboard(page, sandbox_server, seed, london, front_desk_user):
    keyboard = page.keyboard
    page.goto(reverse("login"))
    pages.tab_to(page, "#id_username")
    keyboard.type(front_desk_user.username)
    keyboard.press("Tab")
    keyboard.type(pages.PASSWORD)
    keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Welcome")

    pages.tab_to(page, f"main a[href='{reverse('charges:new')}']")
    keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Post a charge")

    pages.tab_to(page, "#account-query")
    keyboard.type(seed.GROSS_IN_HOUSE_ROOM)
    keyboard.press("Tab")
    pages.arrow_to_option(page, "room")
    pages.tab_to(page, "form[role=search] button[type=submit]")
    keyboard.press("Enter")
    choose = page.locator(f"[data-account-id='{seed.GROSS_IN_HOUSE_CUSTOMER_ID}']")
    expect(choose).to_be_visible()
    pages.tab_to(page, f"[data-account-id='{seed.GROSS_IN_HOUSE_CUSTOMER_ID}']")
    keyboard.press("Space")
    expect(page.locator("#id_linked_reservation_id")).to_have_value(
        seed.GROSS_IN_HOUSE_RESERVATION_ID
    )

    pages.tab_to(page, "#id_service_id")
    with page.expect_response(lambda response: "/charges/products/" in response.url):
        pages.arrow_to_option(page, seed.GROSS_RESTAURANT_SERVICE_ID)
    pages.wait_for_htmx(page)
    pages.tab_to(page, "#id_products-0-product_id")
    pages.arrow_to_option(page, seed.GROSS_SANDWICH_PRODUCT_ID)
    expect(page.locator("#charge-totals table")).to_be_visible()

    pages.tab_to(page, "#id_items-0-name")
    keyboard.type("Fruit basket")
    pages.tab_to(page, "#id_items-0-unit_price")
    keyboard.type("9.50")
    pages.tab_to(page, "#id_items-0-tax_codes")
    pages.arrow_to_option(page, seed.GROSS_STANDARD_TAX_CODE)
    pages.tab_to(page, "#id_items-0-accounting_category_id")
    pages.arrow_to_option(page, seed.GROSS_FOOD_ACCOUNTING_CATEGORY_ID)

    pages.tab_to(page, "#charge-form button[type=submit]")
    keyboard.press("Enter")
    page.wait_for_url("**/charges/result/**")
    expect(page.get_by_role("heading", level=1)).to_have_text("Charge posted")
    order_id = pages.order_id_on_result(page)
    assert [order["OrderId"] for order in sandbox_orders(sandbox_server)] == [order_id]
