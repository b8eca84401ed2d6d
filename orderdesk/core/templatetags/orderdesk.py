import zoneinfo

from django import template
from django.utils import timezone

register = template.Library()


@register.filter
def in_property_zone(value, property):
    """Convert an aware datetime to the property's time zone, or leave it in UTC if unknown."""
    if value is None:
        return value
    name = getattr(property, "time_zone", "")
    try:
        zone = zoneinfo.ZoneInfo(name) if name else zoneinfo.ZoneInfo("UTC")
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        zone = zoneinfo.ZoneInfo("UTC")
    return timezone.localtime(value, zone)
