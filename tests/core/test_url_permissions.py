"""Every page of orderdesk, for every role: allowed, forbidden (403) or sent to the login page.

The table must list every named URL outside the admin site, so a new page cannot ship without
its permission check being tested here.
"""

import uuid

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

FRONT_DESK = "front_desk_client"
MANAGER = "manager_client"
ADMINISTRATOR = "administrator_client"
OUTSIDER = "outsider_client"
ROLES = [FRONT_DESK, MANAGER, ADMINISTRATOR, OUTSIDER]
EVERYONE = set(ROLES)

# URL name, method, arguments, roles allowed, whether anonymous users are allowed.
PAGES = [
    ("home", "get", [], EVERYONE, False),
    ("healthz", "get", [], EVERYONE, True),
    ("login", "get", [], EVERYONE, True),
    ("logout", "post", [], EVERYONE, True),
    ("password_change", "get", [], EVERYONE, False),
    ("password_change_done", "get", [], EVERYONE, False),
    ("charges:new", "get", [], {FRONT_DESK, MANAGER}, False),
    ("charges:mine", "get", [], {FRONT_DESK, MANAGER}, False),
    ("charges:result", "get", [uuid.uuid4()], {FRONT_DESK, MANAGER}, False),
    ("charges:account_search", "get", [], {FRONT_DESK, MANAGER}, False),
    ("charges:bills", "get", [], {FRONT_DESK, MANAGER}, False),
    ("charges:reservations", "get", [], {FRONT_DESK, MANAGER}, False),
    ("charges:products", "get", [], {FRONT_DESK, MANAGER}, False),
    ("charges:taxes", "get", [], {FRONT_DESK, MANAGER}, False),
    ("charges:segments", "get", [], {FRONT_DESK, MANAGER}, False),
    ("charges:totals", "post", [], {FRONT_DESK, MANAGER}, False),
    ("charges:refresh_catalogue", "post", [], {ADMINISTRATOR}, False),
    ("audit:list", "get", [], {FRONT_DESK, MANAGER}, False),
    ("audit:export", "get", [], {MANAGER}, False),
    ("audit:detail", "get", [999999], {FRONT_DESK, MANAGER}, False),
    ("audit:settle", "post", [999999], {MANAGER}, False),
    ("connections:list", "get", [], {ADMINISTRATOR}, False),
    ("connections:test_connection", "post", [999999], {ADMINISTRATOR}, False),
    ("connections:test_property", "post", [999999], {ADMINISTRATOR}, False),
    ("connections:choose_enterprise", "post", [999999], {ADMINISTRATOR}, False),
]


def named_urls(resolver=None, namespace=""):
    """Yield the full name of every named URL pattern, skipping the admin site."""
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace == "admin":
                continue
            prefix = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from named_urls(pattern, prefix)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}{pattern.name}"


@pytest.fixture
def posting_users(gross_property, front_desk_user, manager_user):
    """Assign a property, so the charge pages get past "which property?" to the role check."""
    gross_property.users.add(front_desk_user, manager_user)


def test_url_table_lists_every_page():
    assert set(named_urls()) == {name for name, *_ in PAGES}


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    ("url_name", "method", "args", "allowed", "anonymous"),
    PAGES,
    ids=[page[0] for page in PAGES],
)
def test_url_permission_by_role(
    request, posting_users, role, url_name, method, args, allowed, anonymous
):
    client = request.getfixturevalue(role)

    response = getattr(client, method)(reverse(url_name, args=args))

    if role in allowed:
        assert response.status_code != 403
        assert response.status_code < 500
    else:
        assert response.status_code == 403
        assert b"not part of your role" in response.content


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("url_name", "method", "args", "allowed", "anonymous"),
    PAGES,
    ids=[page[0] for page in PAGES],
)
def test_url_anonymous_sent_to_login(client, url_name, method, args, allowed, anonymous):
    response = getattr(client, method)(reverse(url_name, args=args))

    if anonymous:
        assert response.status_code < 400
    else:
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
