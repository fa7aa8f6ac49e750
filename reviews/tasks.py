from celery import shared_task


@shared_task(ignore_result=True)
def remind_owners() -> int:
    """Weekly: each owner agency's managers hear what is overdue or due within 30 days, once a week."""
    from reviews.services import send_owner_reminders

    return send_owner_reminders()
