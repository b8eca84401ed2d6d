from unittest import mock

from django.db import OperationalError


def test_healthz_ok_without_login(client, db):
    response = client.get("/healthz/")

    assert response.status_code == 200
    assert response.json() == {"database": "ok"}


def test_healthz_database_down_returns_503(client, db):
    with mock.patch(
        "django.db.backends.utils.CursorWrapper.execute", side_effect=OperationalError("down")
    ):
        response = client.get("/healthz/")

    assert response.status_code == 503
    assert response.json() == {"database": "unavailable"}
