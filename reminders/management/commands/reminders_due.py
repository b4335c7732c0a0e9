import datetime

from django.core.management.base import BaseCommand
from django.utils import timezone

from reminders import selectors


class Command(BaseCommand):
    help = "Show the reminders due in the next hours and the deliveries waiting to be sent."

    def add_arguments(self, parser):
        parser.add_argument("--hours", type=float, default=24, help="How far ahead to look (default 24).")

    def handle(self, *args, hours: float, **options):
        until = timezone.now() + datetime.timedelta(hours=hours)
        plans = selectors.plans_due(until=until)
        self.stdout.write(f"Reminders due before {until:%Y-%m-%d %H:%M} UTC: {plans.count()}")
        for plan in plans[:200]:
            self.stdout.write(f"  {plan.next_due_at:%Y-%m-%d %H:%M}  {plan.kind:<16}  {plan.user.email}")
        waiting = selectors.deliveries_waiting()
        self.stdout.write(f"Deliveries waiting to be sent: {waiting.count()}")
        for delivery in waiting[:200]:
            self.stdout.write(
                f"  {delivery.next_attempt_at:%Y-%m-%d %H:%M}  {delivery.status:<8}  {delivery.plan.kind:<16}  "
                f"{delivery.plan.user.email}  attempts={delivery.attempts} {delivery.note}"
            )
