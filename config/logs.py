"""Log lines a person (and the council's log platform) can read.

Every line carries its time, level, logger and request id: the id of the web request that wrote it
(taken from the proxy's `X-Request-ID` when it sends a sensible one, and returned in the response's
`X-Request-ID`), or of the Celery task, or "-" for neither. `LOG_FORMAT=json` writes one JSON object a
line instead of text. A refused request (400, 403, 404) is one line: Django logs those with the
exception attached, and its traceback tells an operator nothing. So is Celery's own complaint
that Redis is out of reach (an outage the service expects and rides out).

Used by config/settings.py (LOGGING, MIDDLEWARE) and config/celery.py (the task's id).
"""

import json
import logging
import re
import uuid
from contextvars import ContextVar
from datetime import UTC, datetime

REQUEST_ID_HEADER = "X-Request-ID"
_request_id: ContextVar[str] = ContextVar("request_id", default="-")
_SENSIBLE_ID = re.compile(r"[A-Za-z0-9._:-]{1,64}")


def current_request_id() -> str:
    return _request_id.get()


def set_request_id(value: str | None):
    """Make `value` the id on this context's log lines; returns a token for `reset_request_id`."""
    return _request_id.set(value or "-")


def reset_request_id(token) -> None:
    _request_id.reset(token)


class RequestIdMiddleware:
    """First in MIDDLEWARE, so that every line a request causes carries its id."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        given = request.headers.get(REQUEST_ID_HEADER, "")
        request_id = given if _SENSIBLE_ID.fullmatch(given) else uuid.uuid4().hex
        request.request_id = request_id  # for lines Django writes after the middleware returned
        token = set_request_id(request_id)
        try:
            response = self.get_response(request)
            response[REQUEST_ID_HEADER] = request_id
            return response
        finally:
            reset_request_id(token)


class RequestIdFilter(logging.Filter):
    """Puts the request (or task) id on the record, for the formatters."""

    def filter(self, record: logging.LogRecord) -> bool:
        # Django logs a 404 (and any 4xx or 5xx answer) once the middleware has returned, with the request
        request = getattr(record, "request", None)
        record.request_id = getattr(request, "request_id", None) or current_request_id()
        return True


class RefusalInOneLine(logging.Filter):
    """A refused request (a status under 500: 400, 403, 404...) is logged without its traceback."""

    def filter(self, record: logging.LogRecord) -> bool:
        status = getattr(record, "status_code", None)
        if isinstance(status, int) and status < 500:
            record.exc_info = None
            record.exc_text = None
        return True


class BrokerOutageInOneLine(logging.Filter):
    """Celery's own lines about a broker it cannot reach (beat's "Couldn't apply scheduled task", with
    a traceback and a stack each time) are an expected outage: their first line, without traceback."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.name.startswith(("celery.", "kombu.")) and record.exc_info and _is_outage(record.exc_info[1]):
            record.msg, record.args = record.getMessage().split("\n", 1)[0], ()
            record.exc_info = None
            record.exc_text = None
        return True


def _is_outage(exc: BaseException | None) -> bool:
    from kombu.exceptions import OperationalError
    from redis.exceptions import ConnectionError as RedisConnectionError
    from redis.exceptions import TimeoutError as RedisTimeoutError

    seen = set()
    while exc is not None and id(exc) not in seen:  # beat's SchedulingError is raised from the broker's error
        if isinstance(exc, (OperationalError, RedisConnectionError, RedisTimeoutError, OSError)):
            return True
        seen.add(id(exc))
        exc = exc.__cause__ or exc.__context__
    return False


TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"


class TextFormatter(logging.Formatter):
    """`2026-12-02T17:55:01.123+00:00 WARNING notifications.services [3f2a...] Message 63 waits ...`"""

    def __init__(self, *args, **kwargs):
        super().__init__(TEXT_FORMAT)

    def formatTime(self, record, datefmt=None):  # noqa: N802 (logging's name)
        return datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds")


class JsonFormatter(logging.Formatter):
    """One JSON object a line: time, level, logger, request_id, message (and traceback when there is one)."""

    def format(self, record: logging.LogRecord) -> str:
        line = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "request_id": getattr(record, "request_id", current_request_id()),
            "message": record.getMessage(),
        }
        if record.exc_info:
            line["traceback"] = self.formatException(record.exc_info)
        if record.stack_info:
            line["stack"] = self.formatStack(record.stack_info)
        return json.dumps(line, ensure_ascii=False, default=str)


def logging_config(*, fmt: str, level: str) -> dict:
    """Django's LOGGING: one handler on the root logger, every line in the chosen format."""
    if fmt not in ("text", "json"):
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured(f"LOG_FORMAT must be text or json, not {fmt!r}.")
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {
            "request_id": {"()": RequestIdFilter},
            "refusal_in_one_line": {"()": RefusalInOneLine},
            "broker_outage_in_one_line": {"()": BrokerOutageInOneLine},
        },
        "formatters": {
            "text": {"()": TextFormatter},
            "json": {"()": JsonFormatter},
        },
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "filters": ["request_id", "refusal_in_one_line", "broker_outage_in_one_line"],
                "formatter": fmt,
            },
        },
        "root": {"handlers": ["console"], "level": level},
        "loggers": {
            # Django's own loggers write through the root's handler (Django's default console and
            # mail_admins handlers are not used).
            "django": {"handlers": [], "level": level, "propagate": True},
            "celery.app.trace": {"level": "WARNING"},
            # WeasyPrint logs each step of every PDF at INFO.
            "weasyprint": {"level": "WARNING"},
        },
    }
