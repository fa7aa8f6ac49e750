from django.urls import reverse
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action, api_view
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from config.api import AtomicCreateModelMixin, CodeField
from lib.params import period
from people.acting import partnership_for_new
from people.api_permissions import allowed
from people.models import Agency
from people.permissions import may
from reports.api import partnership_filters, resource_partnerships
from resources import selectors, services
from resources.models import Dissemination, Resource


class ResourceSerializer(serializers.ModelSerializer):
    owner_agency = CodeField(queryset=Agency.objects.all())
    kind = serializers.ChoiceField(choices=Resource.Kind.choices)
    url = serializers.CharField(max_length=500)
    partnership = serializers.CharField(
        write_only=True, required=False, max_length=40,
        help_text="The partnership's slug; needed only from a business unit of several partnerships")

    class Meta:
        model = Resource
        fields = ["id", "title", "theme", "kind", "url", "owner_agency", "level", "description", "published_on",
                  "review_on", "partnership"]
        read_only_fields = ["published_on"]
        extra_kwargs = {"level": {"required": False}, "description": {"required": False},
                        "review_on": {"required": False}}

    def create(self, data):
        partnership = partnership_for_new(self.context["request"], data.pop("partnership", None))
        return services.publish_resource(**data, partnership=partnership)


class DisseminationSerializer(serializers.ModelSerializer):
    date = serializers.DateField()
    staff_briefed = serializers.IntegerField(min_value=1, max_value=services.MAX_STAFF)
    agency = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = Dissemination
        fields = ["id", "resource", "agency", "date", "format", "staff_briefed", "note"]
        read_only_fields = ["resource"]
        extra_kwargs = {"format": {"required": False}, "note": {"required": False}}


class ResourceViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, AtomicCreateModelMixin,
                      viewsets.GenericViewSet):
    """Digital resources: anyone signed in lists them; the business unit publishes them."""

    lookup_value_regex = r"\d+"

    serializer_class = ResourceSerializer
    permission_classes = [allowed("manage_resources", read_action="view_agencies")]
    queryset = Resource.objects.filter(retired_at=None).select_related("owner_agency").order_by("title")

    def get_success_headers(self, data):
        """The new resource's own place in the API, never its web address (which a person typed)."""
        return {"Location": reverse("resource-detail", args=[data["id"]])}

    @extend_schema(request=DisseminationSerializer, responses={201: DisseminationSerializer})
    @action(detail=True, methods=["post"], permission_classes=[allowed("record_dissemination")])
    def disseminations(self, request, pk=None):
        resource = self.get_object()
        body = DisseminationSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        record = services.record_dissemination(
            resource, agency=request.user.agency, by=request.user, date_used=data["date"],
            staff_briefed=data["staff_briefed"], note=data.get("note", ""),
            format=data.get("format", Dissemination.Format.TEAM_MEETING))
        return Response(DisseminationSerializer(record).data, status=status.HTTP_201_CREATED)


class ReachRowSerializer(serializers.Serializer):
    resource = serializers.IntegerField()
    title = serializers.CharField()
    agency = serializers.CharField()
    openings = serializers.IntegerField()
    people = serializers.IntegerField()
    worked_through = serializers.IntegerField()
    staff_briefed = serializers.IntegerField()


@extend_schema(parameters=[OpenApiParameter(n, str) for n in ("from", "to", "partnership", "home_partnership")],
               responses=ReachRowSerializer(many=True))
@api_view(["GET"])
def reach_report(request):
    """Per resource and agency: openings, people, staff briefed. Agency managers see their agency."""
    if not may(request.user, "view_reach"):
        raise PermissionDenied("Only the business unit and agency managers see the reach report.")
    start, end = period(request.query_params)
    scope = partnership_filters(request.query_params, request.user)
    every_agency = may(request.user, "manage_resources") or may(request.user, "report_on_every_partnership")
    agency = None if every_agency else request.user.agency
    if agency is None and not every_agency:
        raise PermissionDenied("Your account has no agency.")
    rows = selectors.reach(start=start, end=end, agency=agency, resource_partnerships=resource_partnerships(scope),
                           home_partnership=scope.home_partnership, default_partnership=scope.default_partnership)
    keys = ("resource", "title", "agency", "openings", "people", "worked_through", "staff_briefed")
    return Response([{k: r[k] for k in keys} for r in rows])


