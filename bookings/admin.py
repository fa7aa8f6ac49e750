from django.contrib import admin

from bookings.models import BookingSettings
from people.admin import BusinessUnitAdmin


@admin.register(BookingSettings)
class BookingSettingsAdmin(BusinessUnitAdmin):
    """Reminder and joining-instruction days, the approval hold and the offer window, set by the business unit."""

    list_display = ["__str__", "reminder_days_before", "joining_instructions_days_before", "approval_hold_hours",
                    "offer_hours"]
    partnership_path = "partnership"

    def has_add_permission(self, request) -> bool:
        return super().has_add_permission(request) and not BookingSettings.objects.exists()

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
