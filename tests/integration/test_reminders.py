"""Reminders through real worker processes and a real Redis broker: exactly once, crashes, outages."""

import collections
import datetime
import re
import shutil
import time

import pytest
from django.contrib.auth.hashers import make_password
from django.utils import timezone

from accounts.models import User
from reminders import dispatch as dispatcher
from reminders import services
from reminders.models import Delivery, Notification, QuietHours, ReminderPlan
from reminders.tasks import dispatch, send_deliveries
from tests.conftest import require
from tests.integration.conftest import OwnRedis, WorkerProcesses, celery_app_pointed_at, wait_for

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]
FILE_MAIL = "django.core.mail.backends.filebased.EmailBackend"
SLOW_MAIL = "tests.integration.slow_mail.EmailBackend"


def due_daily_reminders(count: int) -> list[ReminderPlan]:
    """``count`` patients whose daily reminder fell due a minute ago (no quiet hours)."""
    password = make_password("unused-in-this-test")
    users = User.objects.bulk_create(
        [User(email=f"p{index}@example.org", password=password, language="en") for index in range(count)]
    )
    due = timezone.now() - datetime.timedelta(minutes=1)
    # The next occurrence half a day away: with the default 20:00, a run at 19:50 UTC whose
    # dispatcher is moved minutes ahead found every plan due a second time.
    at = (timezone.now() + datetime.timedelta(hours=12)).time().replace(second=0, microsecond=0)
    return ReminderPlan.objects.bulk_create(
        [
            ReminderPlan(user=user, kind=ReminderPlan.Kind.DAILY_LOG, next_due_at=due, local_time=at)
            for user in users
        ]
    )


def emails_in(mail_dir) -> list[tuple[int, str]]:
    """(delivery id, Message-ID) of each email the file backend wrote."""
    found = []
    if mail_dir.exists():
        for path in mail_dir.iterdir():
            text = path.read_text()
            found += zip(
                (int(d) for d in re.findall(r"^X-Spasm-Delivery: (\d+)$", text, re.M)),
                re.findall(r"^Message-ID: (.+)$", text, re.M),
                strict=True,
            )
    return found


def emails_per_delivery(mail_dir) -> collections.Counter:
    return collections.Counter(delivery for delivery, _ in emails_in(mail_dir))


def assert_each_sent_exactly_once(expected: int, mail_dir) -> None:
    assert Delivery.objects.count() == expected
    assert Delivery.objects.filter(status=Delivery.Status.SENT, emailed=True).count() == expected
    assert Notification.objects.count() == expected  # one per delivery, a unique key
    emails = emails_per_delivery(mail_dir)
    assert set(emails) == set(Delivery.objects.values_list("id", flat=True))
    assert set(emails.values()) == {1}, {d: n for d, n in emails.items() if n != 1}


def test_500_due_reminders_two_workers_each_delivered_exactly_once(workers, tmp_path):
    due_daily_reminders(500)
    mail_dir = tmp_path / "var" / "mail"
    workers.start("w1", concurrency=2, EMAIL_BACKEND=FILE_MAIL)
    workers.start("w2", concurrency=2, EMAIL_BACKEND=FILE_MAIL)

    # Two dispatcher runs at once, as two beats would, and every batch queued a second time.
    dispatch.delay()
    dispatch.delay()
    assert wait_for(lambda: Delivery.objects.count() == 500)
    ids = list(Delivery.objects.order_by("id").values_list("id", flat=True))
    for start in range(0, 500, 50):
        send_deliveries.delay(ids[start : start + 50])

    assert wait_for(lambda: Delivery.objects.filter(status=Delivery.Status.SENT).count() == 500, timeout=120)
    assert wait_for(lambda: sum(emails_per_delivery(mail_dir).values()) >= 500)
    time.sleep(1)  # let any duplicate that was going to happen, happen
    assert_each_sent_exactly_once(500, mail_dir)
    log = workers.log_text()
    assert "w1@" in log and "w2@" in log and log.count("succeeded") >= 12


