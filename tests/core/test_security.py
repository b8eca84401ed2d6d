import logging
import time

import pytest
from django.test import override_settings
from django.urls import reverse

from orderdesk.core.middleware import LAST_ACTIVITY_KEY


@pytest.mark.django_db
def test_login_page_security_headers(client):
    response = client.get(reverse("login"))

    assert response["X-Frame-Options"] == "DENY"
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy


@pytest.mark.django_db
def test_page_without_login_redirects_to_login(client):
    response = client.get(reverse("home"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.django_db
def test_idle_session_logged_out(front_desk_client):
    session = front_desk_client.session
    session[LAST_ACTIVITY_KEY] = time.time() - 31 * 60
    session.save()

    response = front_desk_client.get(reverse("home"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert "_auth_user_id" not in front_desk_client.session


@pytest.mark.django_db
@override_settings(SESSION_IDLE_TIMEOUT=3600)
def test_idle_timeout_setting_respected(front_desk_client):
    session = front_desk_client.session
    session[LAST_ACTIVITY_KEY] = time.time() - 31 * 60
    session.save()

    response = front_desk_client.get(reverse("home"))

    assert response.status_code == 200


@pytest.mark.django_db
def test_failed_request_logs_one_line(front_desk_client, front_desk_user, caplog, monkeypatch):
    def broken_view(request):
        raise RuntimeError("boom")

    monkeypatch.setattr("orderdesk.core.views.render", lambda *args, **kwargs: broken_view(None))
    front_desk_client.raise_request_exception = False

    with caplog.at_level(logging.ERROR, logger="orderdesk.core.middleware"):
        response = front_desk_client.get(reverse("home"))

    assert response.status_code == 500
    lines = [record.getMessage() for record in caplog.records]
    assert len(lines) == 1
    assert "/" in lines[0]
    assert f"user={front_desk_user.pk}" in lines[0]
    assert "RuntimeError" in lines[0]


@pytest.mark.django_db
def test_login_and_logout_views(client, front_desk_user):
    from tests.conftest import PASSWORD

    response = client.post(
        reverse("login"), {"username": front_desk_user.username, "password": PASSWORD}
    )
    assert response.status_code == 302

    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_password_change_page_renders(front_desk_client):
    response = front_desk_client.get(reverse("password_change"))

    assert response.status_code == 200
    assert b"<h1" in response.content


def test_property_time_filter_uses_property_zone():
    from datetime import UTC, datetime

    from orderdesk.connections.models import Property
    from orderdesk.core.templatetags.orderdesk import property_time

    moment = datetime(2026, 7, 1, 12, 0, tzinfo=UTC)

    assert property_time(moment, Property(time_zone="Europe/London")) == "2026-07-01 13:00 BST"
    assert property_time(moment, Property(time_zone="America/New_York")) == "2026-07-01 08:00 EDT"
    assert property_time(moment, Property(time_zone="")) == "2026-07-01 12:00 UTC"
    assert property_time(moment, Property(time_zone="Not/AZone")) == "2026-07-01 12:00 UTC"


@pytest.mark.django_db
def test_logged_in_pages_not_stored_by_browser(manager_client):
    for url in (reverse("home"), reverse("audit:list"), reverse("audit:export")):
        response = manager_client.get(url)

        assert "no-store" in response["Cache-Control"], url
        assert "private" in response["Cache-Control"], url


@pytest.mark.django_db
@override_settings(LOGIN_FAILURE_LIMIT=3)
def test_login_rejected_after_failures(client, front_desk_user):
    from django.core.cache import cache

    from tests.conftest import PASSWORD

    cache.clear()
    for _ in range(3):
        client.post(reverse("login"), {"username": "frontdesk", "password": "wrong"})

    rejected = client.post(reverse("login"), {"username": "frontdesk", "password": PASSWORD})
    other_user = client.post(reverse("login"), {"username": "someone", "password": "wrong"})

    assert rejected.status_code == 200
    assert b"Too many failed log-ins" in rejected.content
    assert "_auth_user_id" not in client.session
    assert b"Too many failed log-ins" not in other_user.content
    cache.clear()
