"""An httpx transport that runs requests through a SandboxApp in the same process."""

import httpx

from orderdesk.sandbox.app import DROP_HEADER, SandboxApp


class SandboxTransport(httpx.BaseTransport):
    """Send requests to an in-process sandbox, turning a dropped response into ReadTimeout.

    The sandbox has carried out a dropped request, so the client sees what it would see when
    Mews commits an order and the connection dies before the response arrives.
    """

    def __init__(self, app: SandboxApp):
        self.app = app
        self._wsgi = httpx.WSGITransport(app=app)

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        response = self._wsgi.handle_request(request)
        if response.headers.get(DROP_HEADER):
            response.close()
            raise httpx.ReadTimeout("The sandbox dropped the response.", request=request)
        return response
