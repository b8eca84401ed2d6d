from django.core.management.base import BaseCommand, CommandError

from orderdesk.sandbox import create_app
from orderdesk.sandbox.server import SandboxServer


class Command(BaseCommand):
    help = (
        "Serve the offline Connector API sandbox on 127.0.0.1, for the demo, staff training "
        "and browser tests. Point a connection's platform address at it."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--port", type=int, default=8010, help="TCP port to listen on (default 8010)."
        )

    def handle(self, *args, **options):
        port = options["port"]
        if not 1 <= port <= 65535:
            raise CommandError(f"--port must be between 1 and 65535, got {port}.")
        try:
            server = SandboxServer(create_app(), "127.0.0.1", port)
        except OSError as error:
            raise CommandError(f"Cannot listen on 127.0.0.1:{port}: {error}") from error

        self.stdout.write(f"Connector API sandbox at http://127.0.0.1:{port}")
        self.stdout.write(
            "Its made-up tokens are in orderdesk/sandbox/seed.py; "
            "`manage.py seed_demo` creates the connection that uses them."
        )
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            self.stdout.write("Sandbox stopped.")
        finally:
            server.server_close()
