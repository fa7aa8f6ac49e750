from django.contrib import admin

from notifications.models import Message
from people import roles
from people.admin import BusinessUnitAdmin
from people.partnerships import is_network
from people.permissions import scope


@admin.register(Message)
class MessageAdmin(BusinessUnitAdmin):
    list_display = ["created_at", "kind", "to", "subject", "sent_at", "attempts"]
    list_filter = ["kind", "sent_at"]
    search_fields = ["to", "subject"]
    readonly_fields = [f.name for f in Message._meta.fields]

    def get_queryset(self, request):
        """On a network, the messages about bookings on the sessions of the business unit's partnerships: the
        others (and those about nobody's booking) name other partnerships' people."""
        messages = super().get_queryset(request)
        if not is_network():
            return messages
        return messages.filter(scope(request.user, roles.BUSINESS_UNIT, "booking__session__course__partnership"))

    def has_view_permission(self, request, obj=None) -> bool:
        return super().has_view_permission(request) and (
            obj is None or self.get_queryset(request).filter(pk=obj.pk).exists())

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
