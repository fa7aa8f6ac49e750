"""Which partnership is the first, and whether there are several, are read once a request: pages ask many times."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from people.models import Partnership, partnerships_read_once
from people.partnerships import default_partnership, is_network
from people.services import add_partnership


def _partnership_reads(queries) -> int:
    return sum('"people_partnership"' in q["sql"] and "JOIN" not in q["sql"] for q in queries.captured_queries)


def test_inside_a_request_each_answer_is_read_once(db):
    halton = default_partnership()
    with partnerships_read_once(), CaptureQueriesContext(connection) as queries:
        for _ in range(5):
            assert default_partnership() == halton
            assert not is_network()
    assert _partnership_reads(queries) == 2


def test_outside_a_request_every_question_reads_the_database(db):
    default_partnership()
    with CaptureQueriesContext(connection) as queries:
        is_network()
        is_network()
    assert _partnership_reads(queries) == 2


def test_a_partnership_added_or_removed_during_the_request_is_seen_at_once(db):
    halton = default_partnership()
    with partnerships_read_once():
        assert not is_network()
        warrington = add_partnership("warrington", name="Warrington Safeguarding Partnership")
        assert is_network() and default_partnership() == halton
        warrington.delete()
        assert not is_network()
        halton.name = "Halton Children and Young People Safeguarding Partnership (renamed)"
        halton.save()
        assert default_partnership().name.endswith("(renamed)")
    assert Partnership.objects.count() == 1


def test_the_calendar_page_asks_the_database_how_many_partnerships_there_are_once(client, db):
    default_partnership()
    add_partnership("warrington", name="Warrington Safeguarding Partnership")
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/").status_code == 200
    counts = [q for q in queries.captured_queries if 'COUNT(*)' in q["sql"] and '"people_partnership"' in q["sql"]]
    assert len(counts) == 1
