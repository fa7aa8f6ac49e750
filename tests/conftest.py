"""Personas and small builders, as in healthchecks' tests."""

import os
from datetime import datetime, timedelta

import pytest
from django.db import connection
from rest_framework.test import APIClient

from courses import services as course_services
from courses.models import Course, Session
from lib.dates import london
from people import roles
from people.models import Agency
from people.services import add_person

PASSWORD = "correct-horse-battery"


def pytest_configure(config):
    """Django's own advice for fast tests: production's PBKDF2 spends 0.2 s on every password by design,
    and the tests make and check a few thousand. What the tests assert about sign-in does not depend on it."""
    from django.conf import settings

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


# scripts/test.sh runs two passes side by side and gives each test to one of them (HUB_TEST_PASS), so
# that no test runs twice for nothing: the PostgreSQL pass (production's database) takes every test but
# the browser journeys; the SQLite pass (the embedded default a new user runs) takes the browser journeys,
# against one live server, and the tests of code whose SQL differs between the two databases.
ON_BOTH_DATABASES = (
    "tests/bookings/",  # the booking's reads under the session's lock: plain SQL on PostgreSQL, the ORM on SQLite
    "tests/reports/",  # month and half-year grouping, which each database truncates its own way
    "tests/courses/test_demo.py",  # the demo data that `scripts/run.sh` loads into SQLite
    "tests/test_settings_and_dates.py",  # settings from the environment, and London times stored as UTC
)


def in_this_pass(item, which: str) -> bool:
    if which == "postgres":
        return "browser" not in item.keywords
    if which == "sqlite":
        return "browser" in item.keywords or item.nodeid.startswith(ON_BOTH_DATABASES)
    return True


def pytest_collection_modifyitems(config, items):
    which = os.environ.get("HUB_TEST_PASS", "")
    if which not in ("", "sqlite", "postgres"):
        raise pytest.UsageError(f"HUB_TEST_PASS is {which!r}: leave it unset, or say sqlite or postgres")
    left_out = [item for item in items if not in_this_pass(item, which)]
    if left_out:
        config.hook.pytest_deselected(items=left_out)
        items[:] = [item for item in items if in_this_pass(item, which)]
    on_postgres = connection.vendor == "postgresql"
    skip_pg = pytest.mark.skip(reason="needs a real PostgreSQL (DATABASE_URL)")
    for item in items:
        if "postgres" in item.keywords and not on_postgres:
            item.add_marker(skip_pg)


