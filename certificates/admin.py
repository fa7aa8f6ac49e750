from django.contrib import admin

from certificates.models import EvaluationSettings
from people.admin import PartnershipSettingsAdmin


@admin.register(EvaluationSettings)
class EvaluationSettingsAdmin(PartnershipSettingsAdmin):
    """Each partnership's evaluation and follow-up choices; a session follows its delivering partnership's."""

    list_display = ["__str__", "partial_may_evaluate", "follow_up_months", "refresher_notice_days"]
