from django.conf import settings
from django.urls import reverse
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import api_view
from rest_framework.response import Response

from certificates.models import Certificate, Evaluation


class EvaluationSerializer(serializers.ModelSerializer):
    confidence_before = serializers.IntegerField(min_value=1, max_value=5)
    confidence_after = serializers.IntegerField(min_value=1, max_value=5)

    class Meta:
        model = Evaluation
        fields = ["confidence_before", "confidence_after", "learning", "impact_statement", "submitted_at"]
        read_only_fields = ["submitted_at"]


class CertificateSerializer(serializers.ModelSerializer):
    course = serializers.CharField(source="booking.session.course.title")
    session = serializers.IntegerField(source="booking.session_id")
    pdf_url = serializers.SerializerMethodField()
    verify_url = serializers.SerializerMethodField()

    class Meta:
        model = Certificate
        fields = ["code", "course", "session", "issued_at", "pdf_url", "verify_url"]

    def get_pdf_url(self, certificate) -> str:
        return settings.SITE_URL + reverse("certificate_pdf", args=[certificate.code])

    def get_verify_url(self, certificate) -> str:
        return settings.SITE_URL + certificate.get_absolute_url()


@extend_schema(responses=CertificateSerializer(many=True))
@api_view(["GET"])
def my_certificates(request):
    """The caller's own certificates (revoked ones are left out)."""
    certificates = Certificate.objects.filter(booking__person=request.user, revoked_at=None).select_related(
        "booking__session__course").order_by("-issued_at")
    return Response(CertificateSerializer(certificates, many=True).data)
