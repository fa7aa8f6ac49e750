from datetime import datetime

from django.shortcuts import get_object_or_404
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from bookings.selectors import places_for_viewer
from config.api import AtomicCreateModelMixin, IdField
from courses import selectors, services
from courses.models import TITLE_MAX, Course, Session
from lib.dates import read_datetime
from lib.errors import Invalid
from lib.params import whole_number
from people.acting import partnership_for_new
from people.api_permissions import allowed
from people.models import Partnership, Person
from people.permissions import may, not_theirs
from people.selectors import partnership_named


class AwareDateTimeField(serializers.DateTimeField):
    """ISO 8601 with an offset; a naive time is refused rather than guessed."""

    def to_internal_value(self, value):
        if isinstance(value, str):
            parsed = read_datetime(value.strip())
            if parsed is None:
                self.fail("invalid", format="ISO 8601 with an offset, e.g. 2025-03-30T09:30:00+01:00")
            if parsed.tzinfo is None:
                raise serializers.ValidationError(
                    "Give the time with its offset, e.g. 2025-03-30T09:30:00+01:00: a time without one is ambiguous."
                )
            return parsed
        return super().to_internal_value(value)


def parse_aware_param(request, name: str) -> datetime | None:
    raw = request.query_params.get(name)
    if not raw:
        return None
    parsed = read_datetime(raw.strip().replace(" ", "+"))
    if parsed is None or parsed.tzinfo is None:
        raise Invalid(f"{name} must be an ISO 8601 time with an offset, e.g. 2025-03-30T09:30:00+01:00.", field=name)
    return parsed


# --- Courses ---------------------------------------------------------------------------------------


class CourseSerializer(serializers.ModelSerializer):
    title = serializers.CharField(max_length=TITLE_MAX)
    level = serializers.ChoiceField(choices=Course.Level.choices)
    duration_minutes = serializers.IntegerField(min_value=1, max_value=60 * 24 * 10)
    prerequisites = IdField(many=True, queryset=Course.objects.all(), required=False)
    partnership = serializers.CharField(
        write_only=True, required=False, max_length=40,
        help_text="The delivering partnership's slug; needed only from a business unit of several partnerships")

    class Meta:
        model = Course
        fields = ["id", "title", "level", "theme", "summary", "learning_outcomes", "duration_minutes", "prerequisites",
                  "partnership"]
        extra_kwargs = {"learning_outcomes": {"required": False}}
        # Not DRF's UniqueTogetherValidator for (partnership, title): here `partnership` is a slug and may be left
        # out, so services.check_title_free checks the title against the partnership the course is for.
        validators = []

    def create(self, validated_data):
        slug = validated_data.pop("partnership", None)
        partnership = partnership_for_new(self.context["request"], slug)
        return services.create_course(**validated_data, partnership=partnership)

    def update(self, instance, validated_data):
        if "partnership" in validated_data:
            raise Invalid("A course stays with its partnership: schedule another partnership's course there.",
                          field="partnership")
        return services.change_course(instance, **validated_data)


class TrainerSerializer(serializers.Serializer):
    person = serializers.SerializerMethodField()
    agency = serializers.SerializerMethodField()

    def get_person(self, membership) -> dict:
        return {"id": membership.person_id, "name": membership.person.name}

    def get_agency(self, membership) -> dict:
        return {"code": membership.agency.code, "name": membership.agency.name}


class AddTrainerSerializer(serializers.Serializer):
    person = IdField(queryset=Person.objects.filter(is_active=True))


