"""Serve a SandboxApp over HTTP on the loopback interface, one thread per connection.

A small WSGI bridge on http.server is used instead of wsgiref so that a dropped response can
close the connection without writing anything, as a network failure after commit would.
"""

import io
import logging
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from orderdesk.sandbox.app import DROP_HEADER, SandboxApp

logger = logging.getLogger(__name__)

LOOPBACK_HOSTS = {"127.0.0.1", "localhost", "::1"}


class SandboxRequestHandler(BaseHTTPRequestHandler):
    server_version = "OrderdeskSandbox/1.0"
    protocol_version = "HTTP/1.1"

    def do_POST(self):
        self._dispatch()

    def do_GET(self):
        self._dispatch()

    def do_PUT(self):
        self._dispatch()

    def do_DELETE(self):
        self._dispatch()

    def _dispatch(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length > 0 else b""
        path, _, query = self.path.partition("?")
        environ = {
            "REQUEST_METHOD": self.command,
            "PATH_INFO": path,
            "QUERY_STRING": query,
            "CONTENT_TYPE": self.headers.get("Content-Type", ""),
            "CONTENT_LENGTH": str(len(body)),
            "SERVER_NAME": self.server.server_address[0],
            "SERVER_PORT": str(self.server.server_address[1]),
            "SERVER_PROTOCOL": self.request_version,
            "wsgi.version": (1, 0),
            "wsgi.url_scheme": "http",
            "wsgi.input": io.BytesIO(body),
            "wsgi.errors": sys.stderr,
            "wsgi.multithread": True,
            "wsgi.multiprocess": False,
            "wsgi.run_once": False,
        }
        captured: dict = {}

        def start_response(status, headers, exc_info=None):
            captured["status"] = status
            captured["headers"] = headers

        chunks = self.server.app(environ, start_response)
        content = b"".join(chunks)
        headers = captured["headers"]
        if any(name == DROP_HEADER for name, _ in headers):
            # The request was carried out; the client must see the connection die unanswered.
            self.close_connection = True
            return
        code, _, reason = captured["status"].partition(" ")
        self.send_response(int(code), reason)
        for name, value in headers:
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(content)

    def log_message(self, format, *args):
        logger.info("%s %s", self.address_string(), format % args)


class SandboxServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, app: SandboxApp, host: str = "127.0.0.1", port: int = 8010):
        if host not in LOOPBACK_HOSTS:
            raise ValueError("The sandbox listens on the loopback interface only.")
        self.app = app
        super().__init__((host, port), SandboxRequestHandler)
