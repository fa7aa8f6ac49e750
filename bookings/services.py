"""Writes about bookings."""

from datetime import datetime

from django.db import transaction

from bookings.models import Booking


@transaction.atomic
def end_bookings_for_cancelled_session(session, *, now: datetime) -> int:
    """A session cancelled by the partnership ends every live booking, at no charge."""
    return Booking.objects.filter(session=session).live().update(status=Booking.Status.CANCELLED, cancelled_at=now)
