"""The audit pages in Chromium: find a charge by OrderId, open it, settle a lost one."""

import pytest
from django.urls import reverse

from orderdesk.charges.models import SubmissionStatus
from orderdesk.charges.services import post_charge
from tests.charges.sandbox_helpers import gross_charge, inject_fault
from tests.charges.test_browser import log_in, page  # noqa: F401 - the page fixture

# Serialised rollback restores the roles that a data migration creates, which the flush after
# each live-server test removes.
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_audit_find_and_settle_in_browser(
    page,  # noqa: F811 - the fixture imported above
    live_server,
    sandbox,
    seed,
    gross_property,
    front_desk_user,
    manager_user,
):
    policy_errors = []
    page.on(
        "console",
        lambda message: (
            policy_errors.append(message.text)
            if "Content Security Policy" in message.text
            else None
        ),
    )
    gross_property.users.add(front_desk_user)
    posted = post_charge(user=front_desk_user, property=gross_property, charge=gross_charge(seed))
    inject_fault(sandbox, operation="orders/add", commit_then_drop=1)
    inject_fault(sandbox, operation="orderItems/getAll", fail_status=401, fail_count=1)
    lost = post_charge(user=front_desk_user, property=gross_property, charge=gross_charge(seed))
    assert lost.status == SubmissionStatus.UNKNOWN

    log_in(page, live_server, manager_user.username)
    page.goto(live_server.url + reverse("audit:list"))
    page.fill("#id_reference", posted.order_id)
    page.click("button:text('Filter')")
    page.wait_for_url(f"**reference={posted.order_id}**")
    assert page.locator("tbody tr").count() == 1
    page.click(f"a[href='{reverse('audit:detail', args=[posted.pk])}']")
    assert posted.order_id in page.inner_text("main")

    page.goto(live_server.url + reverse("audit:detail", args=[lost.pk]))
    page.dblclick("text=Settle with Mews now")
    page.wait_for_selector("text=Mews has the order")

    lost.refresh_from_db()
    assert lost.status == SubmissionStatus.POSTED
    assert lost.events.filter(status=SubmissionStatus.POSTED).count() == 1
    assert policy_errors == []
