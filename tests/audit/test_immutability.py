import pytest
from django.contrib.auth.models import Permission
from django.db import IntegrityError, connection, transaction
from django.db.models.deletion import ProtectedError
from django.urls import reverse

from orderdesk.charges.immutable import ImmutableRecordError
from orderdesk.charges.models import (
    EventCause,
    Submission,
    SubmissionEvent,
    SubmissionStatus,
)


@pytest.fixture
def submission(make_submission, manager_user):
    return make_submission(user=manager_user)


@pytest.fixture
def event(submission):
    return SubmissionEvent.objects.create(
        submission=submission, status=SubmissionStatus.POSTED, cause=EventCause.POSTING
    )


@pytest.fixture
def superuser_client(client, admin_user):
    client.force_login(admin_user)
    return client


def test_submission_delete_raises(submission):
    with pytest.raises(ImmutableRecordError):
        submission.delete()

    assert Submission.objects.filter(pk=submission.pk).exists()


def test_submission_queryset_delete_raises(submission):
    with pytest.raises(ImmutableRecordError):
        Submission.objects.all().delete()

    with pytest.raises(ImmutableRecordError):
        Submission.objects.filter(pk=submission.pk).delete()

    assert Submission.objects.filter(pk=submission.pk).exists()


def test_submission_status_update_allowed(submission):
    # The posting and settling services record outcomes on the submission itself.
    submission.status = SubmissionStatus.UNKNOWN
    submission.save(update_fields=["status"])

    assert Submission.objects.get(pk=submission.pk).status == SubmissionStatus.UNKNOWN


def test_event_delete_raises(event):
    with pytest.raises(ImmutableRecordError):
        event.delete()

    with pytest.raises(ImmutableRecordError):
        SubmissionEvent.objects.filter(pk=event.pk).delete()

    with pytest.raises(ImmutableRecordError):
        event.submission.events.all().delete()

    assert SubmissionEvent.objects.filter(pk=event.pk).exists()


def test_event_save_existing_raises(event):
    event.detail = "rewritten"

    with pytest.raises(ImmutableRecordError):
        event.save()

    with pytest.raises(ImmutableRecordError):
        SubmissionEvent.objects.get(pk=event.pk).save(update_fields=["detail"])

    assert SubmissionEvent.objects.get(pk=event.pk).detail == ""


def test_event_update_raises(event):
    with pytest.raises(ImmutableRecordError):
        SubmissionEvent.objects.filter(pk=event.pk).update(status=SubmissionStatus.REJECTED)

    with pytest.raises(ImmutableRecordError):
        event.submission.events.update(detail="rewritten")

    event.status = SubmissionStatus.REJECTED
    with pytest.raises(ImmutableRecordError):
        SubmissionEvent.objects.bulk_update([event], ["status"])

    assert SubmissionEvent.objects.get(pk=event.pk).status == SubmissionStatus.POSTED


def test_event_forced_update_of_new_instance_raises(event):
    copy = SubmissionEvent(
        pk=event.pk,
        submission=event.submission,
        status=SubmissionStatus.REJECTED,
        cause=EventCause.MANAGER,
    )

    with pytest.raises(ImmutableRecordError):
        copy.save(force_update=True)

    assert SubmissionEvent.objects.get(pk=event.pk).status == SubmissionStatus.POSTED


def test_event_append_allowed(submission, event):
    SubmissionEvent.objects.create(
        submission=submission, status=SubmissionStatus.POSTED, cause=EventCause.RECONCILIATION
    )

    assert submission.events.count() == 2


def test_user_with_submissions_cannot_be_deleted(submission, manager_user):
    with pytest.raises(ProtectedError):
        manager_user.delete()


def test_property_with_submissions_cannot_be_deleted(submission, audit_property):
    with pytest.raises(ProtectedError):
        audit_property.delete()


def admin_urls(submission, event):
    return {
        "submission change": reverse("admin:charges_submission_change", args=[submission.pk]),
        "submission delete": reverse("admin:charges_submission_delete", args=[submission.pk]),
        "submission add": reverse("admin:charges_submission_add"),
        "event change": reverse("admin:charges_submissionevent_change", args=[event.pk]),
        "event delete": reverse("admin:charges_submissionevent_delete", args=[event.pk]),
        "event add": reverse("admin:charges_submissionevent_add"),
    }


