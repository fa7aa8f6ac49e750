from celery import shared_task


@shared_task(ignore_result=True)
def anonymise_inactive() -> int:
    """Weekly: people inactive for the retention period are anonymised (statistics kept)."""
    from privacy.services import anonymise_inactive as run

    return run()


@shared_task(ignore_result=True)
def erase_adjustments() -> int:
    """Hourly: adjustments people asked for are erased once their session is over or their booking ended."""
    from privacy.services import erase_adjustments as run

    return run()
