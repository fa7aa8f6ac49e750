from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.decorators import api_view
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from courses.models import Course
from lib.errors import Invalid
from lib.params import period
from people.models import Agency
from people.permissions import may
from reports import selectors


def filters_from(params, person) -> selectors.Filters:
    """Read the report filters. Finance and the business unit see the whole partnership and may narrow it to
    one agency; anyone else's figures are always their own agency's. Raises Invalid for an unknown agency."""
    dates = period(params)
    level = params.get("level", "")
    if level and level not in Course.Level.values:
        raise Invalid(f"Unknown level {level!r}: choose basic, intermediate or masterclass.", field="level")
    agency = params.get("agency", "")
    if not may(person, "report_on_any_agency"):
        agency = person.agency.code if person.agency else "-"
    elif agency and not Agency.objects.filter(code=agency).exists():
        raise Invalid(f"Unknown agency {agency!r}: choose one from the list of agencies.", field="agency")
    return selectors.Filters(start=dates[0], end=dates[1], agency=agency, level=level, theme=params.get("theme", ""))


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
    parameters=[OpenApiParameter(n, str) for n in ("from", "to", "by", "agency", "level", "theme")],
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