@extend_schema_view(
    list=extend_schema(
        parameters=[OpenApiParameter("level", str), OpenApiParameter("theme", str)],
    )
)
class CourseViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    AtomicCreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """The course catalogue: anyone reads it; the business unit creates and changes courses."""

    lookup_value_regex = r"\d+"

    serializer_class = CourseSerializer
    permission_classes = [allowed("manage_catalogue", read_public=True)]
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def get_queryset(self):
        courses = Course.objects.filter(is_active=True).prefetch_related("prerequisites").order_by("title")
        level = self.request.query_params.get("level")
        if level:
            if level not in Course.Level.values:
                raise Invalid(f"Unknown level {level!r}: choose basic, intermediate or masterclass.", field="level")
            courses = courses.filter(level=level)
        theme = self.request.query_params.get("theme")
        if theme:
            courses = courses.filter(theme__iexact=theme)
        return courses

    def destroy(self, request, *args, **kwargs):
        return Response({"detail": "Courses are retired, not deleted."}, status=status.HTTP_405_METHOD_NOT_ALLOWED)

    @extend_schema(responses=TrainerSerializer(many=True), request=AddTrainerSerializer)
    @action(
        detail=True,
        methods=["get", "post"],
        url_path="trainers",
        permission_classes=[allowed("manage_trainer_pool", read_action="view_trainer_pool")],
    )
    def trainers(self, request, pk=None):
        course = self.get_object()
        if request.method == "POST":
            body = AddTrainerSerializer(data=request.data)
            body.is_valid(raise_exception=True)
            membership = services.add_to_pool(course, body.validated_data["person"])
            return Response(TrainerSerializer(membership).data, status=status.HTTP_201_CREATED)
        members = course.pool.select_related("person", "agency").order_by("person__name", "pk")
        page = self.paginate_queryset(members)
        return self.get_paginated_response(TrainerSerializer(page, many=True).data)

    @extend_schema(responses={204: None})
    @action(
        detail=True,
        methods=["delete"],
        url_path=r"trainers/(?P<person_id>\d+)",
        permission_classes=[allowed("manage_trainer_pool")],
    )
    def remove_trainer(self, request, pk=None, person_id=None):
        course = self.get_object()
        person = get_object_or_404(Person, pk=person_id)
        services.remove_from_pool(course, person)
        return Response(status=status.HTTP_204_NO_CONTENT)


# --- Sessions --------------------------------------------------------------------------------------


class PartSerializer(serializers.Serializer):
    starts_at = AwareDateTimeField()
    ends_at = AwareDateTimeField()


class SessionSerializer(serializers.ModelSerializer):
    places_left = serializers.SerializerMethodField(
        help_text="The places the requester may book: the general places left and, while places are kept, "
        "their own partnership's unused kept places (not those kept for other partnerships).")
    waitlist_length = serializers.IntegerField(read_only=True)
    parts = PartSerializer(many=True, read_only=True)
    trainers = serializers.SerializerMethodField()
    supported_by = serializers.SerializerMethodField()
    online_url = serializers.SerializerMethodField()
    partnership = serializers.SerializerMethodField(help_text="The delivering partnership's slug (its course's).")
    reserved_places = serializers.SerializerMethodField(
        help_text="Places kept for partnerships' people, {partnership slug: places}, until reserved_until.")
    reserved_until = serializers.SerializerMethodField(
        help_text="When unused reserved places join the general pool: the time set, else the booking close "
        "(null when the session reserves none and no time is set).")

    class Meta:
        model = Session
        fields = [
            "id",
            "course",
            "status",
            "capacity",
            "places_left",
            "waitlist_length",
            "format",
            "venue",
            "online_url",
            "parts",
            "trainers",
            "supported_by",
            "booking_opens_at",
            "booking_closes_at",
            "partnership",
            "open_to",
            "reserved_places",
            "reserved_until",
        ]
        read_only_fields = ["course"]  # shown; a session is made through SessionCreateSerializer

    def get_partnership(self, session) -> str:
        return session.course.partnership.slug

    def get_reserved_places(self, session) -> dict[str, int]:
        return {kept.partnership.slug: kept.places for kept in session.reservations.all()}

    def get_reserved_until(self, session) -> datetime | None:
        until = session.reserved_until or (session.booking_closes_at if session.reservations.all() else None)
        return serializers.DateTimeField().to_representation(until) if until else None

    def get_places_left(self, session) -> int:
        """The places the requester may book: the general places and their own partnership's unused kept ones."""
        places = self.context.get("places_for_viewer")
        return places[session.pk][0] if places is not None else selectors.places_left(session)

    def get_trainers(self, session) -> list[dict]:
        return [{"id": a.person_id, "name": a.person.name, "agency": a.agency.code} for a in session.allocations.all()]

    def get_supported_by(self, session) -> list[str]:
        return selectors.supporting_agencies(session)

    def get_online_url(self, session) -> str | None:
        """The joining link shows only to those booked on the session, its trainers and the business unit."""
        if not session.online_url:
            return None
        if session.pk in self.context.get("link_visible_for", set()):
            return session.online_url
        return None


