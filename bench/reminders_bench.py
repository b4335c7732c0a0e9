"""Reminders: dispatch 100,000 due reminders against PostgreSQL and print deliveries per
second and SQL queries per 1,000 deliveries, at 10,000 and at 100,000 (the second figure must
not grow with the total). Run: ``python -m bench.reminders_bench``.

The dispatcher and the send tasks run in this one process (the worker's work without the
broker), against a PostgreSQL database of its own that is dropped at the end. Set
BENCH_POSTGRES_URL to use another server (default: postgres://postgres@127.0.0.1:5432).
"""

import os

import psycopg2

SERVER = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432")
DATABASE = f"spasm_bench_reminders_{os.getpid()}"
os.environ["DATABASE_URL"] = f"{SERVER}/{DATABASE}"
os.environ["EMAIL_BACKEND"] = "django.core.mail.backends.dummy.EmailBackend"


def _admin(statement: str) -> None:
    admin = psycopg2.connect(f"{SERVER}/postgres")
    admin.autocommit = True  # CREATE and DROP DATABASE refuse to run in a transaction
    try:
        with admin.cursor() as cursor:
            cursor.execute(statement)
    finally:
        admin.close()


_admin(f'CREATE DATABASE "{DATABASE}"')

from bench.common import prepare, report  # noqa: E402

prepare()

import datetime  # noqa: E402
import time  # noqa: E402

from django.contrib.auth.hashers import make_password  # noqa: E402
from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402

from accounts.models import User  # noqa: E402
from reminders import dispatch as dispatcher  # noqa: E402
from reminders.models import Delivery, ReminderPlan  # noqa: E402


class QueryCounter:
    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


def due_reminders(count: int, *, by_email: bool) -> None:
    User.objects.all().delete()
    password = make_password(None)
    users = User.objects.bulk_create(
        (User(email=f"r{i}@bench.example", password=password) for i in range(count)), batch_size=5000
    )
    due = timezone.now() - datetime.timedelta(minutes=1)
    ReminderPlan.objects.bulk_create(
        (ReminderPlan(user=u, kind="daily_log", next_due_at=due, by_email=by_email) for u in users),
        batch_size=5000,
    )


def dispatch(count: int, *, by_email: bool) -> tuple[float, float]:
    due_reminders(count, by_email=by_email)
    counter = QueryCounter()
    start = time.perf_counter()
    with connection.execute_wrapper(counter):
        dispatcher.reminders_dispatch(enqueue=lambda ids: dispatcher.deliveries_send(delivery_ids=ids))
    elapsed = time.perf_counter() - start
    sent = Delivery.objects.filter(status=Delivery.Status.SENT).count()
    assert sent == count, f"{sent} of {count} sent"
    return count / elapsed, counter.count * 1000 / count


if __name__ == "__main__":
    try:
        for by_email in (False, True):
            channel = "in the app and by email" if by_email else "in the app"
            small_rate, small_queries = dispatch(10_000, by_email=by_email)
            rate, queries = dispatch(100_000, by_email=by_email)
            report(f"reminders {channel}: deliveries per second at 100,000", rate, "/s")
            report(f"reminders {channel}: deliveries per second at 10,000", small_rate, "/s")
            report(f"reminders {channel}: SQL queries per 1,000 at 100,000", queries, "queries")
            report(f"reminders {channel}: SQL queries per 1,000 at 10,000", small_queries, "queries")
            report(
                f"reminders {channel}: queries per 1,000, 100,000 / 10,000",
                queries / small_queries,
                "x",
                "1.0",
            )
    finally:
        connection.close()
        _admin(f'DROP DATABASE IF EXISTS "{DATABASE}"')
