"""The learning tracker's API: reviews, recommendations, evidence and reach (see README, "API")."""

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from config.api import CodeField, IdField
from courses.models import Course
from lib.errors import Invalid
from lib.params import whole_number
from lib.text import PlainText, within
from people.acting import partnership_for_new
from people.api_permissions import allowed
from people.models import Agency
from people.permissions import may, not_theirs
from resources.models import Briefing, Resource
from reviews import selectors, services
from reviews.models import (
    NOTE_MAX,
    REASON_MAX,
    REFERENCE_MAX,
    SUMMARY_MAX,
    TEXT_MAX,
    THEME_MAX,
    THEMES_MAX,
    TITLE_MAX,
    LearningReview,
    Recommendation,
)


def _text(limit: int, named: str, *, plain: bool = False, **kwargs) -> serializers.CharField:
    """Free text with its stated limit: past it, "{named} must be N characters or fewer", never cut short;
    `plain` for one line of plain text (a title, a reference, a theme: lib.text.check_plain_text)."""
    return serializers.CharField(max_length=limit, validators=[PlainText(named)] if plain else [],
                                 error_messages={"max_length": f"{named} must be {limit:,} characters or fewer."},
                                 **kwargs)


class LearningReviewSerializer(serializers.ModelSerializer):
    kind = serializers.ChoiceField(choices=LearningReview.Kind.choices)
    title = _text(TITLE_MAX, "The title", plain=True)
    reference = _text(REFERENCE_MAX, "The reference", plain=True, required=False, allow_blank=True)
    summary = _text(SUMMARY_MAX, "The summary", required=False, allow_blank=True)
    themes = serializers.ListField(child=_text(THEME_MAX, "A theme", plain=True), required=False,
                                   max_length=THEMES_MAX, source="theme_list",
                                   error_messages={"max_length": f"A review has at most {THEMES_MAX} themes."},
                                   help_text="Course or resource themes' text")

    partnership = serializers.CharField(
        write_only=True, required=False, max_length=40,
        help_text="The partnership's slug; needed only from a business unit of several partnerships")

    class Meta:
        model = LearningReview
        fields = ["id", "kind", "title", "reference", "date", "themes", "summary", "partnership"]


class RecommendationSerializer(serializers.Serializer):
    """A recommendation as the tracker shows it: agencies as codes, learning actions as ids."""

    id = serializers.IntegerField(read_only=True)
    review = serializers.IntegerField()
    number = serializers.IntegerField()
    text = serializers.CharField()
    lead_agency = serializers.CharField()
    owner_agencies = serializers.ListField(child=serializers.CharField())
    due = serializers.DateField()
    status = serializers.ChoiceField(choices=Recommendation.Status.choices)
    rag = serializers.ChoiceField(choices=[("red", "red"), ("amber", "amber"), ("green", "green")])
    courses = serializers.ListField(child=serializers.IntegerField())
    resources = serializers.ListField(child=serializers.IntegerField())
    briefings = serializers.ListField(child=serializers.IntegerField())


def _out(row: dict) -> dict:
    rec = row["rec"]
    return {"id": rec.pk, "review": rec.review_id, "number": rec.number, "text": rec.text,
            "lead_agency": rec.lead_agency.code, "owner_agencies": [a.code for a in rec.owner_agencies.all()],
            "due": rec.due.isoformat(), "status": rec.status, "rag": row["rag"],
            "courses": [c.pk for c in rec.courses.all()], "resources": [r.pk for r in rec.resources.all()],
            "briefings": [b.pk for b in rec.briefings.all()]}


class _Links(serializers.Serializer):
    owner_agencies = CodeField(queryset=Agency.objects.all(), many=True, required=False)
    courses = IdField(queryset=Course.objects.all(), many=True, required=False)
    resources = IdField(queryset=Resource.objects.all(), many=True, required=False)
    briefings = IdField(queryset=Briefing.objects.all(), many=True, required=False)


class RecommendationCreateSerializer(_Links):
    review = IdField(queryset=LearningReview.objects.all())
    number = serializers.IntegerField(min_value=1, max_value=999, required=False)
    text = _text(TEXT_MAX, "The recommendation")
    lead_agency = CodeField(queryset=Agency.objects.all())
    due = serializers.DateField()


class RecommendationChangeSerializer(_Links):
    status = serializers.ChoiceField(choices=Recommendation.Status.choices, required=False)
    reason = _text(REASON_MAX, "The reason", required=False, allow_blank=True,
                   help_text="Needed to close (or reopen)")
    due = serializers.DateField(required=False)
    text = _text(TEXT_MAX, "The recommendation", required=False)
    lead_agency = CodeField(queryset=Agency.objects.all(), required=False)


class EvidenceSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    note = _text(NOTE_MAX, "The evidence")
    staff_reached = serializers.IntegerField(min_value=0, max_value=services.MAX_STAFF, required=False,
                                             allow_null=True)
    agency = CodeField(queryset=Agency.objects.all(), required=False, allow_null=True,
                       help_text="The business unit's choice; a manager's own")
    written_at = serializers.DateTimeField(read_only=True)


class RecommendationReachRowSerializer(serializers.Serializer):
    agency = serializers.CharField()
    attended = serializers.IntegerField()
    opened = serializers.IntegerField()
    briefed = serializers.IntegerField()
    headcount = serializers.IntegerField(allow_null=True)
    share = serializers.FloatField(allow_null=True)


AGENCY_CODE_MAX = Agency._meta.get_field("code").max_length


