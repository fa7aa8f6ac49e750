from django.core.management.base import BaseCommand, CommandError

from lib.errors import DomainError
from people import roles
from people.services import add_person, get_or_create_agency


class Command(BaseCommand):
    help = "Create (or update) people whose email is already verified."

    def add_arguments(self, parser):
        parser.add_argument("emails", nargs="+", metavar="EMAIL")
        parser.add_argument("--agency", required=True, help="agency code; an unknown code is created")
        parser.add_argument("--roles", default=roles.PRACTITIONER, help=f"comma-separated: {','.join(roles.ALL)}")
        parser.add_argument("--password", default=None)
        parser.add_argument("--name", default="")

    def handle(self, *args, **options):
        role_names = [r.strip() for r in options["roles"].split(",") if r.strip()]
        try:
            agency = get_or_create_agency(options["agency"])
            for email in options["emails"]:
                if "@" not in email:
                    raise CommandError(f"{email!r} is not an email address.")
                person = add_person(
                    email, agency=agency, role_names=role_names, password=options["password"], name=options["name"]
                )
                self.stdout.write(f"{person.email} ({agency.code}): {', '.join(role_names)}")
        except DomainError as exc:
            raise CommandError(exc.message) from exc
