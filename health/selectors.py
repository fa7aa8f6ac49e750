"""The deep health check: what the service depends on, each answered ok or failing with a plain reason.

Read by `/healthz/deep` (for the monitoring system) and `training-hub health` (for a person on call).
`/healthz` stays a shallow "the process answers", for the load balancer.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

import redis
from django.conf import settings
from django.db import DatabaseError, connection
from django.utils import timezone

from health.models import BeatRun
from health.services import HEARTBEAT
from notifications.models import Message

# A message that waited this long was not sent by the sweep (every 30 seconds) several times over:
# the workers, Redis or the mail server need someone.
OUTBOX_LATE_AFTER = timedelta(minutes=5)
# Beat sends its heartbeat every minute.
BEAT_LATE_AFTER = timedelta(minutes=3)


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    summary: str  # plain words, safe to show anyone
    reason: str = ""  # the technical cause (an exception's text), for the log and the person on call


def _minutes(age: timedelta) -> str:
    seconds = max(0, int(age.total_seconds()))
    number, unit = (seconds, "second") if seconds < 120 else (seconds // 60, "minute")
    return f"{number} {unit}{'' if number == 1 else 's'}"


def _problem(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}".strip()[:300]


def database() -> Check:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError as exc:
        return Check("database", False, "cannot reach the database", _problem(exc))
    return Check("database", True, "reachable")


def broker() -> Check:
    if not settings.REDIS_URL:
        return Check("redis", True, "not used: REDIS_URL is unset, tasks run in the web process")
    client = redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=2, socket_timeout=2)
    try:
        client.ping()
    except (redis.RedisError, OSError) as exc:
        return Check("redis", False, "cannot reach Redis", _problem(exc))
    finally:
        client.close()
    return Check("redis", True, "reachable")


def outbox(now: datetime) -> Check:
    try:
        oldest = Message.objects.unsent().order_by("created_at").values_list("created_at", flat=True).first()
        waiting = Message.objects.unsent().count() if oldest else 0
    except DatabaseError as exc:
        return Check("outbox", False, "unknown: cannot reach the database", _problem(exc))
    if oldest is None:
        return Check("outbox", True, "nothing waiting")
    age = now - oldest
    summary = f"{waiting} waiting, the oldest for {_minutes(age)}"
    return Check("outbox", age <= OUTBOX_LATE_AFTER, summary)


def beat(now: datetime) -> Check:
    if not settings.REDIS_URL:
        return Check("beat", True, "not used: REDIS_URL is unset, so there is no beat")
    try:
        ran_at = BeatRun.objects.filter(name=HEARTBEAT).values_list("ran_at", flat=True).first()
    except DatabaseError as exc:
        return Check("beat", False, "unknown: cannot reach the database", _problem(exc))
    if ran_at is None:
        return Check("beat", False, "no heartbeat from beat yet")
    age = now - ran_at
    return Check("beat", age <= BEAT_LATE_AFTER, f"last heartbeat {_minutes(age)} ago")


def checks(*, now: datetime | None = None) -> list[Check]:
    """Every check, database first; each catches its own failure, so one down never hides another."""
    now = now or timezone.now()
    return [database(), broker(), outbox(now), beat(now)]
