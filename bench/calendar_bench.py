"""Calendar benchmark: 5,000 sessions and 200,000 bookings on PostgreSQL.

Prints the p50/p95 time of the calendar page and GET /api/v1/sessions/ against gunicorn,
beside /healthz (a trivial Django view on the same server: the framework floor), as ratios.
Run with `bash bench/run.sh calendar` (it starts a throwaway PostgreSQL).
"""

import os
from datetime import datetime, timedelta

from bench.harness import start_django

start_django()

from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402

from bench.harness import gunicorn, percentiles, prepare_database, timed  # noqa: E402
from bookings.models import Booking  # noqa: E402
from courses.models import Course, Session, SessionPart  # noqa: E402
from lib.dates import LONDON  # noqa: E402
from people.models import Agency, Person  # noqa: E402

SESSIONS = int(os.environ.get("BENCH_SESSIONS", 5000))
BOOKINGS = int(os.environ.get("BENCH_BOOKINGS", 200_000))
REQUESTS = int(os.environ.get("BENCH_REQUESTS", 300))


def seed() -> None:
    prepare_database()
    if Session.objects.count() >= SESSIONS:
        return
    courses = list(Course.objects.all())
    agency = Agency.objects.first()
    per_session = max(1, BOOKINGS // SESSIONS)
    people = Person.objects.bulk_create(
        [Person(email=f"bench{n}@halton.gov.uk", name=f"Bench Person {n}", agency=agency, password="!")
         for n in range(per_session * 50)], batch_size=5000)
    now = timezone.now()
    sessions, parts, bookings = [], [], []
    for n in range(SESSIONS):
        day = (now + timedelta(days=1 + n % 365)).astimezone(LONDON).date()
        start = datetime(day.year, day.month, day.day, 9, 30, tzinfo=LONDON)
        sessions.append(Session(course=courses[n % len(courses)], capacity=per_session + 10, venue="Runcorn Town Hall",
                                booking_opens_at=now - timedelta(days=1), booking_closes_at=start - timedelta(hours=1),
                                starts_at=start, ends_at=start + timedelta(hours=6, minutes=30)))
    sessions = Session.objects.bulk_create(sessions, batch_size=2000)
    for n, session in enumerate(sessions):
        parts.append(SessionPart(session=session, starts_at=session.starts_at, ends_at=session.ends_at))
        for k in range(per_session):
            person = people[(n + k * 50) % len(people)]
            bookings.append(Booking(session=session, person=person, status="confirmed", booked_at=now))
    SessionPart.objects.bulk_create(parts, batch_size=5000)
    Booking.objects.bulk_create(bookings, batch_size=10000)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def measure(base: str, path: str) -> tuple[float, float]:
    for _ in range(20):
        timed(base + path)
    samples = []
    for _ in range(REQUESTS):
        seconds, status = timed(base + path)
        assert status == 200, f"{path} answered {status}"
        samples.append(seconds)
    return percentiles(samples)


def main() -> None:
    seed()
    print(f"{Session.objects.count()} sessions, {Booking.objects.count()} bookings on PostgreSQL; "
          f"{REQUESTS} sequential requests each against gunicorn (2 workers)")
    with gunicorn() as base:
        floor = measure(base, "/healthz")
        print(f"{'endpoint':<28}{'p50 ms':>10}{'p95 ms':>10}{'p50 / floor':>14}")
        print(f"{'/healthz (floor)':<28}{floor[0]:>10.1f}{floor[1]:>10.1f}{1:>14.1f}")
        for label, path in (("calendar page /", "/"), ("GET /api/v1/sessions/", "/api/v1/sessions/")):
            p50, p95 = measure(base, path)
            print(f"{label:<28}{p50:>10.1f}{p95:>10.1f}{p50 / floor[0]:>14.1f}")


if __name__ == "__main__":
    main()
