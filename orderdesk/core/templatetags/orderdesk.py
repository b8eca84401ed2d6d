import zoneinfo

from django import template
from django.utils import dateformat, timezone

register = template.Library()

PROPERTY_TIME_FORMAT = "Y-m-d H:i T"


@register.filter
def property_time(value, property):
    """Format an aware datetime in the property's time zone, or in UTC while it is unknown.

    The result is text: Django's date filter would convert the time back to the active zone.
    """
    if value is None:
        return ""
    name = getattr(property, "time_zone", "")
    try:
        zone = zoneinfo.ZoneInfo(name) if name else zoneinfo.ZoneInfo("UTC")
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        zone = zoneinfo.ZoneInfo("UTC")
    return dateformat.format(timezone.localtime(value, zone), PROPERTY_TIME_FORMAT)
