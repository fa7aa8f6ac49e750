"""In-process profile of the booking request: where a POST .../book/ spends its CPU, with no HTTP server.

Books BENCH_PEOPLE people (default 150) on 30-place sessions through Django's WSGI handler, with the headless
session token as the contention benchmark sends it, one at a time, and prints the CPU per booking and the
SQL statements per booking. SHOW_SQL=1 prints those statements; TIMELINE=1 the time each takes and the
Python before it; PROFILE=1 the functions that take the most time under cProfile (PROFILE_OUT=file keeps them).
Comparing two checkouts on the same machine tells which change made a booking dearer.
Run with `bash bench/run.sh booking_cpu` (a throwaway PostgreSQL and Redis, as in production).
"""

import cProfile
import os
import pstats
import resource
import time

from bench.harness import start_django

start_django()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from bench.contention_bench import new_session  # noqa: E402
from bench.harness import prepare_database, session_token  # noqa: E402
from courses.models import Course  # noqa: E402
from people.models import Agency, Person  # noqa: E402

PEOPLE = int(os.environ.get("BENCH_PEOPLE", 150))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", 3))
PROFILE = os.environ.get("PROFILE") == "1"


def cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def book_everyone(client: Client, tokens: list[str], course) -> None:
    session = new_session(course, 200 + int(time.time() * 1000) % 500)
    for token in tokens:
        response = client.post(f"/api/v1/sessions/{session.pk}/book/", data=b"{}", content_type="application/json",
                               HTTP_X_SESSION_TOKEN=token, HTTP_HOST="127.0.0.1")
        assert response.status_code == 201, (response.status_code, response.content[:300])


def timeline(client: Client, tokens: list[str], course) -> None:
    """Where a booking's time goes between its statements: the median, over 50 bookings, of each
    statement's own time and of the gap before it (Python's work), from the request's start."""
    session = new_session(course, 700)
    rows = []

    def wrapper(execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            marks.append((started, time.perf_counter(), " ".join(sql.split())[:60]))

    for token in tokens[:50]:
        marks = []
        begun = time.perf_counter()
        with connection.execute_wrapper(wrapper):
            client.post(f"/api/v1/sessions/{session.pk}/book/", data=b"{}", content_type="application/json",
                        HTTP_X_SESSION_TOKEN=token, HTTP_HOST="127.0.0.1")
        ended = time.perf_counter()
        last, row = begun, []
        for started, finished, sql in marks:
            row.append((sql, (started - last) * 1000, (finished - started) * 1000))
            last = finished
        row.append(("(the rest of the request)", (ended - last) * 1000, 0.0))
        rows.append(row)
    for n, (sql, _, _) in enumerate(rows[-1]):
        gaps = sorted(r[n][1] for r in rows if len(r) == len(rows[-1]))
        own = sorted(r[n][2] for r in rows if len(r) == len(rows[-1]))
        print(f"  Python before {gaps[len(gaps) // 2]:6.2f} ms, statement {own[len(own) // 2]:5.2f} ms: {sql}")


def main() -> None:
    prepare_database()
    agency = Agency.objects.get(code="halton-bc")
    people = [Person.objects.get_or_create(email=f"profiled{n}@halton.gov.uk",
                                           defaults={"name": f"Profiled {n}", "agency": agency})[0]
              for n in range(PEOPLE)]
    tokens = [session_token(p) for p in people]
    course = Course.objects.order_by("pk").first()
    client = Client()
    book_everyone(client, tokens, course)  # warm: code loaded, connections open
    with CaptureQueriesContext(connection) as queries:
        book_everyone(client, tokens[:10], course)
    print(f"SQL statements per booking: {len(queries.captured_queries) / 10:.1f}")
    if os.environ.get("SHOW_SQL") == "1":  # about the statements of the last of those bookings
        for query in queries.captured_queries[-(len(queries.captured_queries) // 10):]:
            print(f"  {query['time']} s  {query['sql'][:200]}")
    if os.environ.get("TIMELINE") == "1":
        timeline(client, tokens, course)
    figures = []
    profiler = cProfile.Profile() if PROFILE else None
    for _ in range(ROUNDS):
        started, wall = cpu(), time.perf_counter()
        if profiler:
            profiler.enable()
        book_everyone(client, tokens, course)
        if profiler:
            profiler.disable()
        figures.append(((cpu() - started) * 1000 / PEOPLE, (time.perf_counter() - wall) * 1000 / PEOPLE))
    for n, (cpu_ms, wall_ms) in enumerate(figures, 1):
        print(f"round {n}: {cpu_ms:.2f} ms CPU, {wall_ms:.2f} ms wall per booking (this process only)")
    print(f"best: {min(f[0] for f in figures):.2f} ms CPU per booking")
    if profiler:
        if os.environ.get("PROFILE_OUT"):
            profiler.dump_stats(os.environ["PROFILE_OUT"])
        stats = pstats.Stats(profiler)
        stats.sort_stats("tottime").print_stats(30)
        stats.sort_stats("cumulative").print_stats(60)


if __name__ == "__main__":
    main()
