"""What a booking asks of the database: no session row (sessions are cached), the person once, and under
the lock only the lock, the count and the two inserts (the booking and its outbox message)."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from bench.harness import session_token
from bookings.models import Booking


def _book(session, token) -> list[str]:
    client = APIClient()
    with CaptureQueriesContext(connection) as queries:
        response = client.post(f"/api/v1/sessions/{session.pk}/book/", {}, format="json",
                               headers={"X-Session-Token": token})
    assert response.status_code == 201, response.content
    return [query["sql"] for query in queries.captured_queries]


def test_a_booking_reads_no_session_row_and_the_person_once(soon_session, practitioner, colleague):
    _book(soon_session(), session_token(colleague))  # the first request of a process fills the cache
    statements = _book(soon_session(), session_token(practitioner))
    assert not [sql for sql in statements if "django_session" in sql]
    assert len([sql for sql in statements if 'FROM "people_person"' in sql]) == 1
    assert Booking.objects.filter(person=practitioner).count() == 1
    if connection.vendor == "postgresql":
        # the person; then BEGIN (here a savepoint), lock, count, two inserts, COMMIT
        assert len(statements) == 7, "\n".join(statements)


def test_a_session_the_cache_lost_is_read_from_the_database(soon_session, practitioner):
    from django.core.cache import cache

    token = session_token(practitioner)
    cache.clear()  # a restarted cache: the session is still in the database, so nobody is signed out
    statements = _book(soon_session(), token)
    assert [sql for sql in statements if "django_session" in sql]
