"""Contention benchmark: N clients (default 100) booking one 30-place session at once over HTTP.

gunicorn on PostgreSQL; prints throughput, p50/p95 latency and overbookings (must be 0),
and the same for a session open to the network keeping places for a second partnership (default 10
of the 30, for Warrington, whose 30 people race the other partnership's 70): its kept places must all
go to that partnership's people (kept places lost: must be 0),
beside three floors on the same stack, as ratios: a trivial authenticated POST, the same POST
doing a booking's irreducible core (lock the session row, count, insert; see bench/urls.py), and
that core in a bare view with no middleware (bench/wsgi.py). Then the SQL statements each sends
(counted in-process; the connection's health check, sent outside Django's cursor, is not counted).
Run with `bash bench/run.sh contention` (it starts a throwaway PostgreSQL and Redis).
"""

import os
import resource
import subprocess
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta

from bench.harness import start_django

start_django()

from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402

from bench.harness import (  # noqa: E402
    children_of,
    gunicorn,
    machine_busy,
    percentiles,
    prepare_database,
    process_cpu_seconds,
    session_token,
    timed,
)
from bench.urls import BARE_PREFIX, PLACE_TABLE, bare_locked  # noqa: E402
from bookings.models import Booking  # noqa: E402
from courses.models import Course  # noqa: E402
from courses.services import Part, schedule_session  # noqa: E402
from lib.dates import LONDON  # noqa: E402
from people.models import Agency, Partnership, Person  # noqa: E402

CLIENTS = int(os.environ.get("BENCH_CLIENTS", 100))
CAPACITY = int(os.environ.get("BENCH_CAPACITY", 30))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", 10))
WORKERS = int(os.environ.get("BENCH_WORKERS", 4))
THREADS = int(os.environ.get("BENCH_THREADS", 1))
KEPT = int(os.environ.get("BENCH_KEPT", 10))  # places kept for the second partnership
NEIGHBOURS = int(os.environ.get("BENCH_NEIGHBOURS", 30))  # of the clients, how many are its people


class Meter:
    """CPU seconds used by gunicorn (master and workers), PostgreSQL's backends and this client process,
    and how busy the whole machine was: read from /proc before and after each round."""

    def __init__(self):
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            backend = cursor.fetchone()[0]
        self.postmaster = int(open(f"/proc/{backend}/stat").read().rsplit(")", 1)[1].split()[1])
        found = subprocess.run(["pgrep", "-f", "bench.wsgi:application"], capture_output=True, text=True)
        self.gunicorn = [int(pid) for pid in found.stdout.split()]

    def read(self) -> dict[str, float]:
        client = resource.getrusage(resource.RUSAGE_SELF)
        busy, total = machine_busy()
        return {"gunicorn": process_cpu_seconds(self.gunicorn),
                "postgres": process_cpu_seconds(children_of(self.postmaster)),
                "client": client.ru_utime + client.ru_stime, "busy": busy, "total": total}


def fire(pool: ThreadPoolExecutor, url: str, tokens: list[str], meter: Meter):
    """Every client sends one POST at the same moment; the clients' threads already exist.

    Returns the seconds taken, each request's seconds and status, and the CPU used (see Meter).
    """
    def one(token):
        return timed(url, data=b"{}", headers={"X-Session-Token": token, "Content-Type": "application/json"})

    before = meter.read()
    started = time.perf_counter()
    results = list(pool.map(one, tokens))
    elapsed = time.perf_counter() - started
    after = meter.read()
    used = {key: after[key] - before[key] for key in before}
    return elapsed, [r[0] for r in results], [r[1] for r in results], used


def new_session(course, days_ahead: int, **kept):
    day = (timezone.now() + timedelta(days=days_ahead)).astimezone(LONDON).date()
    start = datetime(day.year, day.month, day.day, 9, 30, tzinfo=LONDON)
    return schedule_session(course, capacity=CAPACITY, venue="Runcorn Town Hall",
                            parts=[Part(start, start + timedelta(hours=6))], **kept)


def kept_session(course, days_ahead: int):
    """A session open to the network, keeping KEPT places for the second partnership until bookings close."""
    return new_session(course, days_ahead, open_to="network", reserved_places={"warrington": KEPT})


