"""Administrator journey: test the connection to the sandbox and read the enterprise's details."""

from playwright.sync_api import expect

from tests.browser import pages
from tests.browser.conftest import BROWSER_MARKS

pytestmark = BROWSER_MARKS


def test_administrator_tests_connection(page, seed, london, administrator_user):
    pages.log_in(page, administrator_user.username)
    page.get_by_role("navigation").get_by_role("link", name="Connections").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Connections to Mews")

    page.get_by_role("button", name="Test connection").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Test of Sandbox")
    report = page.get_by_role("region", name="Sandbox London")
    expect(report).to_contain_text("Connected")
    details = report.locator("dl")
    expect(details).to_contain_text("Sandbox Riverside Hotel London")
    expect(details).to_contain_text(seed.GROSS_ENTERPRISE_ID)
    expect(details).to_contain_text("Europe/London")
    expect(details).to_contain_text("Gross")
    expect(details).to_contain_text("GBP")
    expect(details).to_contain_text(seed.GROSS_TAX_ENVIRONMENT_CODE)
