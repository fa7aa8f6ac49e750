from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import IntegrityError

from bookings.importer import ImportFailed, import_history


class Command(BaseCommand):
    help = "Load past bookings from the previous booking system's CSV: all or nothing, safe to run twice."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)

    def handle(self, *args, **options):
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"No file at {path}.")
        try:
            result = import_history(path.read_text(encoding="utf-8-sig"))
        except ImportFailed as exc:
            raise CommandError(f"Nothing was imported. Fix these rows and run it again:\n{exc}") from exc
        except IntegrityError as exc:
            raise CommandError(f"Nothing was imported: two rows give one person two live places on a session "
                               f"({exc}).") from exc
        created = ", ".join(f"{n} {kind}" for kind, n in result.created.items())
        self.stdout.write(f"Read {result.rows} rows: {result.bookings_created} bookings imported, "
                          f"{result.already_there} already there; created {created}.")
