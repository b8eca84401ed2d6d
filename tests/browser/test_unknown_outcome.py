"""A charge whose response is lost after Mews committed it: unknown first, posted once settled."""

import io

from django.core.management import call_command
from django.urls import reverse
from playwright.sync_api import expect

from orderdesk.charges.models import Submission, SubmissionStatus
from tests.browser import pages
from tests.browser.conftest import BROWSER_MARKS
from tests.browser.test_front_desk import open_charge_form_for_in_house_guest, sandbox_orders

pytestmark = BROWSER_MARKS

DO_NOT_POST_AGAIN = "Do not post it again"


def inject_fault(sandbox_server, **fault) -> None:
    sandbox_server.post("/_sandbox/faults", json=fault).raise_for_status()


def post_with_lost_response(page, sandbox_server, seed) -> None:
    """Post a charge that the sandbox stores but whose response it drops.

    The read-back that follows a lost response fails once as well, so the outcome stays unknown
    until the charge is settled later.
    """
    inject_fault(sandbox_server, operation="orders/add", commit_then_drop=1)
    inject_fault(sandbox_server, operation="orderItems/getAll", fail_status=400, fail_count=1)
    open_charge_form_for_in_house_guest(page, seed)
    page.locator("#id_products-0-product_id").select_option(seed.GROSS_SANDWICH_PRODUCT_ID)
    expect(page.locator("#charge-totals table")).to_be_visible()
    page.get_by_role("button", name="Post charge").click()


def my_submission_row(page):
    page.goto(reverse("charges:mine"))
    return page.locator("main tbody tr").first


def test_unknown_outcome_settled_by_command(page, sandbox_server, seed, london, front_desk_user):
    pages.log_in(page, front_desk_user.username)
    post_with_lost_response(page, sandbox_server, seed)

    expect(page.locator(".messages")).to_contain_text("not known yet")
    expect(page.locator(".messages")).to_contain_text(DO_NOT_POST_AGAIN)
    row = my_submission_row(page)
    expect(row).to_contain_text("Unknown")
    orders = sandbox_orders(sandbox_server)
    assert len(orders) == 1

    output = io.StringIO()
    call_command("settle_submissions", stdout=output)
    assert "posted 1" in output.getvalue()

    row = my_submission_row(page)
    expect(row).to_contain_text("Posted")
    expect(row).to_contain_text(orders[0]["OrderId"])
    row.get_by_role("link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Charge posted")
    assert pages.order_id_on_result(page) == orders[0]["OrderId"]


def test_unknown_outcome_settled_by_manager(
    page, sandbox_server, seed, london, front_desk_user, manager_user
):
    pages.log_in(page, front_desk_user.username)
    post_with_lost_response(page, sandbox_server, seed)
    expect(page.locator(".messages")).to_contain_text(DO_NOT_POST_AGAIN)
    submission = Submission.objects.get(user=front_desk_user)
    assert submission.status == SubmissionStatus.UNKNOWN
    [order] = sandbox_orders(sandbox_server)

    page.get_by_role("button", name="Log out").click()
    pages.log_in(page, manager_user.username)
    page.goto(reverse("audit:detail", args=[submission.pk]))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Unknown")
    page.get_by_role("button", name="Settle with Mews now").dblclick()

    expect(page.get_by_text("Mews has the order")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Posted")
    expect(page.get_by_role("region", name="Response from Mews")).to_contain_text(order["OrderId"])
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.POSTED
    assert submission.order_id == order["OrderId"]
    assert submission.events.filter(status=SubmissionStatus.POSTED).count() == 1
