import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from orderdesk.connections.models import Connection, Property
from orderdesk.core.roles import ADMINISTRATOR, FRONT_DESK, MANAGER

DEMO_USERS = [
    ("frontdesk", FRONT_DESK, "Fiona", "Desk"),
    ("manager", MANAGER, "Martin", "Manager"),
    ("admin", ADMINISTRATOR, "Ada", "Admin"),
]


class Command(BaseCommand):
    help = (
        "Create the demo users (one per role) and print their passwords. "
        "Runs only with DEBUG or ORDERDESK_DEMO on, never in production."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--password",
            help="Password for every demo user. Without it, each user gets a random one.",
        )

    def handle(self, *args, **options):
        if not (settings.DEBUG or settings.DEMO_MODE):
            raise CommandError("seed_demo runs only with DEBUG=1 or ORDERDESK_DEMO=1.")

        with transaction.atomic():
            logins = self.create_users(options["password"])
            self.extend_demo(logins)

        self.stdout.write(self.style.SUCCESS("Demo logins:"))
        for username, role, password in logins:
            self.stdout.write(f"  {role:<14} {username:<10} {password}")

    def create_users(self, password):
        User = get_user_model()
        logins = []
        for username, role, first_name, last_name in DEMO_USERS:
            user_password = password or secrets.token_urlsafe(9)
            user, _ = User.objects.get_or_create(username=username)
            user.first_name = first_name
            user.last_name = last_name
            user.is_staff = role == ADMINISTRATOR
            user.set_password(user_password)
            user.save()
            user.groups.set([Group.objects.get(name=role)])
            logins.append((username, role, user_password))
        return logins

    def extend_demo(self, logins):
        """Create the connection to the local sandbox and its three properties."""
        from orderdesk.sandbox import seed

        connection, _ = Connection.objects.update_or_create(
            name="Sandbox",
            defaults={
                "platform_address": settings.SANDBOX_ADDRESS,
                "client_token": seed.CLIENT_TOKEN,
                # The sandbox tokens are entered anew here, for the sandbox's current address.
                "client_token_address": settings.SANDBOX_ADDRESS,
                "client_name": "",
            },
        )
        properties = [
            ("Sandbox London (gross pricing)", seed.GROSS_ACCESS_TOKEN, ""),
            ("Sandbox New York (net pricing)", seed.NET_ACCESS_TOKEN, ""),
            (
                "Sandbox New York via portfolio token",
                seed.PORTFOLIO_ACCESS_TOKEN,
                seed.NET_ENTERPRISE_ID,
            ),
        ]
        posting_users = get_user_model().objects.filter(
            username__in=[username for username, role, _ in logins if role != ADMINISTRATOR]
        )
        for name, access_token, enterprise_id in properties:
            property, _ = Property.objects.update_or_create(
                name=name,
                defaults={
                    "connection": connection,
                    "access_token": access_token,
                    "access_token_address": settings.SANDBOX_ADDRESS,
                    "enterprise_id": enterprise_id,
                    "is_active": True,
                },
            )
            property.users.add(*posting_users)
