from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse

from orderdesk.audit.selectors import request_without_credentials
from orderdesk.charges.models import EventCause, SubmissionEvent, SubmissionStatus


def detail_url(submission):
    return reverse("audit:detail", args=[submission.pk])


@pytest.fixture
def submission(make_submission, front_desk_user):
    return make_submission(user=front_desk_user)


def test_detail_anonymous_redirects_to_login(client, submission):
    response = client.get(detail_url(submission))

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_detail_outsider_forbidden(outsider_client, submission):
    assert outsider_client.get(detail_url(submission)).status_code == 403


def test_detail_administrator_forbidden(administrator_client, submission):
    assert administrator_client.get(detail_url(submission)).status_code == 403


def test_detail_manager_sees_any(manager_client, submission):
    assert manager_client.get(detail_url(submission)).status_code == 200


def test_detail_front_desk_sees_own(front_desk_client, submission):
    assert front_desk_client.get(detail_url(submission)).status_code == 200


def test_detail_front_desk_other_user_not_found(front_desk_client, make_submission, manager_user):
    theirs = make_submission(user=manager_user)

    assert front_desk_client.get(detail_url(theirs)).status_code == 404


def test_detail_missing_not_found(manager_client, db):
    assert manager_client.get(reverse("audit:detail", args=[999999])).status_code == 404


def test_detail_shows_request_response_and_timings(manager_client, make_submission, manager_user):
    sent = datetime(2026, 11, 20, 12, 0, 1, tzinfo=UTC)
    submission = make_submission(
        user=manager_user,
        status=SubmissionStatus.REJECTED,
        order_id="",
        request_id="req-123",
        http_status=403,
        error_message="The bill is already closed.",
        sent_at=sent,
        completed_at=sent + timedelta(milliseconds=420),
        duration_ms=420,
    )

    content = manager_client.get(detail_url(submission)).content.decode()

    assert "Crème brûlée" in content
    assert "req-123" in content
    assert "403" in content
    assert "The bill is already closed." in content
    assert "420 ms" in content
    assert "2026-11-20 12:00:01" in content


def test_detail_never_shows_tokens(manager_client, make_submission, manager_user, audit_property):
    # A body stored with credentials by mistake. The values are short because the test
    # run's token watch would otherwise count this deliberate row as a leak.
    submission = make_submission(
        user=manager_user,
        request_body={
            "ClientToken": "ct-secret",
            "AccessToken": "at-secret",
            "ServiceId": "service-restaurant",
            "Nested": [{"accesstoken": "nested-at"}],
        },
    )

    content = manager_client.get(detail_url(submission)).content.decode()

    assert "ct-secret" not in content
    assert "at-secret" not in content
    assert "nested-at" not in content
    assert "ClientToken" not in content.split("<code>")[1].split("</code>")[0]
    assert audit_property.access_token not in content
    assert audit_property.connection.client_token not in content
    assert "service-restaurant" in content


def test_request_without_credentials_keeps_other_keys():
    body = {"ClientToken": "a", "Items": [{"Name": "Tea", "AccessToken": "b"}], "Client": "x"}

    assert request_without_credentials(body) == {"Items": [{"Name": "Tea"}], "Client": "x"}


def test_detail_shows_event_history(manager_client, make_submission, manager_user):
    submission = make_submission(user=manager_user, status=SubmissionStatus.POSTED)
    start = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
    SubmissionEvent.objects.create(
        submission=submission,
        created_at=start,
        status=SubmissionStatus.UNKNOWN,
        cause=EventCause.POSTING,
        detail="Timed out after sending.",
    )
    SubmissionEvent.objects.create(
        submission=submission,
        created_at=start + timedelta(minutes=5),
        status=SubmissionStatus.POSTED,
        cause=EventCause.MANAGER,
        actor=manager_user,
        request_id="req-readback",
    )

    response = manager_client.get(detail_url(submission))
    content = response.content.decode()

    assert [event.status for event in response.context["events"]] == ["unknown", "posted"]
    assert "Timed out after sending." in content
    assert "Posting service" in content
    assert "Manager" in content
    assert manager_user.get_full_name() in content
    assert "req-readback" in content
    assert "2026-11-20 12:05:00" in content


def test_detail_links_same_account(manager_client, make_submission, manager_user):
    submission = make_submission(user=manager_user, account_id="acc-shared")
    earlier = make_submission(
        user=manager_user,
        account_id="acc-shared",
        created_at=submission.created_at - timedelta(days=1),
    )
    unrelated = make_submission(user=manager_user, account_id="acc-other")

    response = manager_client.get(detail_url(submission))
    content = response.content.decode()

    assert [other.pk for other in response.context["others"]] == [earlier.pk]
    assert detail_url(earlier) in content
    assert detail_url(unrelated) not in content
    assert f"{reverse('audit:list')}?account_id=acc-shared" in content


def test_detail_front_desk_links_only_own(
    front_desk_client, make_submission, front_desk_user, manager_user
):
    submission = make_submission(user=front_desk_user, account_id="acc-shared")
    make_submission(user=manager_user, account_id="acc-shared")

    response = front_desk_client.get(detail_url(submission))

    assert response.context["others"] == []


def test_detail_settle_button_for_unknown(manager_client, make_submission, manager_user):
    unknown = make_submission(user=manager_user, status=SubmissionStatus.UNKNOWN)
    posted = make_submission(user=manager_user, status=SubmissionStatus.POSTED)
    settle_url = reverse("audit:settle", args=[unknown.pk])

    assert settle_url in manager_client.get(detail_url(unknown)).content.decode()
    assert "/settle/" not in manager_client.get(detail_url(posted)).content.decode()


def test_detail_no_settle_button_for_front_desk(
    front_desk_client, make_submission, front_desk_user
):
    unknown = make_submission(user=front_desk_user, status=SubmissionStatus.UNKNOWN)

    assert "/settle/" not in front_desk_client.get(detail_url(unknown)).content.decode()


def test_detail_post_not_allowed(manager_client, submission):
    assert manager_client.post(detail_url(submission)).status_code == 405


def test_detail_out_of_range_id_not_found(manager_client, db):
    url = reverse("audit:detail", args=[2**70])

    assert manager_client.get(url).status_code == 404
