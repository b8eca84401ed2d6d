"""Settling submissions whose outcome is unknown by reading the order back from Mews.

orders/add has no idempotency key, so a timeout, 408, 5xx or dropped connection after sending
leaves the charge possibly posted. Every line carries an ExternalIdentifier derived from the
submission key. Reading orderItems/getAll for the account, the service and a CreatedUtc window
around the attempt shows whether Mews created the order. Found means posted with that OrderId;
absent after SETTLE_GRACE_PERIOD means not posted; anything else leaves the outcome unknown.
"""

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from orderdesk.charges.charge import external_identifier_prefix
from orderdesk.charges.models import EventCause, Submission, SubmissionStatus
from orderdesk.charges.services import OPEN_STATUSES, Outcome, record_outcome
from orderdesk.connections.services import connector_client
from orderdesk.connector.errors import ConnectorError

logger = logging.getLogger(__name__)

# How long after sending an order may still appear in orderItems/getAll. Absence is only
# trusted after this, because Mews may still be processing a slow request.
# NOTE: two minutes is an estimate; Mews documents no time by which a created order is readable.
SETTLE_GRACE_PERIOD = timedelta(minutes=2)
# Margin around the attempt for the CreatedUtc filter, for clock differences with Mews.
CREATED_WINDOW_MARGIN = timedelta(minutes=10)


def stale_pending_after() -> timedelta:
    """Return the age after which a pending submission has no request still waiting for Mews."""
    longest_call = settings.CONNECTOR_CONNECT_TIMEOUT + settings.CONNECTOR_READ_TIMEOUT
    return timedelta(seconds=longest_call + settings.CONNECTOR_MAX_POST_WAIT) + timedelta(
        seconds=30
    )


def settle_submission(
    *, submission: Submission, actor=None, cause: str = EventCause.RECONCILIATION
) -> Submission:
    """Read the submission's order back from Mews and record posted or not posted if certain.

    Only pending and unknown submissions change; others are returned as they are. A pending
    submission younger than `stale_pending_after()` may still have its request in flight and
    is left alone. A read that fails leaves the status as it was.
    """
    submission.refresh_from_db()
    if submission.status not in OPEN_STATUSES:
        return submission
    now = timezone.now()

    if submission.status == SubmissionStatus.PENDING:
        if cause == EventCause.POSTING or now - submission.created_at < stale_pending_after():
            return submission
        if submission.sent_at is None:
            # The process stopped before orders/add was sent, so Mews never saw this charge.
            return record_outcome(
                submission=submission,
                outcome=Outcome(
                    status=SubmissionStatus.NOT_POSTED,
                    message=_("The charge was never sent to Mews."),
                ),
                cause=cause,
                actor=actor,
            )

    try:
        order_id, request_id = _find_order(submission, now=now)
    except ConnectorError as error:
        logger.warning(
            "Could not settle submission %s: %s (status %s, Request-Id %s)",
            submission.pk,
            type(error).__name__,
            error.status,
            error.request_id,
        )
        return _mark_unknown(submission, cause=cause, actor=actor)

    if order_id:
        logger.info("Submission %s settled: posted as OrderId %s", submission.pk, order_id)
        return record_outcome(
            submission=submission,
            outcome=Outcome(
                status=SubmissionStatus.POSTED,
                order_id=order_id,
                request_id=request_id or "",
                message=_("Found in Mews when the outcome was checked."),
            ),
            cause=cause,
            actor=actor,
        )

    sent_at = submission.sent_at or submission.created_at
    if now - sent_at >= SETTLE_GRACE_PERIOD:
        logger.info("Submission %s settled: not posted", submission.pk)
        return record_outcome(
            submission=submission,
            outcome=Outcome(
                status=SubmissionStatus.NOT_POSTED,
                request_id=request_id or "",
                message=_("Not found in Mews after the grace period."),
            ),
            cause=cause,
            actor=actor,
        )
    return _mark_unknown(submission, cause=cause, actor=actor)


def _mark_unknown(submission: Submission, *, cause: str, actor) -> Submission:
    if submission.status == SubmissionStatus.UNKNOWN:
        return submission
    return record_outcome(
        submission=submission,
        outcome=Outcome(
            status=SubmissionStatus.UNKNOWN,
            message=_("The request may have reached Mews; its outcome is being checked."),
        ),
        cause=cause,
        actor=actor,
    )


def _find_order(submission: Submission, *, now: datetime) -> tuple[str, str | None]:
    """Return (OrderId or "", Request-Id) of the order carrying the submission's identifiers."""
    sent_at = submission.sent_at or submission.created_at
    client = connector_client(submission.property)
    items = client.get_order_items(
        account_ids=[submission.account_id],
        created_start=sent_at - CREATED_WINDOW_MARGIN,
        created_end=max(now, sent_at) + CREATED_WINDOW_MARGIN,
        service_ids=[submission.service_id],
    )
    prefix = external_identifier_prefix(submission.key)
    # NOTE: this relies on order items carrying the ExternalIdentifier sent with their product
    # order or item. The sandbox does; for product orders in Mews it is not yet verified.
    request_id = getattr(items, "request_id", None)
    for item in items:
        if (item.external_identifier or "").startswith(prefix) and item.service_order_id:
            return item.service_order_id, request_id
    return "", request_id


def settle_open_submissions(*, now: datetime | None = None) -> dict[str, int]:
    """Settle every unknown submission and every stale pending one; count the results."""
    now = now or timezone.now()
    stale_before = now - stale_pending_after()
    candidates = Submission.objects.filter(status=SubmissionStatus.UNKNOWN) | (
        Submission.objects.filter(status=SubmissionStatus.PENDING, created_at__lt=stale_before)
    )
    counts = {status: 0 for status, _label in SubmissionStatus.choices}
    for submission in candidates.select_related("property__connection").order_by("created_at"):
        settled = settle_submission(submission=submission, cause=EventCause.RECONCILIATION)
        counts[settled.status] += 1
    return counts
