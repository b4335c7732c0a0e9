from celery import shared_task

from reminders.dispatch import deliveries_send, reminders_dispatch


@shared_task(acks_late=True, ignore_result=True)
def dispatch() -> dict:
    """Beat runs this every minute; see ``reminders.dispatch.reminders_dispatch``."""
    result = reminders_dispatch()
    return {"created": result.created, "queued": result.queued, "recovered": result.recovered}


@shared_task(acks_late=True, ignore_result=True)
def send_deliveries(delivery_ids: list[int]) -> dict:
    return deliveries_send(delivery_ids=delivery_ids)
