import logging

import pytest

from orderdesk.connections.models import Connection


@pytest.mark.django_db
def test_token_watch_detects_logged_token(token_watch, caplog):
    Connection.objects.create(
        name="Watch", platform_address="https://api.mews.com", client_token="WATCHED-TOKEN-123456"
    )
    leaks_before = len(token_watch.leaks)

    token_watch.check("a line with WATCHED-TOKEN-123456 inside", "probe")

    assert len(token_watch.leaks) == leaks_before + 1
    del token_watch.leaks[leaks_before:]
    assert logging.getLogger().handlers
