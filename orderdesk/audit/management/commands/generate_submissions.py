import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from orderdesk.audit.generation import generate_submissions


class Command(BaseCommand):
    help = (
        "Insert N generated submissions (staff users, properties, statuses, services, accounts, "
        "currencies and lines) spread over the last days, for benchmarks and demos. Submissions "
        "cannot be deleted, so this runs only with DEBUG=1 or ORDERDESK_DEMO=1."
    )

    def add_arguments(self, parser):
        parser.add_argument("--count", type=int, required=True, help="Submissions to insert.")
        parser.add_argument(
            "--days", type=int, default=365, help="Days back the submissions are spread over."
        )
        parser.add_argument("--users", type=int, default=40, help="Staff users who post them.")
        parser.add_argument(
            "--accounts", type=int, default=20_000, help="Distinct guest accounts charged."
        )
        parser.add_argument(
            "--batch-size", type=int, default=5_000, help="Submissions inserted per transaction."
        )
        parser.add_argument(
            "--seed",
            type=int,
            help="Seed of the random generator, to repeat a data set. Random by default.",
        )

    def handle(self, *args, **options):
        if not (settings.DEBUG or settings.DEMO_MODE):
            raise CommandError(
                "generate_submissions runs only with DEBUG=1 or ORDERDESK_DEMO=1, because "
                "the submissions it inserts cannot be deleted."
            )
        for name in ("count", "days", "users", "accounts", "batch_size"):
            if options[name] <= 0:
                option = "--" + name.replace("_", "-")
                raise CommandError(f"{option} must be a positive number, got {options[name]}.")

        started = time.perf_counter()
        inserted = generate_submissions(
            count=options["count"],
            days=options["days"],
            users=options["users"],
            accounts=options["accounts"],
            batch_size=options["batch_size"],
            seed=options["seed"],
            progress=self.report_progress if options["verbosity"] > 1 else None,
        )
        elapsed = time.perf_counter() - started
        self.stdout.write(
            self.style.SUCCESS(
                f"Inserted {inserted} submissions in {elapsed:.1f} s "
                f"({inserted / elapsed:,.0f} per second)."
            )
        )

    def report_progress(self, inserted):
        self.stdout.write(f"  {inserted} inserted")
