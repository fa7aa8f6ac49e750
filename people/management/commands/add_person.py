from django.core.management.base import BaseCommand, CommandError

from lib.errors import DomainError
from people import roles
from people.models import Partnership
from people.selectors import partnership_named, partnership_slugs
from people.services import add_person, get_or_create_agency


class Command(BaseCommand):
    help = "Create (or update) people whose email is already verified."

    def add_arguments(self, parser):
        parser.add_argument("emails", nargs="+", metavar="EMAIL")
        parser.add_argument("--agency", required=True, help="agency code; an unknown code is created")
        parser.add_argument("--roles", default=roles.PRACTITIONER, help=f"comma-separated: {','.join(roles.ALL)}")
        parser.add_argument("--password", default=None)
        parser.add_argument("--name", default="")
        parser.add_argument("--partnership", default=None, metavar="SLUG",
                            help="the partnership the business_unit, finance and trainer roles are held for "
                                 "(default: the only one, when the hub has one)")
        parser.add_argument("--home", default=None, metavar="SLUG",
                            help="the person's home partnership; their agency joins it when not a member yet")

    def handle(self, *args, **options):
        role_names = [r.strip() for r in options["roles"].split(",") if r.strip()]
        partnership = self._partnership(options["partnership"], "--partnership")
        home = self._partnership(options["home"], "--home")
        scoped = sorted(set(role_names) & set(roles.SCOPED))
        if scoped and partnership is None and Partnership.objects.count() > 1:
            raise CommandError(f"This hub has several partnerships: say which one the {', '.join(scoped)} "
                               f"role{'s are' if len(scoped) > 1 else ' is'} for with --partnership "
                               f"({', '.join(partnership_slugs())}).")
        try:
            agency = get_or_create_agency(options["agency"], partnership=home or partnership)
            for email in options["emails"]:
                if "@" not in email:
                    raise CommandError(f"{email!r} is not an email address.")
                person = add_person(email, agency=agency, role_names=role_names, password=options["password"],
                                    name=options["name"], partnership=partnership, home=home)
                self.stdout.write(f"{person.email} ({agency.code}): {', '.join(role_names)}")
        except DomainError as exc:
            raise CommandError(exc.message) from exc

    def _partnership(self, slug: str | None, option: str) -> Partnership | None:
        if slug is None:
            return None
        found = partnership_named(slug)
        if found is None:
            raise CommandError(f"{option} {slug[:40]!r} is not a partnership on this hub: choose one of "
                               f"{', '.join(partnership_slugs())}, or add it with manage.py add_partnership.")
        return found
