from django.core.management.base import BaseCommand

from orderdesk.charges.reconciliation import settle_open_submissions


class Command(BaseCommand):
    help = (
        "Settle charges whose outcome is unknown, and pending ones left by a stopped process, "
        "by reading them back from Mews. Meant to run every minute."
    )

    def handle(self, *args, **options):
        counts = settle_open_submissions()
        summary = ", ".join(f"{status} {count}" for status, count in counts.items() if count)
        self.stdout.write(summary or "Nothing to settle.")
