from decimal import Decimal
from unittest.mock import ANY

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings

from orderdesk.audit.generation import generate_submissions
from orderdesk.charges.models import Submission, SubmissionEvent, SubmissionStatus


@override_settings(DEBUG=True)
def test_generate_submissions_command_inserts_count(db, capsys):
    call_command("generate_submissions", "--count", "30", "--users", "3", "--accounts", "10")

    assert Submission.objects.count() == 30
    assert "Inserted 30 submissions" in capsys.readouterr().out


def test_generate_submissions_realistic_rows(db):
    generate_submissions(count=200, users=4, accounts=20, batch_size=64, seed=3)

    submissions = list(Submission.objects.select_related("user", "property"))
    assert len(submissions) == 200
    assert len({s.user_id for s in submissions}) == 4
    assert len({s.property_id for s in submissions}) > 1
    assert {s.status for s in submissions} >= {SubmissionStatus.POSTED, SubmissionStatus.REJECTED}
    for submission in submissions:
        assert submission.line_count == len(submission.request_body["Items"])
        assert submission.totals == {submission.currency: ANY}
        assert Decimal(submission.totals[submission.currency]) == submission.total_amount
        assert "ClientToken" not in submission.request_body
        assert "AccessToken" not in submission.request_body
        assert (submission.order_id != "") == (submission.status == SubmissionStatus.POSTED)
    created = sorted(s.created_at for s in submissions)
    assert created == [s.created_at for s in sorted(submissions, key=lambda s: s.pk)]
    expected_events = sum(s.status != SubmissionStatus.PENDING for s in submissions)
    assert SubmissionEvent.objects.count() == expected_events


def test_generate_submissions_twice_reuses_users(db):
    generate_submissions(count=5, users=2, accounts=5)
    generate_submissions(count=5, users=2, accounts=5)

    assert Submission.objects.count() == 10
    assert Submission.objects.values("user").distinct().count() <= 2


@override_settings(DEBUG=False, DEMO_MODE=False)
def test_generate_submissions_command_refuses_in_production(db):
    with pytest.raises(CommandError, match="DEBUG=1 or ORDERDESK_DEMO=1"):
        call_command("generate_submissions", "--count", "5")

    assert Submission.objects.count() == 0


@pytest.mark.parametrize("option", ["--count", "--days", "--users", "--accounts", "--batch-size"])
@override_settings(DEBUG=True)
def test_generate_submissions_command_rejects_non_positive(db, option):
    arguments = {"--count": "5", option: "0"}
    argv = [item for pair in arguments.items() for item in pair]

    with pytest.raises(CommandError, match=f"{option} must be a positive number, got 0"):
        call_command("generate_submissions", *argv)
