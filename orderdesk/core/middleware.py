import logging
import time
from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import resolve_url
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)

LAST_ACTIVITY_KEY = "orderdesk_last_activity"
# Seconds between two saves of the last activity time, so the idle timeout is accurate to this.
ACTIVITY_RESOLUTION = 60


class IdleLogoutMiddleware:
    """Log out a session that has been idle longer than SESSION_IDLE_TIMEOUT seconds.

    Front-desk computers are shared: a session left open must not let the next person post
    charges in someone else's name.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = time.time()
            last_activity = request.session.get(LAST_ACTIVITY_KEY, now)
            if now - last_activity > settings.SESSION_IDLE_TIMEOUT:
                logger.info("Session of user %s ended after idle time", request.user.pk)
                logout(request)
                messages.info(request, _("You were logged out after a period of inactivity."))
                return redirect_to_login(request.get_full_path())
            # Saving the session costs a database write, so the time is renewed once a minute.
            if (
                now - last_activity >= ACTIVITY_RESOLUTION
                or LAST_ACTIVITY_KEY not in request.session
            ):
                request.session[LAST_ACTIVITY_KEY] = now
        return self.get_response(request)


class HtmxLoginRedirectMiddleware:
    """Turn a redirect to the login page of an htmx request into a full-page redirect.

    A partial update (totals, account search) that meets an ended session would otherwise load
    the login page into a fragment of the form and use up the message that explains why.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.headers.get("HX-Request") != "true" or response.status_code != 302:
            return response
        login_path = resolve_url(settings.LOGIN_URL)
        if not urlsplit(response["Location"]).path == login_path:
            return response
        page = urlsplit(request.headers.get("HX-Current-URL", "")).path or "/"
        redirect = HttpResponse(status=204)
        redirect["HX-Redirect"] = f"{login_path}?{urlencode({'next': page})}"
        return redirect


class PrivatePagesMiddleware:
    """Mark every response to a logged-in user as not to be stored by the browser.

    Front-desk computers are shared: guest names and charges must not stay in a browser cache
    where the next person could open them with Back after a logout.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and "Cache-Control" not in response:
            add_never_cache_headers(response)
        return response


class FailedRequestLoggingMiddleware:
    """Log one line for every request that raises: path, user id and the error's type.

    A PermissionDenied or Http404 is logged at info level, because it is an expected response.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        user_id = getattr(getattr(request, "user", None), "pk", None)
        if isinstance(exception, PermissionDenied | Http404):
            # A 403 or 404 is an expected response, not a failure, so it gets an info line.
            logger.info(
                "Request ended with %s: %s %s user=%s",
                403 if isinstance(exception, PermissionDenied) else 404,
                request.method,
                request.path,
                user_id,
            )
            return None
        logger.error(
            "Request failed: %s %s user=%s error=%s: %s",
            request.method,
            request.path,
            user_id,
            type(exception).__name__,
            exception,
        )
        logger.debug("Traceback of the failed request", exc_info=exception)
        return None
