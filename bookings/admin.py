from django.contrib import admin

from bookings.models import BookingSettings
from people.admin import BusinessUnitAdmin
from people.models import Partnership
from people.partnerships import is_network


@admin.register(BookingSettings)
class BookingSettingsAdmin(BusinessUnitAdmin):
    """Reminder and joining-instruction days, the approval hold and the offer window, set by the business unit."""

    list_display = ["__str__", "reminder_days_before", "joining_instructions_days_before", "approval_hold_hours",
                    "offer_hours"]
    partnership_path = "partnership"

    def get_list_display(self, request):
        """Each partnership sets its own; a session follows its delivering partnership's."""
        shown = super().get_list_display(request)
        return [*shown, "partnership"] if is_network() else shown

    def get_fields(self, request, obj=None):
        fields = super().get_fields(request, obj)
        return fields if is_network() else [name for name in fields if name != "partnership"]

    def get_readonly_fields(self, request, obj=None):
        return ["partnership"] if obj is not None and is_network() else []

    def has_add_permission(self, request) -> bool:
        """While a partnership has no settings of its own yet (the hub makes them with the defaults on first use)."""
        return super().has_add_permission(request) and Partnership.objects.filter(booking_settings=None).exists()

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
