"""Reminders before a session: never sent twice, however often beat runs."""

from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from bookings.models import Booking, SentReminder
from bookings.services.notices import tell
from bookings.services.register import LATE_RULE
from bookings.services.rules import booking_settings
from people.models import Partnership


def _due(kind: str, days: int, *, partnership_id: int, now: datetime, only_if_booked_before: bool):
    point = timedelta(days=days)
    bookings = Booking.objects.filter(
        session__course__partnership_id=partnership_id,
        status=Booking.Status.CONFIRMED,
        session__status="scheduled",
        session__starts_at__gt=now,
        session__starts_at__lte=now + point,
    ).exclude(reminders__kind=kind)
    bookings = bookings.select_related("session__course", "person")
    if only_if_booked_before:
        # Someone who booked after the reminder point has just had their confirmation.
        return [b for b in bookings if b.booked_at <= b.session.starts_at - point]
    return list(bookings)


def send_reminders(*, now: datetime | None = None) -> int:
    """Queue the reminder (default 14 days before) and the joining instructions (default 5 days before).

    Each session follows its delivering partnership's booking settings. Each is claimed by a SentReminder
    row (unique per booking and kind) in the same transaction as its outbox message, so a second run finds
    nothing to do.
    """
    now = now or timezone.now()
    queued = 0
    for partnership_id in Partnership.objects.order_by("pk").values_list("pk", flat=True):
        queued += _send_for(partnership_id, now=now)
    return queued


def _send_for(partnership_id: int, *, now: datetime) -> int:
    rules = booking_settings(partnership_id)
    queued = 0
    for kind, days, before, context in (
        ("reminder", rules.reminder_days_before, True, {}),
        ("joining_instructions", rules.joining_instructions_days_before, False, {"late_rule": LATE_RULE}),
    ):
        for booking in _due(kind, days, partnership_id=partnership_id, now=now, only_if_booked_before=before):
            try:
                with transaction.atomic():
                    SentReminder.objects.create(booking=booking, kind=kind, sent_at=now)
                    tell(booking, kind, **context)
            except IntegrityError:
                continue  # another run claimed it first
            queued += 1
    return queued
