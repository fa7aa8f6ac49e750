from django.core.management.base import BaseCommand, CommandError

from health import selectors


class Command(BaseCommand):
    help = "Check the database, Redis, the outbox and beat, as /healthz/deep does, and say what is wrong."

    def handle(self, *args, **options):
        results = selectors.checks()
        width = max(len(check.name) for check in results)
        for check in results:
            line = f"{check.name:<{width}}  {'ok' if check.ok else 'FAILING':<7}  {check.summary}"
            if check.reason:
                line += f" ({check.reason})"
            self.stdout.write(line)
        failing = [check.name for check in results if not check.ok]
        if failing:
            raise CommandError(f"Failing: {', '.join(failing)}.")
