import socket

import pytest
from django.core.management import CommandError, call_command


@pytest.mark.parametrize("port", [0, 70000])
def test_runsandbox_rejects_bad_port(port):
    with pytest.raises(CommandError, match="--port must be between 1 and 65535"):
        call_command("runsandbox", port=port)


def test_runsandbox_reports_busy_port():
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]

        with pytest.raises(CommandError, match=f"Cannot listen on 127.0.0.1:{port}"):
            call_command("runsandbox", port=port)
