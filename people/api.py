from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import api_view
from rest_framework.response import Response

from config.api import AtomicCreateModelMixin
from people.api_permissions import allowed
from people.models import Agency, Person
from people.permissions import roles_of
from people.services import create_agency


class AgencyBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Agency
        fields = ["code", "name"]


class AgencySerializer(serializers.ModelSerializer):
    kind = serializers.ChoiceField(choices=Agency.Kind.choices)
    billing_contact_name = serializers.CharField(max_length=200, required=False, allow_blank=True, write_only=True)
    billing_email = serializers.EmailField(required=False, allow_blank=True, write_only=True)
    email_domains = serializers.CharField(
        max_length=500, required=False, allow_blank=True,
        help_text="Work email domains, separated by spaces: whoever signs up for the agency must use one.",
    )

    class Meta:
        model = Agency
        fields = ["code", "name", "kind", "billing_contact_name", "billing_email", "email_domains"]
        extra_kwargs = {"code": {"validators": []}}

    def create(self, validated_data):
        return create_agency(**validated_data)


class MeSerializer(serializers.ModelSerializer):
    agency = AgencyBriefSerializer(allow_null=True)
    roles = serializers.SerializerMethodField()

    class Meta:
        model = Person
        fields = ["id", "email", "name", "agency", "roles"]

    def get_roles(self, person) -> list[str]:
        return sorted(roles_of(person))


@extend_schema(responses=MeSerializer)
@api_view(["GET"])
def me(request):
    return Response(MeSerializer(request.user).data)


class AgencyViewSet(mixins.ListModelMixin, AtomicCreateModelMixin, viewsets.GenericViewSet):
    """Partner agencies: anyone signed in lists them; the business unit adds them."""

    serializer_class = AgencySerializer
    permission_classes = [allowed("manage_agencies", read_action="view_agencies")]
    queryset = Agency.objects.order_by("name")
    lookup_field = "code"

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        agency = serializer.save()
        return Response(AgencySerializer(agency).data, status=status.HTTP_201_CREATED)