def test_admin_superuser_can_view_not_edit(superuser_client, submission, event):
    urls = admin_urls(submission, event)

    change_page = superuser_client.get(urls["submission change"])
    assert change_page.status_code == 200
    content = change_page.content.decode()
    assert 'name="_save"' not in content
    assert "deletelink" not in content
    assert submission.order_id in content
    assert superuser_client.get(urls["event change"]).status_code == 200

    for name in ("submission add", "event add", "submission delete", "event delete"):
        assert superuser_client.get(urls[name]).status_code == 403, name


def test_admin_superuser_post_changes_nothing(superuser_client, submission, event):
    urls = admin_urls(submission, event)

    superuser_client.post(urls["submission change"], {"status": "rejected", "order_id": "x"})
    superuser_client.post(urls["event change"], {"status": "rejected", "detail": "x"})
    superuser_client.post(urls["submission delete"], {"post": "yes"})
    superuser_client.post(urls["event delete"], {"post": "yes"})
    superuser_client.post(urls["submission add"], {"status": "posted"})
    superuser_client.post(urls["event add"], {"status": "posted"})

    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.POSTED
    assert submission.order_id.startswith("order-")
    assert SubmissionEvent.objects.get(pk=event.pk).detail == ""
    assert Submission.objects.count() == 1
    assert SubmissionEvent.objects.count() == 1


def test_admin_changelist_offers_no_actions(superuser_client, submission, event):
    changelist = reverse("admin:charges_submission_changelist")

    response = superuser_client.get(changelist)
    assert response.status_code == 200
    assert 'name="action"' not in response.content.decode()

    response = superuser_client.post(
        changelist, {"action": "delete_selected", "_selected_action": [submission.pk]}
    )
    assert Submission.objects.filter(pk=submission.pk).exists()

    events = reverse("admin:charges_submissionevent_changelist")
    assert 'name="action"' not in superuser_client.get(events).content.decode()


def test_admin_staff_with_every_permission_cannot_edit(
    client, administrator_user, submission, event
):
    # Even a staff user granted the model permissions directly gets no way to edit.
    administrator_user.user_permissions.add(
        *Permission.objects.filter(content_type__app_label="charges")
    )
    client.force_login(administrator_user)

    change = reverse("admin:charges_submission_change", args=[submission.pk])
    assert 'name="_save"' not in client.get(change).content.decode()
    delete = reverse("admin:charges_submission_delete", args=[submission.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert Submission.objects.filter(pk=submission.pk).exists()


def test_admin_administrator_role_cannot_see_submissions(administrator_client, submission):
    change = reverse("admin:charges_submission_change", args=[submission.pk])

    assert administrator_client.get(change).status_code in (302, 403)


@pytest.mark.parametrize("method", ["put", "patch", "delete"])
def test_audit_views_reject_writes(manager_client, submission, method):
    for url in (
        reverse("audit:list"),
        reverse("audit:detail", args=[submission.pk]),
        reverse("audit:export"),
    ):
        assert getattr(manager_client, method)(url).status_code == 405, url

    assert Submission.objects.filter(pk=submission.pk).exists()


@pytest.fixture
def postgresql(db):
    if connection.vendor != "postgresql":
        pytest.skip("The database triggers exist only on PostgreSQL.")


@pytest.mark.postgres
@pytest.mark.parametrize(
    "statement",
    [
        "DELETE FROM charges_submission",
        "DELETE FROM charges_submissionevent",
        "UPDATE charges_submissionevent SET detail = 'rewritten'",
    ],
)
def test_database_rejects_raw_sql(postgresql, event, statement):
    with pytest.raises(IntegrityError, match="are permanent"), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(statement)

    assert SubmissionEvent.objects.get(pk=event.pk).detail == ""


@pytest.mark.postgres
def test_database_allows_submission_update(postgresql, submission):
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE charges_submission SET status = 'unknown' WHERE id = %s", [submission.pk]
        )

    assert Submission.objects.get(pk=submission.pk).status == SubmissionStatus.UNKNOWN
