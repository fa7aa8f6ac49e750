from celery import shared_task


@shared_task(ignore_result=True)
def record_beat_run() -> None:
    """Every minute from beat: the deep health check reads when this last ran (beat and a worker alive)."""
    from health.services import record_beat_run as record

    record()
