from django.apps import AppConfig


class AttendanceConfig(AppConfig):
    """Registers and marks (issue: attendance registers); no models yet."""

    name = "attendance"
