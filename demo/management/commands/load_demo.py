from django.core.management.base import BaseCommand

from demo.data import load_demo
from demo.partnership import DEMO_PASSWORD
from people import roles
from people.models import Partnership, RoleGrant
from people.permissions import roles_of


class Command(BaseCommand):
    help = (
        "Load the demo data: the four partnerships of the Pan-Cheshire network (Halton first), their agencies, "
        "courses, trainers, sessions and an account per role. Safe to rerun."
    )

    def handle(self, *args, **options):
        result = load_demo()
        self.stdout.write(f"Demo data ready: {result['partnerships']} partnerships, {result['agencies']} agencies, "
                          f"{result['courses']} courses.")
        for partnership in Partnership.objects.all():
            self.stdout.write(f"  {partnership.slug:<14} {partnership.name}")
        self.stdout.write("")
        self.stdout.write(f"Demo accounts (password for all: {DEMO_PASSWORD}; scoped roles name their partnerships):")
        grants = {}
        for person_id, role, slug in RoleGrant.objects.values_list("person_id", "role", "partnership__slug"):
            grants.setdefault((person_id, role), []).append(slug)
        for email, person in result["people"].items():
            held = ", ".join(
                f"{role} ({' '.join(sorted(grants.get((person.pk, role), [])))})" if role in roles.SCOPED else role
                for role in sorted(roles_of(person)))
            self.stdout.write(f"  {held:<44} {email:<44} {person.agency.name}")