@pytest.fixture(autouse=True)
def _fresh_cache():
    """allauth keeps rate limits in the cache: each test starts with none spent."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def halton(db):
    return Agency.objects.update_or_create(
        code="halton-bc", defaults={"name": "Halton Borough Council", "kind": "statutory_partner"})[0]


@pytest.fixture
def police(db):
    return Agency.objects.update_or_create(
        code="cheshire-police", defaults={"name": "Cheshire Constabulary", "kind": "statutory_partner"})[0]


@pytest.fixture
def make_person(db):
    def make(email, agency, *role_names, name=""):
        return add_person(
            email,
            agency=agency,
            role_names=list(role_names) or [roles.PRACTITIONER],
            password=PASSWORD,
            name=name or email.split("@")[0].title(),
        )

    return make


@pytest.fixture
def practitioner(make_person, halton):
    return make_person("priya@halton.gov.uk", halton, roles.PRACTITIONER, name="Priya Shah")


@pytest.fixture
def colleague(make_person, halton):
    return make_person("tom@halton.gov.uk", halton, roles.PRACTITIONER, name="Tom Walsh")


@pytest.fixture
def outsider(make_person, police):
    return make_person("olly@cheshire.police.uk", police, roles.PRACTITIONER, name="Olly Outsider")


@pytest.fixture
def trainer(make_person, police):
    return make_person("sam@cheshire.police.uk", police, roles.PRACTITIONER, roles.TRAINER, name="Sam Hughes")


@pytest.fixture
def finance(make_person, halton):
    return make_person("fiona@halton.gov.uk", halton, roles.FINANCE, name="Fiona Clarke")


@pytest.fixture
def business_unit(make_person, halton):
    return make_person("beth@halton.gov.uk", halton, roles.BUSINESS_UNIT, name="Beth Morris")


@pytest.fixture
def agency_manager(make_person, halton):
    return make_person("dev@halton.gov.uk", halton, roles.AGENCY_MANAGER, name="Dev Patel")


@pytest.fixture
def make_course(db):
    counter = iter(range(1, 10_000))

    def make(title=None, level=Course.Level.BASIC, theme="Neglect", duration_minutes=180, prerequisites=()):
        return course_services.create_course(
            title=title or f"Course {next(counter)}",
            level=level,
            theme=theme,
            duration_minutes=duration_minutes,
            summary="A course.",
            prerequisites=prerequisites,
        )

    return make


@pytest.fixture
def course(make_course):
    return make_course("Understanding Neglect and Local Procedures")


def part(start: datetime, minutes: int = 390) -> course_services.Part:
    return course_services.Part(start, start + timedelta(minutes=minutes))


@pytest.fixture
def make_session(course):
    def make(*, course_=None, starts_at=None, capacity=20, minutes=390, trainers=(), now=None, **kwargs):
        starts_at = starts_at or london(2030, 3, 14, 9, 30)
        kwargs.setdefault("venue", "Runcorn Town Hall")
        return course_services.schedule_session(
            course_ or course,
            capacity=capacity,
            parts=[part(starts_at, minutes)],
            trainers=list(trainers),
            now=now or london(2030, 1, 6, 9, 0),
            **kwargs,
        )

    return make


@pytest.fixture
def session(make_session) -> Session:
    return make_session()


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def api_as(api):
    def sign_in(person):
        api.force_authenticate(person)
        return api

    return sign_in


@pytest.fixture
def soon_session(make_session):
    """A session a month away, open for booking now (for the API and pages, which use the real clock)."""
    from django.utils import timezone

    from lib.dates import LONDON

    def make(**kwargs):
        now = timezone.now()
        day = (now + timedelta(days=30)).astimezone(LONDON).date()
        start = datetime(day.year, day.month, day.day, 9, 30, tzinfo=LONDON)
        return make_session(starts_at=start, now=now - timedelta(minutes=1), **kwargs)
    return make


def invites_in(outbox):
    """(method, ics text) for each calendar invite in the sent emails, in order: the text/calendar parts
    that calendars act on, as the emails go out (not the attachment copy, which carries no method)."""
    found = []
    for message in outbox:
        for part in message.message().walk():
            if part.get_content_type() == "text/calendar":
                found.append((part.get_param("method"), part.get_payload(decode=True).decode()))
    return found


def sent():
    """Send what waits in the outbox and return the sent emails.

    Inside a test's wrapping transaction on_commit never fires, so the sweep delivers instead;
    tests/bookings/test_outbox.py proves the after-commit path on a real commit.
    """
    from django.core import mail

    from notifications.services import send_waiting_messages

    send_waiting_messages()
    return mail.outbox


@pytest.fixture(scope="session")
def localstripe_server():
    """localstripe (a stateful Stripe stand-in from PyPI) on a loopback port, for the whole run."""
    import socket
    import subprocess
    import sys
    import time
    from pathlib import Path

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    script = Path(__file__).resolve().parents[1] / "scripts" / "localstripe_server.py"
    process = subprocess.Popen([sys.executable, str(script), str(port)], stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    for _ in range(100):
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                break
        time.sleep(0.1)
    else:
        process.kill()
        pytest.fail("localstripe did not start")
    yield f"http://127.0.0.1:{port}"
    process.terminate()
    process.wait(timeout=10)


@pytest.fixture
def stripe_on(localstripe_server, settings):
    """Stripe switched on and pointed at an empty localstripe."""
    import urllib.request

    urllib.request.urlopen(urllib.request.Request(f"{localstripe_server}/_config/data", method="DELETE"))
    settings.STRIPE_API_KEY = "sk_test_training_hub"
    settings.STRIPE_API_BASE = localstripe_server
    settings.STRIPE_WEBHOOK_SECRET = "whsec_training_hub_test"
    return localstripe_server


@pytest.fixture
def past_session(make_session, course, trainer):
    """A session that happened (14 March 2030 is 'now' for these tests), its trainer from the pool."""
    course_services.add_to_pool(course, trainer)
    return make_session(trainers=[trainer])


def confirmed(session, *people):
    from bookings.models import Booking

    return [Booking.objects.create(session=session, person=p, status="confirmed") for p in people]
