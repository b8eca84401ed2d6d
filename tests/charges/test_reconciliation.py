import threading
import uuid
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection, connections
from django.utils import timezone

from orderdesk.charges.catalogue import get_catalogue
from orderdesk.charges.charge import build_order_body
from orderdesk.charges.models import EventCause, Submission, SubmissionEvent, SubmissionStatus
from orderdesk.charges.services import json_safe, post_charge
from orderdesk.connections.services import connector_client
from tests.charges.sandbox_helpers import gross_charge, orders_add_calls


@pytest.fixture
def seed():
    from orderdesk.sandbox import seed

    return seed


@pytest.fixture
def london(gross_property, front_desk_user):
    gross_property.users.add(front_desk_user)
    return gross_property


def crashed_submission(*, property, user, charge, sent: bool, age: timedelta) -> Submission:
    """A pending record as a process leaves it when it stops during orders/add."""
    body = build_order_body(charge, get_catalogue(property))
    started = timezone.now() - age
    submission = Submission.objects.create(
        key=charge.key,
        user=user,
        property=property,
        service_id=charge.service_id,
        account_id=charge.account.id,
        account_type=charge.account.type,
        request_body=json_safe(body),
        created_at=started,
        sent_at=started if sent else None,
    )
    SubmissionEvent.objects.create(
        submission=submission, status=SubmissionStatus.PENDING, cause=EventCause.POSTING
    )
    return submission, body


def test_command_settles_crashed_pending_as_posted(london, front_desk_user, sandbox, seed):
    charge = gross_charge(seed)
    submission, body = crashed_submission(
        property=london, user=front_desk_user, charge=charge, sent=True, age=timedelta(minutes=5)
    )
    # Mews received the order before the process stopped.
    result = connector_client(london).add_order(body)

    call_command("settle_submissions", stdout=StringIO())

    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.POSTED
    assert submission.order_id == result.order_id
    assert submission.error_message == ""
    assert submission.events.last().cause == EventCause.RECONCILIATION


def test_command_settles_unsent_pending_as_not_posted(london, front_desk_user, sandbox, seed):
    submission, _body = crashed_submission(
        property=london,
        user=front_desk_user,
        charge=gross_charge(seed),
        sent=False,
        age=timedelta(minutes=5),
    )

    call_command("settle_submissions", stdout=StringIO())

    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.NOT_POSTED


def test_command_settles_sent_absent_pending_as_not_posted(london, front_desk_user, sandbox, seed):
    submission, _body = crashed_submission(
        property=london,
        user=front_desk_user,
        charge=gross_charge(seed),
        sent=True,
        age=timedelta(minutes=5),
    )

    call_command("settle_submissions", stdout=StringIO())

    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.NOT_POSTED


def test_command_leaves_young_pending(london, front_desk_user, sandbox, seed):
    submission, _body = crashed_submission(
        property=london,
        user=front_desk_user,
        charge=gross_charge(seed),
        sent=True,
        age=timedelta(seconds=5),
    )

    output = StringIO()
    call_command("settle_submissions", stdout=output)

    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.PENDING
    assert "Nothing to settle" in output.getvalue()


def test_command_keeps_unknown_when_read_fails(london, front_desk_user, sandbox, seed):
    from tests.charges.sandbox_helpers import inject_fault

    inject_fault(sandbox, operation="orders/add", fail_status=503, fail_count=1)
    submission = post_charge(user=front_desk_user, property=london, charge=gross_charge(seed))
    inject_fault(sandbox, operation="orderItems/getAll", fail_status=401, fail_count=5)

    call_command("settle_submissions", stdout=StringIO())

    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.UNKNOWN


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_post_charge_concurrent_same_key_posts_once(london, front_desk_user, sandbox, seed):
    if connection.vendor != "postgresql":
        pytest.skip("Concurrent requests need PostgreSQL; SQLite serialises every writer.")
    charge = gross_charge(seed, key=uuid.uuid4())
    get_catalogue(london)
    barrier = threading.Barrier(4)
    results, failures = [], []

    def submit():
        try:
            barrier.wait()
            results.append(post_charge(user=front_desk_user, property=london, charge=charge))
        except Exception as error:  # noqa: BLE001 - reported by the asserts below
            failures.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=submit) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert failures == []
    assert len({submission.pk for submission in results}) == 1
    assert orders_add_calls(sandbox) == 1
    assert Submission.objects.filter(key=charge.key).count() == 1
