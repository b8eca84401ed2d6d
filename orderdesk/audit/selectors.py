"""Reads of the audit history: which submissions a user may see, and the time zone to show."""

import logging
import zoneinfo
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.utils import timezone

from orderdesk.charges.models import Submission
from orderdesk.connections.models import Property

logger = logging.getLogger(__name__)

# Keys of the orders/add body that carry credentials. The posting service strips them before
# the body is stored; the detail page removes them again in case an older row still has one.
CREDENTIAL_KEYS = frozenset({"clienttoken", "accesstoken"})

# Columns the list page shows, so the stored request and error texts are not loaded per row.
LIST_COLUMNS = (
    "id",
    "created_at",
    "user__username",
    "user__first_name",
    "user__last_name",
    "property__name",
    "account_id",
    "account_type",
    "account_name",
    "service_name",
    "line_count",
    "totals",
    "status",
    "order_id",
)


def submissions_visible_to(user) -> QuerySet[Submission]:
    """Return the submissions `user` may see: all for a manager, their own for front desk.

    Raises PermissionDenied for a user with neither permission.
    """
    queryset = Submission.objects.all()
    if user.has_perm("charges.view_all_submissions"):
        return queryset
    if user.has_perm("charges.post_charge"):
        return queryset.filter(user=user)
    raise PermissionDenied


def list_rows(queryset: QuerySet[Submission]) -> QuerySet[Submission]:
    """Return `queryset` with the users and properties joined and only the listed columns."""
    return queryset.select_related("user", "property").only(*LIST_COLUMNS)


def property_time_zone(prop: Property | None) -> zoneinfo.ZoneInfo:
    """Return the time zone of `prop`, or the site's time zone when none is known yet.

    A property learns its zone from Mews the first time its configuration is read.
    """
    name = getattr(prop, "time_zone", "") if prop is not None else ""
    if name:
        try:
            return zoneinfo.ZoneInfo(name)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            logger.warning("Property %s has an unknown time zone %r", prop.pk, name)
    return zoneinfo.ZoneInfo(timezone.get_default_timezone_name())


def filter_time_zone(*, chosen: Property | None, visible: QuerySet[Property]) -> zoneinfo.ZoneInfo:
    """Return the zone that list dates are read in: the chosen property's, else the one zone
    that all visible properties share, else the site's zone."""
    if chosen is not None:
        return property_time_zone(chosen)
    zones = set(visible.exclude(time_zone="").values_list("time_zone", flat=True)[:2])
    if len(zones) == 1:
        return property_time_zone(Property(time_zone=zones.pop()))
    return zoneinfo.ZoneInfo(timezone.get_default_timezone_name())


def request_without_credentials(body: Any) -> Any:
    """Return a copy of a stored request body with every token key removed, at any depth."""
    if isinstance(body, dict):
        return {
            key: request_without_credentials(value)
            for key, value in body.items()
            if key.lower() not in CREDENTIAL_KEYS
        }
    if isinstance(body, list):
        return [request_without_credentials(item) for item in body]
    return body


def other_submissions_for_account(
    queryset: QuerySet[Submission], *, submission: Submission, limit: int = 10
) -> list[Submission]:
    """Return the newest other submissions, among `queryset`, charged to the same account."""
    others = queryset.filter(account_id=submission.account_id).exclude(pk=submission.pk)
    return list(list_rows(others).order_by("-created_at", "-id")[:limit])
