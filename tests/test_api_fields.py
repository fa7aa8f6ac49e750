"""config.api.FieldsCopiedOnce: serializers whose fields are shallow copies of one deep copy a class.

Each test compares with DRF's own serializer, which deep-copies the declared fields every time.
"""

from datetime import timedelta

import pytest
from rest_framework import serializers

from bookings.api import BookingSerializer, BookRequestSerializer
from bookings.models import Booking
from config.api import FieldsCopiedOnce
from lib.dates import london

NOW = london(2030, 2, 1, 10, 0)


class DRFBookingSerializer(BookingSerializer):
    def get_fields(self):
        return serializers.Serializer.get_fields(self)


class DRFBookRequestSerializer(BookRequestSerializer):
    def get_fields(self):
        return serializers.Serializer.get_fields(self)


def test_a_booking_reads_as_drf_would_write_it_in_every_state(session, practitioner, colleague, outsider):
    bookings = [
        Booking.objects.create(session=session, person=practitioner, status="confirmed", booked_at=NOW),
        Booking.objects.create(session=session, person=colleague, status="waitlisted", booked_at=NOW,
                               waitlisted_at=NOW, offer_expires_at=NOW + timedelta(hours=4)),
        Booking.objects.create(session=session, person=outsider, status="cancelled", booked_at=NOW,
                               cancelled_at=NOW + timedelta(days=1)),
    ]
    bookings[1].known_position = 1
    for booking in bookings:
        assert BookingSerializer(booking).data == DRFBookingSerializer(booking).data
    assert [BookingSerializer(b).data["status"] for b in bookings] == ["confirmed", "waitlisted", "cancelled"]
    assert BookingSerializer(bookings, many=True).data == DRFBookingSerializer(bookings, many=True).data


@pytest.mark.parametrize("body", [
    {},
    {"line_manager_email": "Boss@Halton.gov.uk", "adjustments": "  A hearing loop  "},
    {"line_manager_email": "not an email"},
    {"adjustments": 7},
    {"adjustments": ["a list"]},
    {"line_manager_email": None},
])
def test_a_booking_request_is_read_and_refused_as_drf_would(body):
    ours, drfs = BookRequestSerializer(data=body), DRFBookRequestSerializer(data=body)
    assert ours.is_valid() == drfs.is_valid()
    assert ours.errors == drfs.errors
    if not ours.errors:
        assert ours.validated_data == drfs.validated_data


def test_every_serializer_binds_fields_of_its_own():
    first, second = BookingSerializer(), BookingSerializer()
    for name, field in first.fields.items():
        other = second.fields[name]
        assert field is not other and field.parent is first and other.parent is second
        assert field.field_name == other.field_name == name
    assert first.fields["person"].method_name == "get_person"


def test_a_nested_serializer_is_refused():
    class Nested(FieldsCopiedOnce, serializers.Serializer):
        booking = BookingSerializer()

    class Many(FieldsCopiedOnce, serializers.Serializer):
        sessions = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    for serializer in (Nested, Many):
        with pytest.raises(TypeError, match="hold fields of their own"):
            serializer().fields  # noqa: B018
