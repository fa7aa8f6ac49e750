"""The deep health check names each failing dependency, for the monitoring system and for a person."""

import socket
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import OperationalError, connection
from django.utils import timezone

from health.services import record_beat_run
from notifications.models import Message


def _unused_redis_url() -> str:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return f"redis://127.0.0.1:{port}/0"  # nothing listens there


def _refuse_every_query(execute, sql, params, many, context):
    raise OperationalError("connection to server at 127.0.0.1, port 5432 failed: Connection refused")


def _message(age: timedelta) -> Message:
    return Message.objects.create(to="priya@halton.gov.uk", subject="Your place", template="", kind="test",
                                  body_text="Hello\n", created_at=timezone.now() - age)


def test_the_embedded_default_is_healthy_and_says_redis_and_beat_are_not_used(client, db, settings):
    settings.REDIS_URL = ""
    response = client.get("/healthz/deep")
    assert response.status_code == 200
    assert response["Cache-Control"].startswith("max-age=0")
    body = response.json()
    assert body["status"] == "ok"
    assert body["checks"]["database"] == {"ok": True, "summary": "reachable"}
    assert body["checks"]["outbox"] == {"ok": True, "summary": "nothing waiting"}
    assert body["checks"]["redis"]["ok"] and body["checks"]["redis"]["summary"].startswith("not used")
    assert body["checks"]["beat"]["ok"] and body["checks"]["beat"]["summary"].startswith("not used")


def test_redis_down_and_no_heartbeat_from_beat_are_each_reported_and_answer_503(client, db, settings):
    settings.REDIS_URL = _unused_redis_url()
    response = client.get("/healthz/deep")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "failing"
    assert body["checks"]["redis"] == {"ok": False, "summary": "cannot reach Redis"}
    assert body["checks"]["beat"] == {"ok": False, "summary": "no heartbeat from beat yet"}
    assert body["checks"]["database"]["ok"] and body["checks"]["outbox"]["ok"]
    assert "127.0.0.1" not in response.text  # addresses stay in the log and the command


def test_a_late_heartbeat_fails_and_a_recent_one_passes(client, db, settings):
    settings.REDIS_URL = _unused_redis_url()
    record_beat_run(now=timezone.now() - timedelta(minutes=10))
    assert client.get("/healthz/deep").json()["checks"]["beat"] == {"ok": False,
                                                                    "summary": "last heartbeat 10 minutes ago"}
    record_beat_run(now=timezone.now() - timedelta(seconds=50))
    beat = client.get("/healthz/deep").json()["checks"]["beat"]
    assert beat["ok"] and beat["summary"].startswith("last heartbeat 5")


def test_an_old_unsent_message_fails_the_outbox_check_with_its_age(client, db, settings):
    settings.REDIS_URL = ""
    _message(timedelta(seconds=20))
    assert client.get("/healthz/deep").status_code == 200
    _message(timedelta(minutes=12))
    response = client.get("/healthz/deep")
    assert response.status_code == 503
    assert response.json()["checks"]["outbox"] == {"ok": False, "summary": "2 waiting, the oldest for 12 minutes"}


def test_the_database_down_is_reported_and_the_checks_that_need_it_say_unknown(client, db, settings):
    settings.REDIS_URL = ""
    with connection.execute_wrapper(_refuse_every_query):
        response = client.get("/healthz/deep")
    assert response.status_code == 503
    checks = response.json()["checks"]
    assert checks["database"] == {"ok": False, "summary": "cannot reach the database"}
    assert checks["outbox"] == {"ok": False, "summary": "unknown: cannot reach the database"}
    assert checks["redis"]["ok"]


def test_the_command_prints_every_check_with_the_reason_and_fails_when_one_does(db, settings, capsys):
    settings.REDIS_URL = _unused_redis_url()
    record_beat_run(now=timezone.now())
    _message(timedelta(minutes=7))
    with pytest.raises(CommandError, match="Failing: redis, outbox."):
        call_command("health")
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "database  ok       reachable"
    assert lines[1].startswith("redis     FAILING  cannot reach Redis (ConnectionError: ")
    assert "127.0.0.1" in lines[1]  # the person on call sees the address it tried
    assert lines[2] == "outbox    FAILING  1 waiting, the oldest for 7 minutes"
    assert lines[3].startswith("beat      ok       last heartbeat ")


def test_the_command_is_quiet_about_nothing_when_all_is_well(db, settings, capsys):
    settings.REDIS_URL = ""
    call_command("health")
    assert [line.split()[:2] for line in capsys.readouterr().out.splitlines()] == [
        ["database", "ok"], ["redis", "ok"], ["outbox", "ok"], ["beat", "ok"]]


def test_beat_sends_the_heartbeat_every_minute():
    from config.celery import app

    assert app.conf.beat_schedule["heartbeat"] == {"task": "health.tasks.record_beat_run", "schedule": 60.0}


def test_the_deep_check_answers_plain_http_behind_https_like_healthz(client, db, settings):
    settings.REDIS_URL = ""
    settings.SECURE_SSL_REDIRECT = True
    assert client.get("/calendar/").status_code == 301
    assert client.get("/healthz/deep").status_code == 200
