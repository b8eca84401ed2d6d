import json
import logging

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_POST

from orderdesk.audit.export import stream_csv
from orderdesk.audit.filters import SubmissionFilter
from orderdesk.audit.pagination import Cursor, InvalidCursor, keyset_page
from orderdesk.audit.selectors import (
    list_rows,
    other_submissions_for_account,
    property_time_zone,
    request_without_credentials,
    submissions_visible_to,
)
from orderdesk.charges.models import EventCause, SubmissionStatus
from orderdesk.charges.reconciliation import settle_submission
from orderdesk.charges.services import OPEN_STATUSES

logger = logging.getLogger(__name__)

INVALID_CURSOR_MESSAGE = _("The page link is invalid, so the newest submissions are shown.")
INVALID_FILTER_MESSAGE = _("Some filters are invalid. Correct them to see submissions.")
NOT_SETTLEABLE_MESSAGE = _(
    "Only a submission whose outcome is unknown or pending can be settled. "
    'Its status is already "%(status)s".'
)
SETTLED_MESSAGES = {
    SubmissionStatus.POSTED: _("Mews has the order, so the submission is now posted."),
    SubmissionStatus.NOT_POSTED: _("Mews has no such order, so the submission is not posted."),
}
STILL_UNKNOWN_MESSAGE = _(
    "Mews could not confirm the outcome yet, so it is still open. Try again in a few minutes."
)
# Pending and unknown: the statuses that settling can still change.
SETTLEABLE_STATUSES = OPEN_STATUSES


def _filterset(request: HttpRequest, queryset) -> SubmissionFilter:
    return SubmissionFilter(
        request.GET,
        queryset=queryset,
        request=request,
        show_user_filter=request.user.has_perm("charges.view_all_submissions"),
    )


def _cursor(request: HttpRequest, name: str) -> Cursor | None:
    value = request.GET.get(name)
    if not value:
        return None
    try:
        return Cursor.decode(value)
    except InvalidCursor:
        messages.warning(request, INVALID_CURSOR_MESSAGE)
        return None


@require_GET
def submission_list(request: HttpRequest) -> HttpResponse:
    """List the submissions the user may see, newest first, filtered by the URL parameters."""
    filterset = _filterset(request, submissions_visible_to(request.user))

    if filterset.is_valid():
        queryset = list_rows(filterset.qs)
    else:
        messages.error(request, INVALID_FILTER_MESSAGE)
        queryset = filterset.queryset.none()
    page = keyset_page(queryset, after=_cursor(request, "after"), before=_cursor(request, "before"))

    return render(
        request,
        "audit/list.html",
        {
            "filter": filterset,
            "page": page,
            "time_zone": filterset.time_zone(),
            "can_export": request.user.has_perm("charges.export_submissions"),
        },
    )


@require_GET
def submission_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Show one submission: the request as sent, Mews' response, timings and status history."""
    visible = submissions_visible_to(request.user)
    # The property's AccessToken is neither shown nor needed here, so it is not decrypted.
    related = visible.select_related("user", "property").defer("property__access_token")
    submission = get_object_or_404(related, pk=pk)
    request_text = json.dumps(
        request_without_credentials(submission.request_body), indent=2, ensure_ascii=False
    )

    return render(
        request,
        "audit/detail.html",
        {
            "submission": submission,
            "request_text": request_text,
            "events": submission.events.select_related("actor"),
            "others": other_submissions_for_account(visible, submission=submission),
            "time_zone": property_time_zone(submission.property),
            "can_settle": request.user.has_perm("charges.settle_submission")
            and submission.status in SETTLEABLE_STATUSES,
        },
    )


# Maximum length of a filter query sent back to the list. Django 5.2 refuses redirects over 16,384
# characters and gunicorn request lines over 4,094 bytes, so a longer query gets the plain list.
MAX_REDIRECT_QUERY = 2000


@require_GET
@permission_required("charges.export_submissions", raise_exception=True)
def submission_export(request: HttpRequest) -> HttpResponse:
    """Stream the filtered submissions as CSV, one row per submission."""
    filterset = _filterset(request, submissions_visible_to(request.user))
    if not filterset.is_valid():
        # The list shows the same filters with their errors and the message. A query too long
        # for a redirect (see MAX_REDIRECT_QUERY) goes to the plain list.
        query = request.GET.urlencode()
        if len(query) > MAX_REDIRECT_QUERY:
            messages.error(request, INVALID_FILTER_MESSAGE)
            return redirect("audit:list")
        return redirect(f"{reverse('audit:list')}?{query}")

    logger.info("User %s exported submissions", request.user.pk)
    filename = timezone.now().strftime("submissions-%Y%m%d-%H%M%S.csv")
    response = StreamingHttpResponse(stream_csv(filterset.qs), content_type="text/csv")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_POST
@permission_required("charges.settle_submission", raise_exception=True)
def submission_settle(request: HttpRequest, pk: int) -> HttpResponse:
    """Read back an unknown or pending submission from Mews and record the outcome."""
    submission = get_object_or_404(submissions_visible_to(request.user), pk=pk)
    if submission.status not in SETTLEABLE_STATUSES:
        messages.error(
            request, NOT_SETTLEABLE_MESSAGE % {"status": submission.get_status_display()}
        )
        return redirect("audit:detail", pk=pk)

    submission = settle_submission(
        submission=submission, actor=request.user, cause=EventCause.MANAGER
    )
    logger.info("User %s settled submission %s: %s", request.user.pk, pk, submission.status)
    if submission.status in SETTLED_MESSAGES:
        messages.success(request, SETTLED_MESSAGES[submission.status])
    else:
        messages.warning(request, STILL_UNKNOWN_MESSAGE)
    return redirect("audit:detail", pk=pk)
