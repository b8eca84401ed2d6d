"""Posting a charge to Mews at most once per submission key, recorded before the call.

The order of steps is what makes a charge safe to post:
1. the Submission row (status pending, the request without tokens, the unique key) is created
   and committed before Mews is called;
2. orders/add is called outside any database transaction;
3. the outcome is written in one transaction together with a SubmissionEvent.
orders/add has no idempotency key, so the unique submission key is what keeps a second request
of the same form (double click, Back and resubmit, two requests at once) from posting again.
"""

import logging
import time
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from orderdesk.charges import accounts
from orderdesk.charges.catalogue import Catalogue, get_catalogue
from orderdesk.charges.charge import Charge, build_order_body, charge_totals, totals_as_json
from orderdesk.charges.models import EventCause, Submission, SubmissionEvent, SubmissionStatus
from orderdesk.connections.models import Property
from orderdesk.connections.services import connector_client
from orderdesk.connector.errors import (
    ConflictError,
    ConnectorError,
    InvalidRequestError,
    NotFoundError,
    PayloadTooLargeError,
    RateLimitedError,
    RequestTimeoutError,
    RuleViolationError,
    ServerError,
    TransportError,
    UnauthorizedError,
)

logger = logging.getLogger(__name__)

REJECTED_ERRORS = (
    InvalidRequestError,
    UnauthorizedError,
    RuleViolationError,
    NotFoundError,
    ConflictError,
    PayloadTooLargeError,
)
UNKNOWN_ERRORS = (RequestTimeoutError, ServerError)


# Raised by post_charge for a rule orderdesk checks before calling Mews.
ChargeRefused = accounts.AccountRefused


class KeyOfAnotherUser(Exception):
    """The submission key belongs to another user's submission."""


@dataclass(frozen=True)
class Outcome:
    status: str
    order_id: str = ""
    request_id: str = ""
    http_status: int | None = None
    message: str = ""


def postable_properties(user):
    """Return the active properties the user may post charges for."""
    return user.properties.filter(is_active=True)


def check_may_post(*, user, property: Property) -> None:
    """Raise PermissionDenied unless the user may post charges for this property."""
    if not user.has_perm("charges.post_charge"):
        raise PermissionDenied
    if not postable_properties(user).filter(pk=property.pk).exists():
        raise PermissionDenied


def check_price_permissions(*, user, charge: Charge) -> None:
    """Raise ChargeRefused for a price override or a negative price the user may not post."""
    overrides = [line.unit_price for line in charge.product_lines if line.unit_price is not None]
    if overrides and not user.has_perm("charges.override_price"):
        raise ChargeRefused(_("You may not override product prices."))
    prices = overrides + [item.unit_price for item in charge.custom_items]
    if any(price < 0 for price in prices) and not user.has_perm("charges.post_rebate"):
        raise ChargeRefused(
            _("Negative prices (rebates and discounts) need the rebate permission.")
        )


def post_charge(*, user, property: Property, charge: Charge) -> Submission:
    """Post the charge through orders/add once per submission key and return its record.

    A key that was already used returns the first attempt's record without calling Mews.
    Raises PermissionDenied when the user may not post for the property, ChargeRefused for a
    rule orderdesk checks itself (for example a Cashlist guest) and KeyOfAnotherUser when the
    key was used by another user.
    """
    check_may_post(user=user, property=property)
    check_price_permissions(user=user, charge=charge)

    existing = Submission.objects.filter(key=charge.key).first()
    if existing is not None:
        return _previous_attempt(existing, user=user)

    catalogue = get_catalogue(property)
    account = accounts.verify_account(
        property=property,
        account_id=charge.account.id,
        account_type=charge.account.type,
        bill_id=charge.bill_id,
        reservation_id=charge.linked_reservation_id,
    )
    body = build_order_body(charge, catalogue)
    submission, created = _create_pending(
        user=user,
        property=property,
        charge=charge,
        body=body,
        catalogue=catalogue,
        account_name=account.name,
    )
    if not created:
        return _previous_attempt(submission, user=user)

    outcome = _call_orders_add(property=property, submission=submission, body=body)
    submission = record_outcome(
        submission=submission, outcome=outcome, cause=EventCause.POSTING, actor=user
    )
    if submission.status == SubmissionStatus.UNKNOWN:
        from orderdesk.charges.reconciliation import settle_submission

        submission = settle_submission(submission=submission, actor=user, cause=EventCause.POSTING)
    return submission


