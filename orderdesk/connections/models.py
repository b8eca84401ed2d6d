from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from orderdesk.connections.fields import EncryptedTokenField

MEWS_DEMO_ADDRESS = "https://api.mews-demo.com"
MEWS_PRODUCTION_ADDRESS = "https://api.mews.com"
LOCAL_HOSTS = {"localhost", "127.0.0.1", "::1"}


def validate_platform_address(value: str) -> None:
    """Accept an https:// address, or http:// only for a server on this machine."""
    parts = urlsplit(value)
    if parts.scheme == "https" and parts.hostname:
        return
    if parts.scheme == "http" and parts.hostname in LOCAL_HOSTS:
        return
    raise ValidationError(
        _("The platform address must start with https:// unless it is on this machine."),
        code="insecure_address",
    )


class Connection(models.Model):
    """One integration of orderdesk with a Mews platform: its address and ClientToken."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    platform_address = models.CharField(
        _("platform address"),
        max_length=200,
        validators=[validate_platform_address],
        help_text=_("For example https://api.mews.com for production."),
    )
    client_token = EncryptedTokenField(_("ClientToken"))
    client_name = models.CharField(
        _("client name"),
        max_length=100,
        blank=True,
        help_text=_("Sent to Mews as Client. Empty means orderdesk and its version."),
    )
    # The platform address the ClientToken was entered for. Tokens are sent to that address
    # only, so changing the address needs the token again (see tokens_confirmed).
    client_token_address = models.CharField(max_length=200, blank=True, editable=False)

    class Meta:
        verbose_name = _("connection")
        verbose_name_plural = _("connections")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if self._state.adding or self.client_token != getattr(self, "_loaded_client_token", None):
            self.client_token_address = self.platform_address
        super().save(*args, **kwargs)
        self._loaded_client_token = self.client_token

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance._loaded_client_token = instance.__dict__.get("client_token")
        return instance

    @property
    def client_token_confirmed(self) -> bool:
        """Whether the ClientToken was entered for the current platform address."""
        return self.client_token_address == self.platform_address


class Property(models.Model):
    """A Mews enterprise that orderdesk posts to, reached with an AccessToken."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    connection = models.ForeignKey(
        Connection,
        on_delete=models.PROTECT,
        related_name="properties",
        verbose_name=_("connection"),
    )
    access_token = EncryptedTokenField(_("AccessToken"))
    enterprise_id = models.CharField(
        _("EnterpriseId"),
        max_length=64,
        blank=True,
        help_text=_("Required for a portfolio AccessToken, which covers several enterprises."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    users = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="properties",
        verbose_name=_("users who may post"),
    )
    # The enterprise's TimeZoneIdentifier, copied from Mews whenever its configuration is read,
    # so pages and filters can show and take times in the property's own zone.
    time_zone = models.CharField(_("time zone"), max_length=64, blank=True, editable=False)
    # The platform address the AccessToken was entered for; see Connection.client_token_address.
    access_token_address = models.CharField(max_length=200, blank=True, editable=False)
    last_checked_at = models.DateTimeField(_("last successful test"), null=True, blank=True)
    last_auth_failure_at = models.DateTimeField(
        _("last authorisation failure"), null=True, blank=True
    )
    last_auth_failure_request_id = models.CharField(
        _("Request-Id of the last authorisation failure"), max_length=100, blank=True
    )

    class Meta:
        verbose_name = _("property")
        verbose_name_plural = _("properties")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if self._state.adding or self.access_token != getattr(self, "_loaded_access_token", None):
            self.access_token_address = self.connection.platform_address
        super().save(*args, **kwargs)
        self._loaded_access_token = self.access_token

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance._loaded_access_token = instance.__dict__.get("access_token")
        return instance

    @property
    def tokens_confirmed(self) -> bool:
        """Whether both tokens were entered for the connection's current platform address.

        An administrator who changes the address, or moves the property to another connection,
        enters the tokens again; until then orderdesk sends them nowhere.
        """
        connection = self.connection
        return (
            connection.client_token_confirmed
            and self.access_token_address == connection.platform_address
        )
