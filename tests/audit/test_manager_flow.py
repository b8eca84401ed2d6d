"""The manager's whole audit task on the sandbox, from a posted charge to a settled one."""

import csv
import io
from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from orderdesk.charges.models import SubmissionStatus
from orderdesk.charges.services import post_charge
from tests.charges.sandbox_helpers import gross_charge, inject_fault


def test_manager_finds_exports_and_settles(
    manager_client, gross_property, front_desk_user, sandbox, seed
):
    gross_property.users.add(front_desk_user)
    posted = post_charge(user=front_desk_user, property=gross_property, charge=gross_charge(seed))
    # Mews commits the next order but its response is lost, and the read-back fails too.
    inject_fault(sandbox, operation="orders/add", commit_then_drop=1)
    inject_fault(sandbox, operation="orderItems/getAll", fail_status=401, fail_count=1)
    lost = post_charge(user=front_desk_user, property=gross_property, charge=gross_charge(seed))
    assert posted.status == SubmissionStatus.POSTED
    assert lost.status == SubmissionStatus.UNKNOWN

    found = manager_client.get(reverse("audit:list"), {"reference": posted.order_id})
    assert [row.pk for row in found.context["page"].rows] == [posted.pk]

    detail = manager_client.get(reverse("audit:detail", args=[posted.pk])).content.decode()
    assert posted.order_id in detail
    assert "Posting service" in detail

    week_start = (timezone.now() - timedelta(days=6)).date().isoformat()
    export = manager_client.get(reverse("audit:export"), {"created_after": week_start})
    text = b"".join(export.streaming_content).decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    assert [row["Submission"] for row in rows] == [str(lost.pk), str(posted.pk)]
    assert rows[0]["Account"] == seed.GROSS_IN_HOUSE_CUSTOMER_NAME

    manager_client.post(reverse("audit:settle", args=[lost.pk]))
    lost.refresh_from_db()
    assert lost.status == SubmissionStatus.POSTED
    assert lost.order_id
    history = manager_client.get(reverse("audit:detail", args=[lost.pk])).content.decode()
    assert "Manager" in history
