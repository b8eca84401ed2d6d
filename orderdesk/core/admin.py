from django.contrib import admin
from django.core.exceptions import PermissionDenied

admin_login = admin.site.login


def login_or_forbid(request, extra_context=None):
    """Show the friendly 403 page to a logged-in user whose role has no administration.

    Django's admin would show its own login form, which suggests that logging in again helps.
    """
    if request.user.is_authenticated and not request.user.is_staff:
        raise PermissionDenied
    return admin_login(request, extra_context)


admin.site.login = login_or_forbid
