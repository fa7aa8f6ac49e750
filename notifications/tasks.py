from smtplib import SMTPException

from celery import shared_task


@shared_task(bind=True, autoretry_for=(SMTPException, ConnectionError, OSError), retry_backoff=True,
             max_retries=5, ignore_result=True)
def send_message(self, message_id: int) -> None:
    """Send one outbox message; safe to run twice (the row is claimed before sending)."""
    from notifications.services import deliver_message

    deliver_message(message_id)


@shared_task(ignore_result=True)
def hand_out_waiting_messages() -> int:
    """Called after commits that wrote messages (notifications.services.dispatch): a send_message task for
    each message waiting."""
    from notifications.services import hand_out_waiting

    return hand_out_waiting()


@shared_task(ignore_result=True)
def send_waiting_messages() -> int:
    """Every minute: send whatever waits in the outbox."""
    from notifications.services import send_waiting_messages as sweep

    return sweep()