class SessionWriteSerializer(serializers.Serializer):
    course = IdField(queryset=Course.objects.filter(is_active=True))
    capacity = serializers.IntegerField(min_value=1, max_value=10000)
    format = serializers.ChoiceField(choices=Session.Format.choices, default=Session.Format.IN_PERSON)
    venue = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    online_url = serializers.URLField(max_length=500, required=False, allow_blank=True, default="")
    parts = PartSerializer(many=True)
    trainers = IdField(
        queryset=Person.objects.all(), many=True, required=False, default=list
    )
    booking_opens_at = AwareDateTimeField(required=False)
    booking_closes_at = AwareDateTimeField(required=False)
    open_to = serializers.ChoiceField(choices=Session.OpenTo.choices, required=False,
                                      help_text="Who may book: partnership (the default) or network.")
    reserved_places = serializers.DictField(
        child=serializers.IntegerField(min_value=0, max_value=10000), required=False, allow_empty=True,
        help_text="{partnership slug: places} kept for that partnership's people until reserved_until; "
        "on a change, replaces the places reserved.")
    reserved_until = AwareDateTimeField(required=False, allow_null=True,
                                        help_text="When unused reserved places join the general pool "
                                        "(left out or null: the booking close); no later than the start.")


class ClosingSerializer(serializers.Serializer):
    places_kept_by_other_partnerships = serializers.IntegerField(
        help_text="Places other partnerships' people hold (booked, or waiting for approval) and keep: a place "
        "given is not taken away.")
    taken_off_waiting_list = serializers.IntegerField(
        help_text="Other partnerships' people taken off the waiting list (an open offer of a place included), "
        "at no charge; each was emailed why, naming the delivering partnership and its contact.")
    reserved_places_dropped = serializers.DictField(
        child=serializers.IntegerField(), help_text="{partnership slug: places} kept for other partnerships, dropped.")


class SessionChangedSerializer(SessionSerializer):
    closed_to_network = ClosingSerializer(
        required=False,  # only in the answer to a change that opened the session only to its partnership
        help_text="Only when this change opened a session that was open to the network only to its own "
        "partnership: what that did to other partnerships' people and kept places.")

    class Meta(SessionSerializer.Meta):
        fields = [*SessionSerializer.Meta.fields, "closed_to_network"]


class SessionChangeSerializer(SessionWriteSerializer):
    course = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, partial=True, **kwargs)


def _parts(data) -> list[services.Part]:
    return [services.Part(p["starts_at"], p["ends_at"]) for p in data]


