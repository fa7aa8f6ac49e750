from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action, api_view, permission_classes
from rest_framework.exceptions import PermissionDenied
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from bookings import selectors, services
from bookings.models import Booking
from certificates.api import EvaluationSerializer
from certificates.services import submit_evaluation
from config.api import IdField
from courses.models import Session
from lib.errors import Invalid
from lib.params import whole_number
from people.permissions import may


class BookingSerializer(serializers.Serializer):
    """A booking as the API shows it (the schema, the lists); the book action answers with booking_body."""

    id = serializers.IntegerField(label="ID", read_only=True)
    session = IdField(queryset=Session.objects.all())
    person = serializers.SerializerMethodField()
    status = serializers.ChoiceField(choices=Booking.Status.choices)
    booked_at = serializers.DateTimeField(required=False)
    cancelled_at = serializers.DateTimeField(allow_null=True, required=False)
    waitlist_position = serializers.SerializerMethodField()
    offer_expires_at = serializers.DateTimeField(allow_null=True, required=False)

    def get_person(self, booking) -> dict:
        agency = booking.person.agency
        return {"id": booking.person_id, "name": booking.person.name, "agency": agency.code if agency else None}

    def get_waitlist_position(self, booking) -> int | None:
        known = getattr(booking, "known_position", None)
        return known if known is not None else selectors.waitlist_position(booking)


class BookRequestSerializer(serializers.Serializer):
    line_manager_email = serializers.EmailField(required=False, allow_blank=True, default="")
    adjustments = serializers.CharField(
        required=False, allow_blank=True, default="", trim_whitespace=True,
        help_text="Optional: what the person needs to take part. Seen by the trainers and the business unit only, "
        "and erased once the session is over.",
    )


_moment = serializers.DateTimeField()  # unbound: only its to_representation, which reads no parent


def booking_body(booking: Booking) -> dict:
    """What BookingSerializer writes for one booking, built directly: the answer to every booking made,
    where building a serializer would cost more than the rest of the response
    (tests/bookings/test_booking_body.py compares the two in every state)."""
    agency = booking.person.agency
    known = getattr(booking, "known_position", None)
    return {
        "id": booking.pk,
        "session": booking.session_id,
        "person": {"id": booking.person_id, "name": booking.person.name, "agency": agency.code if agency else None},
        "status": str(booking.status),
        "booked_at": _moment.to_representation(booking.booked_at),
        "cancelled_at": _moment.to_representation(booking.cancelled_at),
        "waitlist_position": known if known is not None else selectors.waitlist_position(booking),
        "offer_expires_at": _moment.to_representation(booking.offer_expires_at),
    }


class TransferSerializer(serializers.Serializer):
    email = serializers.EmailField()
    line_manager_email = serializers.EmailField(
        required=False, allow_blank=True, default="",
        help_text="The colleague's line manager's work email, when their agency asks for line-manager approval.")


@extend_schema(request=BookRequestSerializer, responses={201: BookingSerializer})
@api_view(["POST"])
@permission_classes([IsAuthenticated])
def book(request, pk: int) -> Response:
    """Book the caller: confirmed, pending approval, or on the waiting list when full."""
    if not may(request.user, "book"):
        raise PermissionDenied()
    body = BookRequestSerializer(data=request.data)
    body.is_valid(raise_exception=True)
    session_id = whole_number(str(pk))
    if session_id is None:
        raise Http404
    try:  # book_place reads the session once, under its lock
        booking = services.book_place(session_id, request.user,
                                      line_manager_email=body.validated_data["line_manager_email"],
                                      adjustments=body.validated_data["adjustments"])
    except Session.DoesNotExist as exc:
        raise Http404 from exc
    return Response(booking_body(booking), status=status.HTTP_201_CREATED)


@extend_schema_view(
    list=extend_schema(parameters=[OpenApiParameter("session", int), OpenApiParameter("status", str)]),
)
class BookingViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Bookings: a person sees their own; trainers their sessions'; agency managers their agency's;
    finance and the business unit all."""

    lookup_value_regex = r"\d+"

    serializer_class = BookingSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Booking.objects.none()
        bookings = selectors.bookings_visible_to(self.request.user).order_by("booked_at", "pk")
        params = self.request.query_params
        if params.get("session"):
            session_id = whole_number(params["session"])
            if session_id is None:
                raise Invalid("session must be a session id (a whole number).", field="session")
            bookings = bookings.filter(session_id=session_id)
        if params.get("status"):
            if params["status"] not in Booking.Status.values:
                raise Invalid(f"Unknown status {params['status']!r}: choose from {', '.join(Booking.Status.values)}.",
                              field="status")
            bookings = bookings.filter(status=params["status"])
        return bookings

    def _mine(self, action_name: str) -> Booking:
        booking = self.get_object()  # 404 when not visible
        if not may(self.request.user, action_name, booking):
            raise PermissionDenied("Only the person booked (or the business unit) can do this.")
        return booking

    @extend_schema(request=None, responses=BookingSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        booking = services.cancel_booking(self._mine("cancel_booking"), by=request.user)
        return Response(BookingSerializer(booking).data)

    @extend_schema(request=TransferSerializer, responses={201: BookingSerializer})
    @action(detail=True, methods=["post"])
    def transfer(self, request, pk=None):
        booking = self._mine("hand_over_booking")
        body = TransferSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        new = services.hand_over_booking(booking, to_email=body.validated_data["email"],
                                         line_manager_email=body.validated_data["line_manager_email"])
        return Response(BookingSerializer(new).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=EvaluationSerializer, responses={201: EvaluationSerializer})
    @action(detail=True, methods=["post"])
    def evaluation(self, request, pk=None):
        """The person's evaluation and impact statement, once the register is closed and they attended."""

        booking = self.get_object()
        if not may(request.user, "evaluate_booking", booking):
            raise PermissionDenied("Only the person who attended can evaluate their session.")
        body = EvaluationSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        evaluation = submit_evaluation(booking, by=request.user, **body.validated_data)
        return Response(EvaluationSerializer(evaluation).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=BookingSerializer)
    @action(detail=True, methods=["post"], url_path="accept-offer")
    def accept_offer(self, request, pk=None):
        booking = services.accept_offer(self._mine("answer_offer"))
        return Response(BookingSerializer(booking).data)

    @extend_schema(request=None, responses=BookingSerializer)
    @action(detail=True, methods=["post"], url_path="decline-offer")
    def decline_offer(self, request, pk=None):
        booking = services.decline_offer(self._mine("answer_offer"))
        return Response(BookingSerializer(booking).data)
