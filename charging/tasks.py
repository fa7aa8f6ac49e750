from celery import shared_task


@shared_task(ignore_result=True)
def retry_waiting_invoices() -> int:
    """Every fifteen minutes: invoices Stripe could not take earlier are sent now."""
    from charging.services import retry_waiting_invoices as run

    return run()
