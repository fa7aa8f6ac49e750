from django.contrib import admin

from notifications.models import Message
from people.admin import BusinessUnitAdmin


@admin.register(Message)
class MessageAdmin(BusinessUnitAdmin):
    list_display = ["created_at", "kind", "to", "subject", "sent_at", "attempts"]
    list_filter = ["kind", "sent_at"]
    search_fields = ["to", "subject"]
    readonly_fields = [f.name for f in Message._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
