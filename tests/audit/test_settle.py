import pytest
from django.urls import reverse
from django.utils.html import escape

from orderdesk.audit.views import NOT_SETTLEABLE_MESSAGE, SETTLED_MESSAGES, STILL_UNKNOWN_MESSAGE
from orderdesk.charges.models import EventCause, SubmissionStatus
from orderdesk.charges.services import post_charge
from tests.charges.sandbox_helpers import created_orders_text, gross_charge, inject_fault


@pytest.fixture
def london(gross_property, front_desk_user):
    gross_property.users.add(front_desk_user)
    return gross_property


@pytest.fixture
def unknown_submission(london, front_desk_user, sandbox, seed):
    """A charge Mews committed but whose response was lost, and whose read-back failed.

    The read fails with 401, which the client does not retry, so the test does not wait.
    """
    inject_fault(sandbox, operation="orders/add", commit_then_drop=1)
    inject_fault(sandbox, operation="orderItems/getAll", fail_status=401, fail_count=5)
    submission = post_charge(user=front_desk_user, property=london, charge=gross_charge(seed))
    assert submission.status == SubmissionStatus.UNKNOWN
    inject_fault(sandbox, operation="orderItems/getAll", fail_status=401, fail_count=0)
    return submission


def settle_url(submission):
    return reverse("audit:settle", args=[submission.pk])


def getall_calls(sandbox):
    return sandbox.request_counts.get("orderItems/getAll", 0)


def test_settle_anonymous_redirects_to_login(client, unknown_submission):
    response = client.post(settle_url(unknown_submission))

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


@pytest.mark.parametrize(
    "client_fixture", ["front_desk_client", "administrator_client", "outsider_client"]
)
def test_settle_without_permission_forbidden(
    db, request, client_fixture, unknown_submission, sandbox
):
    client = request.getfixturevalue(client_fixture)
    calls = getall_calls(sandbox)

    assert client.post(settle_url(unknown_submission)).status_code == 403

    unknown_submission.refresh_from_db()
    assert unknown_submission.status == SubmissionStatus.UNKNOWN
    assert getall_calls(sandbox) == calls


def test_settle_get_not_allowed(manager_client, unknown_submission):
    assert manager_client.get(settle_url(unknown_submission)).status_code == 405


def test_settle_missing_not_found(manager_client, db):
    assert manager_client.post(reverse("audit:settle", args=[999999])).status_code == 404


def test_settle_unknown_records_posted(manager_client, manager_user, unknown_submission, sandbox):
    response = manager_client.post(settle_url(unknown_submission), follow=True)

    assert response.redirect_chain[-1][0] == reverse("audit:detail", args=[unknown_submission.pk])
    assert str(SETTLED_MESSAGES[SubmissionStatus.POSTED]) in response.content.decode()
    unknown_submission.refresh_from_db()
    assert unknown_submission.status == SubmissionStatus.POSTED
    assert unknown_submission.order_id in created_orders_text(sandbox)
    event = unknown_submission.events.last()
    assert event.status == SubmissionStatus.POSTED
    assert event.cause == EventCause.MANAGER
    assert event.actor == manager_user
    statuses = [event.status for event in unknown_submission.events.all()]
    assert statuses == ["pending", "unknown", "posted"]


def test_settle_read_failure_keeps_unknown(manager_client, unknown_submission, sandbox):
    inject_fault(sandbox, operation="orderItems/getAll", fail_status=401, fail_count=5)

    response = manager_client.post(settle_url(unknown_submission), follow=True)

    assert str(STILL_UNKNOWN_MESSAGE) in response.content.decode()
    unknown_submission.refresh_from_db()
    assert unknown_submission.status == SubmissionStatus.UNKNOWN
    assert unknown_submission.events.count() == 2


def test_settle_final_status_rejected(manager_client, london, front_desk_user, sandbox, seed):
    posted = post_charge(user=front_desk_user, property=london, charge=gross_charge(seed))
    calls = getall_calls(sandbox)

    response = manager_client.post(settle_url(posted), follow=True)

    expected = str(NOT_SETTLEABLE_MESSAGE) % {"status": posted.get_status_display()}
    assert escape(expected) in response.content.decode()
    assert getall_calls(sandbox) == calls
    assert posted.events.count() == 2


def test_settle_out_of_range_id_not_found(manager_client, db):
    assert manager_client.post(reverse("audit:settle", args=[2**70])).status_code == 404
