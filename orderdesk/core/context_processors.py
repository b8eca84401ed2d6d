from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

# Navigation entries: URL name, label, and the permission that shows the entry.
NAVIGATION = [
    ("charges:new", _("Post a charge"), "charges.post_charge"),
    ("charges:mine", _("My submissions"), "charges.post_charge"),
    ("audit:list", _("Audit history"), "charges.view_all_submissions"),
    ("connections:list", _("Connections"), "connections.change_connection"),
    ("admin:index", _("Administration"), "auth.change_user"),
]


def navigation(request):
    """Add the navigation entries the current user's role allows."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"navigation": []}

    entries = []
    for url_name, label, permission in NAVIGATION:
        if not user.has_perm(permission):
            continue
        try:
            url = reverse(url_name)
        except NoReverseMatch:
            continue
        entries.append({"url": url, "label": label, "active": request.path.startswith(url)})
    return {"navigation": entries}
