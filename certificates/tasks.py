from celery import shared_task


@shared_task(ignore_result=True)
def follow_ups_and_refreshers() -> int:
    """Daily: follow-up questions come due (3 months by default) and refresher reminders, each sent once."""
    from certificates.services import remind_refreshers, send_follow_ups

    return send_follow_ups() + remind_refreshers()
