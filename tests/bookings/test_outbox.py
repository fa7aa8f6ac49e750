"""Nothing is lost: a failure of email or Redis delays a message, never a booking."""

import json
import shutil
import socket
import subprocess
import time
from datetime import timedelta

import pytest
from django.core import mail

from bookings.models import Booking
from bookings.services import book_place
from config.celery import app as celery_app
from notifications.models import Message
from notifications.services import send_waiting_messages


def test_emails_go_straight_after_the_booking_commits(transactional_db, soon_session, practitioner):
    session = soon_session()
    book_place(session, practitioner)
    assert [m.subject for m in mail.outbox] == ["You are booked on Understanding Neglect and Local Procedures"]
    assert Message.objects.get().sent_at is not None


def test_a_refusing_mail_server_delays_the_email_not_the_booking(transactional_db, soon_session, practitioner,
                                                                  settings):
    session = soon_session()
    settings.EMAIL_BACKEND = "tests.failing_mail.RefusingBackend"
    booking = book_place(session, practitioner)
    assert Booking.objects.get(pk=booking.pk).status == "confirmed"
    message = Message.objects.get()
    assert message.sent_at is None and "refusing" in message.last_error
    assert send_waiting_messages() == 0  # still refusing: still waiting
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert send_waiting_messages() == 1
    assert send_waiting_messages() == 0  # never twice
    assert len(mail.outbox) == 1


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class RealRedis:
    """A real redis-server of the test's own, to stop and start at will."""

    def __init__(self, tmp_path):
        self.port = _free_port()
        self.dir = tmp_path
        self.process = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self):
        self.process = subprocess.Popen(
            [shutil.which("redis-server"), "--bind", "127.0.0.1", "--port", str(self.port), "--save", "",
             "--appendonly", "no", "--dir", str(self.dir)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for _ in range(100):
            with socket.socket() as s:
                if s.connect_ex(("127.0.0.1", self.port)) == 0:
                    return
            time.sleep(0.05)
        raise RuntimeError("redis-server did not start")

    def stop(self):
        if self.process:
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None


def _reset_connections() -> None:
    """Drop Celery's cached broker connections so the next publish connects afresh."""
    from kombu import pools

    pools.reset()
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


@pytest.fixture
def real_redis(tmp_path):
    if not shutil.which("redis-server"):
        pytest.fail("redis-server is needed: scripts/test.sh installs it")
    redis = RealRedis(tmp_path)
    redis.start()
    saved = dict(celery_app.conf)
    # the broker as production has it when REDIS_URL is set (config/settings.py)
    celery_app.conf.update(broker_url=redis.url, broker_transport="config.broker:Transport", task_always_eager=False)
    _reset_connections()
    yield redis
    redis.stop()
    celery_app.conf.update(broker_url=saved["broker_url"], broker_transport=saved["broker_transport"],
                           task_always_eager=True)
    _reset_connections()


@pytest.mark.redis
def test_booking_while_redis_is_down_and_the_message_follows_once_it_is_back(
        transactional_db, soon_session, practitioner, real_redis):
    from celery.contrib.testing.worker import start_worker

    session = soon_session()
    real_redis.stop()
    started = time.monotonic()
    booking = book_place(session, practitioner)  # the broker is unreachable: the booking must still land
    assert time.monotonic() - started < 10, "a request must not hang while Redis is down"
    assert Booking.objects.get(pk=booking.pk).status == "confirmed"
    assert Message.objects.get().sent_at is None
    assert mail.outbox == []

    real_redis.start()
    _reset_connections()
    with start_worker(celery_app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        from notifications.tasks import send_waiting_messages as sweep

        sweep.delay()  # what beat does every minute, through the real Redis
        for _ in range(100):
            if Message.objects.filter(sent_at__isnull=False).exists():
                break
            time.sleep(0.1)
    assert Message.objects.get().sent_at is not None
    assert [m.to for m in mail.outbox] == [["priya@halton.gov.uk"]]


@pytest.mark.redis
def test_handing_messages_over_reuses_one_redis_client_a_connection_pool(db, real_redis):
    import redis as redis_py

    from config.broker import Channel
    from notifications.tasks import send_message

    made = []
    real_init = redis_py.Redis.__init__

    def counting_init(client, *args, **kwargs):
        made.append(client)
        real_init(client, *args, **kwargs)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(redis_py.Redis, "__init__", counting_init)
        send_message.delay(1)  # the first connects: the channel's clients are made
        first = len(made)
        for message_id in (2, 3, 4):
            send_message.delay(message_id)
    with celery_app.connection_for_write() as connection:
        assert isinstance(connection.default_channel, Channel)
    assert len(made) == first  # kombu alone makes a client for each message
    queued = redis_py.Redis.from_url(real_redis.url).lrange("celery", 0, -1)
    assert [json.loads(m)["headers"]["argsrepr"] for m in reversed(queued)] == ["(1,)", "(2,)", "(3,)", "(4,)"]


@pytest.mark.redis
def test_a_burst_of_bookings_hands_celery_one_task_and_every_email_goes(
        transactional_db, soon_session, make_person, halton, real_redis):
    import redis as redis_py
    from celery.contrib.testing.worker import start_worker

    session = soon_session()
    people = [make_person(f"burst{n}@halton.gov.uk", halton) for n in range(5)]
    for person in people:
        book_place(session, person)  # each commits; no worker has started yet
    queued = redis_py.Redis.from_url(real_redis.url).lrange("celery", 0, -1)
    assert [json.loads(m)["headers"]["task"] for m in queued] == ["notifications.tasks.hand_out_waiting_messages"]
    with start_worker(celery_app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        _wait_until_sent(5)
        book_place(session, make_person("late@halton.gov.uk", halton))  # the sender has started: a new call
        _wait_until_sent(6)
    assert sorted(m.to[0] for m in mail.outbox) == sorted([p.email for p in people] + ["late@halton.gov.uk"])


def _wait_until_sent(count: int) -> None:
    for _ in range(150):
        if Message.objects.filter(sent_at__isnull=False).count() >= count:
            return
        time.sleep(0.1)
    pytest.fail(f"{Message.objects.filter(sent_at__isnull=False).count()} of {count} messages sent")


def test_a_call_for_a_sender_that_failed_is_forgotten_so_the_next_commit_calls_again(db, monkeypatch):
    from kombu.exceptions import OperationalError

    from notifications import services
    from notifications.tasks import hand_out_waiting_messages

    calls = []

    def down():
        calls.append("down")
        raise OperationalError("Connection refused.")

    monkeypatch.setattr(hand_out_waiting_messages, "delay", down)
    services.dispatch(1)
    services.dispatch(2)
    assert calls == ["down", "down"]  # the first failed call did not stop the second


def test_plain_text_emails_keep_apostrophes_and_ampersands(make_course, make_session, make_person, halton):
    from bookings.services import book_place
    from lib.dates import london
    from tests.conftest import sent

    course = make_course("Child Sexual Abuse Tools and Survivor's Story")
    person = make_person("siobhan@halton.gov.uk", halton, name="Siobhán O'Brien & <Team>")
    book_place(make_session(course_=course), person, now=london(2030, 2, 1))
    [email] = sent()
    assert "Dear Siobhán O'Brien & <Team>," in email.body
    assert "Survivor's Story" in email.body and "&#x27;" not in email.body and "&amp;" not in email.body
    assert email.subject == "You are booked on Child Sexual Abuse Tools and Survivor's Story"
    html = email.alternatives[0][0]
    assert "O&#x27;Brien &amp; &lt;Team&gt;" in html and "&amp;#x27;" not in html  # escaped once, for HTML


@pytest.mark.redis
def test_with_redis_down_each_booking_logs_one_warning_line_and_no_traceback(
        transactional_db, client, soon_session, make_person, halton, real_redis):
    from tests.log_capture import hub_log

    session = soon_session()
    people = [make_person(f"person{n}@halton.gov.uk", halton) for n in range(3)]
    real_redis.stop()
    with hub_log() as log:
        request_ids = []
        for person in people:
            client.force_login(person)
            response = client.post(f"/sessions/{session.pk}/book/")
            assert response.status_code == 302
            request_ids.append(response["X-Request-ID"])
    assert Booking.objects.filter(status="confirmed").count() == 3
    assert Message.objects.unsent().count() == 3
    text = log.getvalue()
    assert "Traceback" not in text
    warnings = [line for line in text.splitlines() if " WARNING " in line]
    assert len(warnings) == 3, text
    for line, request_id, message in zip(warnings, request_ids, Message.objects.order_by("pk"), strict=True):
        assert f"WARNING notifications.services [{request_id}] Message {message.pk} waits in the outbox: could not " \
               "hand it over now (OperationalError: " in line


def _waiting_message() -> Message:
    return Message.objects.create(to="priya@halton.gov.uk", subject="Your place", template="", kind="test",
                                  body_text="Hello\n")


def test_a_claim_left_by_a_dead_worker_lapses_within_seconds_and_the_sweep_then_sends_it(db):
    from django.utils import timezone

    from notifications.services import CLAIM_FOR, claim

    message = _waiting_message()
    claimed_at = timezone.now()
    assert claim(message.pk, now=claimed_at)  # a worker took it, then died before sending
    assert CLAIM_FOR.total_seconds() <= 30
    assert send_waiting_messages(now=claimed_at + CLAIM_FOR / 2) == 0
    assert send_waiting_messages(now=claimed_at + CLAIM_FOR + timedelta(seconds=1)) == 1
    message.refresh_from_db()
    assert message.sent_at is not None and message.attempts == 2
    assert len(mail.outbox) == 1


def test_a_send_slower_than_the_claim_keeps_its_claim_renewed_and_goes_once(transactional_db, settings, monkeypatch):
    import threading

    from notifications import services

    monkeypatch.setattr(services, "CLAIM_FOR", timedelta(seconds=1))
    monkeypatch.setattr(services, "RENEW_EVERY", timedelta(seconds=0.2))
    settings.EMAIL_BACKEND = "tests.failing_mail.SlowBackend"
    settings.SLOW_MAIL_SECONDS = 3
    message = _waiting_message()
    sender = threading.Thread(target=services.deliver_message, args=(message.pk,))
    sender.start()
    time.sleep(2)  # the first claim has lapsed by now, had it not been renewed
    assert send_waiting_messages() == 0
    sender.join()
    assert Message.objects.get().sent_at is not None
    assert len(mail.outbox) == 1


# A worker that claims the message and hangs at the mail server until it is killed with kill -9.
_DOOMED_WORKER = """
import django
django.setup()
from notifications.services import deliver_message
deliver_message(int(__import__("sys").argv[1]))
"""


@pytest.mark.postgres
@pytest.mark.redis
@pytest.mark.slow
def test_a_message_whose_worker_was_killed_with_kill_9_while_sending_it_is_sent_within_a_minute(
        transactional_db, real_redis):
    import os
    import signal
    import sys
    from pathlib import Path

    from celery.contrib.testing.worker import start_worker
    from django.db import connection

    from notifications.tasks import send_waiting_messages as sweep

    message = _waiting_message()
    db = connection.settings_dict
    env = os.environ | {
        "DATABASE_URL": f"postgresql://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "EMAIL_BACKEND": "tests.failing_mail.HangingBackend", "DJANGO_SETTINGS_MODULE": "config.settings",
    }
    doomed = subprocess.Popen([sys.executable, "-c", _DOOMED_WORKER, str(message.pk)], env=env,
                              cwd=Path(__file__).resolve().parents[2])
    try:
        for _ in range(300):
            if Message.objects.filter(pk=message.pk, claimed_until__isnull=False).exists():
                break
            time.sleep(0.1)
        else:
            pytest.fail("the worker never claimed the message")
        time.sleep(1)
        assert doomed.poll() is None, "the worker should be waiting for the mail server"
        assert Message.objects.get().last_error == ""
        doomed.send_signal(signal.SIGKILL)
    finally:
        doomed.kill()
        doomed.wait(timeout=10)
    killed = time.monotonic()
    assert Message.objects.get().sent_at is None and Message.objects.get().attempts == 1

    every = celery_app.conf.beat_schedule["send-waiting-messages"]["schedule"]
    with start_worker(celery_app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        next_sweep = killed
        while time.monotonic() - killed < 60 and Message.objects.get().sent_at is None:
            if time.monotonic() >= next_sweep:
                sweep.delay()  # what beat sends on its schedule
                next_sweep += every
            time.sleep(0.2)
        waited = time.monotonic() - killed
    assert Message.objects.get().sent_at is not None, "still waiting a minute after its worker was killed"
    assert waited < 60
    assert [m.to for m in mail.outbox] == [["priya@halton.gov.uk"]]
