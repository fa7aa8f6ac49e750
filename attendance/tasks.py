from celery import shared_task


@shared_task(ignore_result=True)
def remind_open_registers() -> int:
    """Hourly: trainers whose register is still open a day after the session are reminded, once."""
    from attendance.services import remind_open_registers as run

    return run()
