from django.apps import AppConfig


class CertificatesConfig(AppConfig):
    """Evaluations and verifiable certificates (issue: evaluations and certificates); no models yet."""

    name = "certificates"
