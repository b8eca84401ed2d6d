from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Connection(models.Model):
    """One integration of orderdesk with a Mews platform: its address and ClientToken."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    platform_address = models.URLField(_("platform address"), max_length=200)
    client_token = models.TextField(_("ClientToken"))
    client_name = models.CharField(
        _("client name"),
        max_length=100,
        blank=True,
        help_text=_("Sent to Mews as Client. Empty means orderdesk and its version."),
    )

    class Meta:
        verbose_name = _("connection")
        verbose_name_plural = _("connections")
        ordering = ["name"]

    def __str__(self):
        return self.name


class Property(models.Model):
    """A Mews enterprise that orderdesk posts to, reached with an AccessToken."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    connection = models.ForeignKey(
        Connection,
        on_delete=models.PROTECT,
        related_name="properties",
        verbose_name=_("connection"),
    )
    access_token = models.TextField(_("AccessToken"))
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

    class Meta:
        verbose_name = _("property")
        verbose_name_plural = _("properties")
        ordering = ["name"]

    def __str__(self):
        return self.name