def test_a_worker_killed_mid_batch_loses_nothing_and_repeats_no_delivery(workers, tmp_path):
    """Exactly once in the database: one delivery and one notification each, none lost.

    Email cannot join a database transaction: the one message the mail server may have taken
    in the instant between accepting it and the killed worker marking its row goes again,
    with the same Message-ID, so the patient's mail system shows it once.
    """
    due_daily_reminders(300)
    mail_dir = tmp_path / "var" / "mail"
    worker = workers.start("w1", concurrency=1, EMAIL_BACKEND=SLOW_MAIL)
    dispatch.delay()

    sent = Delivery.objects.filter(status=Delivery.Status.SENT)
    assert wait_for(lambda: sent.count() >= 150, timeout=120)
    workers.kill(worker)
    in_flight_ids = set(Delivery.objects.filter(status=Delivery.Status.SENDING).values_list("id", flat=True))
    in_flight = len(in_flight_ids)
    assert 0 < sent.count() < 300 and in_flight > 0, "the kill should land in the middle of a batch"

    # Beat's run once the dead worker's claims are stale: its rows go back to pending and are
    # queued again, with the batches that were still waiting in the broker.
    with_time_passed = timezone.now() + dispatcher.SENDING_TIMEOUT + datetime.timedelta(minutes=1)
    result = dispatcher.reminders_dispatch(now=with_time_passed)
    assert result.recovered == in_flight
    workers.start("w1b", concurrency=1, EMAIL_BACKEND=SLOW_MAIL)
    assert wait_for(lambda: sent.count() == 300, timeout=120)
    time.sleep(1)
    assert Delivery.objects.count() == 300
    assert Delivery.objects.filter(status=Delivery.Status.SENT, emailed=True).count() == 300
    assert Notification.objects.count() == 300
    emails = emails_in(mail_dir)
    per_delivery = collections.Counter(delivery for delivery, _ in emails)
    assert set(per_delivery) == set(Delivery.objects.values_list("id", flat=True))
    repeated = {delivery for delivery, count in per_delivery.items() if count > 1}
    assert len(repeated) <= 1 and repeated <= in_flight_ids, repeated
    message_ids = {delivery: {m for d, m in emails if d == delivery} for delivery in per_delivery}
    assert all(len(ids) == 1 for ids in message_ids.values())


@pytest.fixture
def own_redis(tmp_path):
    require(shutil.which("redis-server") is not None, "no redis-server binary to start a broker of our own")
    redis = OwnRedis(tmp_path)
    redis.start()
    yield redis
    if redis.process.poll() is None:
        redis.stop()


def test_logging_works_while_the_broker_is_down_and_reminders_go_out_when_it_returns(
    own_redis, tmp_path, monkeypatch, client
):
    with celery_app_pointed_at(own_redis.url, monkeypatch):
        workers = WorkerProcesses(own_redis.url, tmp_path)
        try:
            workers.start("w1", concurrency=1, EMAIL_BACKEND=FILE_MAIL)
            patients = [
                User.objects.create_user(email=f"down{i}@example.org", password="x" * 12) for i in range(5)
            ]
            for patient in patients:
                services.reminder_plans_ensure(user=patient)
            # Heat/ice switches wait out quiet hours (22:00-07:00 by default): this test is about
            # the broker, so it must not depend on the hour it runs at.
            QuietHours.objects.filter(user__in=patients).update(enabled=False)
            own_redis.stop()

            # Each patient logs a spasm that began 25 minutes ago: its first heat/ice switch is due.
            started = (timezone.now() - datetime.timedelta(minutes=25)).isoformat()
            for patient in patients:
                client.force_login(patient)
                begun = time.monotonic()
                response = client.post(
                    "/api/episodes/", {"severity": 6, "started_at": started}, content_type="application/json"
                )
                assert response.status_code == 201, response.content
                assert time.monotonic() - begun < 10, "a broker outage must not hold up the request"
            assert not Notification.objects.exists()

            own_redis.start()
            dispatch.delay()  # beat's next every-minute run
            assert wait_for(lambda: Notification.objects.count() == 5, timeout=90), workers.log_text()[-4000:]
            assert set(Notification.objects.values_list("title", flat=True)) == {"Time to switch to heat"}
            assert set(Notification.objects.values_list("user_id", flat=True)) == {p.id for p in patients}
        finally:
            workers.stop_all()
