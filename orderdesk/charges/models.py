import uuid
from datetime import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from orderdesk.charges.immutable import AppendOnlyModel, UndeletableModel
from orderdesk.connections.models import Property


class SubmissionStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    POSTED = "posted", _("Posted")
    REJECTED = "rejected", _("Rejected")
    NOT_POSTED = "not_posted", _("Not posted")
    UNKNOWN = "unknown", _("Unknown")


class AccountType(models.TextChoices):
    CUSTOMER = "Customer", _("Guest")
    COMPANY = "Company", _("Company")


class Submission(UndeletableModel):
    """One attempt to post a charge through orders/add, recorded before Mews is called.

    The row is written with status pending and committed before the call. Its status changes
    only through the posting and settling services, and each change is appended as a
    SubmissionEvent. The stored request never contains tokens.
    """

    key = models.UUIDField(_("submission key"), unique=True, default=uuid.uuid4, editable=False)
    created_at = models.DateTimeField(_("created"), default=timezone.now, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="submissions",
        verbose_name=_("user"),
    )
    property = models.ForeignKey(
        Property, on_delete=models.PROTECT, related_name="submissions", verbose_name=_("property")
    )
    enterprise_id = models.CharField(_("EnterpriseId"), max_length=64, blank=True)
    service_id = models.CharField(_("ServiceId"), max_length=64)
    service_name = models.CharField(_("service"), max_length=255, blank=True)
    account_id = models.CharField(_("AccountId"), max_length=64)
    account_type = models.CharField(_("account type"), max_length=16, choices=AccountType.choices)
    account_name = models.CharField(_("account"), max_length=255, blank=True)

    status = models.CharField(
        _("status"),
        max_length=16,
        choices=SubmissionStatus.choices,
        default=SubmissionStatus.PENDING,
    )
    # The orders/add body as sent, without ClientToken, AccessToken and Client.
    request_body = models.JSONField(_("request"), default=dict)
    line_count = models.PositiveIntegerField(_("lines"), default=0)
    # Gross total per currency, as strings of Decimal: {"GBP": "12.50"}.
    totals = models.JSONField(_("totals"), default=dict)
    # Gross total in the submission's first currency, for filtering by amount.
    total_amount = models.DecimalField(
        _("total"), max_digits=18, decimal_places=4, null=True, blank=True
    )
    currency = models.CharField(_("currency"), max_length=3, blank=True)

    order_id = models.CharField(_("OrderId"), max_length=64, blank=True)
    request_id = models.CharField(_("Request-Id"), max_length=100, blank=True)
    http_status = models.PositiveSmallIntegerField(_("HTTP status"), null=True, blank=True)
    error_message = models.TextField(_("error"), blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)
    duration_ms = models.PositiveIntegerField(_("duration (ms)"), null=True, blank=True)

    class Meta:
        verbose_name = _("submission")
        verbose_name_plural = _("submissions")
        ordering = ["-created_at", "-id"]
        default_permissions = ("view",)
        permissions = [
            ("post_charge", _("Can post charges")),
            ("view_all_submissions", _("Can view every user's submissions")),
            ("export_submissions", _("Can export submissions")),
            ("settle_submission", _("Can settle submissions with an unknown outcome")),
            ("post_rebate", _("Can post rebates and discounts (negative prices)")),
            ("override_price", _("Can override catalogue prices")),
        ]
        indexes = [
            models.Index(fields=["user", "-created_at"], name="submission_user_created"),
            models.Index(fields=["property", "-created_at"], name="submission_property_created"),
            models.Index(fields=["status", "-created_at"], name="submission_status_created"),
            models.Index(fields=["order_id"], name="submission_order_id"),
            models.Index(fields=["request_id"], name="submission_request_id"),
            models.Index(fields=["account_id", "-created_at"], name="submission_account_created"),
            # The audit list's amount range filter.
            models.Index(fields=["total_amount"], name="submission_total_amount"),
        ]

    def __str__(self):
        return f"{self.account_name or self.account_id} · {self.get_status_display()}"

    # A method, not a property: the `property` field shadows the builtin in this class body.
    def consumption_utc(self) -> datetime | None:
        """Return the ConsumptionUtc sent to Mews, or None when Mews used the time of posting."""
        value = (self.request_body or {}).get("ConsumptionUtc")
        if not value:
            return None
        try:
            return datetime.fromisoformat(value.replace("Z", "+00:00"))
        except (TypeError, ValueError):
            return None


class EventCause(models.TextChoices):
    POSTING = "posting", _("Posting service")
    RECONCILIATION = "reconciliation", _("Reconciliation")
    MANAGER = "manager", _("Manager")


class SubmissionEvent(AppendOnlyModel):
    """One status change of a submission, appended and never changed."""

    submission = models.ForeignKey(
        Submission, on_delete=models.PROTECT, related_name="events", verbose_name=_("submission")
    )
    created_at = models.DateTimeField(_("time"), default=timezone.now)
    status = models.CharField(_("status"), max_length=16, choices=SubmissionStatus.choices)
    cause = models.CharField(_("cause"), max_length=16, choices=EventCause.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    detail = models.TextField(_("detail"), blank=True)
    request_id = models.CharField(_("Request-Id"), max_length=100, blank=True)
    order_id = models.CharField(_("OrderId"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")
        ordering = ["created_at", "id"]
        default_permissions = ("view",)

    def __str__(self):
        return f"{self.get_status_display()} ({self.get_cause_display()})"
