"""Reports benchmark: 1,000,000 bookings on PostgreSQL.

Prints the time of each report (API and page) against gunicorn (1 worker, so its memory is the
web process's), and the worker's peak memory afterwards. Target: each under one second, the
web process under 200 MB. Run with `bash bench/run.sh reports`.
"""

import os
import time
from datetime import datetime, timedelta

from bench.harness import start_django

start_django()

from django.db import connection  # noqa: E402

from bench.harness import gunicorn, peak_rss_mb, prepare_database, session_token, timed  # noqa: E402
from bookings.models import Booking  # noqa: E402
from courses.models import Course, Session, SessionPart  # noqa: E402
from lib.dates import LONDON  # noqa: E402
from people.models import Agency, Person  # noqa: E402

BOOKINGS = int(os.environ.get("BENCH_BOOKINGS", 1_000_000))
PER_SESSION = 25
OUTCOMES = ["attended"] * 14 + ["partial"] * 2 + ["no_show"] * 5 + ["late_cancelled"] * 2 + ["cancelled"] * 2


def seed() -> None:
    prepare_database()
    if Booking.objects.count() >= BOOKINGS:
        return
    started = time.perf_counter()
    agencies = list(Agency.objects.all())
    courses = list(Course.objects.all())
    people = Person.objects.bulk_create(
        [Person(email=f"load{n}@bench.example", name=f"Load {n}", agency=agencies[n % len(agencies)], password="!")
         for n in range(20_000)], batch_size=5000)
    first = datetime(2021, 4, 1, 9, 30, tzinfo=LONDON)
    sessions = Session.objects.bulk_create(
        [Session(course=courses[n % len(courses)], capacity=PER_SESSION, venue="Runcorn Town Hall",
                 booking_opens_at=first + timedelta(hours=n) - timedelta(days=60),
                 booking_closes_at=first + timedelta(hours=n) - timedelta(days=3),
                 starts_at=first + timedelta(hours=n), ends_at=first + timedelta(hours=n, minutes=390))
         for n in range(BOOKINGS // PER_SESSION)], batch_size=5000)
    SessionPart.objects.bulk_create([SessionPart(session=s, starts_at=s.starts_at, ends_at=s.ends_at)
                                     for s in sessions], batch_size=5000)
    batch = []
    for n, session in enumerate(sessions):
        for k in range(PER_SESSION):
            batch.append(Booking(session=session, person=people[(n * PER_SESSION + k) % len(people)],
                                 status=OUTCOMES[(n + k) % len(OUTCOMES)], booked_at=session.starts_at))
        if len(batch) >= 20_000:
            Booking.objects.bulk_create(batch)
            batch = []
    Booking.objects.bulk_create(batch)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(f"seeded {Booking.objects.count():,} bookings in {time.perf_counter() - started:.0f} s")


def main() -> None:
    seed()
    headers = {"X-Session-Token": session_token(Person.objects.get(email="business@halton.gov.uk"))}
    cookie = {"Cookie": f"sessionid={headers['X-Session-Token']}"}
    paths = [(f"GET /api/v1/reports/attendance/?by={by}", f"/api/v1/reports/attendance/?by={by}", headers)
             for by in ("agency", "course", "level", "theme", "month", "half_year")]
    paths += [("page /reports/ (all tables)", "/reports/?by=month", cookie),
              ("page /reports/annual/", "/reports/annual/?year=2022", cookie),
              ("export /reports/ xlsx", "/reports/?export=xlsx&table=no-shows-by-agency", cookie),
              ("page /reports/evaluations/", "/reports/evaluations/", cookie)]
    print(f"{Booking.objects.count():,} bookings on PostgreSQL; gunicorn 1 worker")
    with gunicorn(workers=1) as base:
        import subprocess

        worker = subprocess.run(["pgrep", "-f", "bench.wsgi:application"], capture_output=True, text=True)
        pids = [int(p) for p in worker.stdout.split()]
        print(f"{'report':<44}{'first s':>9}{'best of 3 s':>13}")
        for label, path, hdrs in paths:
            times = []
            for _ in range(3):
                seconds, status = timed(base + path, headers=hdrs)
                assert status == 200, f"{path} answered {status}"
                times.append(seconds)
            print(f"{label:<44}{times[0]:>9.2f}{min(times):>13.2f}")
        print("peak memory (VmHWM) of the gunicorn processes: " +
              ", ".join(f"{peak_rss_mb(pid):.0f} MB" for pid in pids))


if __name__ == "__main__":
    main()
