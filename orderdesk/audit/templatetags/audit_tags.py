from django import template

from orderdesk.charges.models import SubmissionStatus

register = template.Library()

# Bootstrap 5 badge classes per submission status.
STATUS_BADGES = {
    SubmissionStatus.PENDING: "text-bg-info",
    SubmissionStatus.POSTED: "text-bg-success",
    SubmissionStatus.REJECTED: "text-bg-danger",
    SubmissionStatus.NOT_POSTED: "text-bg-secondary",
    SubmissionStatus.UNKNOWN: "text-bg-warning",
}


@register.filter
def status_badge(status: str) -> str:
    """Return the badge class for a submission status."""
    return STATUS_BADGES.get(status, "text-bg-light")


@register.filter
def totals_display(totals: dict | None) -> str:
    """Format gross totals per currency, such as {"GBP": "12.50"}, as "12.50 GBP"."""
    if not totals:
        return ""
    return ", ".join(f"{amount} {currency}" for currency, amount in sorted(totals.items()))
