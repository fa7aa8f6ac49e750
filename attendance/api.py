from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import api_view
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from attendance import services
from bookings.models import Booking
from config.api import id_number
from courses.models import Session
from people.permissions import may, not_theirs


class MarkSerializer(serializers.Serializer):
    booking = id_number()
    outcome = serializers.ChoiceField(choices=["attended", "partial", "no_show"])


class MarksSerializer(serializers.Serializer):
    marks = MarkSerializer(many=True, allow_empty=False)


class RowSerializer(serializers.Serializer):
    booking = serializers.IntegerField(source="pk")
    person = serializers.SerializerMethodField()
    outcome = serializers.SerializerMethodField()
    walk_in = serializers.SerializerMethodField()
    adjustments = serializers.CharField(help_text="What the person asked for to take part; erased after the session")

    def get_person(self, booking) -> dict:
        p = booking.person
        return {"id": p.pk, "name": p.name, "email": p.email, "agency": p.agency.code if p.agency else None}

    def get_outcome(self, booking) -> str | None:
        if booking.status in Booking.OUTCOMES:
            return booking.status
        return booking.mark.outcome if hasattr(booking, "mark") else None

    def get_walk_in(self, booking) -> bool:
        return bool(hasattr(booking, "mark") and booking.mark.walk_in)


class RegisterSerializer(serializers.Serializer):
    closed = serializers.BooleanField()
    rows = RowSerializer(many=True)


def _session_for_register(request, pk: int) -> Session:
    session = get_object_or_404(Session.objects.select_related("course"), pk=pk)
    if not may(request.user, "take_register", session):
        if may(request.user, "manage_sessions"):  # a business unit, of another partnership
            raise PermissionDenied(not_theirs(session))
        raise PermissionDenied("Only the session's trainers and the business unit take the register.")
    return session


def _register_response(session) -> Response:
    register = services.register_for(session)
    rows = services.register_rows(session)
    return Response(RegisterSerializer({"closed": register.closed, "rows": rows}).data)


@extend_schema(methods=["GET"], responses=RegisterSerializer)
@extend_schema(methods=["POST"], request=MarksSerializer, responses=RegisterSerializer)
@api_view(["GET", "POST"])
def register(request, pk: int):
    """The register: trainers of the session and the business unit read and mark it."""
    session = _session_for_register(request, pk)
    if request.method == "POST":
        body = MarksSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.mark(session, [(m["booking"], m["outcome"]) for m in body.validated_data["marks"]],
                      by=request.user)
    return _register_response(session)


@extend_schema(request=None, responses=RegisterSerializer)
@api_view(["POST"])
def close(request, pk: int):
    """Lock the register: unmarked places become no-shows and the charging policy runs."""
    session = _session_for_register(request, pk)
    services.close_register(session, by=request.user)
    return _register_response(session)


class CorrectionSerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=["attended", "partial", "no_show"])
    reason = serializers.CharField()


@extend_schema(request=CorrectionSerializer, responses=RowSerializer)
@api_view(["POST"])
def correct(request, pk: int, booking_id: int):
    """After the close, the business unit corrects a mark with a reason."""
    if not may(request.user, "correct_marks"):
        raise PermissionDenied("Only the business unit can correct a mark after the register is closed.")
    session = get_object_or_404(Session.objects.select_related("course"), pk=pk)
    if not may(request.user, "correct_marks", session):
        raise PermissionDenied(not_theirs(session))
    booking = get_object_or_404(session.bookings, pk=booking_id)
    body = CorrectionSerializer(data=request.data)
    body.is_valid(raise_exception=True)
    booking = services.correct_mark(booking, outcome=body.validated_data["outcome"],
                                    reason=body.validated_data["reason"], by=request.user)
    return Response(RowSerializer(booking).data, status=status.HTTP_200_OK)
