"""Log lines carry time, level, logger and request id; JSON when asked; refusals are one line."""

import json
import logging
import re

import pytest
from django.core.exceptions import ImproperlyConfigured

from config.logs import logging_config
from notifications import services as outbox
from tests.log_capture import hub_log

LINE = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+00:00 "
                  r"(DEBUG|INFO|WARNING|ERROR|CRITICAL) [\w.]+ \[[^\]]+\] ")


def test_every_line_carries_time_level_logger_and_the_request_id_returned_to_the_caller(client, db):
    with hub_log() as log:
        response = client.get("/courses/987654/")
    assert response.status_code == 404
    request_id = response["X-Request-ID"]
    lines = log.getvalue().splitlines()
    assert lines and all(LINE.match(line) for line in lines), lines
    assert any(f"WARNING django.request [{request_id}] Not Found: /courses/987654/" in line for line in lines)


def test_a_sensible_request_id_from_the_proxy_is_kept_and_a_strange_one_replaced(client, db):
    assert client.get("/healthz", headers={"X-Request-ID": "lb-1234.abc"})["X-Request-ID"] == "lb-1234.abc"
    replaced = client.get("/healthz", headers={"X-Request-ID": "no spaces\nor newlines"})["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{32}", replaced)


@pytest.mark.parametrize("method, path, status", [
    ("get", "/charges/", 403), ("get", "/courses/987654/", 404),
    ("post", "/api/v1/agencies/", 403), ("get", "/api/v1/courses/987654/", 404),
])
def test_a_refused_request_is_one_line_without_a_traceback(client, practitioner, method, path, status):
    client.force_login(practitioner)
    with hub_log() as log:
        assert getattr(client, method)(path, {}, content_type="application/json").status_code == status
    lines = log.getvalue().splitlines()
    assert "Traceback" not in log.getvalue()
    assert len([line for line in lines if "django.request" in line]) == 1, lines
    assert all(LINE.match(line) for line in lines), lines


def test_log_format_json_writes_one_object_a_line_with_the_same_fields(client, db):
    with hub_log("json") as log:
        response = client.get("/courses/987654/")
        try:
            raise RuntimeError("something nobody expected")
        except RuntimeError:
            logging.getLogger("hub.test").exception("It broke")
    lines = [json.loads(line) for line in log.getvalue().splitlines()]
    refused = next(line for line in lines if line["logger"] == "django.request")
    assert refused["level"] == "WARNING" and refused["request_id"] == response["X-Request-ID"]
    assert refused["message"] == "Not Found: /courses/987654/" and "traceback" not in refused
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+00:00", refused["time"])
    broke = next(line for line in lines if line["logger"] == "hub.test")
    assert broke["level"] == "ERROR" and broke["request_id"] == "-"
    assert "RuntimeError: something nobody expected" in broke["traceback"]


def test_a_log_format_that_is_neither_text_nor_json_stops_start_up_naming_the_variable():
    with pytest.raises(ImproperlyConfigured, match="LOG_FORMAT must be text or json, not 'xml'"):
        logging_config(fmt="xml", level="INFO")


def test_an_outage_is_one_warning_line_and_the_unexpected_keeps_its_traceback(monkeypatch):
    from kombu.exceptions import OperationalError

    from notifications.tasks import hand_out_waiting_messages

    def down():
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(hand_out_waiting_messages, "delay", down)
    with hub_log() as log:
        outbox.dispatch(41)
    [line] = log.getvalue().splitlines()
    assert LINE.match(line)
    assert line.endswith("WARNING notifications.services [-] Message 41 waits in the outbox: could not hand it "
                         "over now (OperationalError: Error 111 connecting to 127.0.0.1:6379. Connection refused.)")

    def bug():
        raise KeyError("a template variable")

    monkeypatch.setattr(hand_out_waiting_messages, "delay", bug)
    with hub_log() as log:
        outbox.dispatch(42)
    text = log.getvalue()
    assert ("ERROR notifications.services [-] Message 42 waits in the outbox: "
            "handing it over failed unexpectedly") in text
    assert "Traceback" in text and "KeyError: 'a template variable'" in text


def test_celery_unable_to_reach_redis_is_its_first_line_without_the_traceback_or_the_stack():
    import traceback

    from celery.beat import SchedulingError
    from kombu.exceptions import OperationalError

    with hub_log() as log:
        try:  # what celery.beat logs for every task it cannot send
            try:
                raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")
            except OperationalError as exc:
                raise SchedulingError(f"Couldn't apply scheduled task heartbeat: {exc}") from exc
        except SchedulingError as exc:
            logging.getLogger("celery.beat").error("Message Error: %s\n%s", exc, traceback.format_stack(),
                                                   exc_info=True)
        try:
            raise ValueError("not an outage")
        except ValueError:
            logging.getLogger("celery.beat").error("Something else", exc_info=True)
    lines = log.getvalue().splitlines()
    assert lines[0].endswith("ERROR celery.beat [-] Message Error: Couldn't apply scheduled task heartbeat: "
                             "Error 111 connecting to 127.0.0.1:6379. Connection refused.")
    assert lines[1].endswith("ERROR celery.beat [-] Something else")
    assert lines[2] == "Traceback (most recent call last):" and "ValueError: not an outage" in lines
