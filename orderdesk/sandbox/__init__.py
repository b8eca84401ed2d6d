"""An offline stand-in for the Mews Connector API, for tests, demos and staff training."""

from orderdesk.sandbox.app import SandboxApp, create_app
from orderdesk.sandbox.transport import SandboxTransport

__all__ = ["SandboxApp", "SandboxTransport", "create_app"]
