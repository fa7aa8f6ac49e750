from django.apps import AppConfig


class ChargingConfig(AppConfig):
    """The charging policy, charges and Stripe invoices (issue: no-show charging); no models yet."""

    name = "charging"
