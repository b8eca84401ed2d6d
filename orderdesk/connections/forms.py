import uuid

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from orderdesk.connections.models import (
    MEWS_DEMO_ADDRESS,
    MEWS_PRODUCTION_ADDRESS,
    Connection,
    Property,
)

# Shown in a token field instead of the stored token. Submitting it (or leaving the field empty)
# keeps the stored token, so the page never has to carry the token back to the browser.
TOKEN_PLACEHOLDER = "stored-token-unchanged"


class TokenInput(forms.PasswordInput):
    """A password input that renders the placeholder, never the stored token."""

    def __init__(self, attrs=None):
        # render_value=True lets format_value run; it swaps the token for the placeholder.
        super().__init__(attrs={"autocomplete": "off", **(attrs or {})}, render_value=True)

    def format_value(self, value):
        return TOKEN_PLACEHOLDER if value else None


class TokenField(forms.CharField):
    widget = TokenInput

    def __init__(self, **kwargs):
        kwargs.setdefault("strip", True)
        super().__init__(**kwargs)

    def has_changed(self, initial, data):
        if data in (None, "", TOKEN_PLACEHOLDER):
            return False
        return data != initial


class TokenFormMixin:
    """Keep a stored token when its field comes back empty or with the placeholder."""

    token_fields: tuple[str, ...] = ()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in self.token_fields:
            field = self.fields[name]
            self.fields[name] = TokenField(
                label=field.label,
                required=False,
                help_text=_("Leave unchanged to keep the stored token.")
                if self.instance.pk
                else "",
            )

    def _clean_token(self, name):
        value = self.cleaned_data.get(name, "")
        stored = getattr(self.instance, name, "") if self.instance.pk else ""
        if value in ("", TOKEN_PLACEHOLDER):
            if stored:
                return stored
            raise forms.ValidationError(_("Enter the token."), code="required")
        if any(character.isspace() for character in value):
            raise forms.ValidationError(_("A token contains no spaces."), code="invalid")
        return value


PLATFORM_CUSTOM = "custom"
ERROR_TOKEN_FOR_NEW_ADDRESS = _(
    "Enter the token again: a stored token is only sent to the platform address it was entered for."
)


class ConnectionAdminForm(TokenFormMixin, forms.ModelForm):
    token_fields = ("client_token",)

    platform = forms.ChoiceField(
        label=_("Platform"),
        choices=[
            (
                MEWS_PRODUCTION_ADDRESS,
                _("Mews production (%(address)s)") % {"address": MEWS_PRODUCTION_ADDRESS},
            ),
            (MEWS_DEMO_ADDRESS, _("Mews demo (%(address)s)") % {"address": MEWS_DEMO_ADDRESS}),
            (PLATFORM_CUSTOM, _("Custom address")),
        ],
    )

    class Meta:
        model = Connection
        fields = ["name", "platform", "platform_address", "client_token", "client_name"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["platform_address"].required = False
        self.fields["platform_address"].label = _("Custom platform address")
        address = self.instance.platform_address if self.instance.pk else ""
        if address in (MEWS_DEMO_ADDRESS, MEWS_PRODUCTION_ADDRESS):
            self.initial["platform"] = address
            self.initial["platform_address"] = ""
        elif address:
            self.initial["platform"] = PLATFORM_CUSTOM

    def clean_client_token(self):
        return self._clean_token("client_token")

    def clean(self):
        cleaned_data = super().clean()
        platform = cleaned_data.get("platform")
        if platform and platform != PLATFORM_CUSTOM:
            cleaned_data["platform_address"] = platform
        elif platform == PLATFORM_CUSTOM and not cleaned_data.get("platform_address"):
            self.add_error(
                "platform_address", _("Enter the platform address for a custom platform.")
            )
        address = cleaned_data.get("platform_address")
        if address:
            cleaned_data["platform_address"] = address.strip().rstrip("/")
        self._require_token_for_new_address(cleaned_data.get("platform_address"))
        return cleaned_data

    def _require_token_for_new_address(self, address):
        # Stored tokens are sent only to the address they were entered for.
        moved = self.instance.pk and address and address != self.instance.platform_address
        if moved and not self.fields["client_token"].has_changed(
            self.instance.client_token, self.data.get(self.add_prefix("client_token"))
        ):
            self.add_error("client_token", ERROR_TOKEN_FOR_NEW_ADDRESS)


class PropertyAdminForm(TokenFormMixin, forms.ModelForm):
    token_fields = ("access_token",)

    class Meta:
        model = Property
        fields = ["name", "connection", "access_token", "enterprise_id", "is_active", "users"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Only users whose role may post charges can be assigned to a property.
        posting = Q(groups__permissions__codename="post_charge") | Q(is_superuser=True)
        self.fields["users"].queryset = (
            get_user_model().objects.filter(posting, is_active=True).distinct().order_by("username")
        )

    def clean_access_token(self):
        return self._clean_token("access_token")

    def clean(self):
        cleaned_data = super().clean()
        connection = cleaned_data.get("connection")
        moved = self.instance.pk and connection and connection.pk != self.instance.connection_id
        if moved and not self.fields["access_token"].has_changed(
            self.instance.access_token, self.data.get(self.add_prefix("access_token"))
        ):
            self.add_error("access_token", ERROR_TOKEN_FOR_NEW_ADDRESS)
        return cleaned_data

    def clean_enterprise_id(self):
        value = self.cleaned_data["enterprise_id"].strip()
        if not value:
            return value
        try:
            return str(uuid.UUID(value))
        except ValueError:
            raise forms.ValidationError(
                _("An EnterpriseId looks like 3fa85f64-5717-4562-b3fc-2c963f66afa6."),
                code="invalid",
            ) from None