def neighbours() -> list:
    """NEIGHBOURS people whose home is a second partnership (Warrington), at an agency of theirs."""
    partnership = Partnership.objects.get_or_create(
        slug="warrington", defaults={"name": "Warrington Safeguarding Partnership"})[0]
    agency = Agency.objects.get_or_create(code="warrington-bc", defaults={
        "name": "Warrington Borough Council", "kind": "statutory_partner"})[0]
    agency.partnerships.add(partnership)
    return [Person.objects.update_or_create(email=f"neighbour{n}@warrington.gov.uk", defaults={
        "name": f"Neighbour {n}", "agency": agency, "home_partnership": partnership})[0] for n in range(NEIGHBOURS)]


def main() -> None:
    prepare_database()
    agency = Agency.objects.get(code="halton-bc")
    people = [Person.objects.get_or_create(email=f"contender{n}@halton.gov.uk",
                                           defaults={"name": f"Contender {n}", "agency": agency})[0]
              for n in range(CLIENTS)]
    tokens = [session_token(p) for p in people]
    theirs = neighbours()
    # the kept-places round: the same number of clients, NEIGHBOURS of them the second partnership's people
    mixed_tokens = tokens[:CLIENTS - NEIGHBOURS] + [session_token(p) for p in theirs]
    course = Course.objects.order_by("pk").first()
    print(f"{CLIENTS} concurrent clients, {CAPACITY} places, {ROUNDS} rounds, "
          f"gunicorn {WORKERS} workers x {THREADS} threads; the kept-places case keeps {KEPT} places for "
          f"{NEIGHBOURS} of the clients' partnership")
    with connection.cursor() as cursor:
        cursor.execute(PLACE_TABLE)
    stats = {"floor": [], "locked": [], "bare": [], "book": [], "kept": []}
    with gunicorn(workers=WORKERS, threads=THREADS) as base, ThreadPoolExecutor(max_workers=CLIENTS) as pool:
        def book(session):
            return f"{base}/api/v1/sessions/{session.pk}/book/"

        def locked(session):
            return f"{base}/bench/floor-locked/{session.pk}/"

        def bare(session):
            return f"{base}{BARE_PREFIX}{session.pk}/"

        meter = Meter()
        # One round not counted: every worker has its code loaded and its database connection open.
        fire(pool, base + "/bench/floor/", tokens, meter)
        fire(pool, locked(new_session(course, 58)), tokens, meter)
        fire(pool, bare(new_session(course, 57)), tokens, meter)
        fire(pool, book(new_session(course, 59)), tokens, meter)
        fire(pool, book(kept_session(course, 99)), mixed_tokens, meter)
        for round_ in range(ROUNDS):
            session, bare_session = new_session(course, 60 + round_), new_session(course, 80 + round_)
            stats["floor"].append(fire(pool, base + "/bench/floor/", tokens, meter))
            stats["locked"].append(fire(pool, locked(session), tokens, meter))
            stats["bare"].append(fire(pool, bare(bare_session), tokens, meter))
            stats["book"].append(fire(pool, book(session), tokens, meter))
            keeping = kept_session(course, 100 + round_)
            stats["kept"].append(fire(pool, book(keeping), mixed_tokens, meter))
            with connection.cursor() as cursor:
                cursor.execute("SELECT count(*) FROM bench_place WHERE session_id = %s AND confirmed", [session.pk])
                locked_confirmed = cursor.fetchone()[0]
                cursor.execute("SELECT count(*) FROM bench_place WHERE session_id = %s AND confirmed",
                               [bare_session.pk])
                bare_confirmed = cursor.fetchone()[0]
            confirmed = Booking.objects.filter(session=session).confirmed().count()
            waitlisted = Booking.objects.filter(session=session).waiting().count()
            statuses = sorted(set(stats["book"][-1][2]) | set(stats["locked"][-1][2]) | set(stats["bare"][-1][2]))
            print(f"round {round_ + 1}: {confirmed} confirmed, {waitlisted} waitlisted, "
                  f"overbookings {max(0, confirmed - CAPACITY)} (locked floor {max(0, locked_confirmed - CAPACITY)}, "
                  f"bare {max(0, bare_confirmed - CAPACITY)}), "
                  f"HTTP statuses {statuses}; req/s floor {CLIENTS / stats['floor'][-1][0]:.0f}, "
                  f"locked floor {CLIENTS / stats['locked'][-1][0]:.0f}, bare {CLIENTS / stats['bare'][-1][0]:.0f}, "
                  f"booking {CLIENTS / stats['book'][-1][0]:.0f}")
            kept_confirmed = Booking.objects.filter(session=keeping).confirmed()
            theirs_confirmed = kept_confirmed.filter(person__home_partnership__slug="warrington").count()
            in_all = kept_confirmed.count()
            lost = max(0, min(KEPT, NEIGHBOURS) - theirs_confirmed)
            print(f"  kept places: {in_all} confirmed, {theirs_confirmed} of them the second partnership's; "
                  f"overbookings {max(0, in_all - CAPACITY)}, kept places lost {lost}, "
                  f"HTTP statuses {sorted(set(stats['kept'][-1][2]))}; req/s {CLIENTS / stats['kept'][-1][0]:.0f}")
    throughput = {}
    labels = {"floor": "trivial authenticated POST (floor)", "locked": "locked floor (lock, count, insert)",
              "bare": "bare view (no middleware)", "book": "POST .../book/",
              "kept": "POST .../book/, places kept"}
    for key, label in labels.items():
        elapsed = sum(s[0] for s in stats[key])
        latencies = [x for s in stats[key] for x in s[1]]
        p50, p95 = percentiles(latencies)
        throughput[key] = len(latencies) / elapsed
        print(f"{label:<36} {throughput[key]:8.1f} req/s   p50 {p50:7.1f} ms   p95 {p95:7.1f} ms")
    print(f"\nCPU per request, ms (the machine has {os.cpu_count()} cores; busy = share of all of them in use):")
    print(f"{'':<36} {'gunicorn':>9} {'postgres':>9} {'client':>9} {'total':>9} {'busy':>6}")
    for key, label in labels.items():
        requests = sum(len(s[1]) for s in stats[key])
        cpu = {part: sum(s[3][part] for s in stats[key]) * 1000 / requests
               for part in ("gunicorn", "postgres", "client")}
        busy = sum(s[3]["busy"] for s in stats[key]) / sum(s[3]["total"] for s in stats[key])
        print(f"{label:<36} {cpu['gunicorn']:9.2f} {cpu['postgres']:9.2f} {cpu['client']:9.2f} "
              f"{sum(cpu.values()):9.2f} {busy:6.0%}")
    print()
    print(f"booking throughput / floor throughput: {throughput['book'] / throughput['floor']:.2f}")
    print(f"booking throughput / locked floor throughput: {throughput['book'] / throughput['locked']:.2f}")
    print(f"booking throughput / bare view throughput: {throughput['book'] / throughput['bare']:.2f}")
    print(f"booking with places kept / booking throughput: {throughput['kept'] / throughput['book']:.2f}")
    print("\nSQL statements a request (BEGIN and COMMIT included):")
    for key, count in statements(tokens[0], course, mixed_tokens[-1]).items():
        print(f"{labels[key]:<36} {count:3d}")


