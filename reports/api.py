from dataclasses import replace

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.decorators import api_view
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from courses.models import Course
from lib.errors import Invalid
from lib.params import period
from people import roles
from people.models import Agency
from people.partnerships import default_partnership, is_network, partnership_ids_for
from people.permissions import has_role, may
from people.selectors import partnership_named
from reports import selectors


def reported_partnerships(person) -> frozenset[int] | None:
    """The partnerships whose figures `person` reads (None: every one). A hub of one has nothing to limit; on a
    network hub the network lead reads every partnership's, a business unit or finance officer those they hold
    the role for, and an agency manager their own agency's staff wherever they trained."""
    if not is_network() or may(person, "report_on_every_partnership"):
        return None
    held = partnership_ids_for(person, roles.BUSINESS_UNIT) | partnership_ids_for(person, roles.FINANCE)
    if not held and has_role(person, roles.AGENCY_MANAGER):  # their own agency's staff, in every partnership
        return None
    return held


def _partnership_param(params, name: str, label: str) -> int | None:
    slug = params.get(name, "")
    if not slug:
        return None
    partnership = partnership_named(slug)
    if partnership is None:
        raise Invalid(f"Unknown {label} {slug[:40]!r}: choose one from the list of partnerships.", field=name)
    return partnership.pk


def filters_from(params, person) -> selectors.Filters:
    """Read the report filters. Finance and the business unit see the whole partnership and may narrow it to
    one agency; anyone else's figures are always their own agency's. On a network hub the figures are limited
    to the reader's partnerships (reported_partnerships), and `partnership` (the delivering one) and
    `home_partnership` (the bookers') narrow them. Raises Invalid for an unknown agency or partnership."""
    dates = period(params)
    level = params.get("level", "")
    if level and level not in Course.Level.values:
        raise Invalid(f"Unknown level {level!r}: choose basic, intermediate or masterclass.", field="level")
    agency = params.get("agency", "")
    if not may(person, "report_on_any_agency"):
        agency = person.agency.code if person.agency else "-"
    elif agency and not Agency.objects.filter(code=agency).exists():
        raise Invalid(f"Unknown agency {agency!r}: choose one from the list of agencies.", field="agency")
    return replace(partnership_filters(params, person), start=dates[0], end=dates[1], agency=agency, level=level,
                   theme=params.get("theme", ""))


def partnership_filters(params, person) -> selectors.Filters:
    """The partnership part of the report filters alone (for every report page and report API): the reader's
    partnerships, and `partnership` (delivering) and `home_partnership` (the bookers') from the parameters.
    Raises Invalid for an unknown partnership."""
    return selectors.Filters(
        partnership=_partnership_param(params, "partnership", "partnership"),
        home_partnership=_partnership_param(params, "home_partnership", "home partnership"),
        within=reported_partnerships(person), default_partnership=default_partnership().pk)


def resource_partnerships(filters: selectors.Filters) -> frozenset[int] | None:
    """Whose resources the reach report covers: the reader's partnerships, narrowed to `partnership` if given."""
    if filters.partnership:
        return frozenset({filters.partnership}) & filters.within if filters.within is not None else frozenset(
            {filters.partnership})
    return filters.within


class AttendanceRowSerializer(serializers.Serializer):
    key = serializers.CharField()
    booked = serializers.IntegerField()
    attended = serializers.IntegerField()
    partial = serializers.IntegerField()
    no_show = serializers.IntegerField()
    late_cancelled = serializers.IntegerField()
    cancelled = serializers.IntegerField()
    attendance_rate = serializers.FloatField(allow_null=True)


@extend_schema(
    parameters=[OpenApiParameter(n, str) for n in ("from", "to", "by", "agency", "level", "theme", "partnership",
                                                    "home_partnership")],
    responses=AttendanceRowSerializer(many=True),
)
@api_view(["GET"])
def attendance(request):
    """Booked, attended, partial, no-show, cancelled and the attendance rate, grouped `by` a dimension."""
    if not may(request.user, "view_reports"):
        raise PermissionDenied("Only the business unit and agency managers see the attendance report.")
    by = request.query_params.get("by", "agency")
    if by not in selectors.GROUPINGS:
        raise Invalid(f"by must be one of {', '.join(selectors.GROUPINGS)}.", field="by")
    rows = selectors.attendance(filters_from(request.query_params, request.user), by=by)
    return Response(AttendanceRowSerializer(rows, many=True).data)


class ExchangeRowSerializer(serializers.Serializer):
    home_partnership = serializers.CharField(help_text="The bookers' home partnership (slug)")
    delivering_partnership = serializers.CharField(help_text="The partnership that delivered the sessions (slug)")
    booked = serializers.IntegerField(help_text="Places still held when the register closed: attended + partial + "
                                                "no_show")
    attended = serializers.IntegerField()
    partial = serializers.IntegerField()
    no_show = serializers.IntegerField()


@extend_schema(
    parameters=[OpenApiParameter("from", str, description="First day, YYYY-MM-DD (London)"),
                OpenApiParameter("to", str, description="Last day, YYYY-MM-DD (London)"),
                OpenApiParameter("partnership", str, description="Only sessions this partnership delivered (slug)"),
                OpenApiParameter("home_partnership", str, description="Only bookers at home in it (slug)")],
    responses=ExchangeRowSerializer(many=True),
)
@api_view(["GET"])
def exchange(request):
    """Places booked, attended and no-shows for a period by home partnership x delivering partnership. The
    business unit sees the rows touching its partnerships; the network lead sees all."""
    if not may(request.user, "view_exchange_report"):
        raise PermissionDenied("Only the business unit and the network lead see the exchange report.")
    start, end = period(request.query_params)
    filters = replace(partnership_filters(request.query_params, request.user), start=start, end=end)
    return Response(ExchangeRowSerializer(selectors.exchange(filters), many=True).data)
