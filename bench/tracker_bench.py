"""Learning tracker benchmark: 200 recommendations over a million bookings, on PostgreSQL.

Seeds the reports benchmark's bookings (BENCH_BOOKINGS, default 1,000,000, with 20,000 people), then
40 reviews of five recommendations each, every recommendation linked to two courses and a resource
and owned by three agencies, with 100,000 resource openings and agency headcounts. Prints the time of
the tracker page, its XLSX, a recommendation's page and the API list against gunicorn (1 worker).
Target: the tracker page under one second. Run with `bash bench/run.sh tracker`.
"""

import random
import time
from datetime import date, datetime, timedelta

from bench.harness import start_django

start_django()

from bench.harness import gunicorn, session_token, timed  # noqa: E402
from bench.reports_bench import seed as seed_bookings  # noqa: E402
from bookings.models import Booking  # noqa: E402
from courses.models import Course  # noqa: E402
from lib.dates import LONDON  # noqa: E402
from people.models import Agency, Person  # noqa: E402
from resources.models import Opening, Resource  # noqa: E402
from reviews import services  # noqa: E402
from reviews.models import AgencyHeadcount, LearningReview, Recommendation  # noqa: E402

RECOMMENDATIONS = 200
OPENINGS = 100_000


def seed() -> None:
    seed_bookings()
    if Recommendation.objects.count() >= RECOMMENDATIONS:
        return
    started = time.perf_counter()
    rng = random.Random(22)
    agencies = list(Agency.objects.order_by("pk"))
    courses = list(Course.objects.order_by("pk"))
    resources = list(Resource.objects.order_by("pk"))
    for agency in agencies:
        AgencyHeadcount.objects.update_or_create(agency=agency, defaults={"headcount": 2000})
    kinds = LearningReview.Kind.values
    themes = ["Neglect", "Domestic abuse", "Exploitation", "Child sexual abuse", "Multi-agency working"]
    n = Recommendation.objects.count()
    review_no = 0
    while n < RECOMMENDATIONS:
        review = services.create_review(kind=kinds[review_no % len(kinds)], title=f"Bench review {review_no}",
                                        date=date(2022, 1, 1) + timedelta(days=20 * review_no),
                                        themes=rng.sample(themes, 2))
        review_no += 1
        for _ in range(5):
            lead, *others = rng.sample(agencies, 3)
            services.add_recommendation(review, text=f"Recommendation {n}", lead_agency=lead, owner_agencies=others,
                                        due=date(2026, 1, 1) + timedelta(days=n * 3),
                                        courses=rng.sample(courses, 2), resources=rng.sample(resources, 1))
            n += 1
    people = list(Person.objects.filter(email__startswith="load").values_list("pk", "agency_id")[:20_000])
    first = datetime(2022, 1, 1, 9, tzinfo=LONDON)
    Opening.objects.bulk_create(
        [Opening(resource=resources[i % len(resources)], person_id=people[i % len(people)][0],
                 agency_id=people[i % len(people)][1], opened_at=first + timedelta(minutes=17 * i))
         for i in range(OPENINGS)], batch_size=10_000)
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(f"seeded {Recommendation.objects.count()} recommendations and {OPENINGS:,} openings "
          f"in {time.perf_counter() - started:.0f} s")


def main() -> None:
    seed()
    token = session_token(Person.objects.get(email="business@halton.gov.uk"))
    headers, cookie = {"X-Session-Token": token}, {"Cookie": f"sessionid={token}"}
    rec = Recommendation.objects.order_by("pk").first()
    paths = [("page /learning/ (every recommendation)", "/learning/", cookie),
             ("export /learning/ xlsx", "/learning/?export=xlsx", cookie),
             ("page /learning/?theme=Neglect", "/learning/?theme=Neglect", cookie),
             ("page /learning/recommendations/{id}/", f"/learning/recommendations/{rec.pk}/", cookie),
             ("GET /api/v1/recommendations/", "/api/v1/recommendations/", headers),
             ("page /learning/themes/", "/learning/themes/?from=2021-01-01&to=2026-12-31", cookie)]
    print(f"{Booking.objects.count():,} bookings, {Recommendation.objects.count()} recommendations on PostgreSQL; "
          "gunicorn 1 worker")
    with gunicorn(workers=1) as base:
        print(f"{'request':<44}{'first s':>9}{'best of 3 s':>13}")
        for label, path, hdrs in paths:
            times = []
            for _ in range(3):
                seconds, status = timed(base + path, headers=hdrs)
                assert status == 200, f"{path} answered {status}"
                times.append(seconds)
            print(f"{label:<44}{times[0]:>9.2f}{min(times):>13.2f}")


if __name__ == "__main__":
    main()
