import hashlib
import hmac
import logging

from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger(__name__)

ERROR_TOO_MANY_FAILURES = _(
    "Too many failed log-ins for this user from this computer. Wait %(minutes)s minutes, or ask "
    "an administrator to reset the password."
)


class ThrottledAuthenticationForm(AuthenticationForm):
    """Django's log-in form that stops guessing after LOGIN_FAILURE_LIMIT failed attempts.

    Failures are counted per user name and client address in the shared cache, for
    LOGIN_FAILURE_WINDOW seconds, so that one person cannot lock a colleague out from elsewhere.
    """

    def clean(self):
        key = self._failure_key()
        if cache.get(key, 0) >= settings.LOGIN_FAILURE_LIMIT:
            logger.warning("Log-in rejected after repeated failures (key %s)", key[-12:])
            raise ValidationError(
                ERROR_TOO_MANY_FAILURES,
                code="throttled",
                params={"minutes": max(settings.LOGIN_FAILURE_WINDOW // 60, 1)},
            )
        try:
            return super().clean()
        except ValidationError:
            cache.add(key, 0, settings.LOGIN_FAILURE_WINDOW)
            try:
                cache.incr(key)
            except ValueError:
                # The entry expired between add and incr; count this failure afresh.
                cache.set(key, 1, settings.LOGIN_FAILURE_WINDOW)
            raise

    def _failure_key(self) -> str:
        username = (self.data.get("username") or "").strip().lower()
        address = self.request.META.get("REMOTE_ADDR", "") if self.request else ""
        # A keyed hash, so the cache contains neither user names nor addresses.
        digest = hmac.new(
            settings.SECRET_KEY.encode(), f"{username}|{address}".encode(), hashlib.sha256
        ).hexdigest()
        return f"login-failures:{digest[:32]}"
