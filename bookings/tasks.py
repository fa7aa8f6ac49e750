from celery import shared_task


@shared_task(ignore_result=True)
def send_reminders() -> int:
    """Hourly: reminders and joining instructions that have come due."""
    from bookings.services import send_reminders as run

    return run()


@shared_task(ignore_result=True)
def expire_offers_and_approvals() -> int:
    """Every five minutes: lapsed waiting-list offers and unanswered approvals pass to the next person."""
    from bookings.services import expire_approvals, expire_offers

    return expire_offers() + expire_approvals()


@shared_task(ignore_result=True)
def release_kept_places() -> int:
    """Every minute: places a session kept for partnerships, unused when `reserved_until` passed, go to the
    people waiting (bookings.services.waitlist.release_kept_places; safe to run twice, right if late)."""
    from bookings.services import release_kept_places as run

    return run()
