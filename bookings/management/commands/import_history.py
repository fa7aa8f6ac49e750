from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import IntegrityError

from bookings.importer import ImportFailed, import_history


def read_text(path: Path) -> str:
    """The file as UTF-8 text (a byte order mark allowed), or a CommandError naming the line and column of
    the first byte that is not UTF-8."""
    raw = path.read_bytes()
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise CommandError(f"Nothing was imported: line {line}, column {column} (byte {exc.start}) is not UTF-8. "
                           "Save the file as CSV UTF-8 and run it again.") from None


class Command(BaseCommand):
    help = "Load past bookings from the previous booking system's CSV: all or nothing, safe to run twice."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)

    def handle(self, *args, **options):
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"No file at {path}.")
        try:
            result = import_history(read_text(path))
        except ImportFailed as exc:
            raise CommandError(f"Nothing was imported. Fix these rows and run it again:\n{exc}") from exc
        except IntegrityError as exc:
            raise CommandError(f"Nothing was imported: two rows give one person two live places on a session "
                               f"({exc}).") from exc
        created = ", ".join(f"{n} {kind}" for kind, n in result.created.items())
        self.stdout.write(f"Read {result.rows} rows: {result.bookings_created} bookings imported, "
                          f"{result.already_there} already there; created {created}.")
