from django.contrib import admin

from certificates.models import EvaluationSettings
from people.admin import BusinessUnitAdmin


@admin.register(EvaluationSettings)
class EvaluationSettingsAdmin(BusinessUnitAdmin):
    list_display = ["__str__", "partial_may_evaluate", "follow_up_months", "refresher_notice_days"]

    def has_add_permission(self, request) -> bool:
        return super().has_add_permission(request) and not EvaluationSettings.objects.exists()

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
