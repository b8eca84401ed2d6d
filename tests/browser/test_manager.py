"""Manager journeys: find a posted charge in the audit history, open it and export the CSV."""

import codecs
import csv
import io

from django.urls import reverse
from playwright.sync_api import expect

from orderdesk.charges.models import SubmissionStatus
from orderdesk.charges.services import post_charge
from tests.browser import pages
from tests.browser.conftest import BROWSER_MARKS
from tests.charges.sandbox_helpers import gross_charge

pytestmark = BROWSER_MARKS


def test_manager_finds_and_exports_charge(page, seed, london, front_desk_user, manager_user):
    posted = post_charge(user=front_desk_user, property=london, charge=gross_charge(seed))
    other = post_charge(user=front_desk_user, property=london, charge=gross_charge(seed))
    assert posted.status == other.status == SubmissionStatus.POSTED

    pages.log_in(page, manager_user.username)
    page.get_by_role("navigation").get_by_role("link", name="Audit history").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Audit history")
    page.locator("#id_reference").fill(posted.order_id)
    page.get_by_role("button", name="Filter").click()
    page.wait_for_url(f"**reference={posted.order_id}**")

    rows = page.locator("main tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text(posted.order_id)

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Export CSV").click()
    content = download_info.value.path().read_bytes()
    assert content.startswith(codecs.BOM_UTF8)
    exported = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    assert len(exported) == 2
    assert "OrderId" in exported[0]
    assert exported[1][exported[0].index("OrderId")] == posted.order_id

    rows.first.get_by_role("link").click()
    page.wait_for_url(f"**{reverse('audit:detail', args=[posted.pk])}")
    response = page.get_by_role("region", name="Response from Mews")
    expect(response).to_contain_text(posted.order_id)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Posted")
