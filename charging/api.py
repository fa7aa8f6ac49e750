import logging

from django.http import HttpResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action, api_view
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from charging import selectors, services, stripe_gateway
from charging.models import Charge, ChargingPolicy, Invoice
from config.api import CodeField, id_number
from lib.errors import DomainError, Invalid
from lib.text import has_unreadable
from people.models import Agency, Partnership
from people.partnerships import home_partnership_id
from people.permissions import may

log = logging.getLogger(__name__)


class PolicySerializer(serializers.ModelSerializer):
    partnership = serializers.SlugRelatedField(slug_field="slug", read_only=True,
                                               help_text="The partnership whose policy this is")
    exempt_agencies = CodeField(many=True, queryset=Agency.objects.all(), required=False)
    notice_working_days = serializers.IntegerField(min_value=0, max_value=60, required=False)
    short_session_minutes = serializers.IntegerField(min_value=1, max_value=10_000, required=False)
    short_session_amount = serializers.IntegerField(min_value=0, max_value=1_000_000, required=False)
    long_session_amount = serializers.IntegerField(min_value=0, max_value=1_000_000, required=False)
    repeat_no_shows = serializers.IntegerField(min_value=0, max_value=100, required=False)
    repeat_window_months = serializers.IntegerField(min_value=1, max_value=120, required=False)
    waiver_reasons = serializers.ListField(child=serializers.CharField(max_length=200), required=False)

    class Meta:
        model = ChargingPolicy
        fields = ["notice_working_days", "short_session_minutes", "short_session_amount", "long_session_amount",
                  "currency", "exempt_agencies", "waiver_reasons", "repeat_no_shows", "repeat_window_months",
                  "partnership"]
        read_only_fields = ["currency"]


PARTNERSHIP_PARAM = OpenApiParameter(
    "partnership", str, description="A partnership's slug: its policy (by default the one you set or apply, "
                                    "else your home partnership's)")


def _policy_partnership(request) -> Partnership:
    """Whose policy: the one named; else the only one the caller sets (PATCH) or reads as its officer (GET); else,
    reading, the caller's home partnership."""
    slug = request.query_params.get("partnership", "")
    if request.method == "PATCH":
        if not slug and not may(request.user, "manage_charging_policy"):
            raise PermissionDenied("Only the business unit sets the charging policy.")
        return selectors.acting_partnership(request.user, "manage_charging_policy", slug,
                                            doing="set the charging policy")
    if slug:
        return selectors.partnership_by_slug(slug)
    mine = selectors.partnerships_where(request.user, "view_charging_policy")
    return Partnership.objects.get(pk=mine[0] if len(mine) == 1 else home_partnership_id(request.user))


@extend_schema(methods=["GET"], responses=PolicySerializer, parameters=[PARTNERSHIP_PARAM])
@extend_schema(methods=["PATCH"], request=PolicySerializer, responses=PolicySerializer, parameters=[PARTNERSHIP_PARAM])
@api_view(["GET", "PATCH"])
def charging_policy(request):
    """Anyone signed in reads a partnership's policy; its business unit changes it (for charges raised after)."""
    partnership = _policy_partnership(request)
    if request.method == "PATCH":
        body = PolicySerializer(data=request.data, partial=True)
        body.is_valid(raise_exception=True)
        services.change_policy(by=request.user, partnership=partnership, **body.validated_data)
    return Response(PolicySerializer(selectors.current_policy(partnership)).data)


class ChargeSerializer(serializers.ModelSerializer):
    agency = serializers.SlugRelatedField(slug_field="code", read_only=True)
    partnership = serializers.SlugRelatedField(
        slug_field="slug", read_only=True, help_text="The delivering partnership, which raised the charge")
    amount = serializers.IntegerField(source="amount_pence")
    person = serializers.SerializerMethodField()

    class Meta:
        model = Charge
        fields = ["id", "booking", "agency", "reason", "amount", "currency", "status", "invoice", "person",
                  "partnership"]
        read_only_fields = ["booking", "invoice"]  # what the API shows: charges change only through their actions

    def get_person(self, charge) -> str:
        return charge.booking.person.name


class WaiveSerializer(serializers.Serializer):
    reason = serializers.CharField(allow_blank=True)
    detail = serializers.CharField(allow_blank=True, required=False, default="",
                                   help_text="Required for sickness: the line manager's written request (who, when)")


class ApproveManySerializer(serializers.Serializer):
    charges = serializers.ListField(child=id_number(), allow_empty=False)


@extend_schema_view(list=extend_schema(parameters=[
    OpenApiParameter("status", str), OpenApiParameter("agency", str),
    OpenApiParameter("partnership", str, description="The delivering partnership's slug")]))
class ChargeViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Charges: a partnership's finance and business unit see the charges it raised; agency managers their
    agency's, whoever raised them."""

    lookup_value_regex = r"\d+"

    serializer_class = ChargeSerializer

    def initial(self, request, *args, **kwargs):
        """Finance, the business unit and agency managers read charges; everyone else is refused outright."""
        super().initial(request, *args, **kwargs)
        if not may(request.user, "view_charges"):
            raise PermissionDenied("Only finance, the business unit and agency managers see charges.")

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Charge.objects.none()
        charges = selectors.charges_visible_to(self.request.user).order_by("-created_at", "pk")
        params = self.request.query_params
        if params.get("status"):
            if params["status"] not in Charge.Status.values:
                raise Invalid(f"Unknown status {params['status']!r}: choose {', '.join(Charge.Status.values)}.",
                              field="status")
            charges = charges.filter(status=params["status"])
        if params.get("agency"):
            charges = charges.filter(agency__code=params["agency"])
        if params.get("partnership"):
            charges = charges.filter(partnership=selectors.partnership_by_slug(params["partnership"]))
        return charges

    def _decide(self):
        if not may(self.request.user, "decide_charges"):
            raise PermissionDenied("Only finance decides on charges.")
        charge = self.get_object()
        if not may(self.request.user, "decide_charges", charge):
            raise PermissionDenied(f"Only {charge.partnership.name}'s finance decides on the charges it raised.")
        return charge

    @extend_schema(request=WaiveSerializer, responses=ChargeSerializer)
    @action(detail=True, methods=["post"])
    def waive(self, request, pk=None):
        charge = self._decide()
        body = WaiveSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        charge = services.waive_charge(charge, reason=data["reason"], detail=data["detail"], by=request.user)
        return Response(ChargeSerializer(charge).data)

    @extend_schema(request=None, responses=ChargeSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        charge = services.approve_charge(self._decide(), by=request.user)
        return Response(ChargeSerializer(charge).data)

    @extend_schema(request=ApproveManySerializer, responses=ChargeSerializer(many=True),
                   operation_id="v1_charges_approve_many")
    @action(detail=False, methods=["post"], url_path="approve")
    def approve_many(self, request):
        if not may(request.user, "decide_charges"):
            raise PermissionDenied("Only finance decides on charges.")
        body = ApproveManySerializer(data=request.data)
        body.is_valid(raise_exception=True)
        charges = list(selectors.charges_visible_to(request.user).filter(pk__in=body.validated_data["charges"]))
        if len(charges) != len(set(body.validated_data["charges"])):
            raise Invalid("Some of those charges do not exist.", field="charges")
        for charge in charges:
            if not may(request.user, "decide_charges", charge):
                raise PermissionDenied(f"Only {charge.partnership.name}'s finance decides on the charges it raised.")
        done = services.approve_charges(charges, by=request.user)
        return Response(ChargeSerializer(done, many=True).data)


class InvoiceSerializer(serializers.ModelSerializer):
    agency = serializers.SlugRelatedField(slug_field="code", read_only=True)
    partnership = serializers.SlugRelatedField(slug_field="slug", read_only=True,
                                               help_text="The partnership that raised the invoice")
    total = serializers.IntegerField(source="total_pence")
    charges = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = Invoice
        fields = ["id", "agency", "stripe_invoice_id", "total", "currency", "status", "charges", "last_error",
                  "partnership"]


class InvoiceRequestSerializer(serializers.Serializer):
    agency = CodeField(queryset=Agency.objects.all())
    partnership = serializers.CharField(
        required=False, allow_blank=True, max_length=40,
        help_text="The invoicing partnership's slug; may be left out by finance for exactly one partnership")


@extend_schema(request=InvoiceRequestSerializer, responses={201: InvoiceSerializer, 202: InvoiceSerializer})
@api_view(["POST"])
def invoices(request):
    """A partnership's finance invoices an agency for all the approved charges that partnership raised (one
    Stripe invoice per partnership and agency, naming the partnership)."""
    if not may(request.user, "invoice_agencies"):
        raise PermissionDenied("Only finance invoices agencies.")
    body = InvoiceRequestSerializer(data=request.data)
    body.is_valid(raise_exception=True)
    partnership = selectors.acting_partnership(request.user, "invoice_agencies", body.validated_data.get("partnership"),
                                               doing="invoice")
    invoice = services.invoice_agency(body.validated_data["agency"], partnership=partnership, by=request.user)
    code = status.HTTP_201_CREATED if invoice.status == Invoice.Status.OPEN else status.HTTP_202_ACCEPTED
    return Response(InvoiceSerializer(invoice).data, status=code)


def _text(value, what: str) -> str:
    if not isinstance(value, str) or not value or len(value) > STRIPE_ID_MAX or has_unreadable(value):
        raise ValueError(f"its {what} is not a short text")
    return value


def _event_shape(event) -> tuple[str, str, str | None]:
    """The event's id, type and (for an invoice event) its invoice's id. Raises ValueError, naming what
    is wrong, for any other shape: a signed event that lacks `data` or whose parts are not what Stripe
    documents is answered 400 and logged, never a crash."""
    event = event.to_dict() if hasattr(event, "to_dict") else event
    event_id, event_type = _text(event.get("id"), "id"), _text(event.get("type"), "type")
    if not event_type.startswith("invoice."):
        return event_id, event_type, None
    data = event.get("data")
    invoice = data.get("object") if isinstance(data, dict) else None
    if not isinstance(invoice, dict):
        raise ValueError("it has no data.object")
    return event_id, event_type, _text(invoice.get("id"), "data.object.id")


STRIPE_ID_MAX = 100  # the longest id or type the hub stores (StripeEvent.event_id and .type)


@csrf_exempt
@require_POST
def stripe_webhook(request):
    """Stripe's signed events: verified with the stripe library; forged or unsigned calls change nothing."""
    try:
        event = stripe_gateway.construct_event(request.body, request.headers.get("Stripe-Signature", ""))
    except Exception:  # a bad payload, a missing secret or a forged signature: all refused alike
        return HttpResponse("Invalid signature", status=400, content_type="text/plain")
    try:
        event_id, event_type, stripe_invoice_id = _event_shape(event)
    except ValueError as exc:  # signed by Stripe, but not an event this code knows how to read
        log.warning("Stripe event refused: %s", exc)
        return HttpResponse(f"Unexpected event: {exc}", status=400, content_type="text/plain")
    try:  # the service owns its transaction
        outcome = services.handle_stripe_event(event_id, event_type, stripe_invoice_id)
    except DomainError as exc:
        return HttpResponse(exc.message, status=400, content_type="text/plain")
    return HttpResponse(outcome, content_type="text/plain")