def submission_key_used(key) -> bool:
    """Return whether a submission with this key exists, so the form was sent before."""
    return Submission.objects.filter(key=key).exists()


def _previous_attempt(submission: Submission, *, user) -> Submission:
    if submission.user_id != user.pk:
        raise KeyOfAnotherUser
    logger.info("Submission %s was sent again; Mews is not called twice", submission.pk)
    return submission


def json_safe(value):
    """Return `value` with Decimals as JSON numbers (as strings when a float would round them)."""
    if isinstance(value, dict):
        return {key: json_safe(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [json_safe(item) for item in value]
    if isinstance(value, Decimal):
        if value == value.to_integral_value():
            return int(value)
        as_float = float(value)
        return as_float if Decimal(repr(as_float)) == value else str(value)
    return value


def _create_pending(
    *,
    user,
    property: Property,
    charge: Charge,
    body: dict,
    catalogue: Catalogue,
    account_name: str,
) -> tuple[Submission, bool]:
    """Create and commit the pending record, or return the one another request created."""
    totals = charge_totals(
        product_lines=charge.product_lines,
        custom_items=charge.custom_items,
        catalogue=catalogue,
    )
    first = next(iter(totals.values()), None)
    service = catalogue.services.get(charge.service_id)
    defaults = {
        "user": user,
        "property": property,
        "enterprise_id": property.enterprise_id or catalogue.enterprise_id,
        "service_id": charge.service_id,
        "service_name": service.name if service else "",
        "account_id": charge.account.id,
        "account_type": charge.account.type,
        "account_name": account_name or charge.account.name,
        # build_order_body never adds tokens; the client adds them when it sends.
        "request_body": json_safe(body),
        "line_count": charge.line_count,
        "totals": totals_as_json(totals),
        "total_amount": first.gross if first else None,
        "currency": first.currency if first else "",
    }
    try:
        # durable=True raises RuntimeError inside an outer transaction, which would keep the
        # pending row uncommitted while Mews is called.
        with transaction.atomic(durable=True):
            submission, created = Submission.objects.get_or_create(
                key=charge.key, defaults=defaults
            )
            if created:
                SubmissionEvent.objects.create(
                    submission=submission,
                    status=SubmissionStatus.PENDING,
                    cause=EventCause.POSTING,
                    actor=user,
                )
    except IntegrityError:
        # Another request with the same key committed its row between our read and insert.
        return Submission.objects.get(key=charge.key), False
    return submission, created


def _error_outcome(status: str, error: ConnectorError) -> Outcome:
    return Outcome(
        status=status,
        request_id=error.request_id or "",
        http_status=error.status,
        message=error.message,
    )


def _call_orders_add(*, property: Property, submission: Submission, body: dict) -> Outcome:
    """Send orders/add for a committed pending record and classify what happened."""
    submission.sent_at = timezone.now()
    Submission.objects.filter(pk=submission.pk).update(sent_at=submission.sent_at)
    started = time.monotonic()

    try:
        client = connector_client(property)
        result = client.add_order(body)
    except ValueError as error:
        # The client refuses a body it cannot encode exactly, before anything is sent.
        logger.warning("orders/add not sent for submission %s: %s", submission.pk, error)
        return Outcome(status=SubmissionStatus.NOT_POSTED, message=str(error))
    except REJECTED_ERRORS as error:
        logger.warning(
            "orders/add rejected for submission %s: status %s, Request-Id %s",
            submission.pk,
            error.status,
            error.request_id,
        )
        if isinstance(error, UnauthorizedError):
            # Administrators see the last authorisation failure on the connections page.
            Property.objects.filter(pk=property.pk).update(
                last_auth_failure_at=timezone.now(),
                last_auth_failure_request_id=error.request_id or "",
            )
        return _error_outcome(SubmissionStatus.REJECTED, error)
    except RateLimitedError as error:
        logger.warning(
            "orders/add not sent for submission %s: rate limited, retry after %s s",
            submission.pk,
            error.retry_after,
        )
        return _error_outcome(SubmissionStatus.NOT_POSTED, error)
    except UNKNOWN_ERRORS as error:
        logger.warning(
            "orders/add outcome unknown for submission %s: status %s, Request-Id %s",
            submission.pk,
            error.status,
            error.request_id,
        )
        return _error_outcome(SubmissionStatus.UNKNOWN, error)
    except TransportError as error:
        status = (
            SubmissionStatus.UNKNOWN if error.may_have_reached_mews else SubmissionStatus.NOT_POSTED
        )
        logger.warning(
            "orders/add transport failure for submission %s (%s): %s",
            submission.pk,
            status,
            type(error.__cause__).__name__ if error.__cause__ else "no cause",
        )
        return Outcome(status=status, message=error.message)
    except ConnectorError as error:
        # Any other client error (an unreadable response, for example) came after sending.
        logger.warning(
            "orders/add failed for submission %s: %s, Request-Id %s",
            submission.pk,
            type(error).__name__,
            error.request_id,
        )
        return _error_outcome(SubmissionStatus.UNKNOWN, error)

    duration_ms = getattr(result, "duration_ms", None)
    if duration_ms is None:
        duration_ms = round((time.monotonic() - started) * 1000)
    logger.info(
        "Charge posted: submission %s, OrderId %s, Request-Id %s, %s ms",
        submission.pk,
        result.order_id,
        result.request_id,
        duration_ms,
    )
    submission.duration_ms = round(duration_ms)
    return Outcome(
        status=SubmissionStatus.POSTED,
        order_id=result.order_id,
        request_id=result.request_id or "",
        http_status=200,
    )


# Statuses a submission can still leave; posted, rejected and not posted are final.
OPEN_STATUSES = (SubmissionStatus.PENDING, SubmissionStatus.UNKNOWN)


def record_outcome(
    *, submission: Submission, outcome: Outcome, cause: str, actor=None
) -> Submission:
    """Write an outcome and its SubmissionEvent in one transaction; return the fresh record.

    A submission whose status is already final is left as it is, so two settling processes
    that race record one outcome.
    """
    with transaction.atomic():
        locked = Submission.objects.select_for_update().get(pk=submission.pk)
        if locked.status not in OPEN_STATUSES:
            return locked
        if locked.status == outcome.status == SubmissionStatus.UNKNOWN:
            return locked

        locked.status = outcome.status
        if outcome.order_id:
            locked.order_id = outcome.order_id
        # The record keeps the Request-Id and status of orders/add; a later read-back has
        # its own Request-Id, which the event stores.
        if cause == EventCause.POSTING:
            locked.request_id = outcome.request_id or locked.request_id
            if outcome.http_status is not None:
                locked.http_status = outcome.http_status
        if outcome.status == SubmissionStatus.POSTED:
            # A posted charge has no error; how it was found stays in the event's detail.
            locked.error_message = ""
        elif outcome.message:
            locked.error_message = outcome.message
        if submission.duration_ms is not None and locked.duration_ms is None:
            locked.duration_ms = submission.duration_ms
        if outcome.status not in OPEN_STATUSES:
            locked.completed_at = timezone.now()
        locked.save()
        SubmissionEvent.objects.create(
            submission=locked,
            status=outcome.status,
            cause=cause,
            actor=actor,
            detail=outcome.message,
            request_id=outcome.request_id,
            order_id=outcome.order_id,
        )
    return locked


def user_message(submission: Submission) -> str:
    """Return the message shown to staff for a submission that did not post."""
    request_id = submission.request_id or _("none")
    status = submission.status
    if status == SubmissionStatus.REJECTED:
        if submission.http_status == 403:
            return _("Mews refused the charge: %(message)s (Request-Id %(request_id)s)") % {
                "message": submission.error_message,
                "request_id": request_id,
            }
        if submission.http_status == 401:
            return _(
                "The connection to Mews is not authorised for this property; ask an "
                "administrator to check its tokens. (Request-Id %(request_id)s)"
            ) % {"request_id": request_id}
        if submission.http_status == 409:
            return _(
                "The data changed in Mews while the charge was posted; check the account "
                "and post again. (Request-Id %(request_id)s)"
            ) % {"request_id": request_id}
        return _(
            "Mews did not accept the charge and the integration needs attention; tell an "
            "administrator. (Request-Id %(request_id)s)"
        ) % {"request_id": request_id}
    if status == SubmissionStatus.NOT_POSTED:
        if submission.http_status == 429:
            return _(
                "Mews is busy for this property and the charge was not posted; post it again "
                "in a minute."
            )
        return _("The charge was not posted because Mews could not be reached; post it again.")
    if status in OPEN_STATUSES:
        return _(
            "The outcome of this charge is not known yet and is being checked with Mews. "
            "Do not post it again; see My submissions for its status."
        )
    return ""
