"""Reads about bookings."""

from django.db.models import Count, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce

from bookings.models import Booking


def places_held(session) -> int:
    return Booking.objects.filter(session=session).holding_a_place().count()


def _count_subquery(statuses) -> Coalesce:
    counted = (
        Booking.objects.filter(session=OuterRef("pk"), status__in=statuses)
        .order_by()
        .values("session")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def with_booking_counts(sessions):
    """Annotate `held` (places taken) and `waitlist_length` with one subquery each, no N+1."""
    return sessions.annotate(held=_count_subquery(Booking.HOLDING), waitlist_length=_count_subquery(["waitlisted"]))
