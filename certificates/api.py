from django.conf import settings
from django.urls import reverse
from rest_framework import generics, serializers

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


class MyCertificates(generics.ListAPIView):
    """The caller's own certificates (revoked ones are left out), paginated like every list."""

    serializer_class = CertificateSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Certificate.objects.none()
        return Certificate.objects.filter(booking__person=self.request.user, revoked_at=None).select_related(
            "booking__session__course").order_by("-issued_at", "pk")


my_certificates = MyCertificates.as_view()
