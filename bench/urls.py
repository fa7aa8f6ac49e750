"""The project's URLs plus two framework floors, for the benchmarks only.

- `bench/floor/`: a trivial authenticated POST (DRF, the headless session token, no database write).
- `bench/floor-locked/<session>/`: the same, plus the irreducible core of a booking: lock the
  session's row, count the places taken, insert one row, commit. Its table is made by the
  contention benchmark (`bench_place`), outside the project's models.
- `bench/bare/<session>/`: the locked floor's work in a bare Django view, served by bench/wsgi.py with
  no middleware, authentication or framework around it: what a booking would cost with nothing else.
"""

from django.db import connection, transaction
from django.http import JsonResponse
from django.urls import path
from rest_framework.decorators import api_view
from rest_framework.response import Response

from config.urls import urlpatterns as project_urlpatterns
from courses.models import Session

PLACE_TABLE = """CREATE TABLE IF NOT EXISTS bench_place (
    id bigserial PRIMARY KEY, session_id bigint NOT NULL, person_id bigint NOT NULL,
    confirmed boolean NOT NULL, made_at timestamptz NOT NULL DEFAULT now());
CREATE INDEX IF NOT EXISTS bench_place_session ON bench_place (session_id)"""


@api_view(["POST"])
def floor(request):
    return Response({"ok": True, "person": request.user.pk}, status=201)


@api_view(["POST"])
def floor_locked(request, session_id: int):
    with transaction.atomic():
        session = Session.objects.select_for_update(of=("self",)).only("id", "capacity").get(pk=session_id)
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM bench_place WHERE session_id = %s AND confirmed", [session.pk])
            confirmed = cursor.fetchone()[0] < session.capacity
            cursor.execute("INSERT INTO bench_place (session_id, person_id, confirmed) VALUES (%s, %s, %s) "
                           "RETURNING id", [session.pk, request.user.pk, confirmed])
            place = cursor.fetchone()[0]
    return Response({"id": place, "confirmed": confirmed}, status=201)


BARE_PREFIX = "/bench/bare/"


def bare_locked(request):
    """Lock the session's row, count, insert, commit: plain SQL, no middleware (bench/wsgi.py serves it)."""
    session_id = int(request.path_info.removeprefix(BARE_PREFIX).strip("/"))
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT capacity FROM courses_session WHERE id = %s FOR UPDATE", [session_id])
        capacity = cursor.fetchone()[0]
        cursor.execute("SELECT count(*) FROM bench_place WHERE session_id = %s AND confirmed", [session_id])
        confirmed = cursor.fetchone()[0] < capacity
        cursor.execute("INSERT INTO bench_place (session_id, person_id, confirmed) VALUES (%s, 0, %s) RETURNING id",
                       [session_id, confirmed])
        place = cursor.fetchone()[0]
    return JsonResponse({"id": place, "confirmed": confirmed}, status=201)


urlpatterns = [path("bench/floor/", floor), path("bench/floor-locked/<int:session_id>/", floor_locked),
               *project_urlpatterns]