def filters_from(params) -> selectors.Filters:
    """The tracker's query parameters; a bad value is a 400 naming it (a theme or an agency code longer than
    any is refused, never cut short)."""
    review = params.get("review")
    if review and whole_number(review) is None:
        raise Invalid("review must be a review's id, a whole number.", field="review")
    status_ = params.get("status", "")
    if status_ and status_ not in Recommendation.Status.values:
        raise Invalid(f"status must be one of: {', '.join(Recommendation.Status.values)}.", field="status")
    kind = params.get("kind", "")
    if kind and kind not in LearningReview.Kind.values:
        raise Invalid(f"kind must be one of: {', '.join(LearningReview.Kind.values)}.", field="kind")
    overdue = (params.get("overdue") or "").lower()
    if overdue not in ("", "true", "false", "1", "0", "yes", "no"):
        raise Invalid("overdue must be true or false.", field="overdue")
    theme = within((params.get("theme") or "").strip(), THEME_MAX, label="theme", field="theme")
    agency = within((params.get("agency") or "").strip(), AGENCY_CODE_MAX, label="agency, an agency's code,",
                    field="agency")
    return selectors.Filters(review=whole_number(review) if review else None, kind=kind, theme=theme,
                             status=status_, agency=agency, overdue=overdue in ("true", "1", "yes"))


class LearningReviewViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                            viewsets.GenericViewSet):
    """Learning reviews: the business unit and agency managers read them; the business unit records them."""

    lookup_value_regex = r"\d+"
    serializer_class = LearningReviewSerializer
    permission_classes = [allowed("manage_learning_reviews", read_action="view_learning_tracker")]

    def get_queryset(self):
        return selectors.visible_reviews(self.request.user).prefetch_related("themes").order_by("-date", "title")

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        themes = data.pop("theme_list", [])
        partnership = partnership_for_new(self.request, data.pop("partnership", None))
        serializer.instance = services.create_review(**data, themes=themes, by=self.request.user,
                                                     partnership=partnership)


def _row(request, rec_id: int) -> dict:
    rows = selectors.tracker(request.user, today=timezone.localdate(), pk=rec_id)
    if not rows:
        raise Http404
    return rows[0]


class RecommendationViewSet(viewsets.ViewSet):
    """Recommendations with their RAG flag: the business unit sees and changes every one; an agency
    manager sees those their agency owns and adds evidence to them."""

    lookup_value_regex = r"\d+"
    permission_classes = [allowed("manage_learning_reviews", read_action="view_learning_tracker")]

    def _visible(self, pk) -> Recommendation:
        return get_object_or_404(selectors.visible_recommendations(self.request.user).select_related("review")
                                 .prefetch_related("owner_agencies"), pk=pk)

    @extend_schema(parameters=[OpenApiParameter("review", OpenApiTypes.INT), OpenApiParameter("status", str),
                               OpenApiParameter("agency", str), OpenApiParameter("kind", str),
                               OpenApiParameter("theme", str), OpenApiParameter("overdue", OpenApiTypes.BOOL)],
                   responses=RecommendationSerializer(many=True))
    def list(self, request):
        rows = selectors.tracker(request.user, filters_from(request.query_params), today=timezone.localdate())
        return Response([_out(row) for row in rows])

    @extend_schema(responses=RecommendationSerializer)
    def retrieve(self, request, pk=None):
        return Response(_out(_row(request, self._visible(pk).pk)))

    @extend_schema(request=RecommendationCreateSerializer, responses={201: RecommendationSerializer})
    def create(self, request):
        body = RecommendationCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        review = data.pop("review")
        if not selectors.visible_reviews(request.user).filter(pk=review.pk).exists():
            raise Invalid("No such review.", field="review")
        if not may(request.user, "manage_learning_reviews", review):
            raise PermissionDenied(not_theirs(review))
        rec = services.add_recommendation(review, **data, by=request.user)
        return Response(_out(_row(request, rec.pk)), status=status.HTTP_201_CREATED)

    @extend_schema(request=RecommendationChangeSerializer, responses=RecommendationSerializer)
    def partial_update(self, request, pk=None):
        rec = self._visible(pk)
        if not may(request.user, "manage_learning_reviews", rec):
            raise PermissionDenied(not_theirs(rec))
        body = RecommendationChangeSerializer(data=request.data, partial=True)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        reason = data.pop("reason", "")
        services.change_recommendation(rec, by=request.user, reason=reason, **data)
        return Response(_out(_row(request, rec.pk)))

    @extend_schema(request=EvidenceSerializer, responses={201: EvidenceSerializer})
    @action(detail=True, methods=["post"], permission_classes=[allowed("view_learning_tracker")])
    def evidence(self, request, pk=None):
        rec = self._visible(pk)
        if not may(request.user, "add_evidence", rec):
            raise PermissionDenied("Only the business unit and managers of an owner agency add evidence.")
        body = EvidenceSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        evidence = services.add_evidence(rec, note=data["note"], staff_reached=data.get("staff_reached"),
                                         agency=data.get("agency"), by=request.user)
        return Response(EvidenceSerializer(evidence).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses=RecommendationReachRowSerializer(many=True))
    @action(detail=True, methods=["get"])
    def reach(self, request, pk=None):
        rec = self._visible(pk)
        rows = selectors.reach([rec], agency_id=selectors.own_agency_only(request.user))[rec.pk]
        return Response([{k: row[k] for k in ("agency", "attended", "opened", "briefed", "headcount", "share")}
                         for row in rows])
