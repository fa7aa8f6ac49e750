from django.core.management.base import BaseCommand, CommandError

from lib.errors import DomainError
from people.services import add_partnership


class Command(BaseCommand):
    help = "Add a partnership to the hub (one of a network's partnerships, such as warrington)."

    def add_arguments(self, parser):
        parser.add_argument("slug", metavar="SLUG", help="short name in addresses: lower-case letters, digits, hyphens")
        parser.add_argument("--name", required=True, help="the partnership's name")
        parser.add_argument("--contact", required=True, metavar="EMAIL", help="whom people contact about its training")
        parser.add_argument("--website", default="", metavar="URL")

    def handle(self, *args, **options):
        try:
            partnership = add_partnership(options["slug"], name=options["name"], contact_email=options["contact"],
                                          website=options["website"])
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(f"{partnership.slug}: {partnership.name} ({partnership.contact_email})")
