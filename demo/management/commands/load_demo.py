from django.core.management.base import BaseCommand

from demo.data import load_demo
from demo.partnership import DEMO_PASSWORD
from people.permissions import roles_of


class Command(BaseCommand):
    help = (
        "Load the partnership's demo data (agencies, courses, trainers, sessions, an account per role). Safe to rerun."
    )

    def handle(self, *args, **options):
        result = load_demo()
        self.stdout.write(f"Demo data ready: {result['agencies']} agencies, {result['courses']} courses.")
        self.stdout.write("")
        self.stdout.write(f"Demo accounts (password for all: {DEMO_PASSWORD}):")
        for email, person in result["people"].items():
            self.stdout.write(f"  {', '.join(sorted(roles_of(person))):<24} {email:<32} {person.agency.name}")