@extend_schema_view(
    list=extend_schema(
        parameters=[
            OpenApiParameter("course", int),
            OpenApiParameter("level", str),
            OpenApiParameter("theme", str),
            OpenApiParameter("format", str),
            OpenApiParameter("starts_after", OpenApiTypes.DATETIME),
            OpenApiParameter("starts_before", OpenApiTypes.DATETIME),
            OpenApiParameter("partnership", str, description="The delivering partnership's slug"),
        ]
    ),
    create=extend_schema(request=SessionWriteSerializer, responses={201: SessionSerializer}),
    partial_update=extend_schema(request=SessionChangeSerializer, responses=SessionChangedSerializer),
)
class SessionViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    AtomicCreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Scheduled sessions: anyone reads them; the business unit schedules, changes and cancels."""

    lookup_value_regex = r"\d+"

    serializer_class = SessionSerializer
    permission_classes = [allowed("manage_sessions", read_public=True)]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def _filters(self) -> selectors.CalendarFilters:
        params = self.request.query_params
        level = params.get("level", "")
        if level and level not in Course.Level.values:
            raise Invalid(f"Unknown level {level!r}: choose basic, intermediate or masterclass.", field="level")
        fmt = params.get("format", "")
        if fmt and fmt not in Session.Format.values:
            raise Invalid(f"Unknown format {fmt!r}: choose in_person, online or blended.", field="format")
        course = params.get("course")
        if course and whole_number(course) is None:
            raise Invalid("course must be a course id (a whole number).", field="course")
        after = parse_aware_param(self.request, "starts_after")
        return selectors.CalendarFilters(
            level=level,
            theme=params.get("theme", ""),
            format=fmt,
            course=int(course) if course else None,
            starts_after=after,
            starts_before=parse_aware_param(self.request, "starts_before"),
            include_past=after is not None,
            include_cancelled=True,
        )

    def _partnership(self) -> Partnership | None:
        slug = self.request.query_params.get("partnership", "")
        if not slug:
            return None
        found = partnership_named(slug)  # the one slug rule, people.selectors.SLUG
        if found is None:
            choices = ", ".join(Partnership.objects.order_by("slug").values_list("slug", flat=True))
            raise Invalid(f"There is no partnership {services.shown(slug)}: choose from {choices}.",
                          field="partnership")
        return found

    def get_queryset(self):
        if self.action == "list":
            sessions = selectors.sessions_for_calendar(self._filters())
            partnership = self._partnership()
            return sessions.filter(course__partnership=partnership) if partnership else sessions
        return selectors.sessions_with_details()

    def _respond(self, sessions, *, many: bool, status_code=status.HTTP_200_OK):
        items = list(sessions) if many else [sessions]
        context = self.get_serializer_context() | {
            "link_visible_for": selectors.link_visible_for(self.request.user, items),
            "places_for_viewer": places_for_viewer(items, self.request.user, now=timezone.now())}
        data = SessionSerializer(items if many else items[0], many=many, context=context).data
        return data if many else Response(data, status=status_code)

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(self._respond(page, many=True))

    def retrieve(self, request, *args, **kwargs):
        return self._respond(self.get_object(), many=False)

    def create(self, request, *args, **kwargs):
        body = SessionWriteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        course = data.pop("course")
        if not may(request.user, "manage_sessions", course):
            raise PermissionDenied(not_theirs(course))
        session = services.schedule_session(course, parts=_parts(data.pop("parts")), **data)
        return self._respond(
            selectors.sessions_with_details().get(pk=session.pk), many=False, status_code=status.HTTP_201_CREATED
        )

    def partial_update(self, request, *args, **kwargs):
        session = self.get_object()
        body = SessionChangeSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        parts = _parts(data.pop("parts")) if "parts" in data else None
        changed = services.change_session(session, parts=parts, **data)
        response = self._respond(selectors.sessions_with_details().get(pk=session.pk), many=False)
        if changed.closing is not None:  # opened only to its partnership: what that did (SessionChangedSerializer)
            response.data["closed_to_network"] = changed.closing.as_dict()
        return response

    def update(self, request, *args, **kwargs):
        return self.partial_update(request, *args, **kwargs)

    @extend_schema(request=None, responses=SessionSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        session = self.get_object()
        reason = str(request.data.get("reason", "")) if hasattr(request.data, "get") else ""
        services.cancel_session(session, reason=reason)
        return self._respond(selectors.sessions_with_details().get(pk=session.pk), many=False)
