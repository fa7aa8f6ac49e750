from django.conf import settings
from django.core.management.base import BaseCommand

from privacy.services import anonymise_inactive, inactive_people


class Command(BaseCommand):
    help = "Anonymise people inactive for RETENTION_YEARS (default 6), keeping the statistics."

    def add_arguments(self, parser):
        parser.add_argument("--years", type=int, default=None)
        parser.add_argument("--dry-run", action="store_true")

    def handle(self, *args, **options):
        years = options["years"] if options["years"] is not None else settings.RETENTION_YEARS
        if options["dry_run"]:
            self.stdout.write(f"{inactive_people(years=years).count()} people would be anonymised.")
            return
        self.stdout.write(f"Anonymised {anonymise_inactive(years=years)} people inactive for {years} years.")
