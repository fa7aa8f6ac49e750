"""The Celery app: `celery -A config worker` and `celery -A config beat`.

The beat schedule lives here, one commented entry per periodic task.
"""

import os

from celery import Celery
from celery.signals import setup_logging, task_postrun, task_prerun

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("hub")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@setup_logging.connect
def _django_logging(**kwargs):
    """Worker and beat log through Django's LOGGING (config/logs.py), as the web does: Celery's own
    set-up, and its --loglevel, stay out of it (LOG_LEVEL and LOG_FORMAT decide)."""
    from logging.config import dictConfig

    from django.conf import settings

    dictConfig(settings.LOGGING)


# A task's log lines carry its id where a request's carry the request's (config/logs.py).
@task_prerun.connect
def _task_id_on_log_lines(task_id=None, task=None, **kwargs):
    from config.logs import current_request_id, set_request_id

    if current_request_id() == "-":  # a task run eagerly inside a request keeps the request's id
        task.request.hub_log_token = set_request_id(task_id)


@task_postrun.connect
def _task_id_off_log_lines(task=None, **kwargs):
    from config.logs import reset_request_id

    token = getattr(task.request, "hub_log_token", None)
    if token is not None:
        reset_request_id(token)

app.conf.beat_schedule = {
    # every 30 seconds: send whatever waits in the outbox (Redis or the mail server were down, or the
    # worker sending it died: its claim lapses within 20 seconds, notifications/services.py)
    "send-waiting-messages": {"task": "notifications.tasks.send_waiting_messages", "schedule": 30.0},
    # every minute: beat's heartbeat, which the deep health check reads (health/selectors.py)
    "heartbeat": {"task": "health.tasks.record_beat_run", "schedule": 60.0},
    # every five minutes: lapsed waiting-list offers and unanswered approvals pass to the next person
    "expire-offers-and-approvals": {"task": "bookings.tasks.expire_offers_and_approvals", "schedule": 300.0},
    # every minute: places sessions kept for partnerships, unused when their time passed (reserved_until,
    # else the booking close), go to the people waiting; booking treats them as everyone's from that moment
    "release-kept-places": {"task": "bookings.tasks.release_kept_places", "schedule": 60.0},
    # every fifteen minutes: invoices Stripe could not take earlier are sent
    "retry-waiting-invoices": {"task": "charging.tasks.retry_waiting_invoices", "schedule": 900.0},
    # daily: follow-up questions months after a course, and reminders before a certificate lapses
    "follow-ups-and-refreshers": {"task": "certificates.tasks.follow_ups_and_refreshers", "schedule": 86400.0},
    # weekly: people inactive for RETENTION_YEARS are anonymised, their statistics kept
    "anonymise-inactive": {"task": "people.tasks.anonymise_inactive", "schedule": 7 * 86400.0},
    # weekly: each owner agency's managers hear which recommendations are overdue or due within 30 days
    "remind-recommendation-owners": {"task": "reviews.tasks.remind_owners", "schedule": 7 * 86400.0},
    # hourly: adjustments (which may be about health) go once the session is over or the booking ended
    "erase-adjustments": {"task": "people.tasks.erase_adjustments", "schedule": 3600.0},
    # hourly: reminders (14 days before) and joining instructions (5 days before), each sent once
    "send-reminders": {"task": "bookings.tasks.send_reminders", "schedule": 3600.0},
    # hourly: trainers whose register is still open a day after the session, once
    "remind-open-registers": {"task": "attendance.tasks.remind_open_registers", "schedule": 3600.0},
}