def statements(token: str, course, neighbour_token: str) -> dict[str, int]:
    """The statements each request sends, counted in-process on fresh sessions (the session already cached);
    the kept-places booking by one of the second partnership's people."""
    from django.test import Client, RequestFactory, override_settings
    from django.test.utils import CaptureQueriesContext

    headers = {"X-Session-Token": token}
    session, bare_session = new_session(course, 120), new_session(course, 121)
    paths = {"floor": "/bench/floor/", "locked": f"/bench/floor-locked/{session.pk}/",
             "book": f"/api/v1/sessions/{session.pk}/book/"}
    counts = {}
    with override_settings(ROOT_URLCONF="bench.urls"):
        client = Client()
        for key, path in paths.items():
            with CaptureQueriesContext(connection) as queries:
                response = client.post(path, data=b"{}", content_type="application/json", headers=headers)
            assert response.status_code == 201, (path, response.status_code)
            counts[key] = len(queries)
    with CaptureQueriesContext(connection) as queries:
        bare_locked(RequestFactory().post(f"{BARE_PREFIX}{bare_session.pk}/"))
    counts["bare"] = len(queries)
    neighbour = {"X-Session-Token": neighbour_token}
    kept_path = f"/api/v1/sessions/{kept_session(course, 122).pk}/book/"
    with override_settings(ROOT_URLCONF="bench.urls"):
        client = Client()
        client.post("/bench/floor/", data=b"{}", content_type="application/json", headers=neighbour)  # cached
        with CaptureQueriesContext(connection) as queries:
            response = client.post(kept_path, data=b"{}", content_type="application/json", headers=neighbour)
    assert response.status_code == 201, response.status_code
    counts["kept"] = len(queries)
    return counts


if __name__ == "__main__":
    main()
