from celery import shared_task


@shared_task(ignore_result=True)
def anonymise_inactive() -> int:
    """Weekly: people inactive for the retention period are anonymised (statistics kept)."""
    from people.privacy import anonymise_inactive as run

    return run()
