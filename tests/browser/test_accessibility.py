"""Accessibility smoke check of the main pages: axe-core rules, labels, headings, landmarks, Tab.

axe-core comes from the axe-playwright-python package, so the check runs offline. It is
injected as a script, so these contexts bypass the Content-Security-Policy. The journeys keep
the policy on.
"""

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.urls import reverse
from playwright.sync_api import Page, expect

from orderdesk.charges.services import post_charge
from tests.browser import pages
from tests.browser.conftest import BROWSER_MARKS
from tests.browser.test_front_desk import open_charge_form_for_in_house_guest
from tests.charges.sandbox_helpers import gross_charge

pytestmark = BROWSER_MARKS

# WCAG 2.1 A and AA rules plus axe's best practices (landmarks, one h1, heading order).
AXE_OPTIONS = {
    "runOnly": {
        "type": "tag",
        "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"],
    },
    "resultTypes": ["violations"],
}

# Tabs allowed beyond one per element, for the parts of date and time inputs.
MAX_EXTRA_TABS = 20

UNLABELLED_FIELDS_SCRIPT = """() => {
  const fields = document.querySelectorAll(
    "input:not([type=hidden]):not([type=submit]):not([type=button]), select, textarea");
  return Array.from(fields)
    .filter(field => field.labels.length === 0
      && !field.getAttribute("aria-label") && !field.getAttribute("aria-labelledby"))
    .map(field => field.outerHTML.slice(0, 120));
}"""

# Numbers every element that Tab should reach, in document order, and returns how many.
MARK_TABBABLES_SCRIPT = """() => {
  const candidates = document.querySelectorAll(
    "a[href], button, input, select, textarea, [tabindex]");
  let count = 0;
  for (const element of candidates) {
    const style = getComputedStyle(element);
    const hidden = element.type === "hidden" || style.visibility === "hidden"
      || style.display === "none" || element.getClientRects().length === 0;
    if (element.tabIndex < 0 || element.disabled || hidden) continue;
    element.dataset.tabOrder = String(count++);
  }
  return count;
}"""

# Puts the start of sequential focus navigation at the top of the page, as after a fresh load.
FOCUS_TOP_SCRIPT = """() => {
  const start = document.createElement("span");
  start.tabIndex = -1;
  document.body.prepend(start);
  start.focus();
}"""

FOCUSED_ORDER_SCRIPT = """() => {
  const element = document.activeElement;
  return element && element.dataset.tabOrder !== undefined ? Number(element.dataset.tabOrder) : -1;
}"""


@pytest.fixture
def context_options() -> dict:
    return {"bypass_csp": True}


@pytest.fixture
def signed_in(page, london, front_desk_user, manager_user, administrator_user):
    """Log in as the front desk, the manager or the administrator."""
    users = {
        "front desk": front_desk_user,
        "manager": manager_user,
        "administrator": administrator_user,
    }

    def log_in_as(role: str) -> Page:
        pages.log_in(page, users[role].username)
        return page

    return log_in_as


def check_page(page: Page) -> None:
    """Assert the page passes axe-core and the structural checks, Tab included."""
    results = Axe().run(page, options=AXE_OPTIONS)
    assert results.violations_count == 0, results.generate_report()

    assert page.evaluate(UNLABELLED_FIELDS_SCRIPT) == []
    assert page.locator("h1").count() == 1
    assert page.locator("header").count() == 1
    assert page.locator("nav").count() >= 1
    assert page.locator("main").count() == 1
    check_tab_order(page)


def check_tab_order(page: Page) -> None:
    """Tab from the top must reach every focusable element in order and then leave the page."""
    count = page.evaluate(MARK_TABBABLES_SCRIPT)
    assert count > 0
    page.evaluate(FOCUS_TOP_SCRIPT)

    visited: list[int] = []
    for _ in range(count + MAX_EXTRA_TABS):
        page.keyboard.press("Tab")
        order = page.evaluate(FOCUSED_ORDER_SCRIPT)
        if visited and order == visited[-1]:
            # Date and time inputs take one Tab per part (day, month, year, hour, minute).
            continue
        visited.append(order)
        if len(visited) > count:
            break

    assert visited[:count] == list(range(count)), f"Tab order {visited} of {count} elements"
    # After the last element, focus leaves the page or starts again at the top.
    assert visited[count:] in ([-1], [0]), f"Tab after the last element reached {visited[count:]}"


def test_accessibility_login_page(page):
    page.goto(reverse("login"))

    check_page(page)


@pytest.mark.parametrize(
    ("role", "url_name"),
    [
        ("front desk", "home"),
        ("front desk", "charges:new"),
        ("front desk", "charges:mine"),
        ("manager", "audit:list"),
        ("administrator", "connections:list"),
    ],
)
def test_accessibility_main_pages(signed_in, role, url_name):
    page = signed_in(role)
    page.goto(reverse(url_name))

    check_page(page)


def test_accessibility_audit_detail(signed_in, seed, london, front_desk_user):
    submission = post_charge(user=front_desk_user, property=london, charge=gross_charge(seed))
    page = signed_in("manager")
    page.goto(reverse("audit:detail", args=[submission.pk]))

    check_page(page)


def test_accessibility_charge_form_with_errors(signed_in, seed):
    page = signed_in("front desk")
    open_charge_form_for_in_house_guest(page, seed)
    page.locator("#id_items-0-name").fill("Birthday cake")
    page.locator("#id_items-0-unit_price").fill("fifteen")
    page.get_by_role("button", name="Post charge").click()
    page.wait_for_load_state("domcontentloaded")
    expect(page.locator("#id_items-0-unit_price")).to_have_attribute("aria-invalid", "true")

    check_page(page)


TRAP_PAGE = """<!doctype html><html lang="en"><head><title>Trap</title></head><body>
<header><nav aria-label="Main"><a href="#first">First</a></nav></header>
<main><h1>Trap</h1>
<label for="first">First</label><input id="first">
<label for="last">Last</label><input id="last">
</main></body></html>"""

# Sends focus from the last field back to the first on Tab, as a broken widget might.
TRAP_SCRIPT = """document.getElementById("last").addEventListener("keydown", event => {
  if (event.key === "Tab" && !event.shiftKey) {
    event.preventDefault();
    document.getElementById("first").focus();
  }
});"""


def test_tab_walk_detects_keyboard_trap(page):
    page.set_content(TRAP_PAGE)
    page.add_script_tag(content=TRAP_SCRIPT)

    with pytest.raises(AssertionError, match="Tab after the last element"):
        check_tab_order(page)


def test_tab_walk_passes_page_without_trap(page):
    page.set_content(TRAP_PAGE)

    check_tab_order(page)
