"""The Celery app: `celery -A config worker` and `celery -A config beat`.

The beat schedule lives here, one commented entry per periodic task.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("hub")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

app.conf.beat_schedule = {
    # every minute: send whatever waits in the outbox (Redis or the mail server were down)
    "send-waiting-messages": {"task": "notifications.tasks.send_waiting_messages", "schedule": 60.0},
    # every five minutes: lapsed waiting-list offers and unanswered approvals pass to the next person
    "expire-offers-and-approvals": {"task": "bookings.tasks.expire_offers_and_approvals", "schedule": 300.0},
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
