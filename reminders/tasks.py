from celery import shared_task

from reminders import services


@shared_task(acks_late=True, ignore_result=True)
def dispatch() -> dict:
    """Beat runs this every minute; see ``services.reminders_dispatch``."""
    result = services.reminders_dispatch()
    return {"created": result.created, "queued": result.queued, "recovered": result.recovered}


@shared_task(acks_late=True, ignore_result=True)
def send_deliveries(delivery_ids: list[int]) -> dict:
    return services.deliveries_send(delivery_ids=delivery_ids)
