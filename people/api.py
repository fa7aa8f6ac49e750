from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import api_view
from rest_framework.response import Response

from config.api import AtomicCreateModelMixin
from lib.errors import NotAllowed
from people import roles
from people.api_permissions import allowed
from people.models import Agency, Partnership, Person
from people.partnerships import is_network, partnership_ids_for
from people.permissions import roles_of
from people.selectors import SLUG, agency_partnerships, home_partnership_of, partnership_slugs, role_grants_of
from people.services import create_agency

ON_A_NETWORK = "Only on a hub of several partnerships (a hub of one answers as before, without it)."


def _network(serializer) -> bool:
    """Whether the hub has several partnerships, asked once per answer (the list's items share the context)."""
    context = serializer.context
    if "network" not in context:
        context["network"] = is_network()
    return context["network"]


class PartnershipSerializer(serializers.ModelSerializer):
    class Meta:
        model = Partnership
        fields = ["slug", "name", "contact_email", "website"]


class AgencyBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Agency
        fields = ["code", "name"]


class PartnershipSlugs(serializers.ListField):
    """Partnerships by slug: read, the agency's (an agency in none is in the default one); written, each
    one a partnership on the hub."""

    child = serializers.CharField(max_length=40, trim_whitespace=False)

    def get_attribute(self, agency):
        return agency

    def to_representation(self, agency):
        return [p.slug for p in agency_partnerships(agency)]

    def to_internal_value(self, data):
        slugs = super().to_internal_value(data)
        if len(slugs) > 100:
            raise serializers.ValidationError("Name at most 100 partnerships.")
        found = {p.slug: p for p in Partnership.objects.filter(slug__in=[s for s in slugs if SLUG.fullmatch(s)])}
        unknown = [slug for slug in slugs if slug not in found]
        if unknown:
            raise serializers.ValidationError(
                f"{unknown[0]!r} is not a partnership on this hub: choose from {', '.join(partnership_slugs())}.")
        return list(dict.fromkeys(found[slug] for slug in slugs))


class AgencySerializer(serializers.ModelSerializer):
    kind = serializers.ChoiceField(choices=Agency.Kind.choices)
    billing_contact_name = serializers.CharField(max_length=200, required=False, allow_blank=True, write_only=True)
    billing_email = serializers.EmailField(required=False, allow_blank=True, write_only=True)
    email_domains = serializers.CharField(
        max_length=500, required=False, allow_blank=True,
        help_text="Work email domains, separated by spaces: whoever signs up for the agency must use one.",
    )
    partnerships = PartnershipSlugs(
        required=False, allow_empty=False, max_length=100,
        help_text="The partnerships (slugs) the agency works with. Written: default, the first partnership the "
                  f"caller is the business unit for. {ON_A_NETWORK}",
    )

    class Meta:
        model = Agency
        fields = ["code", "name", "kind", "billing_contact_name", "billing_email", "email_domains", "partnerships"]
        extra_kwargs = {"code": {"validators": []}}

    def to_representation(self, agency):
        data = super().to_representation(agency)
        if not _network(self):
            data.pop("partnerships", None)
        return data

    def create(self, validated_data):
        request = self.context.get("request")
        held = partnership_ids_for(request.user, roles.BUSINESS_UNIT) if request else frozenset()
        chosen = validated_data.pop("partnerships", None)
        if chosen is None:
            first = Partnership.objects.filter(pk__in=held).order_by("pk").first()
            chosen = [first] if first else None
        elif request and any(p.pk not in held for p in chosen):
            other = next(p for p in chosen if p.pk not in held)
            raise NotAllowed(f"You are not the business unit for {other.name}: add agencies to your own "
                             "partnership, and ask theirs to add it to theirs.", field="partnerships")
        return create_agency(**validated_data, partnerships=chosen)


class RoleGrantSerializer(serializers.Serializer):
    role = serializers.ChoiceField(choices=roles.ALL)
    partnership = serializers.CharField(allow_null=True, help_text="The partnership's slug; null for a "
                                        "network-wide role (practitioner, agency_manager, network_lead).")


@extend_schema_field(OpenApiTypes.STR)
class HomePartnershipField(serializers.Field):
    def to_representation(self, person):
        return home_partnership_of(person).slug


@extend_schema_field(RoleGrantSerializer(many=True))
class RoleGrantsField(serializers.Field):
    def to_representation(self, person):
        return role_grants_of(person)


class MeSerializer(serializers.ModelSerializer):
    agency = AgencyBriefSerializer(allow_null=True)
    roles = serializers.SerializerMethodField()
    # Not read-only in the schema's eyes, so that it shows them as optional: a hub of one leaves them out.
    home_partnership = HomePartnershipField(
        source="*", required=False,
        help_text=f"The slug of the person's home partnership (one of their agency's). {ON_A_NETWORK}")
    role_grants = RoleGrantsField(
        source="*", required=False,
        help_text=f"Where each role applies: a scoped role once per partnership it is held for. {ON_A_NETWORK}")

    class Meta:
        model = Person
        fields = ["id", "email", "name", "agency", "roles", "home_partnership", "role_grants"]

    def get_roles(self, person) -> list[str]:
        return sorted(roles_of(person))

    def to_representation(self, person):
        data = super().to_representation(person)
        if not _network(self):
            data.pop("home_partnership", None)
            data.pop("role_grants", None)
        return data


@extend_schema(responses=MeSerializer)
@api_view(["GET"])
def me(request):
    """The signed-in person: their agency, roles and, on a network, home partnership and role grants."""
    return Response(MeSerializer(request.user).data)


class AgencyViewSet(mixins.ListModelMixin, AtomicCreateModelMixin, viewsets.GenericViewSet):
    """Partner agencies: anyone signed in lists them; the business unit adds them."""

    serializer_class = AgencySerializer
    permission_classes = [allowed("manage_agencies", read_action="view_agencies")]
    queryset = Agency.objects.order_by("name").prefetch_related("partnerships")
    lookup_field = "code"

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        agency = serializer.save()
        return Response(AgencySerializer(agency).data, status=status.HTTP_201_CREATED)


class PartnershipViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """The partnerships on the hub, first made first: anyone signed in lists them."""

    serializer_class = PartnershipSerializer
    permission_classes = [allowed("view_agencies")]  # anyone signed in, as agencies and resources
    queryset = Partnership.objects.order_by("pk")
    lookup_field = "slug"
